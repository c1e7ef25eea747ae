/**
 * Once ScanDock may read files on disk, the downloads that failed only because it could not (and could not
 * fetch them again either) are scanned again, from their saved files. Chrome restarts the extension when
 * "Allow access to file URLs" changes, so looking at each start of the background catches the moment the
 * person switched it on from an error row's button.
 */
import type { ScanEngine } from '@/utils/scan/scan-engine';
import type { ScanStore } from '@/utils/scan/scan-store';

export interface FileAccessRetryDeps {
  fileAccess(): Promise<boolean>;
  store: Pick<ScanStore, 'failedWith'>;
  engine: Pick<ScanEngine, 'rescan'>;
}

/** Rescans every download that ended for want of file access, if ScanDock has it now; resolves with how many. */
export async function rescanUnreadableDownloads({ fileAccess, store, engine }: FileAccessRetryDeps): Promise<number> {
  if (!(await fileAccess())) return 0;
  const failed = await store.failedWith('download-needs-file-access');
  for (const record of failed) await engine.rescan(record.token);
  return failed.length;
}
