/**
 * What a person sees for downloads and right-clicked links: EICAR malicious with its engines, a clean
 * file clean, a repeat answered from the cache, a link scanned from the context menu; and a screenshot.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import { REPO_ROOT, withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { lookups, row, startSuite, useAcceptedKey, SOON, type Suite } from './suite';

/** The handler the background exposes because headless Chromium cannot right-click. */
declare const scandockContextMenuClick: (info: { menuItemId: string; linkUrl: string; pageUrl: string }) => Promise<string | null>;

const ARTIFACTS = path.join(REPO_ROOT, 'tests', 'artifacts');

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('verdicts');
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('verdicts in the popup', () => {
  it('shows EICAR as malicious with its ratio, the engines that detected it and its SHA-256', async () => {
    const id = await suite.download('eicar.com', eicarBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the EICAR scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256, fileName: 'eicar.com' });

    const known = suite.emulator.files.get(EICAR_SHA256);
    const malicious = known?.scan.stats.malicious ?? 0;
    const eicarRow = row(popup, record.token);
    await expect.poll(() => eicarRow.getAttribute('data-verdict'), SOON).toBe('malicious');
    const ratio = (await eicarRow.getByTestId('ratio').textContent()) ?? '';
    const [shownMalicious, shownTotal] = ratio.split('/').map(Number);
    expect(ratio).toMatch(/^\d+\/\d+$/);
    expect(shownMalicious).toBe(malicious);
    expect(shownMalicious).toBeGreaterThan(40);
    expect(shownTotal).toBeGreaterThanOrEqual(shownMalicious ?? Infinity);

    await eicarRow.locator('button.scan__summary').click();
    const engines = eicarRow.getByTestId('engines');
    await engines.waitFor();
    await expect.poll(() => engines.locator('tbody tr[data-category="malicious"]').count(), SOON).toBe(malicious);
    expect(await engines.textContent()).toContain('EICAR-Test-File');
    expect(await eicarRow.textContent()).toContain(EICAR_SHA256);
  });

  it('shows a file VirusTotal knows as harmless as clean', async () => {
    const id = await suite.download('notes.txt', cleanSampleBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the clean scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', detected: false });
    const cleanRow = row(popup, record.token);
    await expect.poll(() => cleanRow.getAttribute('data-verdict'), SOON).toBe('clean');
    expect(await cleanRow.getByTestId('ratio').textContent()).toMatch(/^0\/\d+$/);
  });

  it('answers a repeat download of the same file from the cache without a request', async () => {
    const before = suite.emulator.requests.length;
    const id = await suite.download('eicar-again.com', eicarBytes());
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { what: 'the repeat EICAR scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', fromCache: true });
    expect(suite.emulator.requests.length).toBe(before);
    await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('malicious');
  });

  it('scans a right-clicked link through the context-menu handler in the real worker', async () => {
    const bytes = markedMalwareBytes('context-menu');
    const sha256 = suite.emulator.addFile(bytes, 'malicious', ['invoice.exe']);
    const url = suite.site.serve('/links/invoice.exe', { body: bytes });
    const lookupsBefore = lookups(suite.emulator);
    const worker = await suite.ext.getWorker();
    const token = await withTimeout(
      worker.evaluate(
        (linkUrl) => scandockContextMenuClick({ menuItemId: 'scandock-scan-file', linkUrl, pageUrl: 'http://127.0.0.1/page.html' }),
        url,
      ),
      10_000,
      'the context-menu handler',
    );
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const record = await waitForRecord(popup, (r) => r.token === token && isFinished(r), { what: 'the link scan' });
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256, fileName: 'invoice.exe', source: { kind: 'link', url } });
    expect(suite.site.hits('/links/invoice.exe')).toBe(1);
    expect(lookups(suite.emulator)).toBe(lookupsBefore + 1);
    await expect.poll(() => row(popup, token!).getAttribute('data-verdict'), SOON).toBe('malicious');
  });

  it('saves screenshots of the popup, a row expanded, and the options page', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = await suite.ext.openPopup();
    await shot.locator('li[data-verdict="malicious"]').first().waitFor();
    await shot.locator('li[data-verdict="clean"]').first().waitFor();
    await shot.getByTestId('quota').locator('[data-window="minute"]').waitFor();
    await shot.screenshot({ path: path.join(ARTIFACTS, 'popup.png'), animations: 'disabled' });
    const eicarRow = shot.locator('li[data-verdict="malicious"]').last();
    await eicarRow.locator('button.scan__summary').click();
    await eicarRow.getByTestId('engines').scrollIntoViewIfNeeded();
    await shot.screenshot({ path: path.join(ARTIFACTS, 'popup-details.png'), animations: 'disabled' });
    await shot.close();

    const options = await suite.ext.openOptions();
    await options.getByTestId('auto-scan').waitFor();
    await options.screenshot({ path: path.join(ARTIFACTS, 'options.png'), fullPage: true, animations: 'disabled' });
    await options.close();
  });
});
