/**
 * What leaves and what stays, in real Chromium:
 * - "Check this address on VirusTotal" on an address with a user name and password sends VirusTotal an id
 *   (and, with the opt-in, an address) without them;
 * - with ScanDock allowed in incognito, a download in a private window is scanned from its saved file, shown
 *   in the popup tagged "Private window" while the window is open, never written to IndexedDB, never fetched
 *   with the normal profile's cookie (the site logs every request's cookies), and gone once the window closes.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicarBytes } from '../emulator/fixtures';
import { REPO_ROOT, withTimeout } from '../support/extension-browser';
import { readRecords } from '../support/scan-records';
import { urlIdentifier } from '../../utils/virustotal/virustotal-client';
import { row, startSuite, useAcceptedKey, useSettings, SOON, type Suite } from './suite';

/** The handler the background exposes because headless Chromium cannot right-click. */
declare const scandockContextMenuClick: (info: { menuItemId: string; linkUrl: string; pageUrl: string }) => Promise<string | null>;
/** The part of the worker's `chrome` used here. */
declare const chrome: { storage: { session: { get(key: string): Promise<Record<string, unknown>> } } };

const NORMAL_COOKIE = 'session=normal-profile';
const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts');

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite('privacy');
  await useAcceptedKey(suite.ext.worker);
  const [name, value] = NORMAL_COOKIE.split('=') as [string, string];
  await suite.ext.context.addCookies([{ name, value, url: suite.site.origin }]);
});

afterAll(async () => {
  await suite?.close();
});

/** The addresses VirusTotal was asked about (`GET /urls/{id}`, decoded) and sent (`POST /urls`). */
function addressesVirusTotalSaw(): string[] {
  const ids = suite.emulator.requests.filter((r) => r.method === 'GET' && /^\/api\/v3\/urls\/[^/]+$/.test(r.path)).map((r) => r.path.split('/').pop()!);
  return [...ids.map((id) => Buffer.from(id, 'base64url').toString('utf8')), ...suite.emulator.urlSubmissions];
}

describe('“Check this address” on an address with a user name and password', () => {
  it('sends VirusTotal an id, and an address, without them', async () => {
    await useSettings(suite.ext.worker, { urlFallback: true });
    const worker = await suite.ext.getWorker();
    const token = await withTimeout(
      worker.evaluate((url) => scandockContextMenuClick({ menuItemId: 'scandock-check-address', linkUrl: url, pageUrl: 'http://127.0.0.1/inbox.html' }), 'https://user:pw@host.scandock.test/x'),
      10_000,
      'the context-menu handler',
    );
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    await expect.poll(() => suite.emulator.urlSubmissions.length, SOON).toBeGreaterThan(0);
    const seen = addressesVirusTotalSaw();
    expect(seen).toContain('https://host.scandock.test/x');
    expect(suite.emulator.requests.map((r) => r.path)).toContain(`/api/v3/urls/${urlIdentifier('https://host.scandock.test/x')}`);
    for (const address of seen) expect(address).not.toMatch(/user|pw@/);
    await useSettings(suite.ext.worker, {});
  });
});

describe('a download in a private window', () => {
  let popup: Page;
  let worker: Worker;

  beforeAll(async () => {
    await suite.ext.setIncognitoAccess(true);
    worker = await suite.ext.getWorker();
    await useAcceptedKey(worker);
    popup = await suite.ext.openPopup();
  });

  const privateRecords = async () => Object.values((await withTimeout(worker.evaluate(() => chrome.storage.session.get('privateScans')), 10_000, 'storage.session')).privateScans ?? {});

  it('is scanned, shown tagged “Private window” while the window is open, and leaves nothing once it closes', async () => {
    const file = suite.site.serve('/files/private.exe', { body: eicarBytes() });
    const page = suite.site.serve('/private.html', { body: new TextEncoder().encode(`<a id="save" href="${file}" download="private.exe">Save</a>`), contentType: 'text/html' });
    const { downloadId, windowId } = await suite.ext.downloadInPrivateWindow(page, '#save');

    // While the private window is open: the verdict, in the popup, tagged; only in storage.session.
    const privateRow = popup.locator('li[data-private="true"]');
    await expect.poll(() => privateRow.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('malicious');
    expect(await privateRow.getByTestId('private-window').textContent()).toBe('Private window');
    await mkdir(ARTIFACTS, { recursive: true });
    await popup.screenshot({ path: path.join(ARTIFACTS, 'privacy-private-window-row.png') });
    const token = (await privateRow.getAttribute('data-token'))!;
    const [record] = (await privateRecords()) as Array<{ token: string; readFrom: string; source: { downloadId: number; incognito: boolean } }>;
    expect(record).toMatchObject({ token, readFrom: 'disk', source: { downloadId, incognito: true } });
    expect((await readRecords(popup)).map((r) => r.token)).not.toContain(token);

    // The site saw only the private window's own request, without the normal profile's cookie.
    expect(suite.site.hits('/files/private.exe')).toBe(1);
    for (const cookie of suite.site.cookies('/files/private.exe')) expect(cookie ?? '').not.toContain(NORMAL_COOKIE);

    await suite.ext.closeWindow(windowId);
    await expect.poll(() => privateRecords().then((r) => r.length), SOON).toBe(0);
    await expect.poll(() => row(popup, token).count(), SOON).toBe(0);
    expect((await readRecords(popup)).map((r) => r.token)).not.toContain(token);
    expect(suite.site.hits('/files/private.exe')).toBe(1);
  });
});
