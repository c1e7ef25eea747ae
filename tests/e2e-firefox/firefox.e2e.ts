/**
 * ScanDock in Debian's Firefox ESR as a new user meets it, the build installed as a temporary add-on:
 * saving a key (a wrong one refused), EICAR malicious and a clean file with their rows and ratios in the
 * popup, no listener Firefox does not implement, a suspended background page woken by a download, files
 * picked in the Scan files tab (Firefox closes the popup when a file picker opens), a blob: download that
 * cannot be read (Firefox gives extensions no file access) with "Scan files…" on its row, a history export
 * that leaves no record, and host access withdrawn then given back from the popup's button.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPatternFor } from '../../utils/permissions/host-pattern';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import { DEMO_API_KEY } from '../emulator/virustotal-emulator';
import { blobDownloadPage } from '../support/file-server';
import { ofDownload, getFirefoxStorage, recordScope, setFirefoxStorage, type FirefoxDownload, type FirefoxPage } from '../support/firefox-browser';
import { isFinished, readRecords, waitForRecord, waitForRecords } from '../support/scan-records';
import { eventually, rowOf, SOON, startFirefoxSuite, type FirefoxSuite } from './suite';

/** The part of the add-on's `browser` global this file calls inside its pages. */
declare const browser: { downloads: { search(query: object): Promise<FirefoxDownload[]> } };

/** 64 hex characters, shaped like a real key, that the emulator does not accept. */
const WRONG_KEY = 'bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0bad0';

let suite: FirefoxSuite;
let options: FirefoxPage;
let filesDir: string;

beforeAll(async () => {
  suite = await startFirefoxSuite('main', { emulator: { quota: { perMinute: 100, perDay: 10_000 } } });
  filesDir = await mkdtemp(path.join(tmpdir(), 'scandock-picked-'));
  options = await suite.ext.openOptions();
  // A roomy quota, so this file's requests never wait for a minute to pass.
  await setFirefoxStorage(options, { settings: { quotaPreset: 'custom', quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 } } });
});

afterAll(async () => {
  await suite?.close();
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
});

