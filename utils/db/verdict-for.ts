/**
 * Database v5: a record says whether its verdict is on a file or on an address (`verdictFor`). Every verdict written
 * before address checks existed was the engines' verdict on a file (the URL fallback looked the fetched
 * file up by its hash), so a record with a verdict gets 'file', one without gets null.
 */

/** A record as v4 and older stored it: `verdictFor` missing. */
interface OlderRecord {
  verdict: string | null;
  verdictFor?: unknown;
}

/** The record with `verdictFor`, or null when it has it already. */
export function upgradeToVerdictFor<T extends OlderRecord>(record: T): (T & { verdictFor: 'file' | null }) | null {
  if (record.verdictFor === 'file' || record.verdictFor === 'address' || (record.verdictFor === null && 'verdictFor' in record)) return null;
  return { ...record, verdictFor: record.verdict === null ? null : 'file' };
}
