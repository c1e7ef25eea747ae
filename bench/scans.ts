/** Downloading files in the bench's browser and waiting for ScanDock's verdicts, with the worker's timestamps. */
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../tests/support/extension-browser';
import type { ScanRecord } from '../utils/scan/scan-record';
import type { Probes } from './probes';
import type { ScanTimeline, TimedDownload } from './probe/worker-probe';

export interface ScannedDownload {
  download: TimedDownload;
  timeline: ScanTimeline;
  record: ScanRecord;
}

/** One blank tab per browser to click download links in. */
const linkPages = new WeakMap<ExtensionBrowser, Promise<Page>>();

function linkPage(ext: ExtensionBrowser): Promise<Page> {
  let page = linkPages.get(ext);
  if (!page) {
    page = ext.context.newPage();
    linkPages.set(ext, page);
  }
  return page;
}

/** Opens the tab links are clicked in now (its renderer must not count against a memory baseline). */
export async function prepareDownloads(ext: ExtensionBrowser): Promise<void> {
  await linkPage(ext);
}

/**
 * Clicks a link to each URL in a web page, as a person would (ScanDock does not scan downloads it starts
 * itself), all at once, and waits until every download's scan is finished.
 */
export async function downloadAndScan(probes: Probes, ext: ExtensionBrowser, urls: string[], timeoutMs = 120_000): Promise<ScannedDownload[]> {
  const worker = await ext.getWorker();
  const after = await probes.call(worker, 'now', undefined);
  const page = await linkPage(ext);
  await page.evaluate((hrefs) => {
    document.body.replaceChildren(...hrefs.map((href, i) => Object.assign(document.createElement('a'), { href, download: '', id: `link-${i}`, textContent: `file ${i}` })));
  }, urls);
  for (let i = 0; i < urls.length; i++) await page.click(`#link-${i}`);
  const downloads = await probes.call(worker, 'collectDownloads', { urls: urls.map((u) => new URL(u).href), after, timeoutMs }, timeoutMs + 5_000);
  const timelines = await probes.call(worker, 'waitForDownloadScans', { downloadIds: downloads.map((d) => d.id), timeoutMs }, timeoutMs + 5_000);
  return downloads.map((download, i) => ({ download, timeline: timelines[i]!, record: timelines[i]!.record }));
}

/** Checks a scan ended the way the figure assumes, or says how it ended instead. */
export function expectVerdict(scan: ScannedDownload, verdict: NonNullable<ScanRecord['verdict']>, extra: Partial<Pick<ScanRecord, 'fromCache'>> = {}): void {
  const r = scan.record;
  const ok = r.status === 'done' && r.verdict === verdict && (extra.fromCache === undefined || r.fromCache === extra.fromCache);
  if (!ok) {
    throw new Error(`scan of ${r.fileName} ended ${r.status}/${r.verdict} (fromCache ${r.fromCache}), expected done/${verdict}${extra.fromCache === undefined ? '' : ` fromCache ${extra.fromCache}`}: ${JSON.stringify(r.error)}`);
  }
}

/** When the record reached `step` first (its `updatedAt`), if it did. */
export function reachedStep(scan: ScannedDownload, step: ScanRecord['step']): number | undefined {
  return scan.timeline.events.find((e) => e.step === step)?.updatedAt;
}

/** When the record turned done first (its `updatedAt` then), or its last `updatedAt` if the watch missed that. */
export function doneAt(scan: ScannedDownload): number {
  return scan.timeline.events.find((e) => e.status === 'done')?.updatedAt ?? scan.record.updatedAt;
}

/** Frees the disk: deletes finished downloads. */
export async function forgetDownloads(probes: Probes, ext: ExtensionBrowser, scans: ScannedDownload[]): Promise<void> {
  const worker = await ext.getWorker();
  for (const scan of scans) await probes.call(worker, 'forgetDownload', scan.download.id);
}
