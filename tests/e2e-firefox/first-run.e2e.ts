/**
 * The first-run page in Debian's Firefox ESR (the store package installed permanently, as a person's add-on is):
 * opened once on install; the person pastes a key, downloads the test file and sees its verdict (clicks and
 * seconds from install to verdict written to tests/artifacts/first-run-firefox.json); host access, withdrawn,
 * is asked for from the page's button (a real click over BiDi) and the page shows it granted; neither a browser
 * restart nor an update opens the page again.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPatternFor } from '../../utils/permissions/host-pattern';
import { EICAR_SHA256 } from '../emulator/fixtures';
import { DEMO_API_KEY } from '../emulator/virustotal-emulator';
import { REPO_ROOT } from '../support/extension-browser';
import { getFirefoxStorage, setFirefoxStorage, WELCOME_PAGE, type FirefoxPage } from '../support/firefox-browser';
import { eventually, startFirefoxSuite, type FirefoxSuite } from './suite';

let suite: FirefoxSuite;
let welcome: FirefoxPage;

beforeAll(async () => {
  suite = await startFirefoxSuite('first-run', { permanent: true, welcomePage: 'keep' });
});

afterAll(async () => {
  await suite?.close();
});

const welcomeUrl = () => `${suite.ext.origin}/${WELCOME_PAGE}`;
const welcomeTabs = async () => (await suite.ext.tabs()).filter((t) => t.url.startsWith(welcomeUrl()));
const eicarLookups = () => suite.emulator.requests.filter((r) => r.method === 'GET' && r.path === `/api/v3/files/${EICAR_SHA256}`).length;

/** Waits `ms` and says whether a first-run tab showed up meanwhile (an absence can only be watched for a while). */
async function welcomeAppearsWithin(ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if ((await welcomeTabs()).length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

describe('the first-run page in Firefox', () => {
  it('opens once when ScanDock is installed', async () => {
    welcome = await suite.ext.tabStartingWith(welcomeUrl(), 30_000);
    expect(await eventually(() => welcome.text('h1'), (text) => text === 'Welcome to ScanDock', { what: 'the heading' })).toBe('Welcome to ScanDock');
    expect(await welcomeTabs()).toHaveLength(1);
    // Firefox (127+) grants host access at install, and the page says so; there is no file access section.
    expect(await eventually(() => welcome.attribute('[data-testid="welcome-host-access"]', 'data-granted'), (v) => v !== null, { what: 'host access' })).toBe('true');
    expect(await welcome.count('[data-testid="file-access"]')).toBe(0);
  });

  it('a person who pastes a key and downloads the test file sees its verdict on the page (one lookup)', async () => {
    let clicks = 0;
    const click = async (selector: string) => {
      await welcome.click(selector);
      clicks += 1;
    };
    await click('[data-testid="api-key"]');
    // A paste: the field gets the whole key at once.
    await welcome.evaluate((value: string) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="api-key"]')!;
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, DEMO_API_KEY);
    await click('button[type="submit"]');
    expect(await eventually(() => welcome.attribute('[data-testid="key-outcome"]', 'data-outcome'), (k) => k === 'ok' || k === 'error', { what: 'the key outcome' })).toBe('ok');
    const lookupsBefore = eicarLookups();

    await click('[data-testid="test-file-download"]');
    const verdict = await eventually(() => welcome.attribute('[data-testid="test-result"]', 'data-verdict'), (v) => v === 'malicious', { timeout: 30_000, what: 'the test file verdict' });
    const seconds = (Date.now() - suite.ext.installedAt) / 1000;
    expect(verdict).toBe('malicious');
    expect(await welcome.text('[data-testid="test-result"]')).toMatch(/engines flag the test file, as they should: ScanDock works\.$/);
    expect(eicarLookups() - lookupsBefore).toBe(1);

    await mkdir(path.join(REPO_ROOT, 'tests', 'artifacts'), { recursive: true });
    await writeFile(path.join(REPO_ROOT, 'tests', 'artifacts', 'first-run-firefox.json'), `${JSON.stringify({ clicks, seconds, requests: suite.emulator.requests.length }, null, 2)}\n`);
    console.log(`first run (Firefox): ${clicks} clicks, ${seconds.toFixed(1)} s from install to verdict, ${suite.emulator.requests.length} requests`);
    expect(clicks).toBeLessThanOrEqual(6);
  });

  it('host access withdrawn: the page shows it, and its button asks for it back from the click', async () => {
    await suite.ext.withdrawHostAccess([hostPatternFor(suite.emulator.baseUrl), '<all_urls>']);
    expect(await eventually(() => welcome.attribute('[data-testid="welcome-host-access"]', 'data-granted'), (v) => v === 'false', { what: 'host access withdrawn' })).toBe('false');
    await welcome.click('[data-testid="host-access-button"]');
    expect(await eventually(() => welcome.attribute('[data-testid="welcome-host-access"]', 'data-granted'), (v) => v === 'true', { what: 'host access given back' })).toBe('true');
    expect(await welcome.count('[data-testid="host-access-banner"]')).toBe(0);
    await welcome.close();
  });

  it('does not open again when Firefox restarts', async () => {
    await suite.ext.restart();
    await eventually(() => suite.ext.backgroundState(), (state) => state === 'running', { what: 'the background page' });
    expect(await welcomeAppearsWithin(5_000)).toBe(false);
  });

  it('does not open on an update, even with its “opened” flag gone', async () => {
    const probe = await suite.ext.probe();
    await setFirefoxStorage(probe, { firstRun: { opened: false } });
    // The same package installed again over the permanent add-on: Firefox calls that an update.
    await suite.ext.bidi.send('webExtension.install', { extensionData: { type: 'archivePath', path: suite.ext.xpi }, 'moz:permanent': true });
    await eventually(() => suite.ext.backgroundState(), (state) => state === 'running', { what: 'the background page' });
    expect(await welcomeAppearsWithin(5_000)).toBe(false);
    const page = await suite.ext.openOptions();
    expect((await getFirefoxStorage(page, ['firstRun'])).firstRun).toEqual({ opened: false });
  });
});
