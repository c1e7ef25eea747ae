/**
 * Auto-scan: every download that reaches `complete` is scanned (not interrupted or cancelled ones),
 * once, unless auto-scan is off, no key is saved, or its type is excluded.
 */
import type { Browser } from 'wxt/browser';
import type { NewScan } from '@/utils/scan/scan-engine';
import { baseName } from '@/utils/scan/read-source';
import { fileExtension } from '@/utils/scan/upload-policy';
import type { Settings } from '@/utils/settings/storage-items';
import { downloadIdentity } from './download-identity';

/** The scan for a finished download, or null when it should not be scanned. */
export function downloadScan(item: Browser.downloads.DownloadItem, settings: Settings, hasKey: boolean, ownExtensionId: string): NewScan | null {
  if (!settings.autoScan || !hasKey || item.state !== 'complete') return null;
  // ScanDock's own downloads (history exports) are not something to scan.
  if (item.byExtensionId === ownExtensionId) return null;
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
    },
    fileName,
    size: size ?? null,
    browserDanger: item.danger ?? null,
  };
}
