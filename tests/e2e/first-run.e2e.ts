/**
 * The first-run page in real Chromium, as a new user meets it: a fresh profile opens it once on install; the
 * person pastes a key, downloads the test file and sees its verdict on the page (the clicks and the seconds from
 * install to verdict are counted and written to tests/artifacts/first-run-chromium.json for the README); axe-core
 * finds nothing serious or critical and every control has a name; with file access off (a store install) the
 * page's button opens ScanDock's details page and, once the switch is on, the page comes back saying so; the
 * options page links to it again; a browser restart on the same profile and an update open nothing.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR_SHA256 } from '../emulator/fixtures';
import { DEMO_API_KEY, startVirusTotalEmulator, type VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { buildExtension, launchExtension, REPO_ROOT, WELCOME_PAGE, withTimeout, type ExtensionBrowser } from '../support/extension-browser';
import { axeFindings, blockingFindings } from '../support/axe';
import { getStorage, setStorage, SOON } from './suite';

declare const chrome: { runtime: { reload(): void } };

const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts');
/** Roles a person operates; each must have an accessible name. */
const CONTROL_ROLES = new Set(['button', 'link', 'textbox', 'checkbox', 'radio', 'combobox', 'spinbutton', 'switch', 'menuitem', 'tab']);

let emulator: VirusTotalEmulator;
let extensionDir: string;
let ext: ExtensionBrowser | undefined;
let welcome: Page;
let profileDir: string | undefined;

beforeAll(async () => {
  emulator = await startVirusTotalEmulator();
  extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: 'tests/artifacts/build-e2e-first-run' });
});

afterAll(async () => {
  await ext?.close();
  if (profileDir) await rm(profileDir, { recursive: true, force: true });
  await emulator?.close();
});

/** Lookups of EICAR's hash (the key check is one too: it looks EICAR up). */
const eicarLookups = () => emulator.requests.filter((r) => r.method === 'GET' && r.path === `/api/v3/files/${EICAR_SHA256}`).length;

/** Open tabs at the first-run page. */
const welcomeTabs = (browser: ExtensionBrowser) => browser.context.pages().filter((p) => p.url().startsWith(`chrome-extension://${browser.extensionId}/${WELCOME_PAGE}`));

/** Waits `ms` and says whether a first-run tab showed up meanwhile (an absence can only be watched for a while). */
async function welcomeAppearsWithin(browser: ExtensionBrowser, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (welcomeTabs(browser).length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Controls in Chromium's accessibility tree with no name. */
async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: Array<{ ignored?: boolean; role?: { value?: string }; name?: { value?: string } }> };
  await cdp.detach();
  const controls = nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(String(n.role?.value)));
  expect(controls.length).toBeGreaterThan(3);
  return controls.filter((n) => !String(n.name?.value ?? '').trim()).map((n) => String(n.role?.value));
}

