/**
 * Answers that never come and connections that break: every request has a timeout (VirusTotal's and the
 * download site's), a hung request holds up no other scan, and the hung scan retries and finishes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY, ROOMY_VT, TIMEOUT_MS, fresh, link, noticesOf, unique } from '@/tests/support/engine-test-kit';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes, markedMalwareBytes } from '@/tests/emulator/fixtures';
import { inEnglish } from '@/tests/support/locale-messages';
import { MAX_ATTEMPTS } from './scheduler/retry-policy';

let h: Harness;
afterEach(async () => h?.close());

describe('answers that never come (fault "hang")', () => {
  it('a hung lookup times out, the other scans go on meanwhile, and the hung scan retries and finishes', async () => {
    h = await createHarness({ settings: ROOMY, emulator: { quota: ROOMY_VT } });
    // Virtual time: the other scans, which wait for nothing, finish before the hung lookup's timeout fires.
    const timeoutMs = 1_500;
    const finishedBeforeTimeout = new Set<string>();
    let timedOut = false;
    h.engine = h.newEngine({
      timeoutMs,
      onChange: (r) => {
        if (r.notice?.code === 'vt-timeout') timedOut = true;
        if (!timedOut && r.status === 'done') finishedBeforeTimeout.add(r.token);
      },
    });
    h.emulator.injectFault({ kind: 'hang', match: { path: new RegExp(`/files/${EICAR_SHA256}$`) } });
    const started = h.clock.now();
    const hung = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    const others = await Promise.all([
      h.engine.scan(link(h, '/clean.txt', cleanSampleBytes())),
      h.engine.scan(link(h, '/a.bin', unique('a'))),
      h.engine.scan(link(h, '/b.bin', unique('b'))),
    ]);
    expect(await h.result(hung)).toMatchObject({ status: 'done', verdict: 'malicious', attempts: 0 });
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(timeoutMs);
    expect(timedOut).toBe(true);
    for (const token of others) {
      expect(await h.store.get(token)).toMatchObject({ status: 'done' });
      expect(finishedBeforeTimeout.has(token), 'finished while the lookup hung').toBe(true);
    }
    const lookups = h.emulator.requests.filter((r) => r.path.endsWith(EICAR_SHA256));
    expect(lookups.map((r) => [r.status, r.fault])).toEqual([[0, 'hang'], [200, undefined]]);
  });

  it.each([
    ['a poll', { uploadUnknown: true }, { method: 'GET', path: /\/analyses\// }],
    ['a URL submission', { urlFallback: true }, { method: 'POST', path: /\/urls$/ }],
    ['a URL report', { urlFallback: true }, { method: 'GET', path: /\/urls\/[^/]+$/ }],
  ])('%s that hangs times out and is retried; the scan finishes', async (_what, settings, match) => {
    h = await createHarness({ settings: { ...ROOMY, ...settings }, emulator: { quota: ROOMY_VT, analysisPolls: 1 } });
    h.engine = h.newEngine({ timeoutMs: TIMEOUT_MS });
    h.emulator.injectFault({ kind: 'hang', match });
    const scan = 'urlFallback' in settings
      ? { source: { kind: 'link' as const, url: h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } }) }, fileName: 'once.exe' }
      : link(h, '/new.bin', markedMalwareBytes(fresh('malware')));
    const record = await h.result(await h.engine.scan(scan));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.emulator.requests.filter((r) => r.fault === 'hang')).toHaveLength(1);
    expect(h.emulator.uploads.length).toBeLessThanOrEqual(1);
  });
});

describe('broken connections (fault "reset")', () => {
  it('a connection reset is a network failure: retried with a backoff, then the scan finishes', async () => {
    h = await createHarness();
    const notices = noticesOf(h);
    h.emulator.injectFault({ kind: 'reset', times: 2 });
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', attempts: 0, notice: null });
    expect(new Set(notices(token).filter((m) => /Could not reach VirusTotal/.test(m))).size).toBe(2);
    const sent = h.emulator.requests.map((r) => r.at);
    // 5 s, then 10 s: a backoff, not a tight loop.
    expect(sent[1]! - sent[0]!).toBeGreaterThanOrEqual(5_000);
    expect(sent[2]! - sent[1]!).toBeGreaterThanOrEqual(10_000);
  });

  it(`gives up after ${MAX_ATTEMPTS} network failures in a row with a clear error`, async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'reset', times: 100 });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'error', error: { code: 'network' } });
    expect(inEnglish('error', record.error)).toBe('Could not reach VirusTotal (network error or offline). Check the connection, then use “Rescan”.');
    expect(h.emulator.requests).toHaveLength(MAX_ATTEMPTS);
  });
});

describe('a download site that never answers', () => {
  it('the read times out with a clear error, and other scans are not held up by it', async () => {
    h = await createHarness({ settings: ROOMY, emulator: { quota: ROOMY_VT } });
    const hostile = h.hostile();
    h.engine = h.newEngine({ timeoutMs: TIMEOUT_MS });
    // Two hung reads would take both read slots.
    const hung = await Promise.all(['/hang-1', '/hang-2', '/stall'].map((path) => h.engine.scan({
      source: { kind: 'link', url: hostile.serve(path, path === '/stall' ? { kind: 'stall', declared: 1000, sent: 10 } : { kind: 'hang' }) },
      fileName: path.slice(1),
    })));
    const good = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    const host = new URL(hostile.serve('/x', { kind: 'hang' })).host;
    const [hung1, hung2, stalled] = await Promise.all(hung.map((token) => h.result(token)));
    for (const record of [hung1, hung2]) expect(record).toMatchObject({ status: 'error', error: { code: 'source-timeout', params: { host, seconds: 0 } } });
    expect(stalled).toMatchObject({ status: 'error', error: { code: 'source-stalled', params: { host } } });
    expect(inEnglish('error', stalled!.error)).toMatch(new RegExp(`^${host.replace(/\./g, '\\.')} stopped sending the file for 0 s`));
    expect(await h.result(good)).toMatchObject({ status: 'done', verdict: 'malicious' });
  });
});
