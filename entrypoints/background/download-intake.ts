/**
 * Taking in finished downloads: each one the browser reports, and at start-up every download that
 * finished since the last one taken in (a worker stopped between a download's `complete` event and its
 * record would otherwise never scan it). One at a time, so the event and the catch-up never both scan
 * the same download.
 */
import type { Browser } from 'wxt/browser';

type DownloadItem = Browser.downloads.DownloadItem;

export interface DownloadIntakeDeps {
  search(query: Browser.downloads.DownloadQuery): Promise<DownloadItem[]>;
  /** When the newest download taken in ended (ms); null before the first start. */
  getWatermark(): Promise<number | null>;
  setWatermark(endedAt: number): Promise<void>;
  /** Start a scan for this download unless it has a record or should not be scanned. */
  scanIfNew(item: DownloadItem): Promise<void>;
  now(): number;
  onError(error: unknown): void;
}

export interface DownloadIntake {
  /** The browser says this download completed. */
  completed(downloadId: number): Promise<void>;
  /** Take in what finished while no worker was listening. The first start only sets the watermark. */
  catchUp(): Promise<void>;
}

function endedAt(item: DownloadItem): number {
  const time = item.endTime ? Date.parse(item.endTime) : NaN;
  return Number.isFinite(time) ? time : 0;
}

export function createDownloadIntake(deps: DownloadIntakeDeps): DownloadIntake {
  let chain: Promise<void> = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    chain = chain.then(task).catch(deps.onError);
    return chain;
  };

  async function takeIn(item: DownloadItem): Promise<void> {
    await deps.scanIfNew(item);
    const ended = endedAt(item);
    const watermark = await deps.getWatermark();
    if (ended > (watermark ?? 0)) await deps.setWatermark(ended);
  }

  return {
    completed: (downloadId) =>
      serially(async () => {
        const [item] = await deps.search({ id: downloadId });
        if (item?.state === 'complete') await takeIn(item);
      }),
    catchUp: () =>
      serially(async () => {
        const watermark = await deps.getWatermark();
        // Installed just now (or storage was cleared): downloads from before ScanDock are not its business.
        if (watermark === null) return deps.setWatermark(deps.now());
        const missed = await deps.search({ state: 'complete', endedAfter: new Date(watermark).toISOString() });
        for (const item of missed.sort((a, b) => endedAt(a) - endedAt(b))) await takeIn(item);
      }),
  };
}
