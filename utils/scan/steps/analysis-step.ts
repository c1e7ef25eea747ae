/**
 * Analysis: follow a VirusTotal analysis (of an upload, or of an address for the URL fallback or an
 * address check) until it
 * completes. One poll at a time per analysis, shared by every scan following it, at least one poll
 * interval apart; the wait between polls is the scheduler's (a `wait` outcome), so it survives a restart.
 */
import { problem } from '../../problems/problem';
import { ScanFailure } from '../scan-failure';
import type { ScanStep } from '../scan-record';
import { finishAddressUnknown, finishFromAddress, hasAddressVerdict } from './address-verdict';
import { finishFromReport, member } from './file-lookup';
import { done, next, waitUntil, type Step } from './step';

/** Where an analysis step without an analysis id goes back to: the step that sends what it analyses. */
const SUBMIT_STEP: Partial<Record<ScanStep, ScanStep>> = { analysis: 'upload', 'url-analysis': 'url-submit', 'address-analysis': 'address-submit' };

export const analysisStep: Step = async (ctx) => {
  const { record, settings, timing } = ctx;
  const id = record.analysisId;
  if (!id) return next({ step: SUBMIT_STEP[record.step] ?? 'url-submit' });
  const startedAt = record.analysisStartedAt ?? ctx.now();
  // A start "in the future": the system clock was set back since. It counts from now, or the first poll would
  // wait for the clock to catch up (hours, after a change across midnight).
  if (startedAt > ctx.now()) return waitUntil(ctx.now() + timing.pollIntervalMs, null, { analysisStartedAt: ctx.now() });
  // VirusTotal needs a while for any analysis: the first poll waits one interval.
  if (ctx.now() < startedAt + timing.pollIntervalMs) return waitUntil(startedAt + timing.pollIntervalMs, null);
  const analysis = await ctx.shared.join(`analysis:${id}`, member(ctx), async (run) => (await ctx.virusTotal(run)).getAnalysis(id), (value) =>
    // A completed analysis answers every later scan of it; one in progress only those polling at the same moment.
    value.status === 'completed' ? timing.maxAnalysisWaitMs : timing.pollIntervalMs / 2);
  if (analysis.status !== 'completed') {
    if (ctx.now() - startedAt > timing.maxAnalysisWaitMs) {
      throw new ScanFailure(problem('analysis-timeout', { minutes: Math.round(timing.maxAnalysisWaitMs / 60_000) }));
    }
    return waitUntil(ctx.now() + timing.pollIntervalMs, null);
  }
  if (record.step === 'url-analysis') return next({ step: 'url-report' });
  // An address check: the analysis is the URL scanners' verdict on the address.
  if (record.step === 'address-analysis') {
    if (!hasAddressVerdict(analysis)) return done(finishAddressUnknown());
    return done(finishFromAddress({ id: analysis.urlId, stats: analysis.stats, detail: analysis.detail, analysedAt: ctx.now() }, settings, ctx.now()));
  }
  const sha256 = analysis.fileSha256 ?? record.sha256;
  if (!sha256) throw new ScanFailure(problem('vt-unexpected', { detail: 'the finished analysis does not say which file it analysed' }));
  return done(finishFromReport(analysis, sha256, settings, ctx.now(), false));
};
