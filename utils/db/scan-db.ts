/**
 * The IndexedDB schema: database `scandock`, with the scan records and the files a person picked.
 * Upgrades are numbered steps; each runs once, in order, and keeps every existing record.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore } from 'idb';
import { problem } from '../problems/problem';
import { ProblemError } from '../problems/problem-error';
import { upgradeToProblems } from './legacy-problem';
import { upgradeToQueueFields } from './queue-fields';
import { upgradeToReadFields } from './read-fields';
import { upgradeToReportAge } from './report-age-fields';
import { upgradeToVerdictFor } from './verdict-for';
import type { ScanRecord, ScanStatus } from '../scan/scan-record';

/** A file the person picked in the popup, kept until its scan no longer needs the bytes. */
export interface StagedFile {
  id: string;
  name: string;
  size: number;
  blob: Blob;
  createdAt: number;
}

export interface ScanDbSchema extends DBSchema {
  scans: {
    key: string;
    value: ScanRecord;
    indexes: { sha256: string; createdAt: number; status: ScanStatus; downloadId: number; secondLookAt: number };
  };
  stagedFiles: {
    key: string;
    value: StagedFile;
  };
}

export const DB_NAME = 'scandock';
export const DB_VERSION = 7;

export type ScanDb = IDBPDatabase<ScanDbSchema>;

/** How long an upgrade waits for an older page to let go of the database before giving up. */
export const BLOCKED_TIMEOUT_MS = 5_000;

export interface OpenOptions {
  /** How long to wait for an older connection to close before rejecting (default 5 s). */
  blockedTimeoutMs?: number;
}

/**
 * Opens (and if needed upgrades) the database. Rejects when IndexedDB refuses, and with the 'db-blocked'
 * problem when an upgrade stays blocked: an older page that does not close on `versionchange` would
 * otherwise keep this promise (and every scan behind it) waiting for ever.
 */
export function openScanDb(name = DB_NAME, options: OpenOptions = {}): Promise<ScanDb> {
  return new Promise<ScanDb>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let gaveUp = false;
    openDB<ScanDbSchema>(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        // v1: the scan records.
        if (oldVersion < 1) {
          const scans = db.createObjectStore('scans', { keyPath: 'token' });
          scans.createIndex('sha256', 'sha256');
          scans.createIndex('createdAt', 'createdAt');
          scans.createIndex('status', 'status');
        }
        // v2: look a download's record up by its id; keep picked files for resumable scans.
        if (oldVersion < 2) {
          tx.objectStore('scans').createIndex('downloadId', 'source.downloadId');
          db.createObjectStore('stagedFiles', { keyPath: 'id' });
        }
        // v3: errors and notices are problems ({ code, params }) the pages render; older ones become 'legacy'.
        // v4: the scheduler's fields (queue place, durable wait, every upload sent).
        // v5: whether a verdict is on a file or on an address (verdict-for.ts).
        // v6: where the hashed bytes came from (a download's saved file, or its address fetched again).
        // v7: the age of the report behind a verdict, VirusTotal's first sight of the file, the second looks.
        if (oldVersion < 7) tx.objectStore('scans').createIndex('secondLookAt', 'secondLookAt');
        if (oldVersion >= 1 && oldVersion < 7) {
          // Only IndexedDB requests are awaited, so the upgrade transaction stays open until every record is
          // rewritten; a failure aborts it, and the open fails instead of leaving half the records old.
          void upgradeRecords(tx.objectStore('scans'), oldVersion).catch(() => {
            try {
              tx.abort();
            } catch {
              // Already aborted by the failed request itself.
            }
          });
        }
      },
      blocked() {
        // Our own pages close on `versionchange`; one that has not may be closing now, so give it a moment.
        timer ??= setTimeout(() => {
          gaveUp = true;
          // The pages say what to do: close the older ScanDock pages, then try again.
          reject(new ProblemError(problem('db-blocked')));
        }, options.blockedTimeoutMs ?? BLOCKED_TIMEOUT_MS);
      },
    }).then(
      (db) => {
        clearTimeout(timer);
        // The old page let go after we gave up: the upgrade is done, this connection is nobody's.
        if (gaveUp) return db.close();
        // Let a newer version upgrade instead of blocking behind this connection.
        db.addEventListener('versionchange', () => db.close());
        resolve(db);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Upgrade steps 3 to 7, in one pass over the records: each step that is due rewrites what it must. */
async function upgradeRecords(scans: IDBPObjectStore<ScanDbSchema, ArrayLike<'scans' | 'stagedFiles'>, 'scans', 'versionchange'>, oldVersion: number): Promise<void> {
  for (let cursor = await scans.openCursor(); cursor; cursor = await cursor.continue()) {
    let record: ScanRecord = cursor.value;
    let changed = false;
    if (oldVersion < 3) {
      const upgraded = upgradeToProblems(record);
      if (upgraded) [record, changed] = [upgraded, true];
    }
    const queued = upgradeToQueueFields(record);
    if (queued) [record, changed] = [queued as ScanRecord, true];
    const verdictFor = upgradeToVerdictFor(record);
    if (verdictFor) [record, changed] = [verdictFor, true];
    const read = upgradeToReadFields(record);
    if (read) [record, changed] = [read, true];
    const age = upgradeToReportAge(record);
    if (age) [record, changed] = [age, true];
    if (changed) await cursor.update(record);
  }
}
