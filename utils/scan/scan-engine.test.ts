/**
 * The scan engine against the VirusTotal emulator, with fake browser storage and fake IndexedDB, in the
 * harness's simulation: one virtual clock shared with the emulator (quota windows and polls pass instantly).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { fresh, unique } from '@/tests/support/engine-test-kit';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes } from '@/tests/emulator/fixtures';
import { inEnglish } from '@/tests/support/locale-messages';
import { isProblem, type Problem } from '@/utils/problems/problem';
import { keyStatusItem, apiKeyItem, quotaStateItem } from '@/utils/settings/storage-items';
import { POLL_INTERVAL_MS } from './scan-engine';
import { isFinished } from './scan-record';
import { sha256Hex } from './sha256';

let h: Harness;
afterEach(async () => h?.close());


describe('scan engine: verdicts', () => {
  it('finds EICAR malicious with one lookup, and keeps the per-engine detail', async () => {
    h = await createHarness();
    const token = await h.download('/eicar.com', eicarBytes());
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', detected: true, sha256: EICAR_SHA256, size: 68, error: null, fromCache: false });
    expect(record.stats!.malicious).toBeGreaterThan(40);
    expect(record.detail.filter((d) => d.scanDetected).length).toBe(record.stats!.malicious);
    expect(record.detail[0]).toMatchObject({ scanDetected: true, category: 'malicious' });
    expect(record.detail[0]!.vendorName).not.toBe('');
    expect(record.threatLabel).toBe('virus.eicar/test');
    expect(record.reportUrl).toBe(`https://www.virustotal.com/gui/file/${EICAR_SHA256}`);
    expect(h.count('lookup')).toBe(1);
    expect(h.count('all')).toBe(1);
  });

  it('finds the clean sample clean', async () => {
    h = await createHarness();
    const record = await h.result(await h.download('/clean.txt', cleanSampleBytes()));
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', detected: false });
    expect(record.stats!.malicious).toBe(0);
  });

  it('returns the token at once, before any request is made', async () => {
    h = await createHarness();
    const token = await h.download('/eicar.com', eicarBytes());
    const early = await h.engine.getResult(token);
    expect(early?.status === 'ready' || early?.status === 'progress').toBe(true);
    await h.result(token);
  });

  it('honours the detection threshold: below it, detections make the file suspicious', async () => {
    h = await createHarness({ settings: { detectionThreshold: 1000 } });
    const record = await h.result(await h.download('/eicar.com', eicarBytes()));
    expect(record).toMatchObject({ verdict: 'suspicious', detected: false });
  });
});

describe('scan engine: unknown files and uploads', () => {
  it('without upload permission: verdict unknown, nothing uploaded; upload(token) on request', async () => {
    h = await createHarness();
    const token = await h.download('/new.bin', unique('unknown'));
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'unknown', detected: false, stats: null });
    expect(h.emulator.uploads).toHaveLength(0);
    expect(h.count('all')).toBe(1);

    const start = h.clock.now();
    await h.engine.upload(token);
    const uploaded = await h.result(token);
    expect(uploaded).toMatchObject({ status: 'done', verdict: 'clean', uploadRequested: true });
    expect(h.emulator.uploads).toHaveLength(1);
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
  });

  it('with "Upload unknown files" on: uploads, polls at least 15 s apart until completed', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 2 } });
    const bytes = new TextEncoder().encode(`SCANDOCK-TEST-MALWARE ${fresh('dropper')}`);
    const record = await h.result(await h.download('/dropper.exe', bytes));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', detected: true, sha256: await sha256Hex(bytes) });
    expect(h.emulator.uploads).toHaveLength(1);
    const polls = h.emulator.requests.filter((r) => /\/analyses\//.test(r.path));
    expect(polls).toHaveLength(3);
    for (let i = 1; i < polls.length; i++) expect(polls[i]!.at - polls[i - 1]!.at).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
  });

  it('never uploads documents unless allowed', async () => {
    h = await createHarness({ settings: { uploadUnknown: true } });
    const record = await h.result(await h.download('/private.pdf', unique('pdf')));
    expect(record.verdict).toBe('unknown');
    expect(h.emulator.uploads).toHaveLength(0);
  });
});

describe('scan engine: quota', () => {
  it('waits for the minute window instead of sending a fifth request, with a notice on the record', async () => {
    h = await createHarness();
    const notices: string[] = [];
    h.engine = h.newEngine({ onChange: (r) => r.notice && notices.push(inEnglish('notice', r.notice)) });
    const start = h.clock.now();
    const tokens = await Promise.all(Array.from({ length: 6 }, (_, i) => h.engine.scan({ source: { kind: 'link', url: h.files.serve(`/f${i}`, { body: eicarBytes().slice(0, 60 + i) }) }, fileName: `f${i}` })));
    await h.engine.settled();
    for (const token of tokens) expect((await h.store.get(token))?.status).toBe('done');
    expect(h.count('429')).toBe(0);
    expect(h.count('lookup')).toBe(6);
    const lookups = h.emulator.requests.filter((r) => r.quotaCounted).map((r) => r.at);
    expect(lookups[4]! - lookups[0]!).toBeGreaterThanOrEqual(60_000);
    expect(h.clock.now() - start).toBeLessThan(2 * 60_000);
    expect(notices.some((m) => /^Waiting for VirusTotal’s per-minute quota: next request at \d\d:\d\d:\d\d\.$/.test(m))).toBe(true);
  });

  it('keeps its counters in chrome.storage: a new engine does not reuse spent slots', async () => {
    h = await createHarness();
    for (let i = 0; i < 4; i++) await h.result(await h.download(`/a${i}`, unique(`a${i}`)));
    const before = h.clock.now();
    const restarted = h.newEngine();
    const token = await restarted.scan({ source: { kind: 'link', url: h.files.serve('/b', { body: unique('b') }) }, fileName: 'b' });
    await restarted.settled();
    expect((await h.store.get(token))?.status).toBe('done');
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(55_000);
    expect(h.count('429')).toBe(0);
    expect(await quotaStateItem.getValue()).toMatchObject({ day: { used: 5 } });
  });

  it('backs off after a 429 it did not expect, then goes on', async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', times: 1 });
    const start = h.clock.now();
    const record = await h.result(await h.download('/eicar.com', eicarBytes()));
    expect(record.verdict).toBe('malicious');
    expect(h.clock.now() - start).toBeGreaterThanOrEqual(60_000);
  });
});

describe('scan engine: spending as little quota as possible', () => {
  it('answers a repeat from the cache with zero requests', async () => {
    h = await createHarness();
    await h.result(await h.download('/eicar.com', eicarBytes()));
    const before = h.count('all');
    const repeat = await h.result(await h.download('/eicar-again.com', eicarBytes()));
    expect(repeat).toMatchObject({ verdict: 'malicious', fromCache: true });
    expect(h.count('all')).toBe(before);
  });

  it('spends exactly 5 lookups on 20 concurrent scans of 5 distinct files', async () => {
    h = await createHarness({ emulator: { quota: { perMinute: 1000, perDay: 1000 } }, settings: { quotaPreset: 'custom', quota: { perMinute: 1000, perDay: 1000, perMonth: 10_000 } } });
    const files = Array.from({ length: 5 }, (_, i) => unique(`burst${i}`));
    files[0] = eicarBytes();
    files[1] = cleanSampleBytes();
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => h.download(`/burst-${i}`, files[i % 5]!)));
    await h.engine.settled();
    for (const token of tokens) expect(isFinished((await h.store.get(token))!)).toBe(true);
    expect(h.count('lookup')).toBe(5);
    expect(h.count('all')).toBe(5);
  });

  it('rescan takes a fresh look instead of the cache', async () => {
    h = await createHarness();
    const token = await h.download('/eicar.com', eicarBytes());
    await h.result(token);
    await h.engine.rescan(token);
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', fromCache: false });
    expect(h.count('lookup')).toBe(2);
  });
});

describe('scan engine: restarts', () => {
  it('a new engine over the same database resumes a half-done scan without uploading twice', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 1 } });
    // The first worker stops while waiting to poll the analysis: its sleeps never end.
    let analysing = false;
    const dying = h.newEngine({
      clock: { now: () => h.clock.now(), monotonic: () => h.clock.monotonic(), timeout: (ms) => h.clock.timeout(ms), sleep: () => new Promise(() => undefined) },
      onChange: (r) => void (analysing ||= r.step === 'analysis'),
    });
    const bytes = unique('resume');
    const token = await dying.scan({ source: { kind: 'link', url: h.files.serve('/resume.bin', { body: bytes }) }, fileName: 'resume.bin' });
    await h.sim.until(() => analysing, 'the analysis step');
    await h.sim.idle();
    expect(await h.store.get(token)).toMatchObject({ status: 'progress', step: 'analysis' });
    expect(h.emulator.uploads).toHaveLength(1);

    const fresh = h.newEngine();
    await fresh.resume();
    await fresh.settled();
    expect(await h.store.get(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(h.emulator.uploads).toHaveLength(1);
  });

  it('resuming an upload that may have landed looks the file up before uploading again', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const bytes = unique('landed');
    const sha256 = await sha256Hex(bytes);
    h.emulator.addFile(bytes, 'clean');
    const token = await h.engine.scan({ source: { kind: 'link', url: h.files.serve('/landed', { body: bytes }) }, fileName: 'landed' });
    await h.engine.settled();
    // Pretend the worker died right after sending the upload of a file VirusTotal now knows.
    await h.store.patch(token, { status: 'progress', step: 'upload', sha256, uploadSentAt: [h.clock.now()], verdict: null });
    const fresh = h.newEngine();
    await fresh.resume();
    await fresh.settled();
    expect(await h.store.get(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(h.emulator.uploads).toHaveLength(0);
  });

  it('a scan whose worker died while reading reads again after the restart', async () => {
    h = await createHarness();
    const token = await h.engine.scan({ source: { kind: 'link', url: h.files.serve('/eicar', { body: eicarBytes() }) }, fileName: 'eicar' });
    await h.engine.settled();
    await h.store.patch(token, { status: 'progress', step: 'reading', verdict: null, sha256: null });
    const fresh = h.newEngine();
    await fresh.resume();
    await fresh.settled();
    expect(await h.store.get(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
  });
});

describe('scan engine: failures', () => {
  it('a wrong key pauses the queue with a clear notice, and a new key lets it finish', async () => {
    h = await createHarness({ apiKey: 'f'.repeat(64) });
    const first = await h.download('/eicar.com', eicarBytes());
    const second = await h.download('/clean.txt', cleanSampleBytes());
    await h.engine.settled();
    for (const token of [first, second]) {
      const record = await h.store.get(token);
      expect(record).toMatchObject({ status: 'ready', error: null });
      expect(record?.notice?.code).toBe('vt-wrong-key');
      expect(inEnglish('notice', record?.notice)).toBe('VirusTotal rejected the API key. Scans wait until you paste it again in the options.');
      expect(JSON.stringify(record?.notice)).not.toContain('f'.repeat(64));
    }
    expect(await keyStatusItem.getValue()).toBe('rejected');
    // No hammering: at most the requests already under way meet the 401, and none after the pause.
    const rejected = h.emulator.requests.filter((r) => r.status === 401).length;
    expect(rejected).toBeGreaterThanOrEqual(1);
    expect(rejected).toBeLessThanOrEqual(2);
    await h.engine.resume();
    await h.engine.settled();
    expect(h.emulator.requests).toHaveLength(rejected);

    const { DEMO_API_KEY } = await import('@/tests/emulator/virustotal-emulator');
    await apiKeyItem.setValue(DEMO_API_KEY);
    await keyStatusItem.setValue('unchecked');
    await h.engine.resume();
    expect(await h.result(first)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'clean' });
  });

  it('no API key: the scan waits and says how to add one', async () => {
    h = await createHarness({ apiKey: '' });
    const record = await h.result(await h.download('/eicar.com', eicarBytes()));
    expect(record).toMatchObject({ status: 'ready' });
    expect(record.notice?.code).toBe('no-api-key');
    expect(h.count('all')).toBe(0);
  });

  it.each([
    ['a burst of 503s', { kind: 'status' as const, status: 503, times: 3 }],
    ['504s', { kind: 'status' as const, status: 504, times: 2 }],
    ['malformed JSON', { kind: 'malformed-json' as const, times: 2 }],
    ['truncated JSON', { kind: 'truncated-json' as const, times: 1 }],
    ['an HTML proxy page', { kind: 'html' as const, times: 1 }],
  ])('retries after %s with a backoff and finishes', async (_what, fault) => {
    h = await createHarness();
    h.emulator.injectFault(fault);
    const waits: Problem[] = [];
    h.engine = h.newEngine({ onChange: (r) => r.notice && waits.push(r.notice) });
    const token = await h.download('/eicar.com', eicarBytes());
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', attempts: 0, notice: null });
    // Each wait says when the next try is.
    expect(waits.length).toBeGreaterThan(0);
    for (const wait of waits) expect(wait.params.nextAt).toBeGreaterThan(0);
    expect(inEnglish('notice', waits[0])).toMatch(/ScanDock tries again at \d\d:\d\d:\d\d\./);
  });

  it('gives up after repeated server errors with a clear error, and other scans go on', async () => {
    h = await createHarness();
    const sha = EICAR_SHA256;
    h.emulator.injectFault({ kind: 'status', status: 503, times: 100, match: { path: new RegExp(sha) } });
    const bad = await h.download('/eicar.com', eicarBytes());
    const good = await h.download('/clean.txt', cleanSampleBytes());
    expect(await h.result(bad)).toMatchObject({ status: 'error', error: { code: 'vt-transient', params: { vtCode: 'TransientError' } } });
    // An ended scan says to rescan later, never that ScanDock will try again.
    const error = (await h.store.get(bad))?.error;
    expect(error?.params.nextAt).toBeUndefined();
    expect(inEnglish('error', error)).toBe('VirusTotal is temporarily unavailable (TransientError). Use “Rescan” later.');
    expect(await h.result(good)).toMatchObject({ status: 'done', verdict: 'clean' });
  });

  it.each([
    ['a length different from the download', { body: eicarBytes() }, 99, 'source-size-mismatch'],
    ['a 404', { body: eicarBytes(), refuse: { status: 404, times: 99 } }, undefined, 'source-http-status'],
    ['a 403', { body: eicarBytes(), refuse: { status: 403, times: 99 } }, undefined, 'source-http-status'],
    ['an empty file', { body: new Uint8Array() }, undefined, 'source-empty'],
  ])('re-fetching with %s ends in a clear error without a request', async (_what, file, expectedSize, code) => {
    h = await createHarness();
    const url = h.files.serve('/x.bin', file);
    const token = await h.engine.scan({ source: { kind: 'download', url, downloadId: 1, ...(expectedSize ? { expectedSize } : {}) }, fileName: 'x.bin' });
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'error', error: { code } });
    expect(isProblem(record.error)).toBe(true);
    expect(h.count('all')).toBe(0);
  });

  it('a redirect loop on re-fetch is a clear error', async () => {
    h = await createHarness();
    h.files.serve('/loop-a', { body: new Uint8Array(), redirectTo: '/loop-b' });
    const url = h.files.serve('/loop-b', { body: new Uint8Array(), redirectTo: '/loop-a' });
    const record = await h.result(await h.engine.scan({ source: { kind: 'link', url }, fileName: 'loop' }));
    expect(record).toMatchObject({ status: 'error', error: { code: 'source-unreachable', params: { host: new URL(h.files.origin).host } } });
  });

  it('falls back to VirusTotal fetching the URL when allowed, without the query string', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url: `${url}?token=SECRET`, downloadId: 7 }, fileName: 'once.exe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
    expect(h.emulator.urlSubmissions).toEqual([url]);
  });

  it('without the fallback, an unreadable download says what the person can do', async () => {
    h = await createHarness();
    const url = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 7 }, fileName: 'once.exe' }));
    expect(record).toMatchObject({ status: 'error', error: { code: 'source-http-status' } });
    expect(inEnglish('error', record.error)).toMatch(/answered HTTP 403 .*Scan files/);
    expect(h.emulator.urlSubmissions).toHaveLength(0);
  });

  it('an unexpected exception still ends the record in error (never stuck in progress)', async () => {
    h = await createHarness();
    let calls = 0;
    const broken = h.newEngine({
      getSettings: async () => {
        if (++calls > 1) throw new Error('settings storage exploded');
        const { readSettings } = await import('@/utils/settings/storage-items');
        return readSettings();
      },
    });
    const token = await broken.scan({ source: { kind: 'link', url: h.files.serve('/e', { body: eicarBytes() }) }, fileName: 'e' });
    await broken.settled();
    const record = await h.store.get(token);
    expect(record).toMatchObject({ status: 'error', error: { code: 'internal' } });
    // The exception's words are kept for the export, never put in the sentence.
    expect(record?.error?.params.detail).toMatch(/settings storage exploded/);
    expect(inEnglish('error', record?.error)).toMatch(/^ScanDock hit an unexpected problem\./);
  });

  it('hostile file names are kept as plain text without control or bidi characters', async () => {
    h = await createHarness();
    const token = await h.engine.scan({ source: { kind: 'link', url: h.files.serve('/n', { body: eicarBytes() }) }, fileName: 'invoice\u202Efdp.exe\u0007<script>' });
    expect((await h.result(token)).fileName).toBe('invoice fdp.exe <script>');
  });
});

describe('scan engine: history', () => {
  it('keeps at most the history limit, dropping the oldest finished records first', async () => {
    h = await createHarness({ settings: { historyLimit: 10, quotaPreset: 'custom', quota: { perMinute: 1000, perDay: 1000, perMonth: 1000 } }, emulator: { quota: { perMinute: 1000, perDay: 1000 } } });
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) {
      tokens.push(await h.engine.scan({ source: { kind: 'link', url: h.files.serve(`/h${i}`, { body: eicarBytes() }) }, fileName: `h${i}` }));
      await h.engine.settled();
      h.clock.advance(1000);
    }
    await h.engine.scan({ source: { kind: 'link', url: h.files.serve('/last', { body: eicarBytes() }) }, fileName: 'last' });
    await h.engine.settled();
    expect(await h.db.count('scans')).toBeLessThanOrEqual(10);
    expect(await h.store.get(tokens[0]!)).toBeUndefined();
    expect(await h.store.get(tokens[11]!)).toBeDefined();
  });
});

describe('scan engine: picked files', () => {
  it('scans a picked file from the staging store and frees its bytes once the verdict is known', async () => {
    h = await createHarness();
    await h.db.put('stagedFiles', { id: 'picked-1', name: 'eicar.com', size: 68, blob: new Blob([eicarBytes()]), createdAt: h.clock.now() });
    const token = await h.engine.scan({ source: { kind: 'file', stagedFileId: 'picked-1' }, fileName: 'eicar.com', size: 68 });
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.db.get('stagedFiles', 'picked-1')).toBeUndefined();
  });

  it('keeps an unknown picked file so the person can still upload it', async () => {
    h = await createHarness({ emulator: { analysisPolls: 0 } });
    await h.db.put('stagedFiles', { id: 'picked-2', name: 'new.bin', size: 10, blob: new Blob([unique('picked')]), createdAt: h.clock.now() });
    const token = await h.engine.scan({ source: { kind: 'file', stagedFileId: 'picked-2' }, fileName: 'new.bin' });
    expect(await h.result(token)).toMatchObject({ verdict: 'unknown' });
    expect(await h.db.get('stagedFiles', 'picked-2')).toBeDefined();
    await h.engine.upload(token);
    expect(await h.result(token)).toMatchObject({ verdict: 'clean' });
    expect(h.emulator.uploads).toHaveLength(1);
    expect(await h.db.get('stagedFiles', 'picked-2')).toBeUndefined();
  });

  it('keeps a picked file whose upload answer was lost, so that "Upload again" can send it; removing the row frees it', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'hang', times: 1_000, match: { method: 'POST', path: /\/files$/ } });
    await h.db.put('stagedFiles', { id: 'picked-3', name: 'lost.bin', size: 10, blob: new Blob([unique('picked lost')]), createdAt: h.clock.now() });
    const token = await h.engine.scan({ source: { kind: 'file', stagedFileId: 'picked-3' }, fileName: 'lost.bin' });
    expect(await h.result(token)).toMatchObject({ status: 'error', error: { code: 'vt-upload-lost' } });
    expect(await h.db.get('stagedFiles', 'picked-3')).toBeDefined();
    h.emulator.clearFaults();
    await h.engine.upload(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(await h.db.get('stagedFiles', 'picked-3')).toBeUndefined();

    await h.db.put('stagedFiles', { id: 'picked-4', name: 'bad.bin', size: 10, blob: new Blob([unique('picked error')]), createdAt: h.clock.now() });
    h.emulator.injectFault({ kind: 'status', status: 400, match: { method: 'POST', path: /\/files$/ } });
    const failed = await h.engine.scan({ source: { kind: 'file', stagedFileId: 'picked-4' }, fileName: 'bad.bin' });
    expect(await h.result(failed)).toMatchObject({ status: 'error', error: { code: 'vt-bad-request' } });
    expect(await h.db.get('stagedFiles', 'picked-4')).toBeDefined();
    await h.engine.remove(failed);
    expect(await h.db.get('stagedFiles', 'picked-4')).toBeUndefined();
  });

  it('a picked file that is gone ends in a clear error', async () => {
    h = await createHarness();
    const token = await h.engine.scan({ source: { kind: 'file', stagedFileId: 'missing' }, fileName: 'x' });
    expect(await h.result(token)).toMatchObject({ status: 'error', error: { code: 'source-gone' } });
  });
});

describe('scan store', () => {
  it('says whether any scan is unfinished without reading the records', async () => {
    h = await createHarness({ apiKey: '' });
    expect(await h.store.hasUnfinished()).toBe(false);
    const token = await h.download('/eicar.com', eicarBytes());
    await h.engine.settled();
    expect((await h.store.get(token))?.status).toBe('ready'); // paused: no key
    expect(await h.store.hasUnfinished()).toBe(true);
    await h.engine.remove(token);
    expect(await h.store.hasUnfinished()).toBe(false);
  });
});
