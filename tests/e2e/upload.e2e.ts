/**
 * A file VirusTotal has never seen: unknown and kept private by default; uploaded once, and only after
 * the person confirms in the popup; then the verdict of VirusTotal's analysis. And a file whose uploads got
 * no answer twice today: the row says so and offers "Upload again", which sends it once more.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedMalwareBytes, sha256Hex } from '../emulator/fixtures';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, type Suite } from './suite';

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  // The analysis completes at its first poll; the engine still waits POLL_INTERVAL_MS (15 s) before it.
  suite = await startSuite('upload', { analysisPolls: 0 });
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('a file VirusTotal has never seen', () => {
  it('is unknown and not uploaded, until the person uploads it from the popup', async () => {
    const bytes = markedMalwareBytes('unknown-upload');
    const sha256 = sha256Hex(bytes);
    const id = await suite.download('setup-tool.exe', bytes);
    const unknown = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the unknown file scan' });
    expect(unknown).toMatchObject({ status: 'done', verdict: 'unknown', sha256 });
    expect(suite.emulator.uploads).toEqual([]);

    const scanRow = row(popup, unknown.token);
    await expect.poll(() => scanRow.getAttribute('data-verdict'), SOON).toBe('unknown');
    await scanRow.locator('button.scan__summary').click();
    await scanRow.getByRole('button', { name: 'Upload to VirusTotal' }).click();
    // The confirmation says what uploading means; nothing is sent before the person agrees.
    await expect.poll(() => scanRow.getByRole('group').textContent(), SOON).toMatch(/cannot be deleted/);
    expect(suite.emulator.uploads).toEqual([]);
    await scanRow.getByRole('button', { name: 'Yes, upload' }).click();
    await expect.poll(() => scanRow.getByTestId('action-note').textContent(), SOON).toMatch(/Upload requested/);

    const analysed = await waitForRecord(popup, (r) => r.token === unknown.token && r.status === 'done' && r.verdict !== 'unknown', {
      timeoutMs: 45_000,
      what: 'the uploaded file’s verdict',
    });
    expect(analysed).toMatchObject({ verdict: 'malicious', detected: true, sha256 });
    expect(suite.emulator.uploads).toHaveLength(1);
    expect(suite.emulator.uploads[0]).toMatchObject({ sha256, name: 'setup-tool.exe', size: bytes.byteLength });
    await expect.poll(() => scanRow.getAttribute('data-verdict'), SOON).toBe('malicious');
  });
});

/**
 * Writes `patch` onto a record from an extension page, as the scheduler would after two sends whose answers
 * were lost (making that happen for real takes two 30 s timeouts and two 10-minute waits: the engine tests
 * prove the path in virtual time; this proves what the person sees and does with the result).
 */
async function patchRecord(page: Page, token: string, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ({ token, patch }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('scandock');
        open.onsuccess = () => {
          const tx = open.result.transaction('scans', 'readwrite');
          const store = tx.objectStore('scans');
          const read = store.get(token);
          read.onsuccess = () => store.put({ ...read.result, ...patch });
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    { token, patch },
  );
}

describe('a file whose uploads got no answer', () => {
  it('says so, offers "Upload again", and sends it once more when the person confirms', async () => {
    const bytes = markedMalwareBytes('lost-upload');
    const id = await suite.download('lost-tool.exe', bytes);
    const unknown = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the unknown file scan' });
    const sentAt = Date.now() - 60_000;
    await patchRecord(popup, unknown.token, {
      status: 'error', verdict: null, error: { code: 'vt-upload-lost', params: { sentAt } }, uploadSentAt: [sentAt - 900_000, sentAt],
    });
    const uploadsBefore = suite.emulator.uploads.length;

    const scanRow = row(popup, unknown.token);
    await expect.poll(() => scanRow.getByTestId('error').textContent(), SOON).toMatch(/twice today.*Upload again/);
    await scanRow.locator('button.scan__summary').click();
    await scanRow.getByRole('button', { name: 'Upload again' }).click();
    await scanRow.getByRole('button', { name: 'Yes, upload' }).click();
    // The public 4 requests a minute are spent by now: the upload may wait for the next minute, then 15 s for its analysis.
    const analysed = await waitForRecord(popup, (r) => r.token === unknown.token && r.status === 'done', { timeoutMs: 120_000, what: 'the file sent again' });
    expect(analysed).toMatchObject({ verdict: 'malicious', error: null });
    expect(analysed.uploadSentAt).toHaveLength(3);
    expect(suite.emulator.uploads.length - uploadsBefore).toBe(1);
  });
});
