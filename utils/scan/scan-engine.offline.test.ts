/**
 * Offline (`isOnline()` false): network failures use up no attempts, no quota slot is spent on a request
 * that cannot leave, reading a download waits instead of failing, and every scan finishes once online.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { fresh, limiterDayUsed, link, noticesOf } from '@/tests/support/engine-test-kit';
import { eicarBytes, markedMalwareBytes } from '@/tests/emulator/fixtures';

let h: Harness;
afterEach(async () => h?.close());

describe('offline', () => {
  const OFFLINE_MS = 10 * 60_000;
  /** A browser that is offline for the next ten (virtual) minutes: every fetch fails, isOnline() says so. */
  function offlineForAWhile(h: Harness) {
    const until = h.clock.now() + OFFLINE_MS;
    let failed = 0;
    const isOnline = () => h.clock.now() >= until;
    const offlineFetch: typeof fetch = async (input, init) => {
      if (!isOnline()) {
        failed++;
        throw new TypeError('Failed to fetch');
      }
      return h.fetch(input, init);
    };
    return { fetch: offlineFetch, isOnline, until, failed: () => failed };
  }

  it('a download scanned while offline waits (no attempts used, no quota spent) and finishes once online', async () => {
    h = await createHarness();
    const net = offlineForAWhile(h);
    const notices = noticesOf(h, { fetch: net.fetch, isOnline: net.isOnline });
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', attempts: 0 });
    expect(h.clock.now()).toBeGreaterThanOrEqual(net.until);
    expect(notices(token).some((m) => /offline/.test(m))).toBe(true);
    expect(await limiterDayUsed()).toBe(h.emulator.requests.length);
    expect(h.emulator.requests).toHaveLength(1);
  });

  it('going offline in the middle of a scan: requests wait without using attempts or spending quota', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 1 } });
    let net: ReturnType<typeof offlineForAWhile> | null = null;
    h.engine = h.newEngine({
      isOnline: () => net?.isOnline() ?? true,
      fetch: async (input, init) => {
        // The connection drops just as the upload is about to leave.
        if (!net && String(input).endsWith('/files') && init?.method === 'POST') net = offlineForAWhile(h);
        return net ? net.fetch(input, init) : h.fetch(input, init);
      },
    });
    const token = await h.engine.scan(link(h, '/new.exe', markedMalwareBytes(fresh('malware'))));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', attempts: 0 });
    expect(h.emulator.uploads).toHaveLength(1);
    // Every slot the limiter spent went to a request VirusTotal received, but for the upload that was
    // leaving as the connection dropped: the offline waits spent nothing.
    expect(await limiterDayUsed()).toBe(h.emulator.requests.length + 1);
  });
});
