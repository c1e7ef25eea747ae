/**
 * A key VirusTotal lets look files up but not upload them (403 ForbiddenError for uploads only), in real
 * Chromium: before pausing every scan as a refused key, ScanDock confirms with one plain lookup; the key works,
 * so only the upload's scan ends, with a sentence that says so, and the other scans go on.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EICAR_SHA256, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import { byDownloadId, isFinished, waitForRecord } from '../support/scan-records';
import { getStorage, row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('forbidden', { analysisPolls: 0 });
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, { uploadUnknown: true });
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('a key that may not upload', () => {
  it('ends only the upload’s scan with “VirusTotal refused this operation”, keeps the key, and the other scans go on', async () => {
    suite.emulator.injectFault({ kind: 'status', status: 403, code: 'ForbiddenError', times: 1_000, match: { method: 'POST', path: /\/files$/ } });
    const id = await suite.download('new-tool.exe', markedMalwareBytes('forbidden upload'));
    const record = await waitForRecord(popup, (r) => byDownloadId(id)(r) && isFinished(r), { timeoutMs: 45_000, what: 'the scan whose upload is forbidden' });
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-operation-forbidden' } });
    await expect.poll(() => row(popup, record.token).getByTestId('error').textContent(), SOON).toMatch(/^VirusTotal refused this operation for your API key, though it still answers lookups with it/);
    expect((await getStorage(suite.ext.worker, ['keyStatus'])).keyStatus).toBe('valid');
    // One confirming lookup of the EICAR test file.
    expect(suite.emulator.requests.filter((r) => r.path.endsWith(EICAR_SHA256))).toHaveLength(1);
    expect(suite.emulator.uploads).toEqual([]);

    const eicar = await suite.download('eicar.com.txt', eicarBytes());
    expect(await waitForRecord(popup, (r) => byDownloadId(eicar)(r) && isFinished(r), { timeoutMs: 45_000, what: 'the EICAR scan after it' })).toMatchObject({ status: 'done', verdict: 'malicious' });
  });
});
