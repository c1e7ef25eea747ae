/** Which message names the UI shows for each state of a scan. */
import type { Browser } from 'wxt/browser';
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
 * Chrome's own download verdicts (`DownloadItem.danger`), every value of `downloads.DangerType`: a value
 * Chrome adds later gets a word too (`dangerOther`), never its identifier in English.
 * https://developer.chrome.com/docs/extensions/reference/api/downloads#type-DangerType
 */
export const BROWSER_DANGER_LABEL: Readonly<Record<`${Browser.downloads.DangerType}`, MessageKey>> = {
  safe: 'dangerSafe',
  accepted: 'dangerAccepted',
  file: 'dangerFile',
  url: 'dangerUrl',
  content: 'dangerContent',
  uncommon: 'dangerUncommon',
  host: 'dangerHost',
  unwanted: 'dangerUnwanted',
  allowlistedByPolicy: 'dangerAllowlistedByPolicy',
  asyncScanning: 'dangerAsyncScanning',
  asyncLocalPasswordScanning: 'dangerAsyncLocalPasswordScanning',
  passwordProtected: 'dangerPasswordProtected',
  blockedTooLarge: 'dangerBlockedTooLarge',
  sensitiveContentWarning: 'dangerSensitiveContentWarning',
  sensitiveContentBlock: 'dangerSensitiveContentBlock',
  deepScannedFailed: 'dangerDeepScannedFailed',
  deepScannedSafe: 'dangerDeepScannedSafe',
  deepScannedOpenedDangerous: 'dangerDeepScannedOpenedDangerous',
  promptForScanning: 'dangerPromptForScanning',
  promptForLocalPasswordScanning: 'dangerPromptForLocalPasswordScanning',
  accountCompromise: 'dangerAccountCompromise',
  blockedScanFailed: 'dangerBlockedScanFailed',
  forceSaveToGdrive: 'dangerForceSaveToCloud',
  forceSaveToOnedrive: 'dangerForceSaveToCloud',
};

/** The message for one of Chrome's danger types; one Chrome added after this version reads "Another browser warning". */
export function browserDangerLabel(danger: string): MessageKey {
  return Object.hasOwn(BROWSER_DANGER_LABEL, danger) ? BROWSER_DANGER_LABEL[danger as keyof typeof BROWSER_DANGER_LABEL] : 'dangerOther';
}
