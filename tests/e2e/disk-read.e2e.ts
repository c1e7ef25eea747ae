/**
 * Reading finished downloads from disk in Chrome. With "Allow access to file URLs" on (an extension loaded
 * unpacked has it), a blob: download made by a page script, a one-time link and a POST form's download each
 * get a verdict from the saved file, and the record and the details say so; a file changed on disk after
 * its download is not given the verdict it had. With file access switched off on chrome://extensions (the
 * real switch, through the page's own API), the same downloads end with a sentence that says what helps and
 * the buttons for it, "Allow access to file URLs" opening ScanDock's details page, and get their verdicts by
 * themselves once it is switched back on; a download the site serves again is fetched. ScanDock's own history export never leaves a record, with file access or without.
 * A file rewritten while its scan waited (host access withheld) ends without a verdict.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes, markedMalwareBytes } from '../emulator/fixtures';
import { withTimeout } from '../support/extension-browser';
import { blobDownloadPage, formDownloadPage } from '../support/file-server';
import { byDownloadId, isFinished, readRecords, waitForRecord } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

/** The part of the extension's `chrome` global this file calls inside the worker. */
declare const chrome: { downloads: { search(query: object): Promise<Array<{ id: number; url: string; filename: string; state: string }>> } };

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite('disk-read', { quota: { perMinute: 100, perDay: 10_000 } });
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, { quotaPreset: 'custom', quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 } });
});

afterAll(async () => {
  await suite?.close();
});

type Way = 'blob' | 'one-time link' | 'POST form';
const WAYS: Way[] = ['blob', 'one-time link', 'POST form'];

/**
 * Downloads `bytes` as `name` the way a person meets each kind: a page that builds a Blob and clicks an
 * `<a download>`, a link that works once, a form that POSTs. None of them can be fetched a second time.
 */
async function downloadVia(way: Way, name: string, bytes: Uint8Array): Promise<number> {
  const { site, ext } = suite;
  const stem = encodeURIComponent(name);
  if (way === 'one-time link') return ext.download(site.serve(`/once/${stem}`, { body: bytes, serveTimes: 1 }));
  if (way === 'POST form') {
    site.serve(`/post/${stem}`, { body: bytes, method: 'POST', headers: { 'content-disposition': `attachment; filename="${name}"` } });
    return ext.downloadFromPage(site.serve(`/pages/form-${stem}.html`, formDownloadPage(`/post/${stem}`)), '#save');
  }
  return ext.downloadFromPage(site.serve(`/pages/blob-${stem}.html`, blobDownloadPage(name, bytes)), '#save');
}

/** Bytes the emulator calls malicious, new to every call. */
function knownMalware(label: string, name: string): Uint8Array {
  const bytes = markedMalwareBytes(label);
  suite.emulator.addFile(bytes, 'malicious', [name]);
  return bytes;
}

/** Expands a row and reads its details' "Read from" line. */
async function readFromText(popup: Page, token: string): Promise<string> {
  const scanRow = row(popup, token);
  if ((await scanRow.getByTestId('read-from').count()) === 0) await scanRow.locator('button.scan__summary').click();
  return (await scanRow.getByTestId('read-from').textContent()) ?? '';
}

/** Waits for a new tab whose address starts with `prefix` (opened by a button) and closes it. */
async function tabOpened(prefix: string, click: () => Promise<void>): Promise<string> {
  const before = new Set(suite.ext.context.pages());
  await click();
  let url = '';
  await expect
    .poll(() => {
      const opened = suite.ext.context.pages().find((p) => !before.has(p) && p.url().startsWith(prefix));
      url = opened?.url() ?? '';
      return url;
    }, SOON)
    .not.toBe('');
  await Promise.all(suite.ext.context.pages().filter((p) => !before.has(p)).map((p) => p.close()));
  return url;
}

/**
 * Exports the history from the options page and proves no record came of it: downloads are taken in one at
 * a time, in order, so once a download started after the export has its record, the export was looked at.
 */
async function exportLeavesNoRecord(popup: Page): Promise<void> {
  const options = await suite.ext.openOptions();
  const worker = await suite.ext.getWorker();
  const exports = () => withTimeout(worker.evaluate(() => chrome.downloads.search({})), 10_000, 'downloads.search').then((all) => all.filter((d) => d.url.startsWith('blob:chrome-extension://')));
  const before = (await exports()).length;
  await options.getByRole('button', { name: 'Export as JSON' }).click();
  await expect.poll(async () => (await exports()).filter((d) => d.state === 'complete').length, SOON).toBe(before + 1);
  await options.close();
  const after = await suite.download(`after-export-${before}.txt`, cleanSampleBytes());
  await waitForRecord(popup, byDownloadId(after), { what: 'the download after the export' });
  const records = await readRecords(popup);
  expect(records.filter((r) => r.source.kind === 'download' && r.source.url.startsWith('blob:chrome-extension://'))).toEqual([]);
  expect(records.filter((r) => /^scandock-history/.test(r.fileName))).toEqual([]);
}

