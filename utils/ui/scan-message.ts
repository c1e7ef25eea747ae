/**
 * Why a scan failed, or why it waits, in the reader's language. The background writes `{code, message}`
 * on the record in English, with details only it knows (a host, an HTTP status, the time of the next try).
 * The popup shows a translated sentence per code and keeps that English message as the detail, so nothing
 * is lost; in English the record's own message is the whole text, exactly as the background wrote it.
 */
import type { MessageKey } from '../i18n';
import type { ScanErrorCode, ScanErrorInfo } from '../scan/scan-record';

/** A sentence for each code when a scan ends with it. `satisfies` makes a new code without a sentence a compile error. */
export const ERROR_TEXT = {
  'vt-wrong-key': 'error_vt_wrong_key',
  'vt-forbidden': 'error_vt_forbidden',
  'vt-quota': 'error_vt_quota',
  'vt-not-found': 'error_vt_not_found',
  'vt-bad-request': 'error_vt_bad_request',
  'vt-already-exists': 'error_vt_already_exists',
  'vt-failed-dependency': 'error_vt_failed_dependency',
  'vt-transient': 'error_vt_transient',
  'vt-deadline': 'error_vt_deadline',
  'vt-unreadable': 'error_vt_unreadable',
  'vt-unexpected': 'error_vt_unexpected',
  'vt-timeout': 'error_vt_timeout',
  network: 'error_network',
  'no-api-key': 'error_no_api_key',
  'no-host-access': 'error_no_host_access',
  'source-unsupported': 'error_source_unsupported',
  'source-malformed': 'error_source_malformed',
  'source-empty': 'error_source_empty',
  'source-too-large': 'error_source_too_large',
  'source-size-mismatch': 'error_source_size_mismatch',
  'source-http-status': 'error_source_http_status',
  'source-unreachable': 'error_source_unreachable',
  'source-gone': 'error_source_gone',
  'source-excluded': 'error_source_excluded',
  'url-not-fetched': 'error_url_not_fetched',
  'analysis-timeout': 'error_analysis_timeout',
  storage: 'error_storage',
  internal: 'error_internal',
} as const satisfies Record<ScanErrorCode, MessageKey>;

/**
 * A sentence for each code a waiting scan can carry: the quota wait, the failures the engine retries
 * (`ScanFailure` kind 'retry') and those that pause until the person acts (kind 'pause'). They say the
 * scan goes on, where the error sentence for the same code says it stopped. Other codes use `ERROR_TEXT`.
 */
export const NOTICE_TEXT = {
  'vt-quota': 'notice_vt_quota',
  'vt-timeout': 'notice_vt_timeout',
  'vt-transient': 'notice_vt_transient',
  'vt-deadline': 'notice_vt_deadline',
  'vt-unreadable': 'notice_vt_unreadable',
  network: 'notice_network',
  'vt-wrong-key': 'notice_vt_wrong_key',
  'vt-forbidden': 'notice_vt_forbidden',
  'no-api-key': 'notice_no_api_key',
  'no-host-access': 'notice_no_host_access',
} as const satisfies Partial<Record<ScanErrorCode, MessageKey>>;

/** What to show for a record's error or notice: the main sentence, and the background's English detail. */
export interface ScanMessage {
  text: string;
  /** The record's English message, shown beside `text` when the UI is not in English; else null. */
  detail: string | null;
}

/** The locale the messages come from ("en" also when the browser's language has no messages of its own). */
export function messagesAreEnglish(translate: (key: MessageKey) => string): boolean {
  return translate('messagesLanguage').toLowerCase().startsWith('en');
}

function has<T extends object>(map: T, key: string): key is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/**
 * The text for a record's `error` (kind 'error') or `notice` (kind 'notice').
 * `info` comes from storage: a code this version does not know gets the generic sentence.
 */
export function scanMessage(kind: 'error' | 'notice', info: ScanErrorInfo | null, translate: (key: MessageKey) => string): ScanMessage {
  const english = messagesAreEnglish(translate);
  const message = info?.message.trim() ?? '';
  if (english && message) return { text: message, detail: null };
  const code = info?.code ?? '';
  const key: MessageKey =
    kind === 'notice' && has(NOTICE_TEXT, code) ? NOTICE_TEXT[code] : has(ERROR_TEXT, code) ? ERROR_TEXT[code] : 'errorUnknown';
  return { text: translate(key), detail: english ? null : message || null };
}
