/**
 * Downloads from private windows: scanned from their saved file only (never fetched again with the normal
 * profile's cookies, never handed to the URL fallback), their records kept in storage.session and never in
 * IndexedDB (so never exported), and forgotten when the private session ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { eicarBytes } from '@/tests/emulator/fixtures';
import { inEnglish } from '@/tests/support/locale-messages';
import { readAllScans } from '../ui/scan-list';
import { PRIVATE_SCANS_KEY, readPrivateScans } from './private-scans';

let h: Harness;
afterEach(async () => h?.close());

const inIndexedDb = async (token: string) => (await h.db.get('scans', token)) !== undefined;

describe('a link right-clicked in a private window', () => {
  it('is fetched without cookies even where the person allowed them for links, and kept out of IndexedDB', async () => {
    h = await createHarness({ settings: { linkCookies: true } });
    const seen: RequestCredentials[] = [];
    h.route('http://mail.scandock.test', (request) => {
      seen.push(request.credentials);
      return new Response(eicarBytes(), { headers: { 'content-length': '68' } });
    });
    const token = await h.engine.scan({ source: { kind: 'link', url: 'http://mail.scandock.test/a.exe', incognito: true }, fileName: 'a.exe' });
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(seen).toEqual(['omit']);
    expect(await inIndexedDb(token)).toBe(false);
  });
});

describe('a download from a private window', () => {
  it('is scanned from its saved file, its record only in storage.session: not in IndexedDB, not in an export', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const { token } = await h.savedDownload('/private.exe', eicarBytes(), { incognito: true });
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk', source: { incognito: true } });
    expect(h.files.hits('/private.exe')).toBe(0);
    expect(await inIndexedDb(token)).toBe(false);
    expect((await readPrivateScans(fakeBrowser.storage.session)).map((r) => r.token)).toEqual([token]);
    expect((await readAllScans(h.db)).map((r) => r.token)).not.toContain(token);

    // A normal download of the same file is a normal record, in IndexedDB, and is not answered from the private one.
    const normal = await h.savedDownload('/normal.exe', eicarBytes());
    expect(await h.result(normal.token)).toMatchObject({ status: 'done', fromCache: false });
    expect(await inIndexedDb(normal.token)).toBe(true);
  });

  it('is never fetched again when its saved file cannot be read (file access off), nor given to the URL fallback', async () => {
    h = await createHarness({ fileAccess: 'off', settings: { urlFallback: true } });
    const { token } = await h.savedDownload('/private.exe', eicarBytes(), { incognito: true });
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'error', error: { code: 'private-download-unreadable' }, verdict: null });
    expect(inEnglish('error', record.error)).toMatch(/^This download is from a private window\. ScanDock reads such a download only from its saved file/);
    expect(h.files.hits('/private.exe')).toBe(0);
    expect(h.emulator.urlSubmissions).toEqual([]);
    expect(h.count('all')).toBe(0);

    // The same download from a normal window is fetched again, as before.
    const normal = await h.savedDownload('/normal.exe', eicarBytes());
    expect(await h.result(normal.token)).toMatchObject({ status: 'done', readFrom: 'network' });
    expect(h.files.hits('/normal.exe')).toBe(1);
  });

  it('is forgotten when the private session ends; normal records stay', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const { token } = await h.savedDownload('/private.exe', eicarBytes(), { incognito: true });
    const normal = await h.savedDownload('/normal.exe', eicarBytes());
    await h.result(token);
    await h.result(normal.token);
    expect(await h.store.endPrivateSession()).toEqual([token]);
    expect(await h.store.get(token)).toBeUndefined();
    expect((await fakeBrowser.storage.session.get(PRIVATE_SCANS_KEY))[PRIVATE_SCANS_KEY]).toEqual({});
    expect(await h.store.get(normal.token)).toMatchObject({ status: 'done' });
  });

  it('rescan, remove and clearing the history reach the private record', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const { token } = await h.savedDownload('/private.exe', eicarBytes(), { incognito: true });
    await h.result(token);
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk' });
    expect(await inIndexedDb(token)).toBe(false);
    await h.engine.clearHistory();
    expect(await h.store.get(token)).toBeUndefined();
  });
});

describe('withPrivateScans', () => {
  it('applies concurrent patches to a private record in turn: none is lost', async () => {
    h = await createHarness({ fileAccess: 'on' });
    const { token } = await h.savedDownload('/private.exe', eicarBytes(), { incognito: true });
    await h.result(token);
    await Promise.all([h.store.patch(token, { seen: false }), h.store.patch(token, { threatLabel: 'x' }), h.store.patch(token, { attempts: 3 })]);
    expect(await h.store.get(token)).toMatchObject({ seen: false, threatLabel: 'x', attempts: 3 });
  });
});
