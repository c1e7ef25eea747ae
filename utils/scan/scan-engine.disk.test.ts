/**
 * Reading a finished download from its saved file (Chrome with "Allow access to file URLs"), through the
 * background's own download files port over a stand-in browser: every download gets a verdict without a
 * second download, blob: and one-time downloads included; without file access (or in Firefox) it is fetched
 * again, and what cannot be fetched again says what would help; a saved file that changed is not given the
 * download's verdict, one that moved is fetched again when the site still serves the same file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { unique } from '@/tests/support/engine-test-kit';
import { EICAR_SHA256, eicarBytes, markedMalwareBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { inEnglish } from '@/tests/support/locale-messages';

let h: Harness;
afterEach(async () => h?.close());

/** A one-time link: the browser got the file, every later request is refused. */
const oneTime = (h: Harness, path: string, bytes: Uint8Array) => h.files.serve(path, { body: bytes, refuse: { status: 410, times: 1_000 } });
const BLOB_URL = 'blob:https://drive.example.com/5111974b-0fda-4364-a460-47111edc6d7c';

describe('with file access: the saved file is read', () => {
  it('gives a verdict from the disk, without asking the site again, and says so', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const { token } = await h.savedDownload('/eicar.com', eicarBytes());
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256, size: 68, readFrom: 'disk', readNote: null });
    expect(h.files.hits('/eicar.com')).toBe(0);
    expect(h.downloads.reads()).toBe(1);
  });

  it.each([
    ['a blob: download (a web app built the file)', (_h: Harness, _bytes: Uint8Array) => BLOB_URL as string | undefined],
    ['a one-time link', (h: Harness, bytes: Uint8Array) => oneTime(h, '/once.exe', bytes)],
    ['a data: download', (_h: Harness, bytes: Uint8Array) => `data:application/octet-stream;base64,${Buffer.from(bytes).toString('base64')}`],
  ])('gives %s a verdict too', async (_what, urlOf) => {
    h = await createHarness({ fileAccess: 'on' });
    const bytes = eicarBytes();
    const { token } = await h.savedDownload('/made.bin', bytes, { url: urlOf(h, bytes) });
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk' });
  });

  it('uploads the bytes read from disk (the site no longer gives them)', async () => {
    h = await createHarness({ fileAccess: 'on', settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const bytes = markedMalwareBytes('uploaded from disk');
    const { token } = await h.savedDownload('/dropper.exe', bytes, { url: oneTime(h, '/dropper.exe', bytes) });
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk' });
    expect(h.emulator.uploads.map((u) => u.sha256)).toEqual([sha256Hex(bytes)]);
    // Read for the hash, and again for the upload when it was due: never fetched from the site.
    expect(h.downloads.reads()).toBe(2);
    expect(h.files.hits('/dropper.exe')).toBe(0);
  });

  it('a saved file changed after the download (another size): not given the download’s verdict, and the site is not asked', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const bytes = eicarBytes();
    h.files.serve('/eicar.com', { body: bytes });
    const path = '/home/me/Downloads/eicar.com';
    // The browser saved the file; something rewrote it before ScanDock read it.
    const scan = h.savedDownload('/eicar.com', bytes);
    h.downloads.write(path, new TextEncoder().encode('rewritten after the download'));
    const record = await h.result((await scan).token);
    expect(record).toMatchObject({ status: 'error', verdict: null, sha256: null, error: { code: 'download-changed', params: { gotBytes: 28, expectedBytes: 68 } } });
    expect(inEnglish('error', record.error)).toBe(
      'The saved file changed after the download finished: it is 28 B now, and the download was 68 B. ScanDock did not give it the download’s verdict. Scan it as it is now with “Scan files…”.',
    );
    expect(h.files.hits('/eicar.com')).toBe(0);
  });

  it('a saved file that grew past the size limit after the download: changed, not too large', async () => {
    h = await createHarness({ fileAccess: 'on', settings: { maxFileSize: 100 } });
    const bytes = eicarBytes();
    h.files.serve('/eicar.com', { body: bytes });
    const scan = h.savedDownload('/eicar.com', bytes);
    h.downloads.write('/home/me/Downloads/eicar.com', new Uint8Array(300));
    const record = await h.result((await scan).token);
    expect(record).toMatchObject({ status: 'error', verdict: null, error: { code: 'download-changed', params: { expectedBytes: 68 } } });
    expect(h.files.hits('/eicar.com')).toBe(0);
  });

  it('a download above the size limit is refused before any read, with the download\'s own size', async () => {
    h = await createHarness({ fileAccess: 'on', settings: { maxFileSize: 100 } });
    const record = await h.result((await h.savedDownload('/big.bin', new Uint8Array(300).fill(7))).token);
    expect(record).toMatchObject({ status: 'error', error: { code: 'source-too-large', params: { sizeBytes: 300, maxBytes: 100 } } });
    expect(h.downloads.reads()).toBe(0);
    expect(h.files.hits('/big.bin')).toBe(0);

    h.downloads.access = 'off';
    const again = await h.result((await h.savedDownload('/big-2.bin', new Uint8Array(400).fill(8))).token);
    expect(again).toMatchObject({ status: 'error', error: { code: 'source-too-large', params: { sizeBytes: 400, maxBytes: 100 } } });
    expect(h.files.hits('/big-2.bin')).toBe(0);
  });

  it('a saved file moved away: fetched again where the site still serves the same file, and the record says why', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const scan = h.savedDownload('/eicar.com', eicarBytes());
    h.downloads.remove('/home/me/Downloads/eicar.com');
    const record = await h.result((await scan).token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'network', readNote: { code: 'disk-file-moved' } });
    expect(inEnglish('error', record.readNote)).toMatch(/^The saved file was no longer where the download put it \(moved, renamed or deleted\), so ScanDock fetched the download again/);
    expect(h.files.hits('/eicar.com')).toBe(1);
  });

  it('…also when the browser still thinks it is there (it checks again only when asked)', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const scan = h.savedDownload('/eicar.com', eicarBytes());
    h.downloads.remove('/home/me/Downloads/eicar.com', { browserNoticed: false });
    expect(await h.result((await scan).token)).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'network', readNote: { code: 'disk-file-moved' } });
  });

  it('a saved file moved away from a one-time link: says both, and what to do', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const bytes = eicarBytes();
    const scan = h.savedDownload('/once.exe', bytes, { url: oneTime(h, '/once.exe', bytes) });
    h.downloads.remove('/home/me/Downloads/once.exe');
    const record = await h.result((await scan).token);
    expect(record).toMatchObject({ status: 'error', error: { code: 'download-moved' } });
    expect(record.error!.params.detail).toMatch(/source-http-status .*410/);
    expect(inEnglish('error', record.error)).toMatch(/^The saved file is no longer where the download put it .*could not be fetched again\. Scan the file where it is now with “Scan files…”\.$/);
  });

  it('an id that now names another download: its file is not read, the download is fetched again', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const scan = h.savedDownload('/eicar.com', eicarBytes());
    const { downloadId } = await scan;
    h.downloads.reuseId(downloadId, { url: 'https://elsewhere.example/other.bin', finalUrl: 'https://elsewhere.example/other.bin', filename: '/home/me/Downloads/other.bin' });
    expect(await h.result((await scan).token)).toMatchObject({ status: 'done', readFrom: 'network', readNote: { code: 'disk-file-moved' } });
    expect(h.downloads.reads()).toBe(0);
  });

  it('Rescan reads the saved file again: a file changed since gets its own verdict, not the one it had', async () => {
    h = await createHarness({ fileAccess: 'on' });
    // Two files of the same length: one the emulator knows clean, one it knows malicious.
    const clean = new TextEncoder().encode('a harmless file, exactly this long....');
    const bad = new TextEncoder().encode(`ScanDock fake malware ${'x'.repeat(clean.byteLength - 22)}`);
    expect(bad.byteLength).toBe(clean.byteLength);
    h.emulator.addFile(clean, 'clean');
    h.emulator.addFile(bad, 'malicious');
    const { token, path } = await h.savedDownload('/tool.exe', clean);
    expect(await h.result(token)).toMatchObject({ verdict: 'clean', readFrom: 'disk' });

    // An upload the person asked for was about the bytes read before: it does not carry over to new ones.
    await h.store.patch(token, { uploadRequested: true, resendRequested: true });
    h.downloads.write(path, bad);
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', sha256: sha256Hex(bad), readFrom: 'disk', fromCache: false });
    expect(await h.result(token)).toMatchObject({ uploadRequested: false, resendRequested: false });
    expect(h.count('upload')).toBe(0);

    // Rewritten to another size: an error, and no verdict left over from before.
    h.downloads.write(path, unique('grown'));
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ status: 'error', error: { code: 'download-changed' }, verdict: null, stats: null, detail: [], sha256: null });
  });
});

