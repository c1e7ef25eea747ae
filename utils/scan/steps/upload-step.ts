/**
 * Upload: send a file VirusTotal does not know, once. Before sending, it asks what other scans of the
 * file (and earlier tries of this one) did: a report that came in meanwhile, an analysis to follow, or
 * an upload that left but whose answer was lost. A lost answer is waited for by looking the file up at
 * growing gaps; only then is the file sent again, at most once a day per file (MAX_SENDS_PER_DAY), after
 * which the scan ends with an error that offers "Upload again". The bytes are read when the upload is
 * due, inside the upload lane (one upload at a time), so a scan that waits for its turn holds none.
 */
import { problem } from '../../problems/problem';
import { isCancellation, ScanCancelled } from '../scan-cancelled';
import { ScanFailure } from '../scan-failure';
import type { Member, SharedRun } from '../scheduler/shared-work';
import { isFinished, type ScanRecord } from '../scan-record';
import { finishFromRecord, finishFromReport, lookUp, member } from './file-lookup';
import { done, next, waitUntil, type Step, type StepContext } from './step';

/** Sends of one file VirusTotal may get in a day without the person asking: the first, and one more. */
export const MAX_SENDS_PER_DAY = 2;
const DAY_MS = 24 * 3_600_000;
/** Looks for the report of an upload whose answer was lost are at most this far apart. */
const LOST_UPLOAD_LOOK_CAP_MS = 4 * 60_000;

export const uploadStep: Step = async (ctx) => {
  const { record, settings, shared } = ctx;
  const sha256 = record.sha256;
  if (!sha256) return next({ step: 'reading' });
  // An upload of this file running in this worker is joined below; otherwise decide from what is known.
  if (!shared.isRunning(`upload:${sha256}`)) {
    const earlier = await earlierUpload(ctx, sha256);
    if (earlier.kind === 'report') return done(finishFromRecord(earlier.record, sha256, settings));
    if (earlier.kind === 'analysis') {
      return next({ analysisId: earlier.analysisId, analysisStartedAt: earlier.analysisStartedAt, step: 'analysis', notice: null });
    }
    if (earlier.kind === 'sent' && !record.resendRequested) {
      // VirusTotal knows a file only once its analysis finishes: look for it before sending it again.
      const found = await lookUp(ctx, sha256, true);
      if (found.report) return done(finishFromReport(found.report, sha256, settings, found.fetchedAt, false));
      const waited = ctx.now() - earlier.sentAt;
      const lostWait = ctx.timing.lostUploadWaitMs;
      if (waited < lostWait) {
        const gap = Math.max(1, Math.min(Math.max(ctx.timing.pollIntervalMs, waited), LOST_UPLOAD_LOOK_CAP_MS, lostWait - waited));
        const at = ctx.now() + gap;
        return waitUntil(at, problem('vt-upload-lost', { sentAt: earlier.sentAt, nextAt: at }));
      }
      if (earlier.sendsToday >= MAX_SENDS_PER_DAY) {
        throw new ScanFailure(problem('vt-upload-lost', { sentAt: earlier.sentAt }));
      }
      // Still unknown that long after: the upload never reached VirusTotal. Send it once more.
    }
  }
  // The upload is shared work: it stands in the lane at its earliest member's place, reads the file from
  // that member's source and marks the send on every member's record, so it goes on if its starter is removed.
  const analysisId = await shared.join(`upload:${sha256}`, uploader(ctx, sha256), (run) =>
    ctx.gate('upload', async () => {
      const virusTotal = await ctx.virusTotal(run);
      let marked: Uploader[] = [];
      try {
        return await virusTotal.uploadFile(
          { name: record.fileName, size: record.size ?? 0, read: () => leadOf(run).read() },
          {
            // Marked as it leaves, not before a quota wait: a worker that dies waiting has sent nothing.
            beforeSend: async () => {
              marked = run.members();
              const sentAt = ctx.now();
              await eachMember(marked, (m) => m.markSent(sentAt));
            },
          },
        );
      } catch (error) {
        // VirusTotal answered and did not take the file: that send does not count.
        if (marked.length > 0 && uploadRefused(error)) await eachMember(marked, (m) => m.unmarkSent());
        throw error;
      }
    }, run),
  );
  return next({ analysisId, analysisStartedAt: ctx.now(), step: 'analysis', notice: null });
};

