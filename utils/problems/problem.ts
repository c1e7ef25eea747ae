/**
 * Problems: what ScanDock tells a person went wrong (or why a scan waits), as a stable code and its
 * parameters. Records, replies to the pages and the key check carry `{ code, params }`; the pages render
 * the sentence from `public/_locales/<lang>/messages.json` in the reader's language (render-problem.ts).
 * Nothing here holds English for people: the sentences live only in the locale files.
 */
import type { MessageKey } from '../i18n';
import type { QuotaWindow } from '../quota/quota-math';
import { MAX_TEXT, sanitizeText } from './sanitize-text';

/** A parameter's value: text, or a number (times, sizes, counts, statuses). */
export type ProblemParamValue = string | number;

/**
 * The parameter names a sentence may take, each with one way to render it:
 * - `…At`: a time in epoch ms, shown as the reader's local clock time (HH:MM:SS)
 * - `…Bytes`: a size, shown like the popup shows sizes ("1.5 MB")
 * - `status`: an HTTP status; `seconds`, `minutes`: plain numbers
 * - `window`: which quota a wait is for, one of `QUOTA_WINDOWS`, shown translated
 * - `host`, `scheme`: text from an address; `vtCode`: VirusTotal's error identifier (e.g. `NotAvailableYet`),
 *   or `HTTP <status>` when its answer names none; `code`: a ScanDock problem code (old records, key check)
 *
 * `nextAt` is the time a waiting scan goes on: only notice sentences show it (an ended scan has no next try),
 * so it is always the last parameter, and a problem may be made without it (see `withNextAt`).
 */
export type ProblemParamName =
  | `${string}At`
  | `${string}Bytes`
  | 'status'
  | 'seconds'
  | 'minutes'
  | 'window'
  | 'host'
  | 'scheme'
  | 'vtCode'
  | 'code';

/** One code: the message key of its sentence for an ended scan or a failed action, of its sentence while a scan waits, and its parameters in $1, $2… order. */
export interface ProblemText {
  error: MessageKey;
  notice?: MessageKey;
  params: readonly ProblemParamName[];
}

/**
 * Registry: every code, the message keys of its sentences, and its parameter names in $1, $2… order.
 * `satisfies` makes a code without an error sentence, or a sentence key missing from the English messages,
 * a compile error; utils/i18n.test.ts checks that each sentence uses exactly these placeholders.
 */
