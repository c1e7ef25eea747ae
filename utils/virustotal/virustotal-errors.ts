/**
 * VirusTotal's error answers → ScanFailure, one code per kind, each with a message a person can act on.
 * Codes and statuses from VirusTotal's API v3 documentation (see shared/virustotal-api.md).
 */
import { ScanFailure, sanitizeText } from '../scan/scan-failure';

/** VirusTotal's `{"error": {"code", "message"}}`, when the body has that shape. */
export function readErrorBody(body: unknown): { code: string; message: string } | null {
  if (!body || typeof body !== 'object') return null;
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : '' } : null;
}

/**
 * The failure for a non-2xx answer. `body` is the parsed JSON (or null when the body was not JSON).
 * 429 is not handled here: the quota limiter owns it.
 */
export function failureFromResponse(status: number, body: unknown, secrets: readonly string[] = []): ScanFailure {
  const vt = readErrorBody(body);
  // Quote at most 160 characters of what VirusTotal said: the whole message stays readable.
  const said = vt?.message ? ` VirusTotal said: “${sanitizeText(vt.message, secrets).slice(0, 160)}”` : '';
  const code = vt?.code ?? '';
  if (status === 401 || ['AuthenticationRequiredError', 'WrongCredentialsError', 'UserNotActiveError'].includes(code)) {
    const why = code === 'UserNotActiveError' ? 'says your VirusTotal account is not active' : 'rejected the API key';
    return new ScanFailure('vt-wrong-key', `VirusTotal ${why}. Open ScanDock's options and paste the key from your VirusTotal profile (API key). Scans wait until then.`, 'pause', status);
  }
  if (status === 403 || code === 'ForbiddenError') {
    return new ScanFailure('vt-forbidden', `VirusTotal refused this request for your API key (ForbiddenError).${said} Check the key and its privileges in ScanDock's options. Scans wait until the key changes.`, 'pause', status);
  }
  if (status === 404 || code === 'NotFoundError') {
    return new ScanFailure('vt-not-found', `VirusTotal does not know this item.${said}`, 'final', status);
  }
  if (status === 409 || code === 'AlreadyExistsError') {
    return new ScanFailure('vt-already-exists', `VirusTotal says this item already exists.${said}`, 'final', status);
  }
  if (status === 424 || code === 'FailedDependencyError') {
    return new ScanFailure('vt-failed-dependency', `VirusTotal could not complete the request (FailedDependencyError).${said} Try a rescan later.`, 'final', status);
  }
  if (status === 503 || code === 'TransientError') {
    return new ScanFailure('vt-transient', 'VirusTotal is temporarily unavailable (TransientError). ScanDock will retry.', 'retry', status);
  }
  if (status === 504 || code === 'DeadlineExceededError') {
    return new ScanFailure('vt-deadline', 'VirusTotal took too long to answer (DeadlineExceededError). ScanDock will retry.', 'retry', status);
  }
  if (status === 400 || ['BadRequestError', 'InvalidArgumentError', 'NotAvailableYet', 'UnselectiveContentQueryError', 'UnsupportedContentQueryError'].includes(code)) {
    if (code === 'NotAvailableYet') return new ScanFailure('vt-transient', 'VirusTotal has not finished preparing this item (NotAvailableYet). ScanDock will retry.', 'retry', status);
    return new ScanFailure('vt-bad-request', `VirusTotal refused the request as invalid (${code || 'HTTP 400'}).${said}`, 'final', status);
  }
  if (status >= 500) {
    return new ScanFailure('vt-transient', `VirusTotal answered with a server error (HTTP ${status}). ScanDock will retry.`, 'retry', status);
  }
  return new ScanFailure('vt-unexpected', `VirusTotal answered HTTP ${status}${code ? ` (${code})` : ''}.${said}`, 'final', status);
}

/** A body that is not JSON (a proxy page, a captive portal, a truncated answer). */
export function unreadableResponse(status: number): ScanFailure {
  const retry = status >= 500 || status === 200;
  return new ScanFailure(
    'vt-unreadable',
    `VirusTotal sent an unreadable response (HTTP ${status}; not the JSON the API promises). A proxy, captive portal or broken connection may be in the way.${retry ? ' ScanDock will retry.' : ''}`,
    retry ? 'retry' : 'final',
    status,
  );
}

/** JSON that parsed but is not the shape the API documents. */
export function unexpectedShape(what: string): ScanFailure {
  return new ScanFailure('vt-unexpected', `VirusTotal's answer did not have the expected shape (${what}).`, 'final');
}
