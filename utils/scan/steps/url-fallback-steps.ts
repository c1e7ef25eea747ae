/**
 * The URL fallback, when ScanDock cannot read the bytes itself and the person allowed it: VirusTotal
 * fetches the address (url-submit, then the analysis step follows it), and its URL report names the
 * SHA-256 of what it got (url-report), which the lookup step then looks up like any file.
 */
import { problem } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import { ScanFailure } from '../scan-failure';
import type { ScanRecord } from '../scan-record';
import { stripQuery } from '../upload-policy';
import { next, type Step } from './step';

export const urlSubmitStep: Step = async (ctx) => {
  const address = addressToSubmit(ctx.record, ctx.settings);
  const analysisId = await (await ctx.virusTotal()).submitUrl(address);
  return next({ analysisId, analysisStartedAt: ctx.now(), step: 'url-analysis' });
};

export const urlReportStep: Step = async (ctx) => {
  const report = await (await ctx.virusTotal()).getUrlReport(addressToSubmit(ctx.record, ctx.settings));
  if (!report?.contentSha256) throw new ScanFailure(problem('url-not-fetched'));
  // What a site sends with an error status is its error or login page, not the file.
  if (report.httpStatus !== null && (report.httpStatus < 200 || report.httpStatus >= 300)) {
    throw new ScanFailure(problem('url-http-status', { status: report.httpStatus }));
  }
  return next({ sha256: report.contentSha256, analysisId: null, step: 'lookup' });
};

/** The address the URL fallback gives VirusTotal, and later asks about: the same in both steps. */
function addressToSubmit(record: ScanRecord, settings: Settings): string {
  if (record.source.kind === 'file') throw new ScanFailure(problem('source-unsupported', { scheme: 'file' }));
  return settings.keepUrlQuery ? record.source.url : stripQuery(record.source.url);
}