describe('with file access on (loaded unpacked)', () => {
  let popup: Page;
  beforeAll(async () => {
    popup = await suite.ext.openPopup();
  });
  afterAll(async () => {
    await popup.close();
  });

  it('the options page says file access is on and what it buys', async () => {
    const options = await suite.ext.openOptions();
    const state = options.getByTestId('file-access-state');
    await expect.poll(() => state.getAttribute('data-on'), SOON).toBe('true');
    expect(await state.textContent()).toMatch(/^On: ScanDock reads each finished download from your disk\. Nothing is downloaded twice/);
    await options.close();
  });

  it.each(WAYS)('a %s download gets a verdict from the saved file, and says so', async (way) => {
    const name = `disk-${way.replace(/\W+/g, '-')}.exe`;
    const id = await downloadVia(way, name, knownMalware(`on ${way}`, name));
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: `the ${way} scan` });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'disk', readNote: null, error: null });
    if (way === 'blob') expect(record.source).toMatchObject({ url: expect.stringMatching(/^blob:http:\/\/127\.0\.0\.1:/) });
    await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('malicious');
    expect(await readFromText(popup, record.token)).toBe('the saved file on disk');
  });

  it('a file changed on disk after its download is not given the verdict it had', async () => {
    const clean = cleanSampleBytes();
    const id = await suite.download('changed-later.txt', clean);
    const first = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the first scan' });
    expect(first).toMatchObject({ verdict: 'clean', readFrom: 'disk' });
    const path = first.source.kind === 'download' ? first.source.filename! : '';
    const scanRow = row(popup, first.token);
    await expect.poll(() => scanRow.getAttribute('data-verdict'), SOON).toBe('clean');
    const rescan = async () => {
      const button = scanRow.getByRole('button', { name: /^(Rescan|Look again now)$/ });
      if ((await button.count()) === 0) await scanRow.locator('button.scan__summary').click();
      await button.click();
    };

    // Rewritten with other bytes of the same length: the new bytes' verdict.
    const bad = new TextEncoder().encode(`ScanDock fake malware ${'x'.repeat(clean.byteLength - 22)}`);
    expect(bad.byteLength).toBe(clean.byteLength);
    suite.emulator.addFile(bad, 'malicious', ['changed-later.txt']);
    await writeFile(path, bad);
    await rescan();
    await expect.poll(() => scanRow.getAttribute('data-verdict'), SOON).toBe('malicious');

    // Rewritten to another size: no verdict at all, and the row says why.
    await writeFile(path, 'rewritten after the download');
    await rescan();
    const changed = await waitForRecord(popup, (r) => r.token === first.token && r.status === 'error', { what: 'the rescan of the rewritten file' });
    expect(changed).toMatchObject({ verdict: null, error: { code: 'download-changed', params: { gotBytes: 28, expectedBytes: clean.byteLength } } });
    await expect.poll(() => scanRow.getByTestId('error').textContent(), SOON).toBe(
      `The saved file changed after the download finished: it is 28 B now, and the download was ${clean.byteLength} B. ScanDock did not give it the download’s verdict. Scan it as it is now with “Scan files…”.`,
    );
    expect(await scanRow.getAttribute('data-verdict')).toBe('');
    expect(await scanRow.getByTestId('remedy-scan-files').count()).toBe(1);
    expect(await scanRow.getByTestId('remedy-file-access').count()).toBe(0);
  });

  it('a file changed on disk while its scan waited is not given the download’s verdict', async () => {
    // Host access withheld: the scan waits before reading, and meanwhile the saved file is rewritten.
    await suite.ext.setSiteAccess('ON_CLICK');
    const name = 'changed-while-waiting.exe';
    const id = await suite.download(name, knownMalware('changed while waiting', name));
    const waiting = await waitForRecord(popup, (r) => byDownloadId(id)(r) && r.notice?.code === 'no-host-access', { what: 'the waiting scan' });
    await writeFile(waiting.source.kind === 'download' ? waiting.source.filename! : '', cleanSampleBytes());
    await suite.ext.setSiteAccess('ON_ALL_SITES');
    const record = await waitForRecord(popup, (r) => r.token === waiting.token && isFinished(r), { what: 'the scan once access is back' });
    expect(record).toMatchObject({ status: 'error', verdict: null, error: { code: 'download-changed' } });
    await expect.poll(() => row(popup, record.token).getByTestId('error').textContent(), SOON).toMatch(/^The saved file changed after the download finished/);
  });

  it('an export of the history is not scanned and leaves no record', async () => {
    await exportLeavesNoRecord(popup);
  });
});

