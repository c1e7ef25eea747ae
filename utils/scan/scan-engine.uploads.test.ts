/**
 * An upload is never sent twice: not by a second scan of the same file, not after an answer that was lost
 * or unreadable; an upload VirusTotal refused is sent again at once, one that never arrived after a wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY, ROOMY_VT, TIMEOUT_MS, fresh, link, noticesOf, uploadsPerFile } from '@/tests/support/engine-test-kit';
import { markedMalwareBytes } from '@/tests/emulator/fixtures';
import { LOST_UPLOAD_WAIT_MS } from './scan-engine';
import type { ScanRecord } from './scan-record';

let h: Harness;
afterEach(async () => h?.close());

describe('an upload is never sent twice', () => {
  it('a second scan of a file being analysed follows that analysis instead of uploading it again', async () => {
    h = await createHarness({ settings: { uploadUnknown: true, ...ROOMY }, emulator: { analysisPolls: 3, quota: ROOMY_VT } });
    const bytes = markedMalwareBytes(fresh('malware'));
    let analysing = false;
    h.engine = h.newEngine({ onChange: (r) => void (analysing ||= r.step === 'analysis') });
    const first = await h.engine.scan(link(h, '/first.exe', bytes));
    // The second scan arrives once the first has uploaded and waits to poll the analysis (3 polls to go).
    await h.sim.until(() => analysing, 'the first scan to reach its analysis');
    expect((await h.store.get(first))?.step).toBe('analysis');
    expect(h.count('poll')).toBe(0);
    // The first upload is done and its analysis running; "unknown" is still the memoized lookup answer.
    const second = await h.engine.scan(link(h, '/second.exe', bytes));
    expect(await h.result(first)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
  });

  it('a second scan follows the analysis of an earlier scan that gave up on it, instead of uploading again', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 50, analysisCompletesAfterMs: 10 * 60_000 } });
    const bytes = markedMalwareBytes(fresh('malware'));
    // Every poll of the first scan fails: it ends in error while VirusTotal is still analysing the file.
    h.emulator.injectFault({ kind: 'status', status: 503, times: 1_000, match: { path: /\/analyses\// } });
    const first = await h.result(await h.engine.scan(link(h, '/first.exe', bytes)));
    expect(first).toMatchObject({ status: 'error', error: { code: 'vt-transient' } });
    expect(first.analysisId).not.toBeNull();
    h.emulator.clearFaults();
    const second = await h.result(await h.engine.scan(link(h, '/second.exe', bytes)));
    expect(second).toMatchObject({ status: 'done', verdict: 'malicious', analysisId: first.analysisId });
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
  });

  it('an upload whose answer was unreadable (but that landed) is looked up, not sent again', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 2, analysisCompletesAfterMs: 90_000 } });
    const notices = noticesOf(h);
    h.emulator.injectFault({ kind: 'truncated-json', match: { method: 'POST', path: /\/files$/ } });
    const token = await h.engine.scan(link(h, '/new.exe', markedMalwareBytes(fresh('malware'))));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
    expect(notices(token).some((m) => /answer was lost/.test(m))).toBe(true);
  });

  it('an upload VirusTotal refused (503) is sent again at once', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'status', status: 503, match: { method: 'POST', path: /\/files$/ } });
    const start = h.clock.now();
    const token = await h.engine.scan(link(h, '/new.exe', markedMalwareBytes(fresh('malware'))));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
    expect(h.emulator.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([503, 200]);
    expect(h.clock.now() - start).toBeLessThan(LOST_UPLOAD_WAIT_MS);
  });

  it('an upload that hung (it never arrived) is sent again once VirusTotal still does not know the file', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0, analysisCompletesAfterMs: 60_000 } });
    h.engine = h.newEngine({ timeoutMs: TIMEOUT_MS });
    h.emulator.injectFault({ kind: 'hang', match: { method: 'POST', path: /\/files$/ } });
    const start = h.clock.now();
    const record: ScanRecord = await h.result(await h.engine.scan(link(h, '/new.exe', markedMalwareBytes(fresh('malware')))));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(LOST_UPLOAD_WAIT_MS);
  });
});

describe('an upload on a slow uplink', () => {
  /** 2 MiB no one has scanned before. */
  const twoMiB = (label: string) => {
    const bytes = new Uint8Array(2 * 1024 * 1024).fill(0x41);
    bytes.set(new TextEncoder().encode(fresh(label)));
    return bytes;
  };

  it('is not cut while a 256 kbit/s link could still be sending it (2 MiB answered after 80 s)', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const notices = noticesOf(h);
    h.emulator.injectFault({ kind: 'latency', ms: 80_000, match: { method: 'POST', path: /\/files$/ } });
    const token = await h.engine.scan(link(h, '/slow.bin', twoMiB('slow uplink')));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean', uploadSentAt: [expect.any(Number)] });
    expect(notices(token).filter((m) => /lost|had not finished/.test(m))).toEqual([]);
    expect([...uploadsPerFile(h).values()]).toEqual([1]);
  });

  it('cut after that long: the notice says it was stopped for taking too long, not that an answer was lost', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const notices = noticesOf(h);
    h.emulator.injectFault({ kind: 'latency', ms: 3_600_000, match: { method: 'POST', path: /\/files$/ } });
    const token = await h.engine.scan(link(h, '/slower.bin', twoMiB('slower uplink')));
    await h.result(token);
    expect(notices(token).some((m) => /^Sending this file \(2(\.0)? MB\) to VirusTotal had not finished after \d+ seconds, so ScanDock stopped it/.test(m))).toBe(true);
  });
});
