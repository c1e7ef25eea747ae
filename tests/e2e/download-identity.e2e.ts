/**
 * Download identity in Chrome: a download's record keeps its address, start time and path; "Delete file"
 * deletes it when the browser still knows that download, and refuses (deleting nothing) when its id no
 * longer names it — here because the download was erased from Chrome's history, after which Chrome may
 * hand the id out again.
 */
import { access } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes, markedMalwareBytes } from '../emulator/fixtures';
import { withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, type Suite } from './suite';

/** The part of the extension's `chrome` global this file calls inside the worker. */
declare const chrome: {
  downloads: {
    search(query: { id: number }): Promise<Array<{ id: number; url: string; finalUrl: string; startTime: string; filename: string }>>;
    erase(query: { id: number }): Promise<number[]>;
  };
};

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('download-identity');
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

async function searchDownload(id: number) {
  const worker = await suite.ext.getWorker();
  const [item] = await withTimeout(worker.evaluate((downloadId) => chrome.downloads.search({ id: downloadId }), id), 10_000, 'downloads.search');
  if (!item) throw new Error(`download ${id} is not in Chrome's list`);
  return item;
}

/** Presses "Delete file" on a row and confirms; resolves with what the row then says. */
async function deleteFromPopup(token: string): Promise<{ error: string | null; note: string | null }> {
  const scanRow = row(popup, token);
  await scanRow.locator('button.scan__summary').click();
  await scanRow.getByRole('button', { name: 'Delete file' }).click();
  await scanRow.getByRole('button', { name: 'Yes, delete the file' }).click();
  await expect.poll(async () => (await scanRow.getByTestId('action-error').count()) + (await scanRow.getByTestId('action-note').count()), SOON).toBe(1);
  const text = async (id: string) => ((await scanRow.getByTestId(id).count()) ? await scanRow.getByTestId(id).textContent() : null);
  return { error: await text('action-error'), note: await text('action-note') };
}

describe('download identity in Chrome', () => {
  it('keeps address, start time and path, and deletes the file while Chrome still knows that download', async () => {
    const id = await suite.download('keep-or-delete.txt', cleanSampleBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the scan' });
    const item = await searchDownload(id);
    expect(record.source).toMatchObject({ kind: 'download', downloadId: id, url: item.finalUrl || item.url, startTime: item.startTime, filename: item.filename });

    expect(await deleteFromPopup(record.token)).toEqual({ error: null, note: expect.stringMatching(/deleted/i) });
    await expect(access(item.filename)).rejects.toThrow();
  });

  it('refuses "Delete file", deleting nothing, once the id no longer names that download', async () => {
    const id = await suite.download('erased-from-history.exe', markedMalwareBytes('chrome-identity'));
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the scan' });
    const item = await searchDownload(id);
    const worker = await suite.ext.getWorker();
    await withTimeout(worker.evaluate((downloadId) => chrome.downloads.erase({ id: downloadId }), id), 10_000, 'downloads.erase');

    const outcome = await deleteFromPopup(record.token);
    expect(outcome.error).toMatch(/did not delete anything/);
    await expect(access(item.filename)).resolves.toBeUndefined();
    await expect.poll(() => row(popup, record.token).count(), SOON).toBe(1);
  });
});
