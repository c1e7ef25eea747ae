/**
 * The options page as a person uses it: saving the API key (a wrong one is refused), the settings that
 * change what gets scanned and how verdicts read, and a saved key that VirusTotal later rejects.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import { DEMO_API_KEY } from '../emulator/virustotal-emulator';
import { byDownloadId, isFinished, readRecords, waitForRecord } from '../support/scan-records';
import { answered, getStorage, row, setStorage, startSuite, useSettings, SOON, type Suite } from './suite';

/** A premium-sized quota on both sides, so this file's dozen requests never wait for a minute to pass. */
const ROOMY = { quotaPreset: 'custom', quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 } } as const;

/** 64 hex characters, shaped like a real key, that the emulator does not accept. */
const WRONG_KEY = 'bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0';

let suite: Suite;
let options: Page;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('options', { quota: { perMinute: 100, perDay: 10_000 } });
  await useSettings(suite.ext.worker, ROOMY);
  options = await suite.ext.openOptions();
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

/** Types a key into the options page and presses Save; resolves with the outcome text. */
async function saveKey(key: string): Promise<{ kind: string | null; text: string }> {
  await options.getByLabel(/API key/).fill(key);
  await options.getByRole('button', { name: 'Save' }).click();
  const outcome = options.getByRole('status').and(options.getByTestId('key-outcome'));
  await expect.poll(() => outcome.getAttribute('data-outcome'), { timeout: 15_000 }).toMatch(/^(ok|error)$/);
  return { kind: await outcome.getAttribute('data-outcome'), text: (await outcome.textContent()) ?? '' };
}

/** Waits until the stored settings (as the background reads them) include `expected`. */
async function settingsSaved(expected: Record<string, unknown>): Promise<void> {
  await expect
    .poll(async () => (await getStorage(suite.ext.worker, ['settings'])).settings, { timeout: 10_000 })
    .toMatchObject(expected);
}

describe('the API key on the options page', () => {
  it('refuses a key VirusTotal rejects and keeps nothing', async () => {
    const outcome = await saveKey(WRONG_KEY);
    expect(outcome.kind).toBe('error');
    expect(outcome.text).toBe('VirusTotal rejected this API key. Copy it again from your VirusTotal profile → API key. The key was not saved.');
    expect(await getStorage(suite.ext.worker, ['apiKey'])).not.toHaveProperty('apiKey', WRONG_KEY);
    expect(answered(suite.emulator, 401)).toBe(1);
  });

  it('saves a key VirusTotal accepts', async () => {
    const outcome = await saveKey(DEMO_API_KEY);
    expect(outcome.kind).toBe('ok');
    expect(outcome.text).toMatch(/accepted/i);
    expect(await getStorage(suite.ext.worker, ['apiKey', 'keyStatus'])).toEqual({ apiKey: DEMO_API_KEY, keyStatus: 'valid' });
    await expect.poll(() => options.getByTestId('key-state').getAttribute('data-key-status'), SOON).toBe('valid');
    // The field is cleared: the page never shows the saved key again.
    expect(await options.getByLabel(/API key/).inputValue()).toBe('');
  });
});

describe('settings take effect', () => {
  it('"Auto-scan downloads" off: a download makes no record', async () => {
    await options.getByLabel('Auto-scan downloads').uncheck();
    await settingsSaved({ autoScan: false });
    const skipped = await suite.download('skipped.txt', markedMalwareBytes('auto-scan-off'));

    await options.getByLabel('Auto-scan downloads').check();
    await settingsSaved({ autoScan: true });
    // The control: the next download is scanned, so the one before had its chance and was skipped.
    const control = await suite.download('control.txt', cleanSampleBytes());
    await waitForRecord(popup, (r) => byDownloadId(control)(r) && isFinished(r), { what: 'the control download' });
    expect((await readRecords(popup)).filter(byDownloadId(skipped))).toEqual([]);
  });

  it('an excluded file type is not scanned', async () => {
    const field = options.getByLabel('Excluded file types');
    await field.fill('ISO, .vmdk');
    await field.press('Enter');
    await field.blur();
    await settingsSaved({ excludedTypes: ['iso', 'vmdk'] });

    const excluded = await suite.download('disk.iso', markedMalwareBytes('excluded-type'));
    const control = await suite.download('disk.txt', cleanSampleBytes());
    await waitForRecord(popup, (r) => byDownloadId(control)(r) && isFinished(r), { what: 'the control download' });
    expect((await readRecords(popup)).filter(byDownloadId(excluded))).toEqual([]);
  });

  it('a detection threshold above the engines that flag EICAR makes it suspicious, not malicious', async () => {
    const field = options.getByLabel('Detection threshold');
    await field.fill('1000');
    await field.press('Enter');
    await settingsSaved({ detectionThreshold: 1000 });

    const id = await suite.download('eicar.com', eicarBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the EICAR scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'suspicious', detected: false });
    expect(record.stats?.malicious).toBeGreaterThan(0);
    await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('suspicious');
  });
});

