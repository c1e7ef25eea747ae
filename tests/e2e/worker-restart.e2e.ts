/**
 * MV3 stops the service worker whenever it likes. Scans stopped mid-way (uploaded, waiting to poll their
 * analyses) must finish anyway: the wake alarm starts a fresh worker, whose start-up `resume()` continues
 * every unfinished record from its stored step — without uploading anything twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { markedMalwareBytes } from '../emulator/fixtures';
import { withTimeout } from '../support/extension-browser';
import { byDownloadId, isFinished, waitForRecords } from '../support/scan-records';
import { row, SOON, startSuite, useAcceptedKey, useSettings, type Suite } from './suite';

/** The part of the extension's `chrome` global this file calls inside the worker. */
declare const chrome: { alarms: { get(name: string): Promise<{ scheduledTime: number } | undefined> } };
/** A global this test leaves on the worker, to tell a fresh worker from the old one. */
type Marked = { scandockE2eMarker?: string };

const SCANS = 3;

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite('worker-restart', { analysisPolls: 0, quota: { perMinute: 100, perDay: 10_000 } });
  await useAcceptedKey(suite.ext.worker);
  await useSettings(suite.ext.worker, {
    uploadUnknown: true,
    quotaPreset: 'custom',
    quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 },
  });
});

afterAll(async () => {
  await suite?.close();
});

const analysisPolls = () => suite.emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v3/analyses/') && r.status === 200);

describe('the service worker stopped mid-queue', () => {
  it('finishes every scan after the alarm wakes a fresh worker, with no second upload', async () => {
    const ids: number[] = [];
    for (let i = 0; i < SCANS; i++) ids.push(await suite.download(`unknown-${i}.exe`, markedMalwareBytes(`restart-${i}`)));
    const ours = (r: ScanRecord) => ids.some((id) => byDownloadId(id)(r));

    // Every scan has uploaded its file and now sleeps before polling its analysis.
    const worker = suite.ext.worker;
    const uploaded = await waitForRecords(
      worker,
      (records) => {
        const mine = records.filter(ours);
        return mine.length === SCANS && mine.every((r) => r.step === 'analysis' && r.analysisId && !isFinished(r)) && mine;
      },
      { what: 'every scan waiting on its analysis' },
    );
    expect(suite.emulator.uploads).toHaveLength(SCANS);
    expect(analysisPolls()).toHaveLength(0);
    const alarm = await withTimeout(worker.evaluate(() => chrome.alarms.get('scandock-wake')), 5_000, 'alarms.get');
    expect(alarm?.scheduledTime).toBeGreaterThan(Date.now());
    await withTimeout(worker.evaluate(() => void ((globalThis as Marked).scandockE2eMarker = 'old worker')), 5_000, 'marking the worker');

    // No extension page is open, so only the alarm can start the next worker.
    expect(suite.ext.context.pages().filter((p) => p.url().startsWith('chrome-extension://'))).toEqual([]);
    await suite.ext.stopWorker();

    // The polls can only come from a worker the alarm started: the old one is gone.
    await expect.poll(() => analysisPolls().length, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(SCANS);

    const popup = await suite.ext.openPopup();
    const fresh = await suite.ext.getWorker();
    expect(await withTimeout(fresh.evaluate(() => (globalThis as Marked).scandockE2eMarker ?? 'fresh'), 5_000, 'reading the marker')).toBe('fresh');
    const finished = await waitForRecords(
      popup,
      (records) => {
        const mine = records.filter(ours);
        return mine.length === SCANS && mine.every(isFinished) && mine;
      },
      { timeoutMs: 15_000, what: 'every resumed scan to finish' },
    );
    for (const record of finished) expect(record).toMatchObject({ status: 'done', verdict: 'malicious', detected: true });
    expect(finished.map((r) => r.analysisId).sort()).toEqual(uploaded.map((r) => r.analysisId).sort());
    expect(suite.emulator.uploads).toHaveLength(SCANS);
    for (const record of finished) await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('malicious');
  });
});
