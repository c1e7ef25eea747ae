/**
 * File names and engine labels come from servers, pages and VirusTotal's engines: the popup must show
 * them as text. HTML must not become elements, a right-to-left override must not reorder the name.
 */
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markedMalwareBytes } from '../emulator/fixtures';
import { withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { filePath, row, SOON, startSuite, useAcceptedKey, type Suite } from './suite';

declare const scandockContextMenuClick: (info: { menuItemId: string; linkUrl: string; pageUrl: string }) => Promise<string | null>;

/** Reads as "…txt.exe" with the override honoured; contains markup that would run if parsed as HTML. */
const HOSTILE_NAME = '<img src=x onerror=alert(1)>\u202Eexe.txt';
const HOSTILE_ENGINE = '<img src=x onerror=alert(2)>';
const HOSTILE_RESULT = '<b>Trojan</b><script>alert(3)</script>\u202Eexe.gpj';

let suite: Suite;
let popup: Page;
const dialogs: string[] = [];
let bytes: Uint8Array;

beforeAll(async () => {
  suite = await startSuite('hostile');
  await useAcceptedKey(suite.ext.worker);
  suite.ext.context.on('dialog', (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss().catch(() => undefined);
  });
  // A file the emulator knows, with one engine whose name and label are markup.
  bytes = markedMalwareBytes('hostile');
  const sha256 = suite.emulator.addFile(bytes, 'malicious');
  const results = suite.emulator.files.get(sha256)!.scan.results;
  const [key] = Object.keys(results).filter((k) => results[k]?.category === 'malicious');
  results[key!] = { ...results[key!]!, engine_name: HOSTILE_ENGINE, result: HOSTILE_RESULT };
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

/** Expands a row and checks its whole text, including the engines table, for the hostile strings. */
async function expectShownAsText(token: string, expectedName: string): Promise<void> {
  const scanRow = row(popup, token);
  await expect.poll(() => scanRow.getAttribute('data-verdict'), SOON).toBe('malicious');
  // Seen as head + tail (the end of a long name stays in sight), heard as one name.
  expect((await scanRow.locator('.scan__name > [aria-hidden="true"]').allTextContents()).join('')).toBe(expectedName);
  expect(await scanRow.locator('.scan__name > .sr-only').textContent()).toBe(expectedName);
  await scanRow.locator('button.scan__summary').click();
  const engines = scanRow.getByTestId('engines');
  await engines.waitFor();
  const table = (await engines.textContent()) ?? '';
  expect(table).toContain(HOSTILE_ENGINE);
  expect(table).toMatch(/<b>Trojan<\/b><script>alert\(3\)<\/script> ?exe\.gpj/);
  expect(await scanRow.textContent()).not.toContain('\u202E');
  expect(await popup.locator('img, script:not([src]), b').count()).toBe(0);
  expect(dialogs).toEqual([]);
}

describe('hostile input in the popup', () => {
  it('shows a download named with HTML and a right-to-left override as text', async () => {
    const id = await suite.download(HOSTILE_NAME, bytes);
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the hostile download' });
    // Chrome itself replaces < > and the override in names it saves; the popup shows what it got.
    expect(record.fileName).toBe('_img src=x onerror=alert(1)__exe.txt');
    await expectShownAsText(record.token, record.fileName);
  });

  it('shows a link whose name carries HTML and a right-to-left override as text', async () => {
    const url = suite.site.serve(filePath(suite.site, HOSTILE_NAME).replace('/files/', '/links/'), { body: bytes });
    const worker = await suite.ext.getWorker();
    const token = await withTimeout(
      worker.evaluate((linkUrl) => scandockContextMenuClick({ menuItemId: 'scandock-scan-file', linkUrl, pageUrl: 'http://127.0.0.1/' }), url),
      10_000,
      'the context-menu handler',
    );
    const record = await waitForRecord(popup, (r) => r.token === token && isFinished(r), { what: 'the hostile link scan' });
    // The name reaches the record with its markup (it is data); the override is gone.
    expect(record.fileName).toBe('<img src=x onerror=alert(1)> exe.txt');
    await expectShownAsText(record.token, '<img src=x onerror=alert(1)> exe.txt');
  });
});
