/**
 * Reading scan records for display. The pages only read `scans`; the background is its one writer.
 * History can hold thousands of records, so the popup reads only the newest few, through the
 * `createdAt` index, instead of loading the store.
 */
import type { ScanDb } from '../db/scan-db';
import type { ScanRecord } from '../scan/scan-record';

/** One page of the newest records, and whether older ones exist. */
export interface ScanPage {
  records: ScanRecord[];
  hasMore: boolean;
}

const STATUSES: ReadonlySet<unknown> = new Set(['ready', 'progress', 'done', 'error']);

/**
 * True when a stored value has the fields the pages rely on. A record from an older or broken build
 * is skipped rather than crashing the list.
 */
export function isDisplayableRecord(value: unknown): value is ScanRecord {
  if (!value || typeof value !== 'object') return false;
  const r = value as Partial<ScanRecord>;
  return (
    typeof r.token === 'string' &&
    STATUSES.has(r.status) &&
    typeof r.fileName === 'string' &&
    typeof r.createdAt === 'number' &&
    typeof r.source === 'object' &&
    r.source !== null &&
    Array.isArray(r.detail)
  );
}

/**
 * The newest `limit` records, newest first. A cursor would cost one round trip to the database per
 * record; instead a key cursor jumps `limit` entries back to the first record *not* on the page, and
 * one `getAll` fetches everything from its `createdAt` on (the page, that record, and any sharing its
 * timestamp), which is then cut to the page.
 */
export async function readNewestScans(db: ScanDb, limit: number): Promise<ScanPage> {
  const tx = db.transaction('scans', 'readonly');
  const index = tx.store.index('createdAt');
  const newest = await index.openKeyCursor(null, 'prev');
  const beyondPage = newest && limit > 0 ? await newest.advance(limit) : newest;
  const rows = limit > 0 && newest ? await index.getAll(beyondPage ? IDBKeyRange.lowerBound(beyondPage.key) : null) : [];
  await tx.done;
  // getAll is oldest first (ties by token); a 'prev' cursor, the order shown, is its exact reverse.
  const records = rows.reverse().slice(0, limit).filter(isDisplayableRecord);
  return { records, hasMore: beyondPage !== null };
}

/** Every record, newest first (for export). */
export async function readAllScans(db: ScanDb): Promise<ScanRecord[]> {
  const all = await db.getAllFromIndex('scans', 'createdAt');
  return all.filter(isDisplayableRecord).reverse();
}