/** A scan taking part in an upload of its file: its bytes can be read, and its record keeps when the file left. */
interface Uploader extends Member {
  read(): Promise<Blob>;
  markSent(sentAt: number): Promise<unknown>;
  unmarkSent(): Promise<unknown>;
}

function uploader(ctx: StepContext, sha256: string): Uploader {
  const { record, settings } = ctx;
  return {
    ...member(ctx),
    async read() {
      const again = await ctx.source.blob(record, settings);
      if (again.sha256 !== sha256) throw new ScanFailure(problem('source-changed'));
      return again.blob;
    },
    markSent: (sentAt) => ctx.save({ uploadSentAt: [...record.uploadSentAt, sentAt], resendRequested: false }),
    unmarkSent: () => ctx.save({ uploadSentAt: record.uploadSentAt }),
  };
}

/** The member whose place the upload has (the first queued still waiting for it). */
function leadOf(run: SharedRun<Uploader>): Uploader {
  const lead = run.members()[0];
  if (!lead) throw new ScanCancelled();
  return lead;
}

/** `task` for each member; one removed meanwhile (its record gone) is skipped. */
async function eachMember(members: Uploader[], task: (m: Uploader) => Promise<unknown>): Promise<void> {
  await Promise.all(members.map((m) => task(m).catch((error: unknown) => {
    if (!isCancellation(error)) throw error;
  })));
}

type EarlierUpload =
  | { kind: 'report'; record: ScanRecord }
  | { kind: 'analysis'; analysisId: string; analysisStartedAt: number }
  | { kind: 'sent'; sentAt: number; sendsToday: number }
  | { kind: 'none' };

/**
 * What other scans of this file (and earlier tries of this one) did about uploading it: a report that
 * came in since this scan was queued, an analysis to follow (also one a scan gave up polling), or sends
 * in the last day whose answers were lost (the worker stopped, the connection broke). Only when there
 * is none may this scan upload it.
 */
async function earlierUpload(ctx: StepContext, sha256: string): Promise<EarlierUpload> {
  const { record } = ctx;
  const now = ctx.now();
  const others = (await ctx.store.withSha256(sha256)).filter((r) => r.token !== record.token);
  // Only the engines' verdict on the file: a URL fallback that ended on the address's verdict has none.
  const reported = others.find((r) => r.status === 'done' && r.stats && r.verdict !== 'unknown' && r.verdictFor === 'file' && r.updatedAt >= record.queuedAt);
  if (reported) return { kind: 'report', record: reported };
  const lastSent = (r: ScanRecord) => r.uploadSentAt[r.uploadSentAt.length - 1] ?? null;
  // Scans still at it, and scans that gave up on an upload recently: VirusTotal may still be analysing it.
  const polling = others.find((r) => r.analysisId && (
    (!isFinished(r) && r.step === 'analysis') ||
    (r.status === 'error' && lastSent(r) !== null && now - lastSent(r)! < ctx.timing.maxAnalysisWaitMs)));
  if (polling?.analysisId) return { kind: 'analysis', analysisId: polling.analysisId, analysisStartedAt: polling.analysisStartedAt ?? now };
  // One send is marked on every scan that shared it: counted once.
  const sends = [...new Set([record, ...others].flatMap((r) => r.uploadSentAt))].filter((t) => t > now - DAY_MS);
  return sends.length > 0 ? { kind: 'sent', sentAt: Math.max(...sends), sendsToday: sends.length } : { kind: 'none' };
}

/** VirusTotal (or a proxy in front of it) answered the upload with an error: the file was not taken. */
function uploadRefused(error: unknown): boolean {
  const status = error instanceof ScanFailure ? error.httpStatus : undefined;
  // 2xx with an unreadable body: it was taken. 504: the deadline passed, it may still have been.
  return status !== undefined && (status < 200 || status >= 300) && status !== 504;
}
