/**
 * The URL fallback (VirusTotal fetches the address itself) must report on the downloaded file or on
 * nothing: not on the error or login page the site answered VirusTotal with, and not on a file of a
 * different size than the one the browser downloaded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { EICAR_SHA256, eicarBytes, markedMalwareBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { fresh } from '@/tests/support/engine-test-kit';
import { inEnglish } from '@/tests/support/locale-messages';

let h: Harness;
afterEach(async () => h?.close());

describe('the URL fallback', () => {
  it('a site that answers VirusTotal with an error page: an error, not a verdict on that page', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    // Gone for everyone: the re-fetch and VirusTotal's visit both get the 404 page.
    const url = h.files.serve('/gone.exe', { body: eicarBytes(), refuse: { status: 404, times: 1_000 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 1, expectedSize: 68 }, fileName: 'gone.exe' }));
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(record).toMatchObject({ status: 'error', error: { code: 'url-http-status', params: { status: 404 } }, verdict: null });
    expect(inEnglish('error', record.error)).toMatch(/^VirusTotal got HTTP 404 from that address, not the file/);
  });

  it('a site that gives VirusTotal a file of another size than the download: an error, not its verdict', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/changed.exe', { body: eicarBytes() });
    // The browser downloaded 5 000 bytes; the site now serves the 68-byte EICAR file.
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 2, expectedSize: 5_000 }, fileName: 'changed.exe' }));
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(record).toMatchObject({ status: 'error', error: { code: 'url-size-mismatch', params: { gotBytes: 68, expectedBytes: 5000 } }, verdict: null });
    expect(inEnglish('error', record.error)).toMatch(/^VirusTotal fetched 68 B from that address, but the download had 4\.9 KB/);
  });

  it('…also when the other file is already in the history (the cache does not bypass the check)', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    expect(await h.result(await h.download('/eicar.com', eicarBytes()))).toMatchObject({ verdict: 'malicious' });
    const url = h.files.serve('/changed.exe', { body: eicarBytes() });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 2, expectedSize: 5_000 }, fileName: 'changed.exe' }));
    expect(record).toMatchObject({ status: 'error', error: { code: 'url-size-mismatch' }, verdict: null });
  });

  it('a site that refused only the re-fetch: VirusTotal fetched the same file, and its verdict stands', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 3, expectedSize: 68 }, fileName: 'once.exe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
  });

  it('a site that refused only the re-fetch gives the file’s verdict, marked as a file verdict', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/again.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 4, expectedSize: 68 }, fileName: 'again.exe' }));
    expect(record).toMatchObject({ verdict: 'malicious', verdictFor: 'file', reportUrl: `https://www.virustotal.com/gui/file/${EICAR_SHA256}` });
  });
});

describe('the URL fallback when VirusTotal has no report on the file it fetched', () => {
  /** A download whose re-fetch is refused once, so VirusTotal fetches it; the emulator makes no file report of what it fetched. */
  async function fallbackOn(bytes: Uint8Array, path: string): Promise<string> {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0, fileReportsFromUrls: false } });
    const url = h.files.serve(path, { body: bytes, refuse: { status: 403, times: 1 } });
    return h.engine.scan({ source: { kind: 'download', url, downloadId: 5, expectedSize: bytes.byteLength }, fileName: path.slice(1) });
  }
  /** The record once the scan has settled (`h` is the harness `fallbackOn` made). */
  const resultOf = async (token: Promise<string>) => {
    const t = await token;
    return h.result(t);
  };

  it('keeps VirusTotal’s URL verdict instead of ending "unknown", and says it is the address’s', async () => {
    const bytes = markedMalwareBytes(fresh('fallback'));
    const record = await resultOf(fallbackOn(bytes, '/dropper.exe'));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'address', sha256: sha256Hex(bytes), error: null });
    expect(record.reportUrl).toMatch(/^https:\/\/www\.virustotal\.com\/gui\/url\/[0-9a-f]{64}\/detection$/);
    expect(record.detail.length).toBeGreaterThan(0);
    // Submit, the analysis, the URL report, the file lookup (404): nothing more.
    expect(h.emulator.requests.map((r) => `${r.method} ${r.status} ${r.path.split('/')[3]}`)).toEqual([
      'POST 200 urls', 'GET 200 analyses', 'GET 200 urls', 'GET 404 files',
    ]);
  });

  it('a clean address is a clean verdict on the address, not on the file', async () => {
    const record = await resultOf(fallbackOn(new TextEncoder().encode(`plain text ${fresh('clean')}`), '/notes.bin'));
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', verdictFor: 'address' });
  });

  it('an address verdict never answers a later scan of the same file from the history', async () => {
    const bytes = markedMalwareBytes(fresh('history'));
    expect(await resultOf(fallbackOn(bytes, '/first.exe'))).toMatchObject({ verdictFor: 'address' });
    // The history holds a 'malicious' record with this SHA-256, but its verdict is the address's.
    const again = await h.result(await h.download('/second.exe', bytes));
    expect(again).toMatchObject({ status: 'done', verdict: 'unknown', verdictFor: 'file', fromCache: false });
  });

  it('an address verdict is not taken for an upload’s answer: a scan of the same file still uploads it', async () => {
    h = await createHarness({ settings: { uploadUnknown: true } });
    const bytes = markedMalwareBytes(fresh('address-then-upload'));
    const url = h.files.serve('/served.exe', { body: bytes });
    // Just as this scan is about to upload, a URL fallback of the same file ends on its address's verdict.
    let added: Promise<void> | null = null;
    h.engine = h.newEngine({
      onChange: (r) => {
        if (r.step !== 'upload' || added) return;
        const stats = { malicious: 0, suspicious: 0, undetected: 0, harmless: 70, timeout: 0, 'confirmed-timeout': 0, failure: 0, 'type-unsupported': 0 };
        added = h.store.add({ ...r, token: 'a'.repeat(64), status: 'done', step: 'finished', verdict: 'clean', verdictFor: 'address', detected: false, stats });
      },
    });
    const record = await h.result(await h.engine.scan({ source: { kind: 'link', url }, fileName: 'served.exe' }));
    expect(added).not.toBeNull();
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'file', fromCache: false });
    expect(h.count('upload')).toBe(1);
  });

  it('a rescan reads the URL report again, and gives the file’s verdict once VirusTotal has one', async () => {
    const bytes = markedMalwareBytes(fresh('later'));
    const token = await fallbackOn(bytes, '/later.exe');
    expect(await h.result(token)).toMatchObject({ verdictFor: 'address' });
    h.emulator.addFile(bytes, 'malicious');
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'file', reportUrl: `https://www.virustotal.com/gui/file/${sha256Hex(bytes)}` });
  });

  it('an error page from an address the scanners flag: the address verdict, not an error that hides the warning', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/gone-but-listed.exe', { body: eicarBytes(), refuse: { status: 404, times: 1_000 } });
    h.emulator.addUrl(url, 'malicious');
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 6, expectedSize: 68 }, fileName: 'gone-but-listed.exe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'address', error: null });
  });
});
