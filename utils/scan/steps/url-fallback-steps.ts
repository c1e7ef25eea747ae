/**
 * The URL fallback, when ScanDock cannot read the bytes itself and the person allowed it: VirusTotal
 * fetches the address (url-submit, then the analysis step follows it), and its URL report names the
 * SHA-256 of what it got (url-report), which the lookup step then looks up like any file.
 *
 * The URL report also carries VirusTotal's URL scanners' verdict on the address. It is kept on the record
 * (`verdictFor: 'address'` with its stats) for the lookup step, which shows it when VirusTotal has no report
 * on the file itself; a file report, when there is one, replaces it. When VirusTotal got no file there (an
 * error page, nothing at all), the scan ends in an error, unless the URL scanners flag the address: a
 * warning is never hidden behind an error, while a "harmless" address that did not even serve the file says
 * nothing about the file.
 */
import { problem } from '../../problems/problem';
import type { UrlReport } from '../../virustotal/virustotal-reports';
import { ScanFailure } from '../scan-failure';
import { finishFromAddress, hasAddressVerdict } from './address-verdict';
import { sentAddress } from './sent-address';
import { done, next, type Step } from './step';

export const urlSubmitStep: Step = async (ctx) => {
  const analysisId = await (await ctx.virusTotal()).submitUrl(sentAddress(ctx.record, ctx.settings));
  return next({ analysisId, analysisStartedAt: ctx.now(), step: 'url-analysis' });
};

export const urlReportStep: Step = async (ctx) => {
  const { settings } = ctx;
  const report = await (await ctx.virusTotal()).getUrlReport(sentAddress(ctx.record, settings));
  const addressVerdict = report && hasAddressVerdict(report) ? finishFromAddress(report, settings, ctx.now()) : null;
  const noFile = fileProblem(report);
  if (noFile) {
    if (addressVerdict && (addressVerdict.verdict === 'malicious' || addressVerdict.verdict === 'suspicious')) return done(addressVerdict);
    throw noFile;
  }
  // Kept for the lookup step: the verdict on the address, shown if VirusTotal has no report on the file.
  const kept = addressVerdict
    ? { verdictFor: 'address' as const, stats: addressVerdict.stats ?? null, detail: addressVerdict.detail ?? [], reportUrl: addressVerdict.reportUrl ?? null,
        analysedAt: addressVerdict.analysedAt ?? null, firstSeenAt: addressVerdict.firstSeenAt ?? null, reportFetchedAt: addressVerdict.reportFetchedAt ?? null }
    : { verdictFor: null, stats: null, detail: [] };
  return next({ sha256: report!.contentSha256, analysisId: null, ...kept, step: 'lookup' });
};

/** Why the URL report names no file to look up, or null when it does. */
function fileProblem(report: UrlReport | null): ScanFailure | null {
  if (!report?.contentSha256) return new ScanFailure(problem('url-not-fetched'));
  // What a site sends with an error status is its error or login page, not the file.
  if (report.httpStatus !== null && (report.httpStatus < 200 || report.httpStatus >= 300)) {
    return new ScanFailure(problem('url-http-status', { status: report.httpStatus }));
  }
  return null;
}
