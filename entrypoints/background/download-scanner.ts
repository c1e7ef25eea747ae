/**
 * Auto-scan: every download that reaches `complete` is scanned (not interrupted or cancelled ones),
 * once, unless auto-scan is off, no key is saved, its site or type is excluded, or ScanDock made it itself.
 * A download that is not scanned leaves no record and sends nothing.
 */
import type { Browser } from 'wxt/browser';
import type { NewScan } from '@/utils/scan/scan-engine';
import { baseName } from '@/utils/scan/read-source';
import { fileExtension } from '@/utils/scan/upload-policy';
import { matchesSite } from '@/utils/permissions/host-pattern';
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

/**
 * A download from an excluded site: where it was asked for (`url`), where it came from after redirects
 * (`finalUrl`) or the page it was started on (`referrer`), e.g. an intranet's page serving files from elsewhere.
 */
export function isExcludedSite(item: Pick<Browser.downloads.DownloadItem, 'url' | 'finalUrl' | 'referrer'>, sites: readonly string[]): boolean {
  if (sites.length === 0) return false;
  return [item.url, item.finalUrl, item.referrer].some((url) => !!url && matchesSite(url, sites));
}

/** The scan for a finished download, or null when it should not be scanned. */
export function downloadScan(item: Browser.downloads.DownloadItem, settings: Settings, hasKey: boolean, own: OwnExtension): NewScan | null {
  if (!settings.autoScan || !hasKey || item.state !== 'complete') return null;
  // ScanDock's own downloads (history exports) are not something to scan, and leave no record.
  if (isOwnDownload(item, own)) return null;
  if (isExcludedSite(item, settings.excludedSites)) return null;
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
