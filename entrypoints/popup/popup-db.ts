/**
 * The popup's one connection to IndexedDB, opened on first use. If it breaks (a newer version of the
 * database closed it, or a read failed), it is dropped and the next use opens a fresh one.
 */
import { openScanDb, type ScanDb } from '../../utils/db/scan-db';

let connection: Promise<ScanDb> | null = null;

/** The open database, opening it if needed. */
export function getPopupDb(): Promise<ScanDb> {
  connection ??= openScanDb().catch((error: unknown) => {
    connection = null;
    throw error;
  });
  return connection;
}

/** Forget the connection so the next `getPopupDb()` reopens it. */
export function dropPopupDb(): void {
  const old = connection;
  connection = null;
  void old?.then((db) => db.close()).catch(() => undefined);
}
