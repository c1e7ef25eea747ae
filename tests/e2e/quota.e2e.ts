/**
 * Ten downloads at once under the public key's 4 requests a minute: the ones over the quota wait in the
 * queue with a notice, all of them finish as the windows open (answers at about 0, 60 and 120 s), without
 * VirusTotal ever answering "quota exceeded"; and each row in the open popup shows its verdict as soon as
 * VirusTotal answered its lookup, not when a later request gets its slot.
 * This file waits two real minutes on purpose: that is what proves the queue drains on its own.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatorRequest } from '../emulator/virustotal-emulator';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { isFinished, waitForRecords } from '../support/scan-records';
import { answered, filePath, lookups, row, SOON, startSuite, useAcceptedKey, type Suite } from './suite';

/** The public key's 4 requests a minute, on both sides (the emulator's and the extension's defaults). */
const PER_MINUTE = 4;
const DOWNLOADS = 10;

let suite: Suite;
let links: Page;
let popup: Page;

beforeAll(async () => {
  suite = await startSuite('quota', { quota: { perMinute: PER_MINUTE, perDay: 500 } });
  await useAcceptedKey(suite.ext.worker);
  // The page the links are clicked in opens first, the popup over it: a page hidden behind another one has
  // its timers throttled, which would delay the rows it renders.
  links = await suite.ext.context.newPage();
  popup = await suite.ext.openPopup();
  await popup.bringToFront();
  // token → Date.now() when its row's data-verdict was first set, in the popup itself.
  await popup.evaluate(() => {
    const stamps: Record<string, number> = {};
    (globalThis as unknown as { verdictStamps: Record<string, number> }).verdictStamps = stamps;
    const look = () => {
      for (const li of document.querySelectorAll<HTMLElement>('li[data-token]')) {
        const token = li.dataset.token!;
        if (li.dataset.verdict && !(token in stamps)) stamps[token] = Date.now();
      }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-verdict'] });
    look();
  });
}, 240_000);

afterAll(async () => {
  await suite?.close();
});

/** The emulator's answered lookup of each file (GET /files/{sha256} → 200), in order of arrival. */
function answeredLookups(): EmulatorRequest[] {
  return suite.emulator.requests.filter((r) => r.method === 'GET' && r.status === 200 && /^\/api\/v3\/files\/[0-9a-f]{64}$/.test(r.path)).sort((a, b) => a.at - b.at);
}

describe('downloads waiting for the quota', () => {
  it('queue with a quota notice, then all finish without a single 429, each row showing its verdict once its answer came', async () => {
    // Ten different files VirusTotal knows: each needs its own lookup.
    const files = Array.from({ length: DOWNLOADS }, (_, i) => new TextEncoder().encode(`ScanDock quota sample ${i}\n`));
    for (const bytes of files) suite.emulator.addFile(bytes, 'clean');
    const urls = files.map((bytes, i) => suite.site.serve(filePath(suite.site, `sample-${i}.txt`), { body: bytes }));
    // All at once, as a person clicking ten links: one page, ten clicks.
    await links.evaluate((hrefs) => {
      document.body.replaceChildren(...hrefs.map((href, i) => Object.assign(document.createElement('a'), { href, download: '', id: `link-${i}`, textContent: `file ${i}` })));
    }, urls);
    for (let i = 0; i < urls.length; i++) await links.click(`#link-${i}`);
    const ours = (r: ScanRecord) => r.source.kind === 'download' && urls.includes(r.source.url);

    // The first four are answered; the other six wait, and say why.
    const waiting = await waitForRecords(
      popup,
      (records) => {
        const mine = records.filter(ours);
        const queued = mine.filter((r) => !isFinished(r) && r.notice?.code === 'vt-quota');
        return mine.filter(isFinished).length === PER_MINUTE && queued.length === DOWNLOADS - PER_MINUTE && queued;
      },
      { what: 'four scans done and six waiting for the quota' },
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

    // A minute after the first requests, and another after those, the queue drains by itself.
    const finished = await waitForRecords(
      popup,
      (records) => {
        const mine = records.filter(ours);
        return mine.length === DOWNLOADS && mine.every(isFinished) && mine;
      },
      { timeoutMs: 180_000, what: 'every queued scan to finish' },
    );
    for (const record of finished) expect(record).toMatchObject({ status: 'done', verdict: 'clean', notice: null });
    expect(answered(suite.emulator, 429)).toBe(0);
    expect(lookups(suite.emulator)).toBe(DOWNLOADS);
    for (const record of finished) await expect.poll(() => row(popup, record.token).getAttribute('data-verdict'), SOON).toBe('clean');

    // Each row's verdict against VirusTotal's answer to its lookup. A bound of "within a second" would be a
    // timed assertion, which fails on a loaded shared machine for reasons that are not ScanDock's. What makes
    // the second hold is causal: an answer is shown when it comes, never held until a later request gets its
    // slot (before the scheduler, answers waited for the next quota window: ~62 s). So the test asserts the
    // order of events: every row showed its verdict after its lookup arrived and before the next quota window's
    // first request arrived. The two rows of the last window have no later request to compare with. The lags
    // themselves are printed here, and measured with their 1 s target in `npm run bench` (figure 7).
    const stamps = await popup.evaluate(() => (globalThis as unknown as { verdictStamps: Record<string, number> }).verdictStamps);
    const inOrder = answeredLookups();
    expect(inOrder).toHaveLength(DOWNLOADS);
    const lines: string[] = [];
    for (const record of finished) {
      const index = inOrder.findIndex((r) => r.path === `/api/v3/files/${record.sha256}`);
      const lookup = inOrder[index]!;
      const shownAt = stamps[record.token];
      expect(shownAt, `${record.fileName}: its row's verdict was stamped`).toBeDefined();
      const window = Math.floor(index / PER_MINUTE);
      const nextWindow = inOrder[(window + 1) * PER_MINUTE];
      expect(shownAt!, `${record.fileName}: verdict shown after its lookup arrived`).toBeGreaterThan(lookup.at);
      if (nextWindow) expect(shownAt!, `${record.fileName}: verdict shown before the next quota window's first request`).toBeLessThan(nextWindow.at);
      lines.push(`${record.fileName}: window ${window}, VirusTotal's answer → verdict in the popup ${shownAt! - lookup.answeredAt!} ms`);
    }
    console.log(`quota.e2e: per-row lags (measured, not asserted)\n  ${lines.sort().join('\n  ')}`);
  }, 240_000);
});