/** Types a key into the options page and presses Save; resolves with the outcome shown. */
async function saveKey(key: string): Promise<{ kind: string | null; text: string }> {
  await options.evaluate((value: string) => {
    const input = document.querySelector<HTMLInputElement>('[data-testid="api-key"]')!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, key);
  await options.evaluate(() => document.querySelector('[data-testid="key-outcome"]')?.removeAttribute('data-outcome'));
  await options.click('button[type="submit"]');
  const kind = await eventually(() => options.attribute('[data-testid="key-outcome"]', 'data-outcome'), (k) => k === 'ok' || k === 'error', { what: 'the key outcome' });
  return { kind, text: (await options.text('[data-testid="key-outcome"]')) ?? '' };
}

/** Seconds between a download's end and its record being done. */
function secondsAfterDownload(record: { updatedAt: number }, download: { endTime?: string }, completeAt: number): number {
  const ended = download.endTime ? Date.parse(download.endTime) : completeAt;
  return (record.updatedAt - ended) / 1000;
}

describe('ScanDock in Firefox', () => {
  it('registers only listeners Firefox implements (no "unimplemented" warning at start-up)', async () => {
    expect(await suite.ext.backgroundState()).toBe('running');
    expect(await suite.ext.consoleMessages(/scandock@scandock\.dev.*unimplemented|unimplemented.*scandock/i)).toEqual([]);
  });

  it('refuses a key VirusTotal rejects, and keeps nothing', async () => {
    const outcome = await saveKey(WRONG_KEY);
    expect(outcome).toMatchObject({ kind: 'error' });
    expect(outcome.text).toMatch(/VirusTotal rejected this API key/);
    expect(await getFirefoxStorage(options, ['apiKey'])).not.toHaveProperty('apiKey', WRONG_KEY);
  });

  it('saves a key VirusTotal accepts, checked with one request', async () => {
    const outcome = await saveKey(DEMO_API_KEY);
    expect(outcome.kind).toBe('ok');
    expect(outcome.text).toMatch(/accepted/i);
    expect(await getFirefoxStorage(options, ['apiKey', 'keyStatus'])).toEqual({ apiKey: DEMO_API_KEY, keyStatus: 'valid' });
    await eventually(() => options.attribute('[data-testid="key-state"]', 'data-key-status'), (s) => s === 'valid', { what: 'the key state' });
  });

  it('shows an EICAR download as malicious in the popup, with its ratio', async () => {
    const download = await suite.download('eicar.com', eicarBytes());
    const completeAt = Date.now();
    const record = await waitForRecord(recordScope(options), (r) => ofDownload(download)(r) && isFinished(r), { what: 'the EICAR scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256, fileName: 'eicar.com' });
    expect(record.source).toMatchObject({ kind: 'download', startTime: download.startTime, filename: download.filename });
    console.info(`EICAR: done ${secondsAfterDownload(record, download, completeAt).toFixed(2)} s after the download ended`);

    const popup = await suite.ext.openPopup();
    await eventually(() => popup.attribute(rowOf(record.token), 'data-verdict'), (v) => v === 'malicious', { what: 'the EICAR row' });
    const ratio = (await popup.text(`${rowOf(record.token)} [data-testid="ratio"]`)) ?? '';
    const malicious = suite.emulator.files.get(EICAR_SHA256)?.scan.stats.malicious;
    expect(ratio).toMatch(/^\d+\/\d+$/);
    expect(Number(ratio.split('/')[0])).toBe(malicious);
    expect(Number(ratio.split('/')[0])).toBeGreaterThan(40);
    await popup.close();
  });

  it('shows a file VirusTotal knows as harmless as clean, both rows in the popup', async () => {
    const download = await suite.download('notes.txt', cleanSampleBytes());
    const record = await waitForRecord(recordScope(options), (r) => ofDownload(download)(r) && isFinished(r), { what: 'the clean scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', detected: false });

    const popup = await suite.ext.openPopup();
    await eventually(() => popup.attribute(rowOf(record.token), 'data-verdict'), (v) => v === 'clean', { what: 'the clean row' });
    expect(await popup.text(`${rowOf(record.token)} [data-testid="ratio"]`)).toMatch(/^0\/\d+$/);
    const shown = await popup.evaluate(() =>
      [...document.querySelectorAll('li[data-token]')].map((li) => ({ verdict: li.getAttribute('data-verdict'), text: li.textContent ?? '' })),
    );
    expect(shown.map((r) => r.verdict)).toEqual(['clean', 'malicious']);
    expect(shown[0]!.text).toContain('notes.txt');
    expect(shown[1]!.text).toContain('eicar.com');
    await popup.close();
  });

  it('a download wakes the suspended background page, which scans it', async () => {
    // A message from the previous test's popup still on its way can start the page again at once: suspend it
    // until it stays suspended, so that what wakes it below is the download.
    await eventually(
      async () => {
        await suite.ext.terminateBackground();
        await new Promise((resolve) => setTimeout(resolve, 250));
        return suite.ext.backgroundState();
      },
      (s) => s === 'stopped',
      { what: 'the background page suspended' },
    );
    const download = await suite.download('after-suspend.com', eicarBytes());
    await eventually(() => suite.ext.backgroundState(), (s) => s === 'running', { what: 'the background page' });
    const record = await waitForRecord(recordScope(options), (r) => ofDownload(download)(r) && isFinished(r), { what: 'the scan after the wake-up' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await suite.ext.consoleMessages(/scandock@scandock\.dev.*unimplemented/i)).toEqual([]);
  });

  it('"Scan files…" opens the Scan files tab, where picked files are scanned and their verdicts shown', async () => {
    const eicarPath = path.join(filesDir, 'picked-eicar.com');
    const notesPath = path.join(filesDir, 'picked-notes.txt');
    await writeFile(eicarPath, eicarBytes());
    await writeFile(notesPath, cleanSampleBytes());
    const lookupsBefore = suite.emulator.requests.length;

    const popup = await suite.ext.openPopup();
    expect(await popup.attribute('[data-testid="scan-files"]', 'data-picks-in')).toBe('tab');
    await popup.click('[data-testid="scan-files"]');
    const tab = await suite.ext.tabStartingWith(`${suite.ext.origin}/popup.html?view=files`);
    // The popup closed itself, as the toolbar popup does when the tab opens.
    await eventually(async () => (await suite.ext.tabs()).some((t) => t.context === popup.context), (open) => !open, { what: 'the popup closing' });
    expect(await tab.text('#files-title')).toBe('Scan files with ScanDock');
    expect(await tab.attribute('[data-testid="scan-files"]', 'data-picks-in')).toBe('page');

    await tab.setFiles('[data-testid="file-input"]', [eicarPath, notesPath]);
    const records = await waitForRecords(
      recordScope(tab),
      (all) => {
        const picked = all.filter((r) => r.source.kind === 'file');
        return picked.length === 2 && picked.every(isFinished) && picked;
      },
      { what: 'the two picked files' },
    );
    const byName = new Map(records.map((r) => [r.fileName, r]));
    expect(byName.get('picked-eicar.com')).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(byName.get('picked-notes.txt')).toMatchObject({ status: 'done', verdict: 'clean' });
    // EICAR is answered from the history; the new file costs one lookup. Nothing is uploaded.
    expect(suite.emulator.requests.length - lookupsBefore).toBeLessThanOrEqual(1);
    expect(suite.emulator.uploads).toHaveLength(0);
    await eventually(() => tab.attribute(rowOf(byName.get('picked-eicar.com')!.token), 'data-verdict'), (v) => v === 'malicious', SOON);
    await eventually(() => tab.attribute(rowOf(byName.get('picked-notes.txt')!.token), 'data-verdict'), (v) => v === 'clean', SOON);
    await tab.close();
  });

  it('a blob: download a page made cannot be read: it says so plainly, with “Scan files…” on its row', async () => {
    const bytes = markedMalwareBytes('firefox-blob');
    const page = suite.site.serve('/pages/blob.html', blobDownloadPage('made-by-a-web-app.exe', bytes));
    const download = await suite.ext.downloadFromPage(page, '#save');
    expect(download.url).toMatch(/^blob:http:\/\/127\.0\.0\.1:/);
    const record = await waitForRecord(recordScope(options), (r) => ofDownload(download)(r) && isFinished(r), { what: 'the blob: scan' });
    expect(record).toMatchObject({ status: 'error', verdict: null, readFrom: null, error: { code: 'download-not-readable' } });

    const popup = await suite.ext.openPopup();
    const error = await eventually(() => popup.text(`${rowOf(record.token)} [data-testid="error"]`), (t) => t !== null, { what: 'the error row' });
    expect(error).toBe(
      'This download could not be read: it cannot be fetched again (files made by web apps, one-time or expired links, forms and sign-ins cannot be), and Firefox does not let extensions read the saved file. Scan the saved file with “Scan files…”.',
    );
    expect(await popup.text(`${rowOf(record.token)} [data-testid="remedy-scan-files"]`)).toBe('Scan files…');
    expect(await popup.attribute(`${rowOf(record.token)} [data-testid="remedy-scan-files"]`, 'data-picks-in')).toBe('tab');
    // Firefox has no file access to allow.
    expect(await popup.count(`${rowOf(record.token)} [data-testid="remedy-file-access"]`)).toBe(0);
    await popup.close();
    expect(await options.text('[data-testid="file-access-state"]')).toMatch(/^Firefox does not let extensions read files on your disk/);
    expect(await options.count('[data-testid="file-access-button"]')).toBe(0);
  });

  it('an export of the history is not scanned and leaves no record', async () => {
    const exports = async () => (await options.evaluate(() => browser.downloads.search({}))).filter((d) => d.url.startsWith('blob:moz-extension://'));
    const before = (await exports()).length;
    await options.click('button', 'Export as JSON');
    await eventually(async () => (await exports()).filter((d) => d.state === 'complete').length, (n) => n === before + 1, { what: 'the export download' });
    // Downloads are taken in one at a time, in order: once a later one has its record, the export was looked at.
    const after = await suite.download('after-export.txt', cleanSampleBytes());
    await waitForRecord(recordScope(options), ofDownload(after), { what: 'the download after the export' });
    const records = await readRecords(recordScope(options));
    expect(records.filter((r) => r.source.kind === 'download' && r.source.url.startsWith('blob:moz-extension://'))).toEqual([]);
  });

  it('host access withdrawn: plain words and a button in the popup and options; scans wait, then go on once it is given back', async () => {
    const origins = [hostPatternFor(suite.emulator.baseUrl), '<all_urls>'];
    await suite.ext.withdrawHostAccess(origins);
    const popup = await suite.ext.openPopup();
    const banner = await eventually(() => popup.text('[data-testid="host-access-banner"]'), (t) => t !== null, { what: 'the popup banner' });
    expect(banner).toMatch(/not allowed to reach other sites/);
    expect(await popup.text('[data-testid="host-access-button"]')).toBe('Allow access');
    await eventually(() => options.text('[data-testid="host-access-banner"]'), (t) => t !== null, { what: 'the options banner' });

    // Saving a key says access is missing, not "could not reach VirusTotal".
    const requestsBefore = suite.emulator.requests.length;
    const outcome = await saveKey(DEMO_API_KEY);
    expect(outcome.text).toMatch(/not allowed to reach VirusTotal/);
    expect(outcome.text).not.toMatch(/network|offline|Could not reach/i);

    // A download waits with a notice instead of failing as "offline".
    const bytes = markedMalwareBytes('firefox-host-access');
    suite.emulator.addFile(bytes, 'malicious', ['while-withdrawn.exe']);
    const download = await suite.download('while-withdrawn.exe', bytes);
    const waiting = await waitForRecord(recordScope(options), (r) => ofDownload(download)(r) && r.notice?.code === 'no-host-access', { what: 'the waiting scan' });
    expect(waiting.status).toBe('ready');
    await eventually(() => popup.text(`${rowOf(waiting.token)} [data-testid="notice"]`), (t) => /Allow access/.test(t ?? ''), { what: 'the row notice' });
    expect(suite.emulator.requests.length).toBe(requestsBefore);

    // The button asks Firefox again (from the click); the scan goes on by itself.
    await popup.click('[data-testid="host-access-button"]');
    await eventually(() => popup.count('[data-testid="host-access-banner"]'), (n) => n === 0, { what: 'the banner going away' });
    const done = await waitForRecord(recordScope(options), (r) => r.token === waiting.token && isFinished(r), { what: 'the resumed scan' });
    expect(done).toMatchObject({ status: 'done', verdict: 'malicious', notice: null });
    await eventually(() => popup.attribute(rowOf(done.token), 'data-verdict'), (v) => v === 'malicious', SOON);
    await eventually(() => options.count('[data-testid="host-access-banner"]'), (n) => n === 0, { what: 'the options banner going away' });
    await popup.close();
  });
});
