/**
 * More downloads than the quota allows: the ones over it wait in the queue with a notice, and all of them
 * finish once the minute has passed, without VirusTotal ever answering "quota exceeded".
 * This file waits for one real minute on purpose: that is what proves the queue drains on its own.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { byDownloadId, isFinished, waitForRecords } from '../support/scan-records';
import { answered, lookups, row, SOON, startSuite, useAcceptedKey, type Suite } from './suite';

/** The public key's 4 requests a minute, on both sides (the emulator's and the extension's defaults). */
const PER_MINUTE = 4;
const DOWNLOADS = 6;

let suite: Suite;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('quota', { quota: { perMinute: PER_MINUTE, perDay: 500 } });
  await useAcceptedKey(suite.ext.worker);
  popup = await suite.ext.openPopup();
});

afterAll(async () => {
  await suite?.close();
});

describe('downloads waiting for the quota', () => {
  it('queue with a quota notice, then all finish without a single 429', async () => {
    // Six different files VirusTotal knows: each needs its own lookup.
    const files = Array.from({ length: DOWNLOADS }, (_, i) => new TextEncoder().encode(`ScanDock quota sample ${i}\n`));
    for (const bytes of files) suite.emulator.addFile(bytes, 'clean');
    const ids: number[] = [];
    for (const [i, bytes] of files.entries()) ids.push(await suite.download(`sample-${i}.txt`, bytes));
    const ours = (r: ScanRecord) => ids.some((id) => byDownloadId(id)(r));

    // The first four are answered; the other two wait, and say why.
    const waiting = await waitForRecords(
      popup,
      (records) => {
        const mine = records.filter(ours);
        const queued = mine.filter((r) => !isFinished(r) && r.notice?.code === 'vt-quota');
        return mine.filter(isFinished).length === PER_MINUTE && queued.length === DOWNLOADS - PER_MINUTE && queued;
      },
      { what: 'four scans done and two waiting for the quota' },
    );
    for (const record of waiting) {
      const queuedRow = row(popup, record.token);
      await expect.poll(() => queuedRow.getAttribute('data-status'), SOON).toMatch(/^(ready|progress)$/);
      // Rendered by the popup from the record's { window, nextAt }: the quota and the local time of the next request.
      await expect.poll(() => queuedRow.getByTestId('notice').textContent(), SOON).toMatch(/^Waiting for VirusTotal’s per-minute quota: next request at \d\d:\d\d:\d\d\.$/);
    }
    const minute = popup.getByTestId('quota').locator('[data-window="minute"]');
    await expect.poll(() => minute.getAttribute('data-used'), SOON).toBe(String(PER_MINUTE));
    await expect.poll(() => popup.getByTestId('quota-held').getAttribute('data-held-by'), SOON).toBe('minute');
    expect(lookups(suite.emulator)).toBe(PER_MINUTE);

    // A minute after the first requests, the queue drains by itself.
    const finished = await waitForRecords(
      popup,
      (records) => {
        const mine = records.filter(ours);
        return mine.length === DOWNLOADS && mine.every(isFinished) && mine;
      },
      { timeoutMs: 90_000, what: 'every queued scan to finish' },
    );
    for (const record of finished) expect(record).toMatchObject({ status: 'done', verdict: 'clean', notice: null });
    expect(answered(suite.emulator, 429)).toBe(0);
    expect(lookups(suite.emulator)).toBe(DOWNLOADS);
    for (const record of waiting) await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('clean');
  });
});
