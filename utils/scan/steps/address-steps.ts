/**
 * An address check ("Check this address on VirusTotal"): ScanDock fetches nothing from the address.
 * address-lookup asks VirusTotal's URL report on it (`GET /urls/{id}`) for its URL scanners' verdict. An
 * address VirusTotal has never seen is submitted (address-submit, `POST /urls`, then the analysis step
 * follows it) only when the person allowed VirusTotal to fetch addresses, or asked for this one;
 * otherwise the verdict is 'unknown'.
 */
import { finishAddressUnknown, finishFromAddress, hasAddressVerdict } from './address-verdict';
import { member, UNKNOWN_MEMO_MS } from './file-lookup';
import { readStep } from './read-step';
import { maySubmitAddress, sentAddress } from './sent-address';
import { done, next, type Step } from './step';

export const addressLookupStep: Step = async (ctx) => {
  const { record, settings } = ctx;
  const address = sentAddress(record, settings);
  // Scans of the same address at the same time share one request; a rescan asks again.
  const key = `address:${address}`;
  if (record.bypassCache) ctx.shared.forget(key);
  const memoMs = record.bypassCache ? 0 : settings.cacheHours * 3_600_000;
  const report = await ctx.shared.join(key, member(ctx), async (run) => (await ctx.virusTotal(run)).getUrlReport(address), (value) =>
    hasAddressVerdict(value) ? memoMs : Math.min(memoMs, UNKNOWN_MEMO_MS));
  if (report && hasAddressVerdict(report)) return done(finishFromAddress(report, settings, ctx.now()));
  if (maySubmitAddress(record, settings)) return next({ step: 'address-submit' });
  return done(finishAddressUnknown());
};

export const addressSubmitStep: Step = async (ctx) => {
  const analysisId = await (await ctx.virusTotal()).submitUrl(sentAddress(ctx.record, ctx.settings));
  return next({ analysisId, analysisStartedAt: ctx.now(), step: 'address-analysis' });
};

/** A scan's first step: an address check asks VirusTotal; every other source is read first. */
export const firstStep: Step = (ctx) => (ctx.record.source.kind === 'address' ? addressLookupStep(ctx) : readStep(ctx));
