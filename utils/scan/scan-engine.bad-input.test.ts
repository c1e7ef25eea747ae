/**
 * Bad input through the whole engine: sources it cannot or must not read, hostile file names, and
 * VirusTotal answers of the wrong shape. Each ends as a clear error on its record (or as plain text
 * where the input is only odd), sends nothing it should not, and every other scan keeps working.
 * (404/403/size mismatch/empty/redirect loop on re-fetch are in scan-engine.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY, ROOMY_VT, link, unique } from '@/tests/support/engine-test-kit';
import { createWorkerLife, workerEngine } from '@/tests/support/worker-life';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { MAX_UPLOAD_BYTES } from '@/utils/settings/storage-items';
import { MAX_ENGINES } from '@/utils/virustotal/virustotal-reports';
import type { NewScan } from './scan-engine';
import { inEnglish } from '@/tests/support/locale-messages';
import { isProblem } from '@/utils/problems/problem';
import type { ScanRecord } from './scan-record';

let h: Harness;
afterEach(async () => h?.close());

/** Control characters and bidi overrides/isolates: never in anything a person reads. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** Scans `bad` next to a good scan; returns the bad record after checking the good one finished. */
async function besideAGoodScan(h: Harness, bad: NewScan): Promise<ScanRecord> {
  const badToken = await h.engine.scan(bad);
  const good = await h.engine.scan(link(h, '/good-eicar.com', eicarBytes()));
  const record = await h.result(badToken);
  expect(await h.result(good)).toMatchObject({ status: 'done', verdict: 'malicious' });
  return record;
}

/** The record ended with `code`, a problem the pages can render, whose English sentence matches `message`. */
function expectClearError(record: ScanRecord, code: string, message?: RegExp): void {
  expect(record).toMatchObject({ status: 'error', step: 'finished', error: { code }, notice: null });
  expect(isProblem(record.error)).toBe(true);
  expect(JSON.stringify(record.error)).not.toMatch(UNSAFE);
  const text = inEnglish('error', record.error);
  expect(text.length).toBeGreaterThan(20);
  if (message) expect(text).toMatch(message);
}

