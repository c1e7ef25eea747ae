/**
 * Database v6: a record says where the bytes it hashed came from (`readFrom`: a download's saved file or
 * its address fetched again) and, when a download was fetched again, why (`readNote`). Records from before
 * do not know: both null.
 */

/** The record (as v5 and older stored it, without the fields) with the v6 fields, or null when it has them already. */
export function upgradeToReadFields<T extends object>(record: T): (T & { readFrom: null; readNote: null }) | null {
  if ('readFrom' in record && 'readNote' in record) return null;
  return { ...record, readFrom: null, readNote: null };
}
