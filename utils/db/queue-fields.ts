/**
 * Database v4: the scheduler keeps a scan's place in the queue (`queuedAt`), its durable wait
 * (`waitUntil`) and every time it sent the file (`uploadSentAt`, which replaces the single
 * `uploadStartedAt`), and whether the person asked to send it again (`resendRequested`).
 */

/** A record as v3 and older stored it: the fields v4 adds may be missing, the one it replaces present. */
interface OlderRecord {
  createdAt: number;
  queuedAt?: unknown;
  waitUntil?: unknown;
  uploadSentAt?: unknown;
  uploadStartedAt?: unknown;
  resendRequested?: unknown;
}

/** The record with the v4 fields, or null when it has them already. */
export function upgradeToQueueFields<T extends OlderRecord>(record: T): (Omit<T, 'uploadStartedAt'> & { queuedAt: number; waitUntil: number | null; uploadSentAt: number[]; resendRequested: boolean }) | null {
  if (typeof record.queuedAt === 'number' && Array.isArray(record.uploadSentAt)) return null;
  const { uploadStartedAt, ...rest } = record;
  return {
    ...rest,
    queuedAt: record.createdAt,
    waitUntil: null,
    // An upload that left before the upgrade still counts: it is waited for, not sent again at once.
    uploadSentAt: typeof uploadStartedAt === 'number' ? [uploadStartedAt] : [],
    resendRequested: false,
  };
}
