/**
 * Handing picked files to the background. Messages cannot carry a Blob, so the popup stores each file in
 * the `stagedFiles` store and sends only the ids. This is the one write the pages make to IndexedDB.
 */
import type { ScanDb, StagedFile } from '../db/scan-db';

/** Writes the files in one transaction and returns their ids, in the order given. */
export async function stageFiles(
  db: ScanDb,
  files: readonly File[],
  now: number = Date.now(),
  newId: () => string = () => crypto.randomUUID(),
): Promise<string[]> {
  if (files.length === 0) return [];
  const staged: StagedFile[] = files.map((file) => ({
    id: newId(),
    name: file.name,
    size: file.size,
    blob: file,
    createdAt: now,
  }));
  const tx = db.transaction('stagedFiles', 'readwrite');
  await Promise.all([...staged.map((s) => tx.store.add(s)), tx.done]);
  return staged.map((s) => s.id);
}

/** Removes staged files nobody will scan (the background refused them or could not be reached). */
export async function unstageFiles(db: ScanDb, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const tx = db.transaction('stagedFiles', 'readwrite');
  await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
}

/**
 * Stages the files and asks the background to scan them; if the request fails, the staged copies are
 * removed again so they do not linger, and the error is rethrown for the page to show.
 */
export async function stageAndScan(
  db: ScanDb,
  files: readonly File[],
  scanStagedFiles: (ids: string[]) => Promise<string[]>,
): Promise<string[]> {
  const ids = await stageFiles(db, files);
  if (ids.length === 0) return [];
  try {
    return await scanStagedFiles(ids);
  } catch (error) {
    await unstageFiles(db, ids).catch(() => undefined);
    throw error;
  }
}
