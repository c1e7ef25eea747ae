/** Lookup: the file's report by SHA-256 (from the history, or one request shared by every scan of it). */
import { problem } from '../../problems/problem';
import { ScanFailure } from '../scan-failure';
import { finishFromRecord, finishFromReport, finishUnknown, lookUp, mayUpload } from './file-lookup';
import type { ScanRecord } from '../scan-record';
import { finishFromAddress } from './address-verdict';
import { done, next, type Step } from './step';

/** The URL scanners' verdict the URL fallback kept on the record (see url-fallback-steps.ts), if any. */
function keptAddressVerdict(record: ScanRecord) {
  if (record.source.kind === 'address' || record.verdictFor !== 'address' || !record.stats) return null;
  return { stats: record.stats, detail: record.detail, analysedAt: record.analysedAt, firstSeenAt: record.firstSeenAt, fetchedAt: record.reportFetchedAt ?? record.updatedAt };
}

export const lookupStep: Step = async (ctx) => {
  const { record, settings } = ctx;
  const sha256 = record.sha256;
  if (!sha256) return next({ step: 'reading' });
  const found = await lookUp(ctx, sha256, record.bypassCache);
  // The hash may come from what VirusTotal fetched itself (the URL fallback): only the download's own
  // size makes it the same file, whether the report is fresh or from the history.
  const expected = record.source.kind === 'download' ? record.source.expectedSize : undefined;
  const reported = found.cached ? found.cached.size : found.report?.size ?? null;
  if (expected && reported !== null && reported !== expected) {
    throw new ScanFailure(problem('url-size-mismatch', { gotBytes: reported, expectedBytes: expected }));
  }
  if (found.cached) return done(finishFromRecord(found.cached, sha256, settings));
  if (found.report) return done({ ...finishFromReport(found.report, sha256, settings, found.fetchedAt, false), size: record.size ?? found.report.size });
  // The URL fallback kept VirusTotal's verdict on the address: with no report on the file, that is the answer.
  const kept = keptAddressVerdict(record);
  if (kept) return done({ ...finishFromAddress({ id: null, ...kept }, settings, kept.fetchedAt), reportUrl: record.reportUrl, sha256 });
  if (mayUpload(record, settings)) return next({ step: 'upload' });
  return done(finishUnknown(sha256));
};
