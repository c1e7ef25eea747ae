/**
 * A Problem as the sentence a person reads, from `_locales` in the page's language, with its parameters
 * formatted for the reader: times on their own clock, sizes like the popup shows them, quota windows
 * translated. A stored value this version cannot read gets the generic sentence.
 */
import type { MessageKey } from '../i18n';
import type { QuotaWindow } from '../quota/quota-math';
import { formatBytes } from '../ui/format';
import { isProblem, PROBLEM_TEXT, type Problem, type ProblemParamValue } from './problem';
import { sanitizeText } from './sanitize-text';

/** `t` from utils/i18n, or a stand-in with the same contract (tests). */
export type Translate = (key: MessageKey, substitutions?: string | string[]) => string;

/** The words for each quota window a `vt-quota` problem names. */
const WINDOW_TEXT: Record<QuotaWindow, MessageKey> = {
  minute: 'quotaWindowMinute',
  hour: 'quotaWindowHour',
  day: 'quotaWindowDay',
  month: 'quotaWindowMonth',
  'rate-limited': 'quotaWindowRateLimited',
};

/** "14:03:27": a time in the reader's own clock, in the page's locale. */
export function clockTime(at: number, locale: string): string {
  return new Date(at).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
}

/** One parameter as it appears in the sentence (see ProblemParamName for the conventions). */
function formatParam(name: string, value: ProblemParamValue | undefined, translate: Translate, locale: string): string {
  if (value === undefined) return '';
  if (typeof value === 'number') {
    if (name.endsWith('At')) return clockTime(value, locale);
    if (name.endsWith('Bytes')) return formatBytes(value, locale);
    if (name === 'status') return String(value);
    return new Intl.NumberFormat(locale).format(value);
  }
  if (name === 'window') {
    // isProblem let only the known windows through.
    return Object.prototype.hasOwnProperty.call(WINDOW_TEXT, value) ? translate(WINDOW_TEXT[value as QuotaWindow]) : '';
  }
  return sanitizeText(value, [], 120);
}

/**
 * The sentence for a record's `error` (kind 'error': the scan ended, or an action failed) or `notice` (kind
 * 'notice': the scan waits). A code without a notice sentence uses its error sentence. A missing or invalid
 * value says "The scan failed." as an error, and only that the scan waits as a notice.
 */
export function renderProblem(kind: 'error' | 'notice', problem: Problem | null, translate: Translate, locale: string): string {
  if (!isProblem(problem)) return translate(kind === 'notice' ? 'noticeUnknown' : 'errorUnknown');
  const text = PROBLEM_TEXT[problem.code];
  const asNotice = kind === 'notice' && 'notice' in text;
  const names: readonly string[] = text.params;
  // A notice that should say when the scan goes on, but does not know: say only that it waits.
  if (asNotice && names.includes('nextAt') && problem.params.nextAt === undefined) return translate('noticeUnknown');
  const key = asNotice && 'notice' in text ? text.notice : text.error;
  const substitutions = names.map((name) => formatParam(name, problem.params[name], translate, locale));
  return substitutions.length > 0 ? translate(key, substitutions) : translate(key);
}
