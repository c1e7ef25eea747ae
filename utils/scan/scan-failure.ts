/**
 * ScanFailure: every expected way a scan can fail, as a typed error carrying the Problem a person is shown
 * (a code and its parameters) and how the engine treats it. Whatever else is thrown becomes 'internal'
 * at the engine's boundary (`toProblem`).
 */
import type { Problem } from '../problems/problem';
import { ProblemError, toProblem } from '../problems/problem-error';
import { sanitizeText } from '../problems/sanitize-text';

export { sanitizeText, toProblem };

/** How the engine treats a failure. */
export type FailureKind =
  /** The scan ends in `error`. */
  | 'final'
  /** Try the same step again after a capped backoff (5xx, timeouts, network). */
  | 'retry'
  /** Wait without spending attempts until the person acts (no key, key rejected). */
  | 'pause';

/** Its `message` is a log line (the code and params as JSON); people read `problem`, rendered by the pages. */
export class ScanFailure extends ProblemError {
  override name = 'ScanFailure';
  constructor(
    problem: Problem,
    readonly kind: FailureKind = 'final',
    /** The HTTP status, when the failure came from a response. */
    readonly httpStatus?: number,
  ) {
    super(problem);
  }
}