describe('without file access: the download is fetched again', () => {
  it('gives a verdict when the site serves it again, and the record says why it was fetched', async () => {
    h = await createHarness({ fileAccess: 'off' });
    const record = await h.result((await h.savedDownload('/eicar.com', eicarBytes())).token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'network', readNote: { code: 'disk-access-off' } });
    expect(inEnglish('error', record.readNote)).toBe('ScanDock may not read files on your disk (“Allow access to file URLs” is off), so it fetched the download again from its address.');
    expect(h.downloads.reads()).toBe(0);
  });

  it.each([
    ['a blob: download', (_h: Harness, _bytes: Uint8Array) => BLOB_URL, /source-unsupported .*blob:/],
    ['a one-time link', (h: Harness, bytes: Uint8Array) => oneTime(h, '/once.exe', bytes), /source-http-status .*410/],
    ['a link that now serves something else', (h: Harness) => h.files.serve('/login', { body: new TextEncoder().encode('<h1>Sign in</h1>') }), /source-size-mismatch/],
  ])('%s: an error that offers file access (and Scan files…)', async (_what, urlOf, detail) => {
    h = await createHarness({ fileAccess: 'off' });
    const bytes = eicarBytes();
    const record = await h.result((await h.savedDownload('/made.bin', bytes, { url: urlOf(h, bytes) })).token);
    expect(record).toMatchObject({ status: 'error', verdict: null, error: { code: 'download-needs-file-access' } });
    expect(record.error!.params.detail).toMatch(detail);
    expect(inEnglish('error', record.error)).toBe(
      'ScanDock could not fetch this download again (files made by web apps, one-time or expired links, forms and sign-ins cannot be), and it may not read the saved file. Switch on “Allow access to file URLs” for ScanDock, or scan the saved file with “Scan files…”.',
    );
  });

  it('the URL fallback still goes by what the site answered', async () => {
    h = await createHarness({ fileAccess: 'off', settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result((await h.savedDownload('/once.exe', eicarBytes(), { url })).token);
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: null });
  });

  it('file access switched on later: Rescan reads the saved file', async () => {
    h = await createHarness({ fileAccess: 'off' });
    const { token } = await h.savedDownload('/made.bin', eicarBytes(), { url: BLOB_URL });
    expect(await h.result(token)).toMatchObject({ status: 'error', error: { code: 'download-needs-file-access' } });
    h.downloads.access = 'on';
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk', error: null });
  });
});