export const PROBLEM_TEXT = {
  // The API key and the account behind it. Kind 'pause': the queue waits until the key changes.
  'no-api-key': { error: 'error_no_api_key', notice: 'notice_no_api_key', params: [] },
  'vt-wrong-key': { error: 'error_vt_wrong_key', notice: 'notice_vt_wrong_key', params: [] },
  'vt-account-inactive': { error: 'error_vt_account_inactive', notice: 'notice_vt_account_inactive', params: [] },
  'vt-forbidden': { error: 'error_vt_forbidden', notice: 'notice_vt_forbidden', params: [] },
  /** A 403 ForbiddenError for one operation while a plain lookup with the same key went through: only that scan fails. */
  'vt-operation-forbidden': { error: 'error_vt_operation_forbidden', params: [] },
  /** Host access (to VirusTotal and the sites downloads come from) was withdrawn: scans wait until it is back. */
  'no-host-access': { error: 'error_no_host_access', notice: 'notice_no_host_access', params: [] },

  // Waits: the quota, and the failures the engine tries again after a backoff.
  'vt-quota': { error: 'error_vt_quota', notice: 'notice_vt_quota', params: ['window', 'nextAt'] },
  'vt-transient': { error: 'error_vt_transient', notice: 'notice_vt_transient', params: ['vtCode', 'nextAt'] },
  'vt-deadline': { error: 'error_vt_deadline', notice: 'notice_vt_deadline', params: ['nextAt'] },
  'vt-timeout': { error: 'error_vt_timeout', notice: 'notice_vt_timeout', params: ['nextAt'] },
  'vt-unreadable': { error: 'error_vt_unreadable', notice: 'notice_vt_unreadable', params: ['status', 'nextAt'] },
  network: { error: 'error_network', notice: 'notice_network', params: ['nextAt'] },
  offline: { error: 'error_offline', notice: 'notice_offline', params: ['nextAt'] },
  'vt-upload-lost': { error: 'error_vt_upload_lost', notice: 'notice_vt_upload_lost', params: ['sentAt', 'nextAt'] },
  /** ScanDock's own timer stopped an upload (at the slow uplink the timeout presumes it was not done yet). */
  'vt-upload-timeout': { error: 'error_vt_upload_timeout', notice: 'notice_vt_upload_timeout', params: ['sizeBytes', 'seconds', 'nextAt'] },
  /** A 401/403/407 that is not VirusTotal's own JSON: a proxy or firewall refused the request, not VirusTotal the key. */
  'vt-blocked': { error: 'error_vt_blocked', notice: 'notice_vt_blocked', params: ['status', 'nextAt'] },
  /** The API answered with a redirect, which ScanDock never follows (the key would go along). */
  'vt-redirected': { error: 'error_vt_redirected', notice: 'notice_vt_redirected', params: ['nextAt'] },

  // VirusTotal answered, and the scan cannot go on.
  'vt-not-found': { error: 'error_vt_not_found', params: [] },
  'vt-bad-request': { error: 'error_vt_bad_request', params: ['vtCode'] },
  'vt-already-exists': { error: 'error_vt_already_exists', params: [] },
  'vt-failed-dependency': { error: 'error_vt_failed_dependency', params: [] },
  'vt-unexpected-status': { error: 'error_vt_unexpected_status', params: ['vtCode'] },
  'vt-unexpected': { error: 'error_vt_unexpected', params: [] },
  'analysis-timeout': { error: 'error_analysis_timeout', params: ['minutes'] },

  // Getting the bytes.
  'source-unsupported': { error: 'error_source_unsupported', params: ['scheme'] },
  'source-malformed': { error: 'error_source_malformed', params: [] },
  'source-empty': { error: 'error_source_empty', params: [] },
  'source-too-large': { error: 'error_source_too_large', params: ['sizeBytes', 'maxBytes'] },
  'source-size-mismatch': { error: 'error_source_size_mismatch', params: ['gotBytes', 'expectedBytes'] },
  'source-changed': { error: 'error_source_changed', params: [] },
  'source-http-status': { error: 'error_source_http_status', params: ['host', 'status'] },
  'source-unreachable': { error: 'error_source_unreachable', params: ['host'] },
  'source-timeout': { error: 'error_source_timeout', params: ['host', 'seconds'] },
  'source-stalled': { error: 'error_source_stalled', params: ['host', 'seconds'] },
  'source-interrupted': { error: 'error_source_interrupted', params: ['host'] },
  'source-gone': { error: 'error_source_gone', params: [] },
  'source-excluded': { error: 'error_source_excluded', params: [] },
  /** A right-clicked link fetched without the person's cookies was refused: it may need them (a setting). */
  'link-refused': { error: 'error_link_refused', params: ['host', 'status'] },

  // A download's saved file (Chrome with "Allow access to file URLs"). Why the bytes did not come from disk,
  // kept on the record as `readNote` when the download was fetched again instead:
  'disk-access-off': { error: 'note_disk_access_off', params: [] },
  'disk-file-moved': { error: 'note_disk_file_moved', params: [] },
  'disk-unsupported': { error: 'note_disk_unsupported', params: [] },
  // …and what a scan ends with when fetching it again failed too, or when the saved file changed.
  'download-needs-file-access': { error: 'error_download_needs_file_access', params: [] },
  'download-not-readable': { error: 'error_download_not_readable', params: [] },
  'download-moved': { error: 'error_download_moved', params: [] },
  'download-changed': { error: 'error_download_changed', params: ['gotBytes', 'expectedBytes'] },
  // A download from a private window is read only from its saved file: never fetched with the normal profile's cookies.
  'private-download-unreadable': { error: 'error_private_download_unreadable', params: [] },

  // The URL fallback: VirusTotal fetches the address itself.
  'url-not-fetched': { error: 'error_url_not_fetched', params: [] },
  'url-http-status': { error: 'error_url_http_status', params: ['status'] },
  'url-size-mismatch': { error: 'error_url_size_mismatch', params: ['gotBytes', 'expectedBytes'] },

  // ScanDock itself.
  storage: { error: 'error_storage', params: [] },
  internal: { error: 'error_internal', params: [] },
  'db-blocked': { error: 'error_db_blocked', params: [] },
  /** A record from before problems existed (database v2): its old code, and its English text as the detail. */
  legacy: { error: 'error_legacy', notice: 'notice_legacy', params: ['code'] },

  // What the pages asked the background to do.
  'scan-gone': { error: 'error_scan_gone', params: [] },
  'upload-not-unknown': { error: 'error_upload_not_unknown', params: [] },
  'not-a-download': { error: 'error_not_a_download', params: [] },
  'download-not-same': { error: 'error_download_not_same', params: [] },
  /** Delete file on a record from before its download's identity (start time, path) was kept. */
  'download-identity-unknown': { error: 'error_download_identity_unknown', params: [] },
  'staged-file-missing': { error: 'error_staged_file_missing', params: [] },
  'not-own-page': { error: 'error_not_own_page', params: [] },
  'no-answer': { error: 'error_no_answer', params: [] },

  // Saving the API key (options page).
  'key-cleared': { error: 'error_key_cleared', params: [] },
  'key-malformed': { error: 'error_key_malformed', params: [] },
  'key-rejected': { error: 'error_key_rejected', params: [] },
  'key-check-deferred': { error: 'error_key_check_deferred', params: [] },
  'key-check-failed': { error: 'error_key_check_failed', params: ['code'] },
  /** The check was refused on the way (a proxy's 403): the key is kept unchecked, not called rejected. */
  'key-check-blocked': { error: 'error_key_check_blocked', params: ['status'] },
} as const satisfies Record<string, ProblemText>;

