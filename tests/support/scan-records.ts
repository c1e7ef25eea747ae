/**
 * Reading ScanDock's scan records (IndexedDB `scandock` / `scans`) from a page of the extension or its
 * service worker, and waiting for records to reach a state. Read-only: the background is their one writer.
 */
import type { Page, Worker } from 'playwright-core';
import type { ScanRecord } from '../../utils/scan/scan-record';

/** Anything of the extension's origin that runs code: the popup, the options page, the worker. */
export type ExtensionScope = Pick<Page, 'evaluate'> | Pick<Worker, 'evaluate'>;

/** Every scan record, oldest first; none when the database does not exist yet (it is not created here). */
export async function readRecords(scope: ExtensionScope): Promise<ScanRecord[]> {
  const evaluate = scope.evaluate.bind(scope) as Worker['evaluate'];
  const records = await evaluate(
    () =>
      new Promise<unknown[]>((resolve, reject) => {
        const open = indexedDB.open('scandock');
        // The background has not created it yet: abort instead of creating an empty version 1.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve([]);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('scans')) {
            db.close();
            resolve([]);
            return;
          }
          const read = db.transaction('scans', 'readonly').objectStore('scans').getAll();
          read.onsuccess = () => {
            db.close();
            resolve(read.result as unknown[]);
          };
          read.onerror = () => {
            db.close();
            reject(read.error);
          };
        };
      }),
  );
  return (records as ScanRecord[]).sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * Polls the records until `check` returns a value other than undefined/false, and returns it.
 * On timeout the error shows what the records looked like, so a failure says where the scan stopped.
 */
export async function waitForRecords<T>(
  scope: ExtensionScope,
  check: (records: ScanRecord[]) => T | undefined | false,
  { timeoutMs = 20_000, what = 'scan records' }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: ScanRecord[] = [];
  for (;;) {
    last = await readRecords(scope);
    const result = check(last);
    if (result !== undefined && result !== false) return result;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Records now:\n${describeRecords(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Waits for one record matching `predicate` and returns it. */
export function waitForRecord(
  scope: ExtensionScope,
  predicate: (record: ScanRecord) => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<ScanRecord> {
  return waitForRecords(scope, (records) => records.find(predicate), options);
}

/** One line per record: what a failing test needs to see. */
export function describeRecords(records: ScanRecord[]): string {
  if (records.length === 0) return '  (none)';
  return records
    .map((r) => {
      const id = r.source.kind === 'download' ? `download#${r.source.downloadId}` : r.source.kind;
      const why = JSON.stringify(r.error ?? r.notice ?? null);
      return `  ${r.token.slice(0, 8)} ${id} ${JSON.stringify(r.fileName)} ${r.status}/${r.step} verdict=${r.verdict} ${why}`;
    })
    .join('\n');
}

/** The record of the download with this id. */
export const byDownloadId = (id: number) => (record: ScanRecord) => record.source.kind === 'download' && record.source.downloadId === id;

/** True once a record's work is over (done or error). */
export const isFinished = (record: ScanRecord) => record.status === 'done' || record.status === 'error';
