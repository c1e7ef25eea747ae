/**
 * "Delete detected downloads automatically": once a download is detected by enough engines, its saved file
 * is removed, with the same identity check as "Delete file" (download-identity.ts), so an old record whose id
 * now names another download never deletes that one. Only downloads: a file the person picked with
 * "Scan files…", a link or an address has no saved file of ScanDock's to remove. Every path that finds a
 * detection (a scan's end, a later look) calls `autoDeleteIfDetected`, so the rules are the same everywhere.
 */
import type { Problem } from '@/utils/problems/problem';
import { toProblem } from '@/utils/problems/problem-error';
import type { DownloadSource, ScanRecord } from '@/utils/scan/scan-record';
import type { Settings } from '@/utils/settings/storage-items';
import { deleteScannedDownload, type DownloadsForDelete } from './download-identity';

/** What auto-delete did with a record: deleted its file, left it (not for deleting), or could not. */
export type AutoDeleteOutcome =
  | { kind: 'deleted'; malicious: number; minEngines: number }
  | { kind: 'left' }
  | { kind: 'failed'; problem: Problem };

export interface AutoDeleteDeps {
  settings(): Promise<Pick<Settings, 'autoDelete' | 'autoDeleteMinEngines'>>;
  downloads: DownloadsForDelete;
}

/** The download whose file auto-delete would remove, or null: the rules without the browser. */
export function autoDeleteTarget(record: ScanRecord, settings: Pick<Settings, 'autoDelete' | 'autoDeleteMinEngines'>): DownloadSource | null {
  if (!settings.autoDelete || record.status !== 'done' || record.source.kind !== 'download') return null;
  // An address verdict is the URL scanners' on where it came from, not the engines' on the saved bytes.
  if (record.verdictFor !== 'file' || !record.stats) return null;
  return record.stats.malicious >= settings.autoDeleteMinEngines ? record.source : null;
}

/** Removes the saved file of a detected download when the person allowed it; says what it did. */
export async function autoDeleteIfDetected(record: ScanRecord, deps: AutoDeleteDeps): Promise<AutoDeleteOutcome> {
  const settings = await deps.settings();
  const source = autoDeleteTarget(record, settings);
  if (!source) return { kind: 'left' };
  try {
    await deleteScannedDownload(source, deps.downloads);
  } catch (error) {
    return { kind: 'failed', problem: toProblem(error) };
  }
  return { kind: 'deleted', malicious: record.stats!.malicious, minEngines: settings.autoDeleteMinEngines };
}
