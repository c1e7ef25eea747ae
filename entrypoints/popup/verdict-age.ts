/**
 * How old a verdict is, in the person's words: whether VirusTotal's report came from the history and when it
 * was fetched, whether the file (or address) is new to VirusTotal, whether the analysis is old, and the second
 * looks' status.
 */
import { t } from '../../utils/i18n';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { VERDICT_LABEL } from '../../utils/ui/labels';
import { ageText } from './age-text';

const DAY_MS = 86_400_000;
/** First seen by VirusTotal this shortly before the answer: "new to VirusTotal", a warning sign. */
export const NEW_TO_VIRUSTOTAL_MS = 7 * DAY_MS;
/** An analysis older than this is called old next to its verdict. */
export const OLD_ANALYSIS_MS = 30 * DAY_MS;

/** Where the answer came from and how old VirusTotal's report is; null before there is one. */
export function answerText(record: ScanRecord, now: number, locale: string): string | null {
  if (record.reportFetchedAt === null) return null;
  const age = ageText(record.reportFetchedAt, now, locale);
  return record.fromCache ? t('answerFromHistory', age) : t('answerFetched', age);
}

/** "New to VirusTotal (first seen 3 h ago)…" when it is, else null (the date is shown as a plain fact). */
export function newToVirusTotalText(record: ScanRecord, now: number, locale: string): string | null {
  if (record.firstSeenAt === null) return null;
  const answeredAt = record.reportFetchedAt ?? now;
  return answeredAt - record.firstSeenAt < NEW_TO_VIRUSTOTAL_MS ? t('firstSeenNew', ageText(record.firstSeenAt, now, locale)) : null;
}

/** "This verdict is from an analysis made 400 d ago" when the analysis is old, else null. */
export function oldAnalysisText(record: ScanRecord, now: number, locale: string): string | null {
  if (record.analysedAt === null || now - record.analysedAt < OLD_ANALYSIS_MS) return null;
  return t('analysedLongAgo', ageText(record.analysedAt, now, locale));
}

/** The second looks' status: next look, looks done, what changed; null when the record has none. */
export function secondLookText(record: ScanRecord, locale: string): string | null {
  const look = record.secondLook;
  if (!look) return null;
  const looks = new Intl.NumberFormat(locale).format(look.looks);
  if (look.ended === 'worse' && look.first) {
    return t('secondLookWorse', [t(VERDICT_LABEL[look.first.verdict]), new Date(look.first.at).toLocaleDateString(locale), looks]);
  }
  if (look.ended === 'file-gone') return t('secondLookFileGone', looks);
  if (look.ended === 'schedule-done' || record.secondLookAt === null) return t('secondLookDone', looks);
  return t('secondLookNext', [new Date(record.secondLookAt).toLocaleString(locale), looks]);
}
