/**
 * The URL fallback (VirusTotal fetches the address itself) must report on the downloaded file or on
 * nothing: not on the error or login page the site answered VirusTotal with, and not on a file of a
 * different size than the one the browser downloaded.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { EICAR_SHA256, eicarBytes } from '@/tests/emulator/fixtures';
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
});
