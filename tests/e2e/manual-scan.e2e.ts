/**
 * Scanning files a person picks in the popup ("Scan files…"), as the seed scanned a whole folder: the
 * files are handed to the background through IndexedDB, queue under the quota like any scan, and their
 * verdicts show in the list.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes, eicarBytes } from '../emulator/fixtures';
import { isFinished, waitForRecords } from '../support/scan-records';
import { lookups, row, startSuite, useAcceptedKey, SOON, type Suite } from './suite';

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('manual-scan');
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('picking files in the popup', () => {
  it('scans several picked files and shows each verdict, with one lookup per file', async () => {
    await popup.getByTestId('file-input').setInputFiles([
      { name: 'picked-eicar.com', mimeType: 'application/octet-stream', buffer: Buffer.from(eicarBytes()) },
      { name: 'picked-notes.txt', mimeType: 'text/plain', buffer: Buffer.from(cleanSampleBytes()) },
    ]);
    const records = await waitForRecords(
      popup,
      (all) => {
        const picked = all.filter((r) => r.source.kind === 'file');
        return picked.length === 2 && picked.every(isFinished) ? picked : undefined;
      },
      { what: 'the two picked files' },
    );
    const byName = new Map(records.map((r) => [r.fileName, r]));
    expect(byName.get('picked-eicar.com')).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(byName.get('picked-notes.txt')).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(lookups(suite.emulator)).toBe(2);
    await expect.poll(() => row(popup, byName.get('picked-eicar.com')!.token).getAttribute('data-verdict'), SOON).toBe('malicious');
    await expect.poll(() => row(popup, byName.get('picked-notes.txt')!.token).getAttribute('data-verdict'), SOON).toBe('clean');
    // Nothing of the person's files is uploaded without their say.
    expect(suite.emulator.uploads).toHaveLength(0);
  });
});