describe('with file access switched off on chrome://extensions', () => {
  let popup: Page;
  const failed = new Map<Way, string>();
  beforeAll(async () => {
    await suite.ext.setFileAccess(false);
    popup = await suite.ext.openPopup();
  });
  afterAll(async () => {
    await popup?.close();
  });

  it('the options page says file access is off, and its button opens ScanDock’s details page', async () => {
    const options = await suite.ext.openOptions();
    const state = options.getByTestId('file-access-state');
    await expect.poll(() => state.getAttribute('data-on'), SOON).toBe('false');
    expect(await state.textContent()).toMatch(/^Off: ScanDock fetches each finished download again from its address\. That is a second download, and it fails for files made by web apps \(blob:\)/);
    const opened = await tabOpened('chrome://extensions', () => options.getByTestId('file-access-button').click());
    expect(opened).toBe(`chrome://extensions/?id=${suite.ext.extensionId}`);
    await options.close();
  });

  it.each(WAYS)('a %s download ends with the remedy: “Allow access to file URLs” next to “Scan files…”', async (way) => {
    const name = `off-${way.replace(/\W+/g, '-')}.exe`;
    const id = await downloadVia(way, name, knownMalware(`off ${way}`, name));
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: `the ${way} scan` });
    expect(record).toMatchObject({ status: 'error', verdict: null, readFrom: null, error: { code: 'download-needs-file-access' } });
    failed.set(way, record.token);
    const scanRow = row(popup, record.token);
    await expect.poll(() => scanRow.getByTestId('error').textContent(), SOON).toBe(
      'ScanDock could not fetch this download again (files made by web apps, one-time or expired links, forms and sign-ins cannot be), and it may not read the saved file. Switch on “Allow access to file URLs” for ScanDock, or scan the saved file with “Scan files…”.',
    );
    expect(await scanRow.getByTestId('remedy-scan-files').textContent()).toBe('Scan files…');
    const opened = await tabOpened('chrome://extensions', () => scanRow.getByTestId('remedy-file-access').click());
    expect(opened).toBe(`chrome://extensions/?id=${suite.ext.extensionId}`);
  });

  it('the row’s “Scan files…” scans the picked file', async () => {
    const token = failed.get('blob')!;
    await row(popup, token).getByTestId('remedy-file-input').setInputFiles({ name: 'picked-instead.exe', mimeType: 'application/octet-stream', buffer: Buffer.from(cleanSampleBytes()) });
    const picked = await waitForRecord(popup, (r) => r.fileName === 'picked-instead.exe' && isFinished(r), { what: 'the picked file' });
    expect(picked).toMatchObject({ status: 'done', verdict: 'clean', readFrom: null });
  });

  it('a download the site serves again is fetched again, and the details say why', async () => {
    const name = 'served-again.exe';
    const id = await suite.download(name, knownMalware('off served again', name));
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', readFrom: 'network', readNote: { code: 'disk-access-off' } });
    expect(await readFromText(popup, record.token)).toBe(
      'its address, fetched againScanDock may not read files on your disk (“Allow access to file URLs” is off), so it fetched the download again from its address.',
    );
  });

  it('an export of the history is not scanned and leaves no error row', async () => {
    await exportLeavesNoRecord(popup);
  });

  it('once file access is back on, the failed downloads get their verdicts from disk by themselves', async () => {
    // Chrome restarts ScanDock when the switch changes; the new background rescans what needed it.
    await suite.ext.setFileAccess(true);
    popup = await suite.ext.openPopup();
    for (const [way, token] of failed) {
      const record = await waitForRecord(popup, (r) => r.token === token && r.status === 'done', { what: `the ${way} download, scanned again` });
      expect(record, way).toMatchObject({ verdict: 'malicious', readFrom: 'disk', error: null });
      await expect.poll(() => row(popup, token).getAttribute('data-verdict'), SOON).toBe('malicious');
    }
  });
});
