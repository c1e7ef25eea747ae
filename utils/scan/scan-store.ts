/**
 * All reads and writes of scan records and staged files. Writes are read-modify-write inside one
 * IndexedDB transaction, so a concurrent remove is never undone by a late update.
 */
import type { IDBPTransaction } from 'idb';
import type { ScanDb, ScanDbSchema, StagedFile } from '../db/scan-db';
import type { ProblemCode } from '../problems/problem';
import { isFinished, isPaused, type ScanRecord } from './scan-record';

export type RecordPatch = Partial<Omit<ScanRecord, 'token' | 'createdAt'>>;

/** The queue at a glance, for the badge. */
export interface QueueState {
  unfinished: number;
  paused: number;
  /** What the paused scans wait for (the first one's notice code), or null when none is paused. */
  pausedOn: ProblemCode | null;
}

export interface ScanStore {
  get(token: string): Promise<ScanRecord | undefined>;
  add(record: ScanRecord): Promise<void>;
  /**
   * Apply a patch (and bump updatedAt); undefined when the record no longer exists, or when `onlyIf`
   * (checked in the same transaction) says no.
   */
  patch(token: string, patch: RecordPatch, onlyIf?: (current: ScanRecord) => boolean): Promise<ScanRecord | undefined>;
  /** Records whose work is not finished (ready or progress). */
  unfinished(): Promise<ScanRecord[]>;
  /** Whether any record is ready or in progress, without reading records. */
  hasUnfinished(): Promise<boolean>;
  /** How many scans are unfinished, and how many of those wait for the person (and on what). */
  queueState(): Promise<QueueState>;
  /**
   * The finished record of this file whose VirusTotal report was fetched last, if that was at or after
   * `notBefore`: it can answer a repeat. The report's age counts, not the record's last write.
   */
  cachedReport(sha256: string, notBefore: number): Promise<ScanRecord | undefined>;
  /** Every record of a download id: after a browser restart (Firefox) one id may name several downloads. */
  withDownloadId(downloadId: number): Promise<ScanRecord[]>;
  /** Every record of this file (same SHA-256), finished or not. */
  withSha256(sha256: string): Promise<ScanRecord[]>;
  /** Every scan that ended in error with this code. */
  failedWith(code: ProblemCode): Promise<ScanRecord[]>;
  /** Finished records whose second look is due at or before `at`, earliest first. */
  secondLooksDue(at: number): Promise<ScanRecord[]>;
  /** When the earliest second look is due, or null when none is planned. */
  nextSecondLookAt(): Promise<number | null>;
  remove(token: string): Promise<void>;
  /** Forget every finished record; returns how many. */
  clearFinished(): Promise<number>;
  /** Keep at most `limit` records, dropping the oldest finished ones first. */
  prune(limit: number): Promise<void>;
  stagedFile(id: string): Promise<StagedFile | undefined>;
  removeStagedFile(id: string): Promise<void>;
}

export function createScanStore(db: ScanDb, now: () => number): ScanStore {
  async function removeWithStaged(record: ScanRecord, tx: IDBPTransaction<ScanDbSchema, ('scans' | 'stagedFiles')[], 'readwrite'>) {
    const store = tx.objectStore('scans');
    await store.delete(record.token);
    if (record.source.kind === 'file') await tx.objectStore('stagedFiles').delete(record.source.stagedFileId);
  }

  return {
    get: (token) => db.get('scans', token),
    async add(record) {
      await db.add('scans', record);
    },
    async patch(token, patch, onlyIf) {
      const tx = db.transaction('scans', 'readwrite');
      const current = await tx.store.get(token);
      if (!current || (onlyIf && !onlyIf(current))) {
        await tx.done;
        return undefined;
      }
      const next: ScanRecord = { ...current, ...patch, updatedAt: Math.max(now(), current.updatedAt) };
      await tx.store.put(next);
      await tx.done;
      return next;
    },
    async hasUnfinished() {
      const counts = await Promise.all([db.countFromIndex('scans', 'status', 'ready'), db.countFromIndex('scans', 'status', 'progress')]);
      return counts.some((n) => n > 0);
    },
    async queueState() {
      // Paused scans are 'ready'; only those are read, the scans at work are merely counted.
      const [ready, progress] = await Promise.all([db.getAllFromIndex('scans', 'status', 'ready'), db.countFromIndex('scans', 'status', 'progress')]);
      const paused = ready.filter(isPaused);
      return { unfinished: ready.length + progress, paused: paused.length, pausedOn: paused[0]?.notice?.code ?? null };
    },
    async unfinished() {
      const [ready, progress] = await Promise.all([
        db.getAllFromIndex('scans', 'status', 'ready'),
        db.getAllFromIndex('scans', 'status', 'progress'),
      ]);
      return [...ready, ...progress].sort((a, b) => a.createdAt - b.createdAt);
    },
    async cachedReport(sha256, notBefore) {
      const all = await db.getAllFromIndex('scans', 'sha256', sha256);
      return all
        // A verdict on an address (the URL fallback's, when VirusTotal had no file report) says nothing about the file.
        .filter((r) => r.status === 'done' && r.verdict !== 'unknown' && r.verdict !== null && r.verdictFor !== 'address' && r.stats)
        .filter((r) => r.reportFetchedAt !== null && r.reportFetchedAt >= notBefore)
        .sort((a, b) => b.reportFetchedAt! - a.reportFetchedAt!)[0];
    },
    withDownloadId: (downloadId) => db.getAllFromIndex('scans', 'downloadId', downloadId),
    withSha256: (sha256) => db.getAllFromIndex('scans', 'sha256', sha256),
    async failedWith(code) {
      return (await db.getAllFromIndex('scans', 'status', 'error')).filter((r) => r.error?.code === code);
    },
    secondLooksDue: (at) => db.getAllFromIndex('scans', 'secondLookAt', IDBKeyRange.upperBound(at)),
    async nextSecondLookAt() {
      const cursor = await db.transaction('scans').store.index('secondLookAt').openCursor();
      return cursor?.value.secondLookAt ?? null;
    },
    async remove(token) {
      const tx = db.transaction(['scans', 'stagedFiles'], 'readwrite');
      const record = await tx.objectStore('scans').get(token);
      if (record) await removeWithStaged(record, tx);
      await tx.done;
    },
    async clearFinished() {
      const tx = db.transaction(['scans', 'stagedFiles'], 'readwrite');
      let removed = 0;
      for (const status of ['done', 'error'] as const) {
        for (const record of await tx.objectStore('scans').index('status').getAll(status)) {
          await removeWithStaged(record, tx);
          removed++;
        }
      }
      await tx.done;
      return removed;
    },
    async prune(limit) {
      const total = await db.count('scans');
      if (total <= limit) return;
      let excess = total - limit;
      const tx = db.transaction(['scans', 'stagedFiles'], 'readwrite');
      let cursor = await tx.objectStore('scans').index('createdAt').openCursor();
      while (cursor && excess > 0) {
        if (isFinished(cursor.value)) {
          await removeWithStaged(cursor.value, tx);
          excess--;
        }
        cursor = await cursor.continue();
      }
      await tx.done;
    },
    stagedFile: (id) => db.get('stagedFiles', id),
    async removeStagedFile(id) {
      await db.delete('stagedFiles', id);
    },
  };
}
