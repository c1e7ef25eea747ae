/**
 * Database v7: a record says when ScanDock fetched the VirusTotal report behind its verdict (`reportFetchedAt`),
 * when VirusTotal first saw the file (`firstSeenAt`), and its second looks (`secondLook`, `secondLookAt`).
 * Records from before never kept the fetch time: a verdict fetched by the record itself is dated by its
 * creation (earlier than the fetch, so the history answers repeats for less long, never longer), and a verdict
 * copied from the history has no date and answers no repeat.
 */

/** A record as v6 and older stored it. */
interface OlderRecord {
  status: string;
  stats: unknown;
  fromCache: boolean;
  createdAt: number;
}

/** The v7 fields of an older record. */
export interface ReportAgeFields {
  reportFetchedAt: number | null;
  firstSeenAt: null;
  secondLook: null;
  secondLookAt: null;
}

/** The record with the v7 fields, or null when it has them already. */
export function upgradeToReportAge<T extends OlderRecord>(record: T): (T & ReportAgeFields) | null {
  if ('reportFetchedAt' in record) return null;
  const fetchedItself = record.status === 'done' && record.stats !== null && !record.fromCache;
  return { ...record, reportFetchedAt: fetchedItself ? record.createdAt : null, firstSeenAt: null, secondLook: null, secondLookAt: null };
}
