/**
 * Where a finished download's saved file is, for the scan engine to read it from disk instead of fetching
 * it again. Chrome lets an extension `fetch('file:///…')` once the person allows it ("Allow access to file
 * URLs" on its details page; on by default only for an extension loaded unpacked). The browser must still
 * call the download's id this very download (download-identity.ts) and say its file exists; Firefox gives
 * extensions no file access at all.
 */
import type { Browser } from 'wxt/browser';
import { problem } from '@/utils/problems/problem';
import type { BrowserPlatform } from '@/utils/platform/browser-platform';
import { fileUrl } from '@/utils/scan/file-url';
import type { DownloadSource } from '@/utils/scan/scan-record';
import type { DownloadFiles } from '@/utils/scan/steps/source-reader';
import { isSameDownload } from './download-identity';

type DownloadItem = Browser.downloads.DownloadItem;

export interface DownloadFilesDeps {
  platform: Pick<BrowserPlatform, 'readsDownloadsFromDisk'>;
  /** `extension.isAllowedFileSchemeAccess()`: may ScanDock read file: addresses now? */
  fileAccess(): Promise<boolean>;
  search(query: Browser.downloads.DownloadQuery): Promise<DownloadItem[]>;
}

/** The download files port for the engine (see DownloadFiles). */
export function createDownloadFiles(deps: DownloadFilesDeps): DownloadFiles {
  return async (source) => {
    if (!deps.platform.readsDownloadsFromDisk) return problem('disk-unsupported');
    if (!(await deps.fileAccess())) return problem('disk-access-off');
    // `exists` may be stale (Chrome checks it when asked, this search included): a file gone since fails to read, and is told then.
    const [item] = await deps.search({ id: source.downloadId });
    if (!item || !isSameDownload(source, item) || item.state !== 'complete' || !item.exists || !item.filename) return problem('disk-file-moved');
    return { url: fileUrl(item.filename), size: item.fileSize > 0 ? item.fileSize : item.bytesReceived };
  };
}

/**
 * Whether a download's saved file is still there, for its second looks (Chrome and Firefox alike): the browser
 * still calls the id this very download, complete, and says its file exists. No file access is needed.
 */
export function createSavedFileExists(search: DownloadFilesDeps['search']): (source: DownloadSource) => Promise<boolean> {
  return async (source) => {
    const [item] = await search({ id: source.downloadId });
    return !!item && isSameDownload(source, item) && item.state === 'complete' && item.exists;
  };
}
