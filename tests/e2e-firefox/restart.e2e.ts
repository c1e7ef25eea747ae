/**
 * Closing Firefox with scans under way, and starting it again (the store package installed permanently, as
 * a person's add-on is): the scans go on by themselves, woken by `runtime.onStartup` and nothing else; and
 * Firefox numbers downloads from 1 again (https://bugzil.la/1568785), so a new download that gets an old id
 * is scanned, and "Delete file" on the old record refuses instead of deleting the new file.
 */
import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { cleanSampleBytes, markedMalwareBytes } from '../emulator/fixtures';
import { ofDownload, recordScope, setFirefoxStorage, type FirefoxDownload } from '../support/firefox-browser';
import { isFinished, waitForRecord, waitForRecords } from '../support/scan-records';
import { eventually, rowOf, SOON, startFirefoxSuite, useAcceptedKey, type FirefoxSuite } from './suite';

let suite: FirefoxSuite;
const before: FirefoxDownload[] = [];

beforeAll(async () => {
  suite = await startFirefoxSuite('restart', { permanent: true, emulator: { analysisPolls: 0, quota: { perMinute: 100, perDay: 10_000 } } });
  await useAcceptedKey(suite.ext);
  // Uploads are an opt-in Firefox asks consent for (websiteContent); without it ScanDock turns them off at start.
  await suite.ext.grantDataCollection(['websiteContent']);
  await setFirefoxStorage(await suite.ext.probe(), {
    settings: { uploadUnknown: true, quotaPreset: 'custom', quota: { perMinute: 100, perDay: 10_000, perMonth: 100_000 } },
  });
});

afterAll(async () => {
  await suite?.close();
});

const analysisPolls = () => suite.emulator.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v3/analyses/') && r.status === 200).length;

describe('Firefox restarted', () => {
  it('scans under way when Firefox closed go on after it starts again, with no other event', async () => {
    for (let i = 0; i < 2; i++) before.push(await suite.download(`unknown-${i}.exe`, markedMalwareBytes(`firefox-restart-${i}`)));
    const ours = (r: ScanRecord) => before.some((d) => ofDownload(d)(r));
    // Both uploaded and now waiting (15 s) before polling their analyses.
    const uploaded = await waitForRecords(
      recordScope(await suite.ext.probe()),
      (records) => {
        const mine = records.filter(ours);
        return mine.length === 2 && mine.every((r) => r.step === 'analysis' && r.analysisId && !isFinished(r)) && mine;
      },
      { what: 'both scans waiting on their analyses' },
    );
    expect(suite.emulator.uploads).toHaveLength(2);
    expect(analysisPolls()).toBe(0);

    const restartedAt = Date.now();
    await suite.ext.restart();
    // No page of the add-on is open and nothing is downloaded: only runtime.onStartup can start the background.
    expect((await suite.ext.tabs()).filter((t) => t.url.startsWith('moz-extension://'))).toEqual([]);
    await eventually(() => Promise.resolve(analysisPolls()), (n) => n >= 2, { timeout: 60_000, interval: 250, what: 'analysis polls after the restart' });
    console.info(`restart: both scans polled again ${((Date.now() - restartedAt) / 1000).toFixed(1)} s after the restart began`);
    expect((await suite.ext.tabs()).filter((t) => t.url.startsWith('moz-extension://'))).toEqual([]);

    const popup = await suite.ext.openPopup();
    const finished = await waitForRecords(
      recordScope(popup),
      (records) => {
        const mine = records.filter(ours);
        return mine.length === 2 && mine.every(isFinished) && mine;
      },
      { what: 'both resumed scans to finish' },
    );
    for (const record of finished) expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(finished.map((r) => r.analysisId).sort()).toEqual(uploaded.map((r) => r.analysisId).sort());
    expect(suite.emulator.uploads).toHaveLength(2);
    for (const record of finished) await eventually(() => popup.attribute(rowOf(record.token), 'data-verdict'), (v) => v === 'malicious', SOON);
    await popup.close();
  });

  it('a new download that gets an old id is scanned, and "Delete file" on the old record leaves the new file alone', async () => {
    const after = await suite.download('after-restart.txt', cleanSampleBytes());
    const reused = before.find((d) => d.id === after.id);
    console.info(`download ids before the restart: ${before.map((d) => d.id).join(', ')}; after: ${after.id}`);
    // Firefox numbered from 1 again: the new download carries the id of one scanned before the restart.
    expect(reused).toBeDefined();
    const probe = recordScope(await suite.ext.probe());
    const scanned = await waitForRecord(probe, (r) => ofDownload(after)(r) && isFinished(r), { what: 'the scan of the new download' });
    expect(scanned).toMatchObject({ status: 'done', verdict: 'clean', fileName: 'after-restart.txt' });

    const old = await waitForRecord(probe, (r) => ofDownload(reused!)(r), { what: 'the old record' });
    const popup = await suite.ext.openPopup();
    await popup.click(`${rowOf(old.token)} button.scan__summary`);
    await popup.click(`${rowOf(old.token)} button`, 'Delete file');
    await popup.click(`${rowOf(old.token)} button`, 'Yes, delete the file');
    const refusal = await eventually(() => popup.text(`${rowOf(old.token)} [data-testid="action-error"]`), (t) => t !== null, { what: 'the refusal' });
    expect(refusal).toMatch(/did not delete anything/);
    // The file of the new download is still on disk.
    await expect(access(after.filename)).resolves.toBeUndefined();
    await popup.close();
  });
});
