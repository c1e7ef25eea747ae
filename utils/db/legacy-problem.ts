/**
 * Database v3: records from before problems (v2 and older) carry `{ code, message }` with an English
 * message. Their text cannot be shown in the reader's language, so each becomes `legacy` with the old code,
 * whose sentence says the scan ended (or waited) in an earlier version; the old words stay as the detail.
 */
import { isProblem, problem, type Problem } from '../problems/problem';

/** An old record's `error` or `notice` as a Problem (null stays null; one that already is a Problem stays). */
export function legacyProblem(value: unknown): Problem | null {
  if (value === null || value === undefined) return null;
  if (isProblem(value)) return value;
  const { code, message } = typeof value === 'object' ? (value as { code?: unknown; message?: unknown }) : { code: value, message: undefined };
  return problem('legacy', {
    code: typeof code === 'string' && code.trim() ? code : '?',
    detail: typeof message === 'string' && message.trim() ? message : undefined,
  });
}

/** The record with its error and notice as problems, or null when there was nothing to change. */
export function upgradeToProblems<T extends { error?: unknown; notice?: unknown }>(record: T): (T & { error: Problem | null; notice: Problem | null }) | null {
  const error = legacyProblem(record.error);
  const notice = legacyProblem(record.notice);
  if (error === (record.error ?? null) && notice === (record.notice ?? null)) return null;
  return { ...record, error, notice };
}