export type ProblemCode = keyof typeof PROBLEM_TEXT;

type ParamOf<C extends ProblemCode> = (typeof PROBLEM_TEXT)[C]['params'][number];

/** Every parameter of a code's sentences, `nextAt` included. */
export type ProblemParams<C extends ProblemCode> = { [P in ParamOf<C>]: ProblemParamValue };

/** Numbers for times, sizes, statuses and counts; text for the rest. */
type ValueOf<P extends string> = P extends `${string}At` | `${string}Bytes` | 'status' | 'seconds' | 'minutes'
  ? number
  : P extends 'window'
    ? QuotaWindow
    : string;

/**
 * What `problem()` takes: the sentence's parameters (`nextAt` may come later, see `withNextAt`), and a
 * `detail` (an exception's or a server's own words) that is exported and logged but never shown in a sentence.
 */
export type ProblemInput<C extends ProblemCode> = { [P in Exclude<ParamOf<C>, 'nextAt'>]: ValueOf<P> } & {
  [P in Extract<ParamOf<C>, 'nextAt'>]?: number;
} & { detail?: string };

/** Codes whose sentences take parameters must be given them; the others may be called with none. */
type ProblemArgs<C extends ProblemCode> = [Exclude<ParamOf<C>, 'nextAt'>] extends [never]
  ? [params?: ProblemInput<C>, secrets?: readonly string[]]
  : [params: ProblemInput<C>, secrets?: readonly string[]];

/** What went wrong, as records and replies carry it: a code and its parameters (plain data, stored and sent as is). */
export interface Problem<C extends ProblemCode = ProblemCode> {
  code: C;
  params: Record<string, ProblemParamValue>;
}