describe('in Firefox (no file access at all)', () => {
  it('fetches downloads again, and a blob: download could not be read, with the Scan files… remedy', async () => {
    h = await createHarness({ fileAccess: 'never' });
    expect(await h.result((await h.savedDownload('/eicar.com', eicarBytes())).token)).toMatchObject({
      status: 'done', verdict: 'malicious', readFrom: 'network', readNote: { code: 'disk-unsupported' },
    });
    const record = await h.result((await h.savedDownload('/made.bin', eicarBytes(), { url: BLOB_URL })).token);
    expect(record).toMatchObject({ status: 'error', error: { code: 'download-not-readable' } });
    expect(inEnglish('error', record.error)).toMatch(/^This download could not be read: .*Firefox does not let extensions read the saved file\. Scan the saved file with “Scan files…”\.$/);
    expect(h.downloads.reads()).toBe(0);
  });
});

describe('sources other than downloads', () => {
  it('a link is fetched, never read from disk', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const url = h.files.serve('/eicar.com', { body: eicarBytes() });
    const linked = await h.result(await h.engine.scan({ source: { kind: 'link', url }, fileName: 'eicar.com' }));
    expect(linked).toMatchObject({ status: 'done', readFrom: 'network', readNote: null });
    expect(h.downloads.reads()).toBe(0);
  });
});
