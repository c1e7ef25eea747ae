/**
 * VirusTotal's error answers → ScanFailure, one problem code per kind, each with a sentence a person can act on.
 * Codes and statuses from VirusTotal's API v3 documentation (see shared/virustotal-api.md).
 */
import { problem, type ProblemCode } from '../problems/problem';
import { ScanFailure } from '../scan/scan-failure';

/** The answers that say VirusTotal refuses the key itself (not that it could not be asked): scans wait for a new key. */
export const KEY_REFUSED_CODES: readonly ProblemCode[] = ['vt-wrong-key', 'vt-account-inactive', 'vt-forbidden'];

/** Statuses that refuse a request (401, 403, 407): from VirusTotal only with one of its error identifiers. */
export const BLOCKING_STATUSES: readonly number[] = [401, 403, 407];

/**
 * Something between the browser and VirusTotal refused the request (a proxy's or firewall's block page, a
 * proxy asking for its own sign-in): tried again after a backoff, and never taken as a verdict on the key.
 */
export function blockedOnTheWay(status: number, detail?: string, secrets: readonly string[] = []): ScanFailure {
  return new ScanFailure(problem('vt-blocked', { status, ...(detail ? { detail } : {}) }, secrets), 'retry', status);
}

/**
 * The API answered with a redirect. The client never follows one (the Fetch standard carries `x-apikey`
 * along to wherever it points), so this is what a captive portal or a proxy's sign-in page looks like.
 */
export function redirectedAway(status: number): ScanFailure {
  return new ScanFailure(problem('vt-redirected'), 'retry', status || undefined);
}

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
 * What VirusTotal said in words is kept only as the problem's `detail` (exported, logged, never shown in a
 * sentence); its error identifier is the `vtCode` param. 429 is not handled here: the quota limiter owns it.
 */
export function failureFromResponse(status: number, body: unknown, secrets: readonly string[] = []): ScanFailure {
  const vt = readErrorBody(body);
  const said = vt?.message || undefined;
  const code = vt?.code ?? '';
  /** VirusTotal's error identifier, or the status when it named none. */
  const vtCode = code || `HTTP ${status}`;
  const detail = said && `${vtCode}: ${said}`;
  // Only VirusTotal's own answer says anything about the key. A 401, 403 or 407 without one of its error
  // identifiers comes from something in between (a corporate proxy, a firewall, a captive portal): the key
  // is not to blame, nothing pauses, and the scan tries again later.
  if (code === 'AuthenticationRequiredError' || code === 'WrongCredentialsError' || code === 'UserNotActiveError') {
    return new ScanFailure(problem(code === 'UserNotActiveError' ? 'vt-account-inactive' : 'vt-wrong-key', { detail }, secrets), 'pause', status);
  }
  if (code === 'ForbiddenError') {
    return new ScanFailure(problem('vt-forbidden', { detail }, secrets), 'pause', status);
  }
  if (BLOCKING_STATUSES.includes(status)) return blockedOnTheWay(status, detail, secrets);
  if (status === 404 || code === 'NotFoundError') {
    return new ScanFailure(problem('vt-not-found', { detail }, secrets), 'final', status);
  }
  if (status === 409 || code === 'AlreadyExistsError') {
    return new ScanFailure(problem('vt-already-exists', { detail }, secrets), 'final', status);
  }
  if (status === 424 || code === 'FailedDependencyError') {
    return new ScanFailure(problem('vt-failed-dependency', { detail }, secrets), 'final', status);
  }
  if (status === 503 || code === 'TransientError') {
    return new ScanFailure(problem('vt-transient', { vtCode, detail }, secrets), 'retry', status);
  }
  if (status === 504 || code === 'DeadlineExceededError') {
    return new ScanFailure(problem('vt-deadline', { detail }, secrets), 'retry', status);
  }
  if (status === 400 || ['BadRequestError', 'InvalidArgumentError', 'NotAvailableYet', 'UnselectiveContentQueryError', 'UnsupportedContentQueryError'].includes(code)) {
    // NotAvailableYet: VirusTotal has not finished preparing the item; it will have it shortly.
    if (code === 'NotAvailableYet') return new ScanFailure(problem('vt-transient', { vtCode, detail }, secrets), 'retry', status);
    return new ScanFailure(problem('vt-bad-request', { vtCode, detail }, secrets), 'final', status);
  }
  if (status >= 500) {
    return new ScanFailure(problem('vt-transient', { vtCode, detail }, secrets), 'retry', status);
  }
  const everything = `HTTP ${status}${code ? ` ${code}` : ''}${said ? `: ${said}` : ''}`;
  return new ScanFailure(problem('vt-unexpected-status', { vtCode, detail: everything }, secrets), 'final', status);
}

/** A body that is not JSON (a proxy page, a captive portal, a truncated answer): worth another try after a 5xx or a 200. */
export function unreadableResponse(status: number): ScanFailure {
  const retry = status >= 500 || status === 200;
  return new ScanFailure(problem('vt-unreadable', { status }), retry ? 'retry' : 'final', status);
}

/** JSON that parsed but is not the shape the API documents; `what` (for the export and logs) says how. */
export function unexpectedShape(what: string): ScanFailure {
  return new ScanFailure(problem('vt-unexpected', { detail: what }), 'final');
}
