/**
 * How often and how long a scan tries again. Every retry path has a bound: transient failures in a row
 * (MAX_ATTEMPTS, capped backoff), an analysis that never completes (the analysis step's limit), and an
 * upload whose answer is lost (the upload step's sends per day). Only waiting for the connection while
 * the browser is offline has none: it sends nothing and spends no attempt.
 */

/** Transient failures (5xx, timeouts, network) in a row before a scan ends in error. */
export const MAX_ATTEMPTS = 6;
const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 5 * 60_000;

/** The wait before the next try, after `attempts` failures in a row (1, 2, …): 5 s doubling, at most 5 min. */
export function retryDelay(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
}
