/**
 * The IndexedDB schema: database `scandock`, with the scan records and the files a person picked.
 * Upgrades are numbered steps; each runs once, in order, and keeps every existing record.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
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
    indexes: { sha256: string; createdAt: number; status: ScanStatus; downloadId: number };
  };
  stagedFiles: {
    key: string;
    value: StagedFile;
  };
}

export const DB_NAME = 'scandock';
export const DB_VERSION = 2;

export type ScanDb = IDBPDatabase<ScanDbSchema>;

/** Opens (and if needed upgrades) the database. Rejects with a readable error when IndexedDB refuses. */
export function openScanDb(name = DB_NAME): Promise<ScanDb> {
  return openDB<ScanDbSchema>(name, DB_VERSION, {
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
    },
    blocked() {
      // An older page (e.g. an open popup) holds the previous version; it closes itself on `versionchange`.
    },
  }).then((db) => {
    // Let a newer version upgrade instead of blocking behind this connection.
    db.addEventListener('versionchange', () => db.close());
    return db;
  });
}