/** The quota windows a `window` parameter names (QuotaWindow from the quota limiter). */
export const QUOTA_WINDOWS = ['minute', 'hour', 'day', 'month', 'rate-limited'] as const satisfies readonly QuotaWindow[];

/** A shown parameter is at most this long: a host or an identifier, never a paragraph. */
const MAX_PARAM = 120;

// A code that can wait until a time has a sentence for waiting: otherwise this fails to compile.
type WaitWithoutNotice = {
  [C in ProblemCode]: 'nextAt' extends ParamOf<C> ? ((typeof PROBLEM_TEXT)[C] extends { notice: MessageKey } ? never : C) : never;
}[ProblemCode];
const everyWaitHasANotice: [WaitWithoutNotice] extends [never] ? true : WaitWithoutNotice = true;
void everyWaitHasANotice;

function has(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * Typed constructor: `problem('source-empty')`, `problem('source-http-status', { host, status })`.
 * String params are sanitized (control/bidi characters dropped, whitespace collapsed, capped) and `secrets`
 * redacted from them; `detail` keeps up to 300 characters, shown parameters 120.
 */
export function problem<C extends ProblemCode>(code: C, ...[input, secrets = []]: ProblemArgs<C>): Problem<C> {
  const params: Record<string, ProblemParamValue> = {};
  for (const [name, value] of Object.entries((input ?? {}) as Record<string, ProblemParamValue | undefined>)) {
    if (value === undefined) continue;
    params[name] = typeof value === 'string' ? sanitizeText(value, secrets, name === 'detail' ? MAX_TEXT : MAX_PARAM) : value;
  }
  return { code, params };
}

/** A waiting scan's notice: `problem` with the time the scan goes on (only for codes whose notice shows one). */
export function withNextAt<C extends ProblemCode>(problem: Problem<C>, nextAt: number): Problem<C> {
  const names: readonly string[] = PROBLEM_TEXT[problem.code].params;
  return names.includes('nextAt') ? { code: problem.code, params: { ...problem.params, nextAt } } : problem;
}

/** `problem` with `secrets` redacted from every text parameter (again: the caller may not have had them). */
export function redactProblem<C extends ProblemCode>(problem: Problem<C>, secrets: readonly string[]): Problem<C> {
  const params: Record<string, ProblemParamValue> = {};
  for (const [name, value] of Object.entries(problem.params)) {
    params[name] = typeof value === 'string' ? sanitizeText(value, secrets, name === 'detail' ? MAX_TEXT : MAX_PARAM) : value;
  }
  return { code: problem.code, params };
}

/** The value a parameter of this name must have, for `isProblem`. */
function validParam(name: string, value: unknown): boolean {
  if (/(At|Bytes)$/.test(name) || name === 'status' || name === 'seconds' || name === 'minutes') {
    return typeof value === 'number' && Number.isFinite(value);
  }
  if (name === 'window') return (QUOTA_WINDOWS as readonly unknown[]).includes(value);
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a stored or received value: a known code, and every parameter its sentences need (`nextAt`
 * aside) with a value of the right kind. Anything else (an old record, a message from elsewhere) is not a Problem.
 */
export function isProblem(value: unknown): value is Problem {
  if (!isPlainObject(value)) return false;
  const { code, params } = value;
  if (typeof code !== 'string' || !has(PROBLEM_TEXT, code) || !isPlainObject(params)) return false;
  for (const [name, param] of Object.entries(params)) if (!validParam(name, param)) return false;
  const needed: readonly string[] = PROBLEM_TEXT[code as ProblemCode].params;
  return needed.every((name) => name === 'nextAt' || has(params, name));
}

/** One line for a console log or an Error's message: the code and its params as JSON. */
export function problemLogLine(problem: Problem): string {
  return `${problem.code} ${JSON.stringify(problem.params)}`;
}
