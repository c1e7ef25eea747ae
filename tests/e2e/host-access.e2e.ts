/**
 * Host access withdrawn in Chrome (site access "on click", as a person sets it on chrome://extensions):
 * the popup and the options page say so with an "Allow access" button, saving a key says access is missing
 * (not "could not reach VirusTotal"), a download waits with a notice instead of failing as "offline", and
 * it goes on by itself once access is given back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedMalwareBytes } from '../emulator/fixtures';
import { DEMO_API_KEY } from '../emulator/virustotal-emulator';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite('host-access', { quota: { perMinute: 100, perDay: 10_000 } });
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, { quotaPreset: 'custom', quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 } });
});

afterAll(async () => {
  await suite?.close();
});

/** Sets ScanDock's site access as a person does on chrome://extensions: 'ON_CLICK', 'ON_ALL_SITES'. */
const setSiteAccess = (hostAccess: 'ON_CLICK' | 'ON_ALL_SITES') => suite.ext.setSiteAccess(hostAccess);

describe('host access withdrawn in Chrome', () => {
  it('says so in the popup and the options page, waits with a notice, and goes on once access is back', async () => {
    await setSiteAccess('ON_CLICK');
    const popup = await suite.ext.openPopup();
    const banner = popup.getByTestId('host-access-banner');
    await expect.poll(() => banner.textContent(), SOON).toMatch(/not allowed to reach other sites/);
    expect(await popup.getByTestId('host-access-button').textContent()).toBe('Allow access');

    const options = await suite.ext.openOptions();
    await expect.poll(() => options.getByTestId('host-access-banner').count(), SOON).toBe(1);
    const requestsBefore = suite.emulator.requests.length;
    await options.getByLabel(/API key/).fill(DEMO_API_KEY);
    await options.getByRole('button', { name: 'Save' }).click();
    const outcome = options.getByTestId('key-outcome');
    await expect.poll(() => outcome.textContent(), SOON).toMatch(/not allowed to reach VirusTotal/);
    expect(await outcome.textContent()).not.toMatch(/network|offline|Could not reach/i);

    const bytes = markedMalwareBytes('chrome-host-access');
    suite.emulator.addFile(bytes, 'malicious', ['withheld.exe']);
    const id = await suite.download('withheld.exe', bytes);
    const waiting = await waitForRecord(popup, (r) => byDownloadId(id)(r) && r.notice?.code === 'no-host-access', { what: 'the waiting scan' });
    expect(waiting.status).toBe('ready');
    await expect.poll(() => row(popup, waiting.token).getByTestId('notice').textContent(), SOON).toMatch(/Allow access/);
    expect(suite.emulator.requests.length).toBe(requestsBefore);

    // Chrome's prompt cannot be answered in headless, so access comes back the other way a person gives
    // it: site access "on all sites". permissions.onAdded resumes the scan.
    await setSiteAccess('ON_ALL_SITES');
    await expect.poll(() => banner.count(), SOON).toBe(0);
    await expect.poll(() => options.getByTestId('host-access-banner').count(), SOON).toBe(0);
    const done = await waitForRecord(popup, (r) => r.token === waiting.token && isFinished(r), { what: 'the resumed scan' });
    expect(done).toMatchObject({ status: 'done', verdict: 'malicious', notice: null });
    await expect.poll(() => row(popup, done.token).getAttribute('data-verdict'), SOON).toBe('malicious');
    await Promise.all([popup.close(), options.close()]);
  });
});
