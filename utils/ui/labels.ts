/** Which message names the UI shows for each state of a scan. */
import type { MessageKey } from '../i18n';
import type { EngineCategory, ScanSource, ScanStatus, Verdict } from '../scan/scan-record';

/** The status as a word: ready reads "Queued", progress "Scanning". */
export const STATUS_LABEL: Record<ScanStatus, MessageKey> = {
  ready: 'statusReady',
  progress: 'statusProgress',
  done: 'statusDone',
  error: 'statusError',
};

export const VERDICT_LABEL: Record<Verdict, MessageKey> = {
  malicious: 'verdictMalicious',
  suspicious: 'verdictSuspicious',
  clean: 'verdictClean',
  unknown: 'verdictUnknown',
};

export const SOURCE_LABEL: Record<ScanSource['kind'], MessageKey> = {
  download: 'sourceDownload',
  link: 'sourceLink',
  file: 'sourceFile',
  address: 'sourceAddress',
};

export const CATEGORY_LABEL: Record<EngineCategory, MessageKey> = {
  malicious: 'categoryMalicious',
  suspicious: 'categorySuspicious',
  undetected: 'categoryUndetected',
  harmless: 'categoryHarmless',
  timeout: 'categoryTimeout',
  'confirmed-timeout': 'categoryConfirmedTimeout',
  'type-unsupported': 'categoryTypeUnsupported',
  failure: 'categoryFailure',
};

/**
 * Chrome's own download verdicts (`DownloadItem.danger`) we have words for; other values are shown
 * as Chrome reported them. https://developer.chrome.com/docs/extensions/reference/api/downloads#type-DangerType
 */
const BROWSER_DANGER_LABEL: ReadonlyMap<string, MessageKey> = new Map<string, MessageKey>([
  ['safe', 'dangerSafe'],
  ['accepted', 'dangerAccepted'],
  ['file', 'dangerFile'],
  ['url', 'dangerUrl'],
  ['content', 'dangerContent'],
  ['uncommon', 'dangerUncommon'],
  ['host', 'dangerHost'],
  ['unwanted', 'dangerUnwanted'],
]);

/** The message for one of Chrome's danger types, or null for one we have no words for. */
export function browserDangerLabel(danger: string): MessageKey | null {
  return BROWSER_DANGER_LABEL.get(danger) ?? null;
}
