/**
 * The second look in real Chromium: a download VirusTotal calls clean when it is saved is detected by the time
 * its second look comes (the test-only schedule shortens "1 day" to seconds); the popup's row and the
 * notification say so, and the first verdict stays visible in the row's details.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { row, startSuite, useAcceptedKey, useSettings, SOON, type Suite } from './suite';

/** The part of the worker's `chrome` the notification spy uses. */
interface WorkerChrome {
  notifications: { create(id: string, options: { title?: string; message?: string }): Promise<string> };
}
declare const chrome: WorkerChrome;
declare let scandockNotified: Array<{ id: string; title?: string; message?: string }>;

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('second-look');
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, { secondLookDelaysSeconds: [10, 20] });
  // Every notification the background shows, as it asked for it (the real one is shown too).
  await withTimeout(
    suite.ext.worker.evaluate(() => {
      scandockNotified = [];
      const create = chrome.notifications.create.bind(chrome.notifications);
      chrome.notifications.create = (id, options) => {
        scandockNotified.push({ id, title: options.title, message: options.message });
        return create(id, options);
      };
    }),
    10_000,
    'the notification spy',
  );
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('second look', () => {
  it('reports a download clean when saved and detected at its second look, in the row and a notification', async () => {
    const bytes = new TextEncoder().encode(`ScanDock second-look e2e ${Date.now()}`);
    const sha256 = suite.emulator.addFile(bytes, 'clean', ['tool.exe']);
    const id = await suite.download('tool.exe', bytes);
    const first = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the day-0 scan' });
    expect(first).toMatchObject({ status: 'done', verdict: 'clean', secondLook: { looks: 0 } });
    expect(first.secondLookAt).toBe(first.createdAt + 10_000);

    // VirusTotal's engines learn about the file before the look comes.
    suite.emulator.reanalyseAs(sha256, 'malicious');
    const later = await waitForRecord(popup, (r) => r.token === first.token && r.secondLook?.ended === 'worse', { what: 'the second look', timeoutMs: 60_000 });
    expect(later).toMatchObject({ verdict: 'malicious', detected: true, secondLook: { looks: 1, first: { verdict: 'clean', at: first.createdAt } } });

    const laterRow = row(popup, first.token);
    await expect.poll(() => laterRow.getAttribute('data-verdict'), SOON).toBe('malicious');
    await laterRow.getByTestId('detected-later').waitFor();
    await laterRow.locator('button.scan__summary').click();
    expect(await laterRow.getByTestId('second-look').textContent()).toMatch(/^Clean when downloaded \(.+\); detected on look 1$/);
    expect(await laterRow.getByTestId('answer').textContent()).toMatch(/^Fetched from VirusTotal /);
    expect(await laterRow.getByTestId('new-to-virustotal').textContent()).toMatch(/^New to VirusTotal \(first seen /);
    const artifacts = path.join(REPO_ROOT, 'tests', 'artifacts');
    await mkdir(artifacts, { recursive: true });
    await popup.screenshot({ path: path.join(artifacts, 'second-look.png'), animations: 'disabled' });

    const notified = await withTimeout(suite.ext.worker.evaluate(() => scandockNotified), 10_000, 'the notifications shown');
    expect(notified).toContainEqual({ id: `scandock:${first.token}`, title: 'Detected after download', message: expect.stringMatching(/^tool\.exe — downloaded 0 days ago, now detected by \d+\/\d+ engines\.$/) });
  });
});
