/**
 * Firefox's built-in data consent as ScanDock declares and asks for it: the hash of each download (required) is
 * granted at install, uploads and the URL fallback (optional) are not; an opt-in Firefox did not consent to stays
 * off with a sentence saying why; consent withdrawn in about:addons turns its opt-in off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFirefoxStorage, type FirefoxPage } from '../support/firefox-browser';
import { eventually, startFirefoxSuite, type FirefoxSuite } from './suite';

// The add-on's page global, where `evaluate` runs (Firefox 140+ reports data consent in `getAll`).
declare const browser: { permissions: { getAll(): Promise<{ data_collection?: string[] }> } };

let suite: FirefoxSuite;
let options: FirefoxPage;

beforeAll(async () => {
  suite = await startFirefoxSuite('data-consent');
  options = await suite.ext.openOptions();
});

afterAll(async () => {
  await suite?.close();
});

const granted = async () => ((await options.evaluate(() => browser.permissions.getAll())).data_collection ?? []).sort();
const settings = async () => ((await getFirefoxStorage(options, ['settings'])).settings ?? {}) as Record<string, unknown>;

describe("Firefox's data consent", () => {
  it('grants the required websiteActivity at install, and neither optional type', async () => {
    expect(await granted()).toEqual(['websiteActivity']);
  });

  it('an opt-in Firefox does not consent to stays off, and the page says why', async () => {
    await eventually(() => options.count('[data-testid="upload-unknown"]'), (n) => n === 1, { what: 'the settings' });
    // A click from a script is not the person's input: Firefox refuses `permissions.request`, as when they decline.
    await options.evaluate(() => (document.querySelector('[data-testid="upload-unknown"]') as HTMLInputElement).click());
    await eventually(() => options.count('[data-testid="data-consent-refused"]'), (n) => n === 1, { what: 'the refusal note' });
    expect(await options.text('[data-testid="data-consent-refused"]')).toMatch(/consent/);
    expect(await settings()).not.toHaveProperty('uploadUnknown', true);
    expect(await options.evaluate(() => (document.querySelector('[data-testid="upload-unknown"]') as HTMLInputElement).checked)).toBe(false);
  });

  it('with consent given, a click turns the URL fallback on; withdrawn in about:addons, ScanDock turns it off', async () => {
    await suite.ext.grantDataCollection(['browsingActivity']);
    expect(await granted()).toEqual(['browsingActivity', 'websiteActivity']);
    await options.click('[data-testid="url-fallback"]');
    await eventually(settings, (s) => s.urlFallback === true, { what: 'urlFallback saved on' });

    await suite.ext.withdrawDataCollection(['browsingActivity']);
    await eventually(settings, (s) => s.urlFallback === false, { what: 'urlFallback turned off by the background' });
  });
});
