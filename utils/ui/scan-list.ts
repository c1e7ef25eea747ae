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

/** Records read again by token after the background announced them changed; undefined for one that is gone. */
export async function readScansByToken(db: ScanDb, tokens: readonly string[]): Promise<Map<string, ScanRecord | undefined>> {
  const tx = db.transaction('scans', 'readonly');
  const values = await Promise.all(tokens.map((token) => tx.store.get(token)));
  await tx.done;
  return new Map(tokens.map((token, i) => [token, isDisplayableRecord(values[i]) ? values[i] : undefined]));
}

/** The order `readNewestScans` returns: newest `createdAt` first, ties by token, descending. */
function newerFirst(a: ScanRecord, b: ScanRecord): number {
  return b.createdAt - a.createdAt || (a.token < b.token ? 1 : a.token > b.token ? -1 : 0);
}

/**
 * The page with the private windows' records in it by date (the popup shows them while a private window is
 * open; they are never part of the history in IndexedDB): `privateRecords` replace any of the same token.
 */
export function withPrivateRecords(page: ScanPage, privateRecords: readonly ScanRecord[]): ScanPage {
  if (privateRecords.length === 0) return page;
  const tokens = new Set(privateRecords.map((r) => r.token));
  const records = [...page.records.filter((r) => !tokens.has(r.token)), ...privateRecords.filter(isDisplayableRecord)].sort(newerFirst);
  return { records, hasMore: page.hasMore };
}

/**
 * The page as it is after `changed` records changed, without reading the page again: a changed record is
 * replaced where it is, a new one goes in its place by date (pushing the oldest off a full page). Records
 * that did not change keep their identity, so rows that did not change need not render again. Null when
 * only a full read can tell (a record removed, or a page that cannot be trusted to be complete).
 */
export function applyChangedScans(page: ScanPage, changed: ReadonlyMap<string, ScanRecord | undefined>, limit: number): ScanPage | null {
  if (changed.size === 0) return null;
  let records = [...page.records];
  let hasMore = page.hasMore;
  for (const [token, record] of changed) {
    const at = records.findIndex((r) => r.token === token);
    // A removal can pull an older record onto the page or end "more": only a read can say.
    if (!record) return null;
    if (at >= 0) {
      if (records[at]!.createdAt !== record.createdAt) return null;
      records[at] = record;
      continue;
    }
    records.push(record);
    records.sort(newerFirst);
    if (records.length > limit) {
      records = records.slice(0, limit);
      hasMore = true;
    }
  }
  return { records, hasMore };
}