describe('sources the engine cannot read', () => {
  it.each([
    ['blob:', 'blob:https://example.com/2b5c7a2e-1111-4bbb-8ccc-0123456789ab', 'source-unsupported', /cannot read “blob:” addresses.*blob: address belongs to the page/],
    ['file:', 'file:///home/me/Downloads/setup.exe', 'source-unsupported', /cannot read “file:” addresses/],
    ['ftp:', 'ftp://ftp.example.com/pub/setup.exe', 'source-unsupported', /only http, https and data/],
    ['javascript:', 'javascript:alert(document.cookie)', 'source-unsupported', /only http, https and data/],
    ['no scheme at all', '/relative/path.exe', 'source-unsupported', /Scan files/],
    ['data: without a comma', 'data:application/octet-stream;base64', 'source-malformed', /data: address is malformed/],
    ['data: with bad base64', 'data:application/octet-stream;base64,@@@not*base64', 'source-malformed', /malformed/],
    ['data: with broken percent-encoding', 'data:text/plain,%E0%A4%A', 'source-malformed', /malformed/],
    ['data: that is empty', 'data:text/plain,', 'source-empty', /empty/],
  ])('%s → a clear error, nothing sent to VirusTotal, even with the URL fallback on', async (_what, url, code, message) => {
    h = await createHarness({ settings: { urlFallback: true, uploadUnknown: true } });
    const record = await besideAGoodScan(h, { source: { kind: 'download', url, downloadId: 5 }, fileName: 'x.exe' });
    expectClearError(record, code, message);
    expect(h.emulator.requests.map((r) => r.path)).toEqual([`/api/v3/files/${EICAR_SHA256}`]);
    expect(h.emulator.urlSubmissions).toEqual([]);
  });

  it('a data: URL decodes and is scanned like any file', async () => {
    h = await createHarness();
    const eicarBase64 = Buffer.from(eicarBytes()).toString('base64');
    const record = await h.result(await h.engine.scan({ source: { kind: 'link', url: `data:application/octet-stream;base64,${eicarBase64}` }, fileName: 'data-url' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
  });
});

describe('files too large to scan', () => {
  it('a server declaring 700 MB is refused before reading (nothing big is allocated or downloaded)', async () => {
    h = await createHarness();
    const hostile = h.hostile();
    const url = hostile.serve('/huge.iso', { kind: 'huge', declared: 700 * 1024 * 1024 });
    const record = await besideAGoodScan(h, { source: { kind: 'download', url, downloadId: 9, expectedSize: 700 * 1024 * 1024 }, fileName: 'huge.iso' });
    expectClearError(record, 'source-too-large', /700 MB.*650 MB/);
    expect(hostile.bytesSent('/huge.iso')).toBeLessThan(8 * 1024 * 1024);
    expect(MAX_UPLOAD_BYTES).toBe(650 * 1024 * 1024);
  });

  it('a body without a length is cut off as soon as it passes the limit', async () => {
    h = await createHarness({ settings: { maxFileSize: 1024 * 1024 } });
    const hostile = h.hostile();
    const url = hostile.serve('/stream.bin', { kind: 'endless', chunk: 64 * 1024, total: 64 * 1024 * 1024 });
    const record = await besideAGoodScan(h, { source: { kind: 'link', url }, fileName: 'stream.bin' });
    expectClearError(record, 'source-too-large');
    expect(hostile.bytesSent('/stream.bin')).toBeLessThan(16 * 1024 * 1024);
  });

  it('a data: URL above the limit is refused', async () => {
    h = await createHarness({ settings: { maxFileSize: 1024 } });
    const record = await besideAGoodScan(h, { source: { kind: 'link', url: `data:text/plain,${'A'.repeat(4096)}` }, fileName: 'big.txt' });
    expectClearError(record, 'source-too-large');
  });
});

describe('a file that changed between reads', () => {
  it('is not uploaded when the bytes read again after a restart differ from the ones hashed', async () => {
    h = await createHarness({ settings: { uploadUnknown: true } });
    const first = unique('first');
    const url = h.files.serve('/changing.bin', { body: first, thenBody: unique('second') });
    // The worker dies once the scan is due to upload (before the file is read again for it).
    const life = createWorkerLife();
    const dying = workerEngine(h, life, { overrides: { onChange: (r) => r.step === 'upload' && life.kill() } });
    const token = await dying.scan({ source: { kind: 'link', url }, fileName: 'changing.bin' });
    await h.sim.until(() => life.dead, 'the worker to die');
    await h.sim.idle();
    expect(await h.store.get(token)).toMatchObject({ step: 'upload', sha256: sha256Hex(first) });

    await h.engine.resume();
    const record = await h.result(token);
    expectClearError(record, 'source-changed', /not the same as when ScanDock first read it/);
    expect(h.emulator.uploads).toEqual([]);
  });
});

describe('hostile file names', () => {
  it.each([
    ['control characters', 'invoice\u0000\u0007\u001b[31m.exe', 'invoice [31m.exe'],
    ['a right-to-left override', 'photo\u202Egpj.exe', 'photo gpj.exe'],
    ['bidi isolates and marks', '\u2066report\u2069\u200F.pdf.exe', 'report .pdf.exe'],
    ['HTML', '<img src=x onerror=alert(1)>.exe', '<img src=x onerror=alert(1)>.exe'],
    ['line breaks', 'a\r\nContent-Type: text/html\r\n\r\nb.exe', 'a Content-Type: text/html b.exe'],
    ['nothing left after cleaning', '\u202E\u0000 ', ''],
  ])('%s: kept as plain text without them', async (_what, name, expected) => {
    h = await createHarness();
    const record = await h.result(await h.engine.scan({ ...link(h, '/n.bin', eicarBytes()), fileName: name }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', fileName: expected });
    expect(record.fileName).not.toMatch(UNSAFE);
  });

  it('300 characters are kept; longer names are cut with an ellipsis', async () => {
    h = await createHarness();
    const exact = `${'n'.repeat(296)}.exe`;
    const long = `${'n'.repeat(2000)}.exe`;
    expect((await h.result(await h.engine.scan({ ...link(h, '/a', eicarBytes()), fileName: exact }))).fileName).toBe(exact);
    const cut = (await h.result(await h.engine.scan({ ...link(h, '/b', eicarBytes()), fileName: long }))).fileName;
    expect(cut).toHaveLength(300);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('an uploaded file name reaches VirusTotal as one safe ASCII header value', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const name = 'a"b\\c\r\nX-Injected: 1\u202Eexe.한국.bin';
    const record = await h.result(await h.engine.scan({ ...link(h, '/n.bin', unique('name')), fileName: name }));
    expect(record.status).toBe('done');
    expect(h.emulator.uploads).toHaveLength(1);
    expect(h.emulator.uploads[0]!.name).toMatch(/^[\x20-\x7e]+$/);
    expect(h.emulator.uploads[0]!.name).not.toMatch(/["\\]/);
  });
});

describe('VirusTotal answers of the wrong shape', () => {
  const fileReport = (attributes: Record<string, unknown>) => JSON.stringify({ data: { type: 'file', id: EICAR_SHA256, attributes } });
  const STATS = { malicious: 1, suspicious: 0, undetected: 60, harmless: 0, timeout: 0, 'confirmed-timeout': 0, 'type-unsupported': 0, failure: 0 };

  it.each([
    ['no data object', '{"error": null, "data": []}'],
    ['no attributes', JSON.stringify({ data: { type: 'file', id: EICAR_SHA256 } })],
    ['stats missing', fileReport({ last_analysis_results: {} })],
    ['a count that is a string', fileReport({ last_analysis_stats: { ...STATS, malicious: '66' } })],
    ['a negative count', fileReport({ last_analysis_stats: { ...STATS, undetected: -1 } })],
    ['a fractional count', fileReport({ last_analysis_stats: { ...STATS, malicious: 0.5 } })],
    ['stats as an array', fileReport({ last_analysis_stats: [1, 2, 3] })],
    ['engine results as a string', fileReport({ last_analysis_stats: STATS, last_analysis_results: 'all clean' })],
    ['no SHA-256 anywhere', JSON.stringify({ data: { type: 'file', id: 'nope', attributes: { last_analysis_stats: STATS } } })],
    ['a JSON string', '"ok"'],
  ])('a file report with %s → a clear vt-unexpected error, other scans fine', async (_what, body) => {
    h = await createHarness({ settings: ROOMY, emulator: { quota: ROOMY_VT } });
    h.emulator.injectFault({ kind: 'status', status: 200, body, match: { path: new RegExp(`/files/${sha256Hex(cleanSampleBytes())}$`) } });
    const record = await besideAGoodScan(h, link(h, '/clean.txt', cleanSampleBytes()));
    expectClearError(record, 'vt-unexpected', /did not have the shape its API documents/);
  });

  it('a 200 whose body is JSON null is unreadable: retried, then the scan finishes', async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'status', status: 200, body: 'null' });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.emulator.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it('5 000 engines and HTML inside engine results: detail capped, strings stored as inert, clean text', async () => {
    h = await createHarness();
    const results: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) {
      results[`engine${i}`] = {
        category: i % 2 ? 'malicious' : 'undetected',
        engine_name: `<img src=x onerror=alert(${i})>\u202E`,
        engine_version: `<script>${'v'.repeat(500)}</script>`,
        result: i % 2 ? `<a href="javascript:alert(1)">Trojan</a>\u0000` : null,
      };
    }
    results.broken = { category: 'evil', engine_name: 42, result: { nested: true } };
    results.worse = 'not an object';
    const body = fileReport({ last_analysis_stats: { ...STATS, malicious: 2500, undetected: 2500 }, last_analysis_results: results, popular_threat_classification: { suggested_threat_label: '<b>trojan</b>\u202E' } });
    h.emulator.injectFault({ kind: 'status', status: 200, body });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', detected: true });
    expect(record.detail).toHaveLength(MAX_ENGINES);
    expect(record.detail[0]).toMatchObject({ scanDetected: true, category: 'malicious' });
    for (const d of record.detail) {
      for (const text of [d.vendorName, d.vendorVersion, d.result ?? '']) {
        expect(typeof text).toBe('string');
        expect(text).not.toMatch(UNSAFE);
        expect(text.length).toBeLessThanOrEqual(200);
      }
    }
    expect(record.detail[0]!.result).toBe('<a href="javascript:alert(1)">Trojan</a>');
    expect(record.threatLabel).toBe('<b>trojan</b>');
    // The record stays a reasonable size for IndexedDB and the popup.
    expect(JSON.stringify(record).length).toBeLessThan(250_000);
  });

  it('a report in which no engine gave an opinion is not called clean', async () => {
    h = await createHarness();
    const body = fileReport({ last_analysis_stats: { ...STATS, malicious: 0, undetected: 0, 'type-unsupported': 70 }, last_analysis_results: {} });
    h.emulator.injectFault({ kind: 'status', status: 200, body });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'done', detected: false });
    expect(record.verdict).not.toBe('clean');
  });

  it.each([
    ['an unknown status', { data: { id: 'x', attributes: { status: 'exploded' } } }],
    ['no attributes', { data: { id: 'x' } }],
    ['stats of the wrong type', { data: { id: 'x', attributes: { status: 'completed', stats: 'lots' } } }],
  ])('an analysis with %s → a clear error, no second upload', async (_what, analysis) => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'status', status: 200, body: JSON.stringify(analysis), match: { path: /\/analyses\// } });
    const record = await besideAGoodScan(h, link(h, '/new.bin', unique('analysis')));
    expectClearError(record, 'vt-unexpected');
    expect(h.emulator.uploads).toHaveLength(1);
  });

  it('an upload answered without an analysis id → a clear error', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'status', status: 200, body: '{"data":{"type":"analysis","id":""}}', match: { method: 'POST', path: /\/files$/ } });
    const record = await besideAGoodScan(h, link(h, '/new.bin', unique('descriptor')));
    expectClearError(record, 'vt-unexpected');
    expect(record.error?.params.detail).toMatch(/analysis descriptor/);
  });

  it('a URL report whose content hash is not a SHA-256 → url-not-fetched, nothing looked up', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'status', status: 200, body: JSON.stringify({ data: { id: 'u', attributes: { last_http_response_content_sha256: '../../etc/passwd' } } }), match: { path: /\/urls\/[^/]+$/ } });
    const url = h.files.serve('/gone.exe', { body: eicarBytes(), refuse: { status: 410, times: 1 } });
    const record = await besideAGoodScan(h, { source: { kind: 'link', url }, fileName: 'gone.exe' });
    expectClearError(record, 'url-not-fetched', /could not fetch a file from that address/);
  });

  it('an error answer of the wrong shape still ends in a clear error', async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'status', status: 418, body: '{"error": "teapot", "message": ["<b>nope</b>"]}', match: { path: new RegExp(sha256Hex(cleanSampleBytes())) } });
    const record = await besideAGoodScan(h, link(h, '/clean.txt', cleanSampleBytes()));
    expectClearError(record, 'vt-unexpected-status', /answered with HTTP 418/);
  });
});
