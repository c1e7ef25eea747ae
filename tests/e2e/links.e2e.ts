/**
 * Links and addresses in real Chromium: both context-menu items on a link (through the handler in the real
 * worker: headless Chromium cannot right-click), the cookies a fetched link does not carry, a link that
 * only works signed in, an address verdict row in the popup, one accessible name per file name (Chromium's
 * own accessibility tree), and axe-core run in the popup and the options page with no serious or critical
 * finding. axe is injected by the test through DevTools (the pages' CSP rightly refuses inline scripts);
 * the product does not ship it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eicarBytes, markedMalwareBytes, sha256Hex } from '../emulator/fixtures';
import { KNOWN_CLEAN_URL, KNOWN_MALICIOUS_URL } from '../emulator/virustotal-emulator';
import { withTimeout } from '../support/extension-browser';
import { axeFindings, blockingFindings } from '../support/axe';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { getStorage, row, startSuite, useAcceptedKey, useSettings, SOON, type Suite } from './suite';

/** The handler the background exposes because headless Chromium cannot right-click. */
declare const scandockContextMenuClick: (info: { menuItemId: string; linkUrl: string; pageUrl: string }) => Promise<string | null>;

const SESSION_COOKIE = 'session=s3cret';
/** Quotas that never hold these tests up (the quota has its own tests). */
const ROOMY_QUOTA = { perMinute: 1000, perDay: 10_000, perMonth: 100_000 };
const ROOMY = { quotaPreset: 'custom', quota: ROOMY_QUOTA } as const;

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('links', { quota: ROOMY_QUOTA });
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, ROOMY);
  // The person is signed in to the site: the browser holds its session cookie.
  const [name, value] = SESSION_COOKIE.split('=') as [string, string];
  await suite.ext.context.addCookies([{ name, value, url: suite.site.origin }]);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

/** Clicks a context-menu item on a link, as the browser would, in the real worker. */
async function menuClick(menuItemId: 'scandock-scan-file' | 'scandock-check-address', linkUrl: string): Promise<string> {
  const worker = await suite.ext.getWorker();
  const token = await withTimeout(
    worker.evaluate(({ id, url }) => scandockContextMenuClick({ menuItemId: id, linkUrl: url, pageUrl: 'http://127.0.0.1/inbox.html' }), { id: menuItemId, url: linkUrl }),
    10_000,
    'the context-menu handler',
  );
  expect(token).toMatch(/^[0-9a-f]{64}$/);
  return token!;
}

describe('“Scan the file at this link”', () => {
  it('fetches the link without the person’s cookies, though the browser holds them for that site', async () => {
    const url = suite.site.serve('/links/unsubscribe', { body: markedMalwareBytes('one-click') });
    const token = await menuClick('scandock-scan-file', url);
    const record = await waitForRecord(popup, (r) => r.token === token && isFinished(r), { what: 'the link scan' });
    expect(record).toMatchObject({ status: 'done', source: { kind: 'link', url }, verdictFor: 'file' });
    expect(suite.site.cookies('/links/unsubscribe')).toEqual([null]);

    // The browser itself does send the cookie to that site: downloading a file there carries it.
    const id = await suite.download('statement.txt', new TextEncoder().encode('a statement'));
    await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the download' });
    expect(suite.site.cookies('/files/statement.txt')[0]).toContain(SESSION_COOKIE);
  });

  it('a link that only works signed in ends with an error that names the cookie setting; with the setting, it is scanned', async () => {
    const url = suite.site.serve('/links/signed-in/report.exe', { body: eicarBytes(), requireCookie: SESSION_COOKIE });
    const token = await menuClick('scandock-scan-file', url);
    const record = await waitForRecord(popup, (r) => r.token === token && isFinished(r), { what: 'the signed-in link' });
    expect(record).toMatchObject({ status: 'error', error: { code: 'link-refused', params: { status: 403 } } });
    const error = row(popup, token).getByTestId('error');
    await expect.poll(() => error.textContent(), SOON).toMatch(/answered HTTP 403\. ScanDock fetches a link without your cookies.*turn on “Send cookies when scanning a link” in ScanDock’s options/);

    await useSettings(suite.ext.worker, { ...ROOMY, linkCookies: true });
    const again = await menuClick('scandock-scan-file', url);
    expect(await waitForRecord(popup, (r) => r.token === again && isFinished(r), { what: 'the link with cookies' })).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(suite.site.cookies('/links/signed-in/report.exe')).toEqual([null, expect.stringContaining(SESSION_COOKIE)]);
    await useSettings(suite.ext.worker, ROOMY);
  });
});

