/**
 * Pure formatting for what the popup and options page display. File names, engine labels and URLs come
 * from hostile sources, so everything shown passes through `cleanText` / `displayFileName` first.
 */
import type { AnalysisStats } from '../scan/scan-record';
import { enginesThatAnswered } from '../scan/verdict';

/**
 * Characters that change how text around them is laid out instead of being seen:
 * C0/C1 controls, the bidi embeddings/overrides/isolates and marks (U+202E turns "gpj.exe" into
 * "exe.jpg": https://unicode.org/reports/tr36/#Bidirectional_Text_Spoofing), zero-width space,
 * word joiner and BOM. ZWJ/ZWNJ (U+200C/D) stay: scripts and emoji need them.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** Line breaks and tabs become a space rather than vanishing, so "a\nb" does not read as "ab". */
const BREAKS = /[\t\n\r\u2028\u2029]/g;
/**
 * Runs of spaces collapse to one: "invoice.pdf" + 40 spaces + ".exe" must not push the real
 * extension out of sight.
 */
const SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g;

/** Text safe to show as-is: no invisible layout characters, one space between words, trimmed. */
export function cleanText(text: string): string {
  return text.replace(BREAKS, ' ').replace(INVISIBLE, '').replace(SPACES, ' ').trim();
}

/** Splits into user-perceived characters, so truncation never cuts an emoji or a Hangul syllable in half. */
function graphemes(text: string): string[] {
  if (typeof Intl !== 'undefined' && 'Segmenter' in Intl) {
    return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  }
  return Array.from(text);
}

/** A file name ready to display: `text` to show, `title` with the whole (cleaned) name for a tooltip. */
export interface DisplayName {
  text: string;
  title: string;
  truncated: boolean;
}

/** How much of the end of a long name survives truncation: enough for "….tar.gz" and a bit more. */
const KEEP_END = 14;

/**
 * A file name made safe to show: invisible characters removed (see `cleanText`) and, when longer than
 * `max`, shortened in the middle so the extension — the part that matters for safety — stays visible.
 */
export function displayFileName(name: string, max = 64): DisplayName {
  const title = cleanText(name);
  const chars = graphemes(title);
  if (chars.length <= max) return { text: title, title, truncated: false };
  const end = Math.min(KEEP_END, Math.floor(max / 3));
  const start = max - end - 1;
  const text = `${chars.slice(0, start).join('').trimEnd()}…${chars.slice(-end).join('').trimStart()}`;
  return { text, title, truncated: true };
}

/** Cleaned text cut to `max` characters with a trailing ellipsis (for engine labels, URLs, messages). */
export function displayText(text: string, max = 200): string {
  const chars = graphemes(cleanText(text));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** The host of a URL for display, or '' when it has none (data:, blob:) or does not parse. */
export function hostOf(url: string): string {
  try {
    return cleanText(new URL(url).host);
  } catch {
    return '';
  }
}

/**
 * The detection ratio shown as "malicious/total". The total counts only engines that gave an opinion
 * (malicious + suspicious + undetected + harmless); timeouts, failures and unsupported types are left
 * out, as on VirusTotal's own report page, so "3/62" means 3 of the 62 engines that looked.
 */
export function detectionRatio(stats: AnalysisStats | null): { malicious: number; suspicious: number; total: number } | null {
  if (!stats) return null;
  return { malicious: stats.malicious, suspicious: stats.suspicious, total: enginesThatAnswered(stats) };
}

/** Binary units, the way file managers count. */
const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** "1.5 MB" for 1 572 864 bytes; numbers in `locale`. */
export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(value)} ${UNITS[unit]}`;
}

/** How long ago, in the largest whole unit: the caller picks the words. */
export type Age = { unit: 'now' } | { unit: 'minutes' | 'hours' | 'days'; count: number };

/** The age of `then` as of `now`; under a minute (or in the future, from clock skew) is 'now'. */
export function ageOf(then: number, now: number): Age {
  const minutes = Math.floor((now - then) / 60_000);
  if (minutes < 1) return { unit: 'now' };
  if (minutes < 60) return { unit: 'minutes', count: minutes };
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return { unit: 'hours', count: hours };
  return { unit: 'days', count: Math.floor(hours / 24) };
}

/** A wait split for display: whole seconds under two minutes, whole minutes under two hours, else hours. */
export type Wait = { unit: 'seconds' | 'minutes' | 'hours'; count: number };

/** How long until `at`, rounded up so "0 s" never shows while still waiting. */
export function waitUntil(at: number, now: number): Wait {
  const seconds = Math.max(1, Math.ceil((at - now) / 1000));
  if (seconds < 120) return { unit: 'seconds', count: seconds };
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return { unit: 'minutes', count: minutes };
  return { unit: 'hours', count: Math.ceil(minutes / 60) };
}

/** The URL when it is an http(s) address, else null: only such links are rendered. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits a display name into a head that may be cut with an ellipsis and a tail of `keep` characters
 * that always shows, so a name too wide for its row still shows its (possibly double) extension.
 */
export function splitTail(text: string, keep = 12): [head: string, tail: string] {
  const chars = graphemes(text);
  if (chars.length <= keep) return ['', text];
  return [chars.slice(0, -keep).join(''), chars.slice(-keep).join('')];
}
