/**
 * Is the download a record was made for still the download the browser now gives that number to?
 * A download id alone is not an identity: Firefox numbers downloads from 1 again after every restart
 * (https://bugzil.la/1568785) and Chrome may reuse ids once its history is cleared. The address, the
 * start time and the path on disk together are.
 */
import { problem } from '@/utils/problems/problem';
import { ProblemError } from '@/utils/problems/problem-error';
import type { Browser } from 'wxt/browser';
import type { DownloadSource, ScanSource } from '@/utils/scan/scan-record';

type DownloadItem = Browser.downloads.DownloadItem;

/** What a record keeps of a download to know it again: its address, start time and path. */
export function downloadIdentity(item: DownloadItem): Pick<DownloadSource, 'url' | 'startTime' | 'filename'> {
  return {
    url: item.finalUrl || item.url,
    ...(item.startTime ? { startTime: item.startTime } : {}),
    ...(item.filename ? { filename: item.filename } : {}),
  };
}

function sameInstant(a: string, b: string): boolean {
  const [x, y] = [Date.parse(a), Date.parse(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? x === y : a === b;
}

/** Whether a record kept its download's identity (records from before start time and path were kept did not). */
export function hasIdentity(source: DownloadSource): source is DownloadSource & { startTime: string; filename: string } {
  return source.startTime !== undefined && source.filename !== undefined;
}

/**
 * True when `item` is the download `source` was made for: address, start time and path all match. A record
 * without its download's identity is never taken for one: an id and an address alone may name a new download
 * of the same address (Firefox renumbers after a restart).
 */
export function isSameDownload(source: DownloadSource, item: DownloadItem): boolean {
  if (!hasIdentity(source) || source.downloadId !== item.id) return false;
  if (source.url !== (item.finalUrl || item.url) && source.url !== item.url) return false;
  return !!item.startTime && sameInstant(source.startTime, item.startTime) && source.filename === item.filename;
}

/**
 * Whether one of the records made for `item.id` was made for this very download. `item` must be what
 * `downloads.search({id})` says now, so that an id reused for a new download is scanned, not skipped.
 */
export function alreadyScanned(records: readonly { source: ScanSource }[], item: DownloadItem): boolean {
  return records.some((r) => r.source.kind === 'download' && isSameDownload(r.source, item));
}

/** The part of `browser.downloads` that deleting a scanned file uses. */
export interface DownloadsForDelete {
  search(query: Browser.downloads.DownloadQuery): Promise<DownloadItem[]>;
  removeFile(downloadId: number): Promise<void>;
}

/** Why a file was not deleted: the id now names another download. */
export class NotTheSameDownload extends ProblemError {
  override readonly name = 'NotTheSameDownload';
  constructor() {
    super(problem('download-not-same'));
  }
}

/**
 * Deletes the file of a scanned download from disk, but only after the browser confirms that the id still
 * belongs to that download: an old record's id may now name another download, whose file must stay. A record
 * from before its download's identity was kept deletes nothing.
 */
export async function deleteScannedDownload(source: DownloadSource, downloads: DownloadsForDelete): Promise<void> {
  // Which download it was is not known: no file may be deleted in its name.
  if (!hasIdentity(source)) throw new ProblemError(problem('download-identity-unknown'));
  const [item] = await downloads.search({ id: source.downloadId });
  if (!item || !isSameDownload(source, item)) throw new NotTheSameDownload();
  await downloads.removeFile(source.downloadId);
}
