/**
 * The everyday controls in real Chromium: auto-delete removes a detected download's saved file (after the
 * identity check) and only that file; a download from an excluded site leaves no record and sends nothing to
 * VirusTotal; "Look again now" (a fresh look) on a finished row makes exactly one request and says what changed.
 */
import { access } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes, eicarBytes, sha256Hex } from '../emulator/fixtures';
import { withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, readRecords, waitForRecord } from '../support/scan-records';
import type { Settings } from '../../utils/settings/storage-items';
import { getStorage, row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

/** The part of the extension's `chrome` global this file calls inside the worker. */
declare const chrome: {
  downloads: { search(query: { id: number }): Promise<Array<{ id: number; filename: string }>> };
  notifications: { getAll(): Promise<Record<string, boolean>> };
};

let suite: Suite;
let popup: Page;

/** Quotas that never hold a test up (ScanDock's and the emulator's). */
const ROOMY_VT = { perMinute: 1000, perDay: 10_000, perMonth: 100_000 };
const ROOMY: Partial<Settings> = { quotaPreset: 'custom', quota: ROOMY_VT };

/** The settings for one test, over quotas that never hold it up. */
const settings = (patch: Partial<Settings> = {}) => useSettings(suite.ext.worker, { ...ROOMY, ...patch });

beforeAll(async () => {
  // Quotas that never hold a step up: each test counts its own requests.
  suite = await startSuite('controls', { quota: ROOMY_VT });
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

async function savedPath(id: number): Promise<string> {
  const worker = await suite.ext.getWorker();
  const [item] = await withTimeout(worker.evaluate((downloadId) => chrome.downloads.search({ id: downloadId }), id), 10_000, 'downloads.search');
  if (!item?.filename) throw new Error(`download ${id} has no file`);
  return item.filename;
}

const exists = (file: string) => access(file).then(() => true, () => false);
/** Bytes no one scanned before: VirusTotal (the emulator) has never seen them. */
const fresh = (label: string) => new TextEncoder().encode(`ScanDock controls e2e: ${label} ${Date.now()}\n`);

describe('the options page', () => {
  it('saves the controls as a person sets them: sites tidied into host patterns, auto-delete and its number', async () => {
    const options = await suite.ext.openOptions();
    await expect.poll(() => options.getByTestId('auto-delete-min').isDisabled(), SOON).toBe(true);
    await options.getByLabel('Delete detected downloads automatically').check();
    await options.getByTestId('excluded-sites').fill('https://*.Corp.Example/files/*, intranet:8080, not_a_host!');
    await options.getByTestId('no-upload-sites').fill('wiki.example.org');
    await options.getByTestId('no-upload-sites').press('Tab');
    const stored = async () => ((await getStorage(suite.ext.worker, ['settings'])).settings ?? {}) as Partial<Settings>;
    await expect.poll(stored, SOON).toMatchObject({ autoDelete: true, autoDeleteMinEngines: 3, excludedSites: ['*.corp.example', 'intranet'], noUploadSites: ['wiki.example.org'] });
    await expect.poll(() => options.getByTestId('excluded-sites').inputValue(), SOON).toBe('*.corp.example, intranet');
    await options.close();
  });
});

describe('delete detected downloads automatically', () => {
  it('removes the detected download’s file, and only that file: a clean download stays', async () => {
    await settings({ autoDelete: true, autoDeleteMinEngines: 3 });
    const detectedId = await suite.download('eicar-auto-delete.com', eicarBytes());
    const cleanId = await suite.download('clean-stays.txt', cleanSampleBytes());
    const [detectedFile, cleanFile] = [await savedPath(detectedId), await savedPath(cleanId)];
    const detected = await waitForRecord(popup, (r) => byDownloadId(detectedId)(r) && isFinished(r), { what: 'the EICAR scan' });
    const clean = await waitForRecord(popup, (r) => byDownloadId(cleanId)(r) && isFinished(r), { what: 'the clean scan' });
    expect(detected).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(detected.stats!.malicious).toBeGreaterThanOrEqual(3);
    expect(clean).toMatchObject({ status: 'done', verdict: 'clean' });

    await expect.poll(() => exists(detectedFile), SOON).toBe(false);
    expect(await exists(cleanFile)).toBe(true);
    // The notification that says what was removed (and why) replaces the detection's own.
    const worker = await suite.ext.getWorker();
    const shown = await withTimeout(worker.evaluate(() => chrome.notifications.getAll()), 10_000, 'notifications.getAll');
    expect(Object.keys(shown)).toContain(`scandock:${detected.token}`);
  });
});

describe('exclusions', () => {
  it('a download from an excluded site leaves no record and sends nothing to VirusTotal', async () => {
    await settings({ excludedSites: [new URL(suite.site.origin).hostname] });
    const before = suite.emulator.requests.length;
    const bytes = fresh('excluded');
    const excludedId = await suite.download('intranet-report.exe', bytes);
    // A download after it, once the site is no longer excluded: when its record is there, the first one was handled.
    await settings();
    const controlBytes = fresh('control');
    const controlId = await suite.download('after-exclusion.bin', controlBytes);
    await waitForRecord(popup, (r) => byDownloadId(controlId)(r) && isFinished(r), { what: 'the download after it' });

    expect((await readRecords(popup)).filter(byDownloadId(excludedId))).toEqual([]);
    const sent = suite.emulator.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual([`/api/v3/files/${sha256Hex(controlBytes)}`]);
    expect(sent.some((r) => r.path.includes(sha256Hex(bytes)))).toBe(false);
  });
});

describe('"Look again now" on a finished row', () => {
  it('makes exactly one request, past the history cache, and says what changed', async () => {
    await settings();
    const bytes = fresh('look-again');
    const id = await suite.download('look-again.exe', bytes);
    const first = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the first scan' });
    expect(first).toMatchObject({ status: 'done', verdict: 'unknown' });
    // Meanwhile VirusTotal has come to know the file.
    suite.emulator.addFile(bytes, 'malicious');
    const before = suite.emulator.requests.length;

    const scanRow = row(popup, first.token);
    if ((await scanRow.getByRole('button', { name: 'Look again now' }).count()) === 0) await scanRow.locator('button.scan__summary').click();
    await scanRow.getByRole('button', { name: 'Look again now' }).click();
    const again = await waitForRecord(popup, (r) => r.token === first.token && isFinished(r) && !!r.previous, { what: 'the fresh look' });
    expect(again).toMatchObject({ status: 'done', verdict: 'malicious', fromCache: false, previous: { verdict: 'unknown' } });
    const sent = suite.emulator.requests.slice(before);
    expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v3/files/${sha256Hex(bytes)}`]);
    await expect.poll(() => scanRow.getByTestId('verdict-change').textContent(), SOON).toMatch(/^Unknown before, Malicious \(\d+\/\d+\) now$/);
  });
});

describe('a key shared with other apps', () => {
  it('the popup says the key is also used elsewhere after VirusTotal refused a request ScanDock’s counters allowed', async () => {
    await expect.poll(() => popup.getByTestId('quota-shared-key').count(), SOON).toBe(0);
    // One request in, VirusTotal answers 429 though ScanDock's own count has room.
    suite.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', match: { path: /\/files\// } });
    await suite.download('shared-key.txt', fresh('shared-key'));
    await expect.poll(() => popup.getByTestId('quota-shared-key').textContent(), SOON).toMatch(/^Your key is also used elsewhere/);
    expect(suite.emulator.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });
});