describe('“Check this address on VirusTotal”', () => {
  it('shows the URL scanners’ verdict as an address verdict, with their table and the URL report; nothing is fetched', async () => {
    const before = suite.emulator.requests.length;
    const token = await menuClick('scandock-check-address', KNOWN_MALICIOUS_URL);
    const record = await waitForRecord(popup, (r) => r.token === token && isFinished(r), { what: 'the address check' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'address', source: { kind: 'address', url: KNOWN_MALICIOUS_URL } });
    expect(suite.emulator.requests.slice(before).map((r) => `${r.method} ${r.path.split('/').slice(0, 4).join('/')}`)).toEqual(['GET /api/v3/urls']);

    const addressRow = row(popup, token);
    await expect.poll(() => addressRow.getAttribute('data-verdict-for'), SOON).toBe('address');
    expect(await addressRow.getByTestId('verdict-for-address').textContent()).toContain('address');
    expect(await addressRow.locator('.scan__source').textContent()).toBe('Address check');
    await addressRow.locator('button.scan__summary').click();
    expect(await addressRow.getByTestId('verdict-for').textContent()).toBe('This address (VirusTotal’s URL scanners). ScanDock fetched nothing from it.');
    const scanners = addressRow.getByTestId('engines');
    expect(await scanners.locator('caption').textContent()).toMatch(/^URL scanner reports \(\d+\)$/);
    expect(await scanners.locator('tbody tr[data-category="malicious"]').count()).toBeGreaterThan(0);
    const report = addressRow.getByTestId('report-link');
    expect(await report.textContent()).toBe('Open the VirusTotal URL report');
    expect(await report.getAttribute('href')).toMatch(/^https:\/\/www\.virustotal\.com\/gui\/url\/[0-9a-f]{64}\/detection$/);

    const clean = await menuClick('scandock-check-address', KNOWN_CLEAN_URL);
    expect(await waitForRecord(popup, (r) => r.token === clean && isFinished(r), { what: 'the clean address' })).toMatchObject({ verdict: 'clean', verdictFor: 'address' });
  });

  it('never acts on a mailto: or javascript: link', async () => {
    const worker = await suite.ext.getWorker();
    for (const linkUrl of ['mailto:someone@example.com', 'javascript:alert(1)']) {
      for (const menuItemId of ['scandock-scan-file', 'scandock-check-address']) {
        const token = await withTimeout(worker.evaluate((info) => scandockContextMenuClick(info), { menuItemId, linkUrl, pageUrl: 'http://127.0.0.1/' }), 10_000, 'the handler');
        expect(token, `${menuItemId} on ${linkUrl}`).toBeNull();
      }
    }
  });
});

describe('API calls that something on the way refuses or redirects (real Chromium’s fetch)', () => {
  it('a redirected lookup is not followed: the scan waits with “VirusTotal’s address answered with a redirect”, then goes on', async () => {
    const bytes = new TextEncoder().encode('redirected lookup');
    suite.emulator.addFile(bytes, 'clean');
    const portal = suite.site.serve('/portal', { body: new TextEncoder().encode('<h1>Sign in to the Wi-Fi</h1>') });
    suite.emulator.injectFault({ kind: 'redirect', location: portal, match: { path: new RegExp(sha256Hex(bytes)) } });
    const id = await suite.download('redirected.txt', bytes);
    // Chromium hands back an opaque redirect (status 0) for redirect: 'manual': it is told apart from a lost connection.
    const waiting = await waitForRecord(popup, (r) => byDownloadId(id)(r) && r.notice !== null, { what: 'the redirect notice' });
    expect(waiting.notice).toMatchObject({ code: 'vt-redirected' });
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the scan after the redirect' });
    expect(record).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(suite.site.hits('/portal')).toBe(0);
  });

  it('a proxy’s HTML 403 names the status, never pauses the key, and the scan goes on', async () => {
    const bytes = new TextEncoder().encode('proxied lookup');
    suite.emulator.addFile(bytes, 'clean');
    suite.emulator.injectFault({ kind: 'html', status: 403, match: { path: new RegExp(sha256Hex(bytes)) } });
    const id = await suite.download('proxied.txt', bytes);
    const waiting = await waitForRecord(popup, (r) => byDownloadId(id)(r) && r.notice !== null, { what: 'the proxy notice' });
    expect(waiting.notice).toMatchObject({ code: 'vt-blocked', params: { status: 403 } });
    const notice = row(popup, waiting.token).getByTestId('notice');
    await expect.poll(() => notice.textContent(), SOON).toMatch(/^Something between you and VirusTotal refused the request with HTTP 403/);
    expect((await getStorage(suite.ext.worker, ['keyStatus'])).keyStatus).toBe('valid');
    expect(await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the scan after the proxy' })).toMatchObject({ status: 'done', verdict: 'clean' });
  });
});

describe('accessibility', () => {
  it('reads a file name as one word, and the row’s facts apart (Chromium’s accessibility tree)', async () => {
    const id = await suite.download('eicar.com.txt', eicarBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the EICAR download' });
    await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('malicious');
    const cdp = await popup.context().newCDPSession(popup);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ role?: { value?: string }; name?: { value?: string } }> };
    await cdp.detach();
    const names = nodes.filter((n) => n.role?.value === 'button').map((n) => String(n.name?.value ?? ''));
    // Before: "e icar.com.txt Malicious 65/68 Download · 127.0.0.1:41355Donejust now".
    const eicarName = names.find((name) => name.includes('icar.com.txt'));
    // A repeat answered from the history says so, as a fact of its own.
    expect(eicarName).toMatch(/^eicar\.com\.txt Malicious \d+\/\d+ Download · 127\.0\.0\.1:\d+ ?, Done ?, just now( ?, history: report just now)?$/);
  });

  it('axe-core finds nothing serious or critical in the popup (rows of every kind, one expanded)', async () => {
    const page = await suite.ext.openPopup();
    await page.locator('li[data-verdict-for="address"]').first().waitFor();
    await page.locator('li[data-status="error"]').first().waitFor();
    await page.locator('li[data-verdict="malicious"][data-verdict-for="file"] button.scan__summary').first().click();
    await page.locator('li[data-verdict-for="address"] button.scan__summary').first().click();
    await page.getByTestId('engines').first().waitFor();
    const findings = await axeFindings(page, 'popup');
    expect(blockingFindings(findings)).toEqual([]);
    await page.close();
  });

  it('axe-core finds nothing serious or critical in the options page', async () => {
    const page = await suite.ext.openOptions();
    await page.getByTestId('link-cookies').waitFor();
    const findings = await axeFindings(page, 'options');
    expect(blockingFindings(findings)).toEqual([]);
    await page.close();
  });
});
