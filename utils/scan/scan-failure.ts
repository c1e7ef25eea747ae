/**
 * ScanFailure: every expected way a scan can fail, as a typed error with a message a person can act on.
 * Whatever else is thrown becomes 'internal' at the engine's boundary.
 */
import type { ScanErrorCode, ScanErrorInfo } from './scan-record';

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

const MAX_MESSAGE = 300;

/** Control characters, bidi overrides and isolates: never let them into a message a person reads. */
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A run of this many characters of a secret is redacted too: a server may echo a key cut short. */
const SECRET_PIECE = 12;

/** `text` without `secret`: whole, in any case, or any run of letters/digits holding a 12-character piece of it. */
function redact(text: string, secret: string): string {
  const out = text.split(secret).join('[redacted]');
  if (secret.length < SECRET_PIECE) return out;
  const lowerSecret = secret.toLowerCase();
  return out.replace(/[A-Za-z0-9_-]{12,}/g, (run) => {
    const lower = run.toLowerCase();
    for (let i = 0; i + SECRET_PIECE <= lower.length; i++) {
      if (lowerSecret.includes(lower.slice(i, i + SECRET_PIECE))) return '[redacted]';
    }
    return run;
  });
}

/**
 * Text from outside (VirusTotal, a server, an exception) made safe to keep on a record:
 * secrets removed, control and bidi characters dropped, length capped.
 */
export function sanitizeText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = redact(out, secret);
  out = out.replace(UNSAFE_CHARS, ' ').replace(/\s+/g, ' ').trim();
  return out.length > MAX_MESSAGE ? `${out.slice(0, MAX_MESSAGE - 1)}…` : out;
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
