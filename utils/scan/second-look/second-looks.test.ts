/**
 * Second looks on the virtual clock: a download clean on day 0 and detected on day 2 is reported by its second
 * look; second looks never delay a new scan, stop at the day's reserve, never cause a 429, and never look at a
 * download whose saved file is gone.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, HARNESS_START, type Harness } from '@/tests/support/engine-harness';
import { ROOMY_VT, unique } from '@/tests/support/engine-test-kit';
import { runUntil, withAlarm } from '@/tests/support/sim-alarm';
import type { ScanRecord } from '../scan-record';

const DAY = 86_400_000;
let h: Harness;
afterEach(async () => h?.close());

/** `n` downloads of files VirusTotal calls clean, scanned; their tokens. */
async function cleanDownloads(harness: Harness, n: number, label: string): Promise<string[]> {
  const tokens = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const bytes = unique(`${label} ${i}`);
      harness.emulator.addFile(bytes, 'clean');
      return (await harness.savedDownload(`/${label}-${i}.exe`, bytes)).token;
    }),
  );
  await harness.sim.run(harness.engine.settled());
  return tokens;
}

describe('second look', () => {
  it('reports a download clean on day 0 and malicious on day 2 at its next look, keeping the first verdict, with the alert', async () => {
    h = await createHarness();
    const worse: ScanRecord[] = [];
    withAlarm(h, { onSecondLookWorse: (r) => worse.push(r) });
    const bytes = unique('new to VirusTotal');
    const sha256 = h.emulator.addFile(bytes, 'clean', ['setup.exe']);
    const { token } = await h.savedDownload('/setup.exe', bytes);
    const day0 = await h.result(token);
    expect(day0).toMatchObject({ verdict: 'clean', secondLookAt: HARNESS_START + DAY, secondLook: { looks: 0, ended: null } });

    await runUntil(h, HARNESS_START + 2 * DAY);
    const day1 = (await h.store.get(token))!;
    expect(day1).toMatchObject({ verdict: 'clean', secondLook: { looks: 1, first: null }, secondLookAt: HARNESS_START + 3 * DAY });
    expect(h.count('lookup')).toBe(2);
    expect(worse).toEqual([]);

    h.emulator.reanalyseAs(sha256, 'malicious');
    await runUntil(h, HARNESS_START + 4 * DAY);
    const after = (await h.store.get(token))!;
    expect(after).toMatchObject({
      verdict: 'malicious', detected: true, seen: false, secondLookAt: null,
      secondLook: { looks: 2, ended: 'worse', first: { verdict: 'clean', malicious: 0, at: day0.createdAt } },
    });
    expect(after.secondLook!.lastLookAt).toBeGreaterThanOrEqual(HARNESS_START + 3 * DAY);
    expect(worse.map((r) => r.token)).toEqual([token]);
    expect(h.count('lookup')).toBe(3);
    expect(h.count('429')).toBe(0);
  });

  it('never looks again at a download whose saved file is gone', async () => {
    h = await createHarness();
    withAlarm(h);
    const bytes = unique('deleted later');
    h.emulator.addFile(bytes, 'clean');
    const saved = await h.savedDownload('/gone.exe', bytes);
    await h.result(saved.token);
    h.downloads.remove(saved.path);
    await runUntil(h, HARNESS_START + 10 * DAY);
    expect(h.count('lookup')).toBe(1);
    expect(await h.store.get(saved.token)).toMatchObject({ verdict: 'clean', secondLookAt: null, secondLook: { looks: 0, ended: 'file-gone' } });
  });

  it('makes no look when turned off', async () => {
    h = await createHarness({ settings: { secondLook: false } });
    withAlarm(h);
    await cleanDownloads(h, 3, 'off');
    await runUntil(h, HARNESS_START + 10 * DAY);
    expect(h.count('lookup')).toBe(3);
  });

  it('stops for the day when no more than the reserve is left, and goes on the next day without a 429', async () => {
    h = await createHarness({ settings: { quotaPreset: 'custom', quota: { perMinute: 4, perDay: 120, perMonth: 100_000 }, secondLookReserve: 100 }, emulator: { quota: ROOMY_VT } });
    withAlarm(h);
    const tokens = await cleanDownloads(h, 30, 'reserve');
    // Day 1 (a new UTC day): 20 of the 30 looks fit above the reserve.
    await runUntil(h, HARNESS_START + DAY + 6 * 3_600_000);
    expect(h.count('lookup')).toBe(30 + 20);
    const looked = (await Promise.all(tokens.map((t) => h.store.get(t)))).filter((r) => r!.secondLook!.looks === 1);
    expect(looked).toHaveLength(20);
    await runUntil(h, HARNESS_START + 2 * DAY + 6 * 3_600_000);
    expect(h.count('lookup')).toBe(30 + 30);
    expect(h.count('429')).toBe(0);
  });
});

describe('second looks never delay a new scan', () => {
  /** Day 1: a burst of 12 new downloads arrives while 50 second looks are due; each new scan's wait (ms). */
  async function burstWaits(secondLook: boolean): Promise<number[]> {
    h = await createHarness({ settings: { secondLook }, emulator: { quota: ROOMY_VT } });
    await cleanDownloads(h, 50, 'due');
    // The worker sleeps through the looks' due time (no alarm here); the burst's downloads wake a new one.
    await h.sim.run(h.clock.sleep(HARNESS_START + DAY + 60_000 - h.clock.now()));
    withAlarm(h);
    const burst = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const bytes = unique(`burst ${i}`);
        h.emulator.addFile(bytes, 'clean');
        return (await h.savedDownload(`/burst-${i}.exe`, bytes)).token;
      }),
    );
    await h.engine.resume();
    await runUntil(h, HARNESS_START + DAY + 3 * 3_600_000);
    const waits = await Promise.all(burst.map(async (t) => {
      const r = (await h.store.get(t))!;
      return r.reportFetchedAt! - r.createdAt;
    }));
    const looksDone = (await h.db.getAll('scans')).filter((r) => (r.secondLook?.looks ?? 0) > 0).length;
    expect(looksDone).toBe(secondLook ? 50 : 0);
    expect(h.count('429')).toBe(0);
    await h.close();
    return waits;
  }

  it('gives every new scan of a burst the same wait as without the 50 looks that were due', async () => {
    const without = await burstWaits(false);
    const withLooks = await burstWaits(true);
    expect(Math.max(...without)).toBeGreaterThan(60_000);
    expect(withLooks).toEqual(without);
  });
});