describe('the first-run page in Chromium', () => {
  const measured = { clicks: 0, seconds: 0 };
  /** When the browser started with ScanDock in a fresh profile: its install. */
  let installedAt = 0;

  it('opens once when ScanDock is installed in a fresh profile', async () => {
    installedAt = Date.now();
    ext = await launchExtension({ extensionDir, welcomePage: 'keep' });
    profileDir = ext.profileDir;
    welcome = await ext.pageAt(WELCOME_PAGE);
    await welcome.getByRole('heading', { level: 1, name: 'Welcome to ScanDock' }).waitFor();
    expect(welcomeTabs(ext)).toHaveLength(1);
    expect((await getStorage(ext.worker, ['firstRun'])).firstRun).toEqual({ opened: true });
    // Without a key the test file is not offered: a download would not be scanned.
    await welcome.getByTestId('test-file-needs-key').waitFor();
  });

  it('a person who pastes a key and downloads the test file sees its verdict on the page (one lookup)', async () => {
    const click = async (target: ReturnType<Page['getByRole']>) => {
      await target.click();
      measured.clicks += 1;
    };
    await click(welcome.getByLabel('VirusTotal API key', { exact: true }));
    await welcome.keyboard.insertText(DEMO_API_KEY); // a paste: no click, no typing
    await click(welcome.getByRole('button', { name: 'Save' }));
    const outcome = welcome.getByTestId('key-outcome');
    await expect.poll(() => outcome.getAttribute('data-outcome'), SOON).toBe('ok');
    expect(await outcome.textContent()).toBe('Key saved. VirusTotal accepted it.');
    const lookupsBefore = eicarLookups();

    await click(welcome.getByRole('link', { name: 'Download the test file' }));
    const result = welcome.getByTestId('test-result');
    await expect.poll(() => result.getAttribute('data-verdict'), { timeout: 30_000 }).toBe('malicious');
    measured.seconds = (Date.now() - installedAt) / 1000;
    expect(await result.textContent()).toMatch(/^Malicious \d+ of \d+ engines flag the test file, as they should: ScanDock works\.$/);
    await welcome.getByTestId('welcome-done').waitFor();
    expect(eicarLookups() - lookupsBefore).toBe(1);

    await mkdir(ARTIFACTS, { recursive: true });
    await welcome.screenshot({ path: path.join(ARTIFACTS, 'first-run-chromium.png'), fullPage: true });
    await writeFile(path.join(ARTIFACTS, 'first-run-chromium.json'), `${JSON.stringify({ ...measured, fileAccess: 'on (unpacked)', requests: emulator.requests.length }, null, 2)}\n`);
    console.log(`first run (Chromium): ${measured.clicks} clicks, ${measured.seconds.toFixed(1)} s from install to verdict, ${emulator.requests.length} requests`);
    expect(measured.clicks).toBeLessThanOrEqual(6);
  });

  it('axe-core finds nothing serious or critical, and every control has a name', async () => {
    const findings = await axeFindings(welcome, 'welcome');
    expect(blockingFindings(findings)).toEqual([]);
    expect(await unnamedControls(welcome)).toEqual([]);
  });

  it('with file access off, its button opens ScanDock’s details page; switched on, the page comes back saying so', async () => {
    const browser = ext!;
    await welcome.close();
    // A store install: file access off. Chrome restarts ScanDock for the switch; that is no install.
    await browser.setFileAccess(false);
    // The options page leads back to the first-run page.
    const options = await browser.openOptions();
    const [again] = await Promise.all([browser.context.waitForEvent('page'), options.getByRole('link', { name: 'Open the first-run guide again' }).click()]);
    await again.waitForLoadState();
    expect(again.url()).toBe(`chrome-extension://${browser.extensionId}/${WELCOME_PAGE}`);
    await options.close();
    const state = again.getByTestId('file-access-state');
    await expect.poll(() => state.getAttribute('data-on'), SOON).toBe('false');

    const [details] = await Promise.all([browser.context.waitForEvent('page'), again.getByRole('button', { name: 'Open ScanDock’s details page' }).click()]);
    await expect.poll(() => details.url(), SOON).toBe(`chrome://extensions/?id=${browser.extensionId}`);
    await details.close();
    // The person's click on "Allow access to file URLs" (what the switch calls); Chrome restarts ScanDock.
    await browser.setFileAccess(true);
    await expect.poll(() => again.isClosed(), SOON).toBe(true);
    const back = await browser.pageAt(`${WELCOME_PAGE}?after=file-access`);
    await back.getByTestId('welcome-after-file-access').waitFor();
    await expect.poll(() => back.getByTestId('file-access-state').getAttribute('data-on'), SOON).toBe('true');
    expect(welcomeTabs(browser)).toHaveLength(1);
    expect((await getStorage(await browser.getWorker(), ['firstRun'])).firstRun).toEqual({ opened: true });
    await back.close();
  });

  it('does not open again when the browser restarts on the same profile', async () => {
    await ext!.close({ keepProfile: true });
    ext = await launchExtension({ extensionDir, profileDir, welcomePage: 'keep' });
    await ext.getWorker();
    expect(await welcomeAppearsWithin(ext, 5_000)).toBe(false);
  });

  it('does not open on an update, even with its “opened” flag gone', async () => {
    const browser = ext!;
    // Only the install reason guards now: the flag that would also stop it is cleared.
    await setStorage(browser.worker, { firstRun: { opened: false } });
    const worker: Worker = await browser.getWorker();
    // An unpacked extension reloaded is updated: `onInstalled` fires with reason 'update'.
    await withTimeout(worker.evaluate(() => setTimeout(() => chrome.runtime.reload(), 50)), 5_000, 'runtime.reload').catch(() => undefined);
    await expect.poll(async () => (await browser.getWorker()) !== worker, { timeout: 20_000 }).toBe(true);
    expect(await welcomeAppearsWithin(browser, 5_000)).toBe(false);
    expect((await getStorage(await browser.getWorker(), ['firstRun'])).firstRun).toEqual({ opened: false });
  });
});
