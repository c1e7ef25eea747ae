/**
 * Auto-scan: every download that reaches `complete` is scanned (not interrupted or cancelled ones),
 * once, unless auto-scan is off, no key is saved, its type is excluded, or ScanDock made it itself.
 */
import type { Browser } from 'wxt/browser';
import type { NewScan } from '@/utils/scan/scan-engine';
import { baseName } from '@/utils/scan/read-source';
import { fileExtension } from '@/utils/scan/upload-policy';
import type { Settings } from '@/utils/settings/storage-items';
import { downloadIdentity } from './download-identity';

/** ScanDock itself: its id, and the origin of its pages (`chrome-extension://<id>/`, `moz-extension://<uuid>/`). */
export interface OwnExtension {
  id: string;
  origin: string;
}

/**
 * A download ScanDock made: one it started through `downloads.download`, or a history export, which the options
 * page saves from a `blob:` address of its own origin (the browser then names no extension as its maker).
 */
export function isOwnDownload(item: Pick<Browser.downloads.DownloadItem, 'byExtensionId' | 'url' | 'finalUrl'>, own: OwnExtension): boolean {
  if (item.byExtensionId === own.id) return true;
  return [item.url, item.finalUrl].some((url) => !!url && (url.startsWith(own.origin) || url.startsWith(`blob:${own.origin}`)));
}

/** The scan for a finished download, or null when it should not be scanned. */
export function downloadScan(item: Browser.downloads.DownloadItem, settings: Settings, hasKey: boolean, own: OwnExtension): NewScan | null {
  if (!settings.autoScan || !hasKey || item.state !== 'complete') return null;
  // ScanDock's own downloads (history exports) are not something to scan, and leave no record.
  if (isOwnDownload(item, own)) return null;
  const fileName = baseName(item.filename || item.finalUrl || item.url);
  if (settings.excludedTypes.includes(fileExtension(fileName))) return null;
  const size = item.fileSize > 0 ? item.fileSize : item.totalBytes > 0 ? item.totalBytes : undefined;
  return {
    source: {
      kind: 'download',
      downloadId: item.id,
      ...downloadIdentity(item),
      ...(size ? { expectedSize: size } : {}),
      ...(item.danger ? { danger: item.danger } : {}),
      ...(item.mime ? { mime: item.mime } : {}),
      ...(item.incognito ? { incognito: true as const } : {}),
    },
    fileName,
    size: size ?? null,
    browserDanger: item.danger ?? null,
  };
}
