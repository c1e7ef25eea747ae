/**
 * The extension in a Korean browser: what the background reports on a record (a wait with its time, an
 * error with its sizes: a saved file rewritten before ScanDock read it) and answers to the options page (a refused key) reaches the person in Korean,
 * with the details filled in and no English sentence anywhere; the first-run page likewise.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanSampleBytes } from '../emulator/fixtures';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

// Module-scoped: used only inside functions passed to `worker.evaluate`, which run in the worker.
declare const chrome: { i18n: { getUILanguage(): string } };

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('korean', { quota: { perMinute: 100, perDay: 500 } }, { language: 'ko' });
  await useAcceptedKey(suite.ext.worker);
  // One request a minute on ScanDock's side: the second lookup has to wait, with a notice.
  await useSettings(suite.ext.worker, { quotaPreset: 'custom', quota: { perMinute: 1, perDay: 500, perMonth: 15_500 } });
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

/** Names, identifiers and units that stay as they are in Korean text. */
const NOT_ENGLISH = new Set(['ScanDock', 'VirusTotal', 'API', 'key', 'HTTP', 'JSON', 'UTC', 'KB', 'MB', 'http', 'https', 'data', 'blob']);

/** Korean, and no English word but names and identifiers. */
function expectKorean(text: string | null): void {
  expect(text).toMatch(/[\uAC00-\uD7A3]/);
  expect((text ?? '').match(/[A-Za-z]{2,}/g)?.filter((word) => !NOT_ENGLISH.has(word)) ?? [], text ?? '').toEqual([]);
}

describe('in a Korean browser', () => {
  it('runs in Korean', async () => {
    // The launcher checked chromium-l10n is installed (tests/support/browser-packages.ts); without it this is 'en-US'.
    expect(await suite.ext.worker.evaluate(() => chrome.i18n.getUILanguage()), 'Chromium runs in Korean only with the Debian package chromium-l10n').toBe('ko');
    expect(await popup.evaluate(() => document.documentElement.lang)).toBe('ko');
  });

  it('links to the Korean privacy policy, shown as UTF-8', async () => {
    const options = await suite.ext.openOptions();
    const [policy] = await Promise.all([options.context().waitForEvent('page'), options.getByTestId('privacy-link').click()]);
    await policy.waitForLoadState();
    expect(new URL(policy.url()).pathname).toBe('/privacy.ko.txt');
    expect(await policy.textContent('body')).toContain('# ScanDock 개인정보 처리방침');
    await Promise.all([policy.close(), options.close()]);
  });

  it('a scan waiting for the quota says so in Korean, with the time of the next request', async () => {
    const first = await suite.download('first.txt', cleanSampleBytes());
    await waitForRecord(popup, (r) => byDownloadId(first)(r) && isFinished(r), { what: 'the first scan' });
    suite.emulator.addFile(new TextEncoder().encode('ScanDock Korean sample\n'), 'clean');
    const second = await suite.download('second.txt', new TextEncoder().encode('ScanDock Korean sample\n'));
    const waiting = await waitForRecord(popup, (r) => byDownloadId(second)(r) && r.notice?.code === 'vt-quota', { what: 'the quota notice' });
    expect(waiting.notice).toMatchObject({ code: 'vt-quota', params: { window: 'minute' } });
    const notice = row(popup, waiting.token).getByTestId('notice');
    await expect.poll(() => notice.textContent(), SOON).toMatch(/^VirusTotal 한도를 기다리는 중입니다\(분당 한도\)\. 다음 요청은 \d\d:\d\d:\d\d에 보냅니다\.$/);
    expectKorean(await notice.textContent());
  });

  it('a scan that ended says why in Korean, with the sizes', async () => {
    // The saved file is rewritten while the scan waits (host access withheld), before ScanDock reads it.
    await suite.ext.setSiteAccess('ON_CLICK');
    const id = await suite.download('changed.bin', new Uint8Array(5000).fill(66));
    const waiting = await waitForRecord(popup, (r) => byDownloadId(id)(r) && r.notice?.code === 'no-host-access', { what: 'the waiting scan' });
    await writeFile(waiting.source.kind === 'download' ? waiting.source.filename! : '', new Uint8Array(68).fill(65));
    await suite.ext.setSiteAccess('ON_ALL_SITES');
    const failed = await waitForRecord(popup, (r) => r.token === waiting.token && isFinished(r), { what: 'the changed file' });
    expect(failed.error).toEqual({ code: 'download-changed', params: { gotBytes: 68, expectedBytes: 5000 } });
    const error = row(popup, failed.token).getByTestId('error');
    await expect.poll(() => error.textContent(), SOON).toMatch(/^다운로드가 끝난 뒤 저장된 파일이 바뀌었습니다\. 지금은 68 B이고 다운로드는 4\.9 KB였습니다\./);
    expectKorean(await error.textContent());
  });

  it('the options page says in Korean why a key was refused', async () => {
    const options = await suite.ext.openOptions();
    await options.getByTestId('api-key').fill('not a key');
    await options.locator('button[type="submit"]').click();
    const outcome = options.getByTestId('key-outcome');
    await expect.poll(() => outcome.getAttribute('data-outcome'), SOON).toBe('error');
    expect(await outcome.textContent()).toMatch(/^VirusTotal API 키 형식/);
    expectKorean(await outcome.textContent());
    await options.close();
  });

  it('the first-run page is in Korean, every section of it', async () => {
    const welcome = await suite.ext.context.newPage();
    await welcome.goto(`chrome-extension://${suite.ext.extensionId}/welcome.html`);
    await welcome.getByTestId('test-file-download').waitFor();
    await expect.poll(() => welcome.getByTestId('host-access-state').textContent(), SOON).not.toBe('');
    await expect.poll(() => welcome.getByTestId('file-access-state').count(), SOON).toBe(1);
    expect(await welcome.locator('h1').textContent()).toBe('ScanDock에 오신 것을 환영합니다');
    // Names: the browser, and what VirusTotal's own site shows in English (its "API key" menu item, the EICAR file, SHA-256).
    const body = (await welcome.locator('main').innerText()).replace(/virustotal\.com|EICAR|SHA-256|“API key”|Chrome/g, '');
    expectKorean(body);
    await welcome.close();
  });
});