describe('a saved key VirusTotal later rejects', () => {
  it('pauses scans with a notice, stops sending the key, and resumes once a good key is saved', async () => {
    await useSettings(suite.ext.worker, ROOMY);
    await setStorage(suite.ext.worker, { apiKey: WRONG_KEY, keyStatus: 'unchecked' });
    const rejectedBefore = answered(suite.emulator, 401);

    const first = await suite.download('first.bin', markedMalwareBytes('rejected-key-1'));
    const paused = await waitForRecord(popup, (r) => byDownloadId(first)(r) && r.notice?.code === 'vt-wrong-key', {
      what: 'the scan paused on the rejected key',
    });
    expect(paused.status).toBe('ready');
    const firstRow = row(popup, paused.token);
    await expect.poll(() => firstRow.getByTestId('notice').textContent(), SOON).toBe('VirusTotal rejected the API key. Scans wait until you paste it again in the options.');
    await expect.poll(() => popup.getByTestId('key-banner').getAttribute('data-key-state'), SOON).toBe('rejected');
    expect(await getStorage(suite.ext.worker, ['keyStatus'])).toEqual({ keyStatus: 'rejected' });

    // A second download waits too, without sending the rejected key again.
    const second = await suite.download('second.bin', markedMalwareBytes('rejected-key-2'));
    await waitForRecord(popup, (r) => byDownloadId(second)(r) && r.notice?.code === 'vt-wrong-key', { what: 'the second paused scan' });
    const rejected = answered(suite.emulator, 401) - rejectedBefore;
    expect(rejected).toBeGreaterThanOrEqual(1);
    expect(rejected).toBeLessThanOrEqual(2);
    expect(suite.emulator.requests.filter((r) => r.apiKey === WRONG_KEY && r.status !== 401)).toEqual([]);

    // Saving a good key on the options page lets both go on.
    expect((await saveKey(DEMO_API_KEY)).kind).toBe('ok');
    for (const id of [first, second]) {
      const done = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the resumed scan' });
      expect(done).toMatchObject({ status: 'done', verdict: 'unknown', notice: null });
    }
    await expect.poll(() => popup.getByTestId('key-banner').count(), SOON).toBe(0);
  });
});

describe('privacy', () => {
  it('links to the privacy policy shipped in the package', async () => {
    const [policy] = await Promise.all([options.context().waitForEvent('page'), options.getByTestId('privacy-link').click()]);
    await policy.waitForLoadState();
    expect(new URL(policy.url()).pathname).toBe('/privacy.txt');
    const text = (await policy.textContent('body')) ?? '';
    expect(text).toContain('# ScanDock privacy policy');
    expect(text).toContain('setting `uploadUnknown` (off)');
    await policy.close();
  });

  it('turns uploads and the URL fallback on in Chrome, which asks no data consent', async () => {
    await options.getByLabel('Upload unknown files').check();
    await options.getByLabel('Fall back to URL scanning').check();
    await settingsSaved({ uploadUnknown: true, urlFallback: true });
    expect(await options.getByTestId('data-consent-refused').count()).toBe(0);
    await options.getByLabel('Upload unknown files').uncheck();
    await options.getByLabel('Fall back to URL scanning').uncheck();
    await settingsSaved({ uploadUnknown: false, urlFallback: false });
  });
});
