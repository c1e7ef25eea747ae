/**
 * Looking a file up, and what a report makes of a record: shared by the lookup step and the upload step
 * (which looks again after an upload whose answer was lost).
 */
import type { Settings } from '../../settings/storage-items';
import type { FileReport } from '../../virustotal/virustotal-reports';
import type { ScanRecord } from '../scan-record';
import type { RecordPatch } from '../scan-store';
import { isDocument, neverShared } from '../upload-policy';
import { fileReportUrl } from '../verdict';
import { finishUnseen, finishWithVerdict } from './finish';
import type { StepContext } from './step';

/** A "VirusTotal has never seen it" answer is reused this long by concurrent and repeated scans. */
export const UNKNOWN_MEMO_MS = 2 * 60_000;

/** What a lookup found: a report (and when it was fetched), a recent finished record of the same file, or nothing. */
export type LookupResult = { report: FileReport; fetchedAt: number; cached?: undefined } | { report: null; cached: ScanRecord } | { report: null; cached?: undefined };

/**
 * Look `sha256` up: a recent finished record of the same file first (no request), then one request
 * shared by every scan asking about it. `fresh` skips both (a rescan, or a look after a lost upload).
 */
export async function lookUp(ctx: StepContext, sha256: string, fresh: boolean): Promise<LookupResult> {
  const { settings, store, shared } = ctx;
  if (!fresh && settings.cacheHours > 0) {
    const cached = await store.cachedReport(sha256, ctx.now() - settings.cacheHours * 3_600_000);
    if (cached?.stats) return { report: null, cached };
  }
  const memoMs = fresh ? 0 : settings.cacheHours * 3_600_000;
  const key = `lookup:${sha256}`;
  if (fresh) shared.forget(key);
  // The fetch time travels with the answer: a scan given a memoised report gets that report's age.
  const answer = await shared.join(key, member(ctx), async (run) => ({ report: await (await ctx.virusTotal(run)).getFile(sha256), fetchedAt: ctx.now() }), (value) =>
    value.report ? memoMs : Math.min(memoMs, UNKNOWN_MEMO_MS));
  return answer.report ? { report: answer.report, fetchedAt: answer.fetchedAt } : { report: null };
}

/** This scan as a member of shared work: its place, its cancellation, and its notices. */
export function member(ctx: StepContext) {
  return { place: ctx.place, signal: ctx.signal, onWait: ctx.onSlotWait };
}

/** The record's verdict from a report ScanDock fetched at `fetchedAt`. */
export function finishFromReport(
  report: Pick<FileReport, 'stats' | 'detail'> & Partial<Pick<FileReport, 'threatLabel' | 'analysedAt' | 'firstSeenAt'>>,
  sha256: string,
  settings: Settings,
  fetchedAt: number,
  fromCache: boolean,
): RecordPatch {
  return {
    ...finishWithVerdict('file', report.stats, report.detail, settings),
    sha256,
    threatLabel: report.threatLabel ?? null,
    analysedAt: report.analysedAt ?? fetchedAt,
    firstSeenAt: report.firstSeenAt ?? null,
    reportUrl: fileReportUrl(sha256),
    reportFetchedAt: fetchedAt,
    fromCache,
  };
}

/** The verdict from a finished record of the same file (the history answers a repeat): its report keeps its age. */
export function finishFromRecord(other: ScanRecord, sha256: string, settings: Settings): RecordPatch {
  return finishFromReport(other as ScanRecord & { stats: NonNullable<ScanRecord['stats']> }, sha256, settings, other.reportFetchedAt ?? other.createdAt, true);
}

/** VirusTotal has never seen the file, and it is not to be uploaded. */
export function finishUnknown(sha256: string): RecordPatch {
  return { ...finishUnseen('file'), sha256 };
}

/** Whether an unknown file may be uploaded: the person asked, or allowed it in the options (documents apart). */
export function mayUpload(record: ScanRecord, settings: Settings): boolean {
  if (record.uploadRequested) return true;
  if (!settings.uploadUnknown || neverShared(record.source, settings)) return false;
  const mime = record.source.kind === 'download' ? record.source.mime : undefined;
  return settings.uploadDocuments || !isDocument(record.fileName, mime);
}
