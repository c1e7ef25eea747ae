/**
 * ScanFailure: every expected way a scan can fail, as a typed error with a message a person can act on.
 * Whatever else is thrown becomes 'internal' at the engine's boundary.
 */
import { sanitizeText } from '../problems/sanitize-text';
import type { ScanErrorCode, ScanErrorInfo } from './scan-record';

export { sanitizeText };

/** How the engine treats a failure. */
export type FailureKind =
  /** The scan ends in `error`. */
  | 'final'
  /** Try the same step again after a capped backoff (5xx, timeouts, network). */
  | 'retry'
  /** Wait without spending attempts until the person acts (no key, key rejected). */
  | 'pause';

export class ScanFailure extends Error {
  override readonly name = 'ScanFailure';
  constructor(
    readonly code: ScanErrorCode,
    message: string,
    readonly kind: FailureKind = 'final',
    /** The HTTP status, when the failure came from a response. */
    readonly httpStatus?: number,
  ) {
    super(message);
  }

  /** The record's `{code, message}`. */
  toInfo(): ScanErrorInfo {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as the record's error; secrets never leave. */
export function toErrorInfo(error: unknown, secrets: readonly string[] = []): ScanErrorInfo {
  if (error instanceof ScanFailure) return { code: error.code, message: sanitizeText(error.message, secrets) };
  if (error instanceof DOMException && error.name === 'QuotaExceededError') {
    return { code: 'storage', message: 'The browser refused to store more data (disk or storage quota full). Free some space or clear ScanDock history.' };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: sanitizeText(`ScanDock hit an unexpected problem: ${detail}`, secrets) };
}
