/**
 * The scan engine: `scan(source) → token` at once, the work runs asynchronously, `getResult(token)` reads
 * the record. Each scan moves through durable steps (see ScanStep); after a worker restart `resume()`
 * continues every unfinished record from its last step. Whatever way a run ends, the record is never left
 * `progress` with no work behind it: it is done, in error with a reason, or waiting (`ready`) with a notice.
 */
import type { Settings } from '../settings/storage-items';
import type { Clock } from '../time/clock';
import { RequestNoLongerWanted, type QuotaLimiter, type QuotaWait } from '../quota/quota-limiter';
import { createVirusTotalClient, type VirusTotalClient } from '../virustotal/virustotal-client';
import { KEY_REFUSED_CODES } from '../virustotal/virustotal-errors';
import type { AnalysisReport, FileReport } from '../virustotal/virustotal-reports';
import { problem, withNextAt } from '../problems/problem';
import { ProblemError } from '../problems/problem-error';
import { ScanFailure, sanitizeText, toProblem } from './scan-failure';
import { isFinished, type ScanRecord, type ScanSource } from './scan-record';
import type { RecordPatch, ScanStore } from './scan-store';
import { newToken } from './scan-token';
import { checkBytes, isWebUrl, UNREACHABLE_CODES, type Bytes } from './read-source';
import { hashBlob, hashUrl, type HashedSource } from './hash-source';
import { fileReportUrl, verdictOf } from './verdict';
import { createSharedTasks } from './shared-tasks';
import { isDocument, stripQuery } from './upload-policy';

/** Polls of one analysis are at least this far apart (a free key has 4 requests a minute). */
export const POLL_INTERVAL_MS = 15_000;
/** Give up on an analysis that has not completed after this long. */
export const MAX_ANALYSIS_WAIT_MS = 20 * 60_000;
/** Transient failures (5xx, timeouts, network) in a row before a scan ends in error. */
export const MAX_ATTEMPTS = 6;
const RETRY_BASE_MS = 5_000;
const RETRY_CAP_MS = 5 * 60_000;
/** Scans reading (and hashing) at once: each may hold a whole file in memory. */
const READ_CONCURRENCY = 2;
/** A "VirusTotal has never seen it" answer is reused this long by concurrent and repeated scans. */
const UNKNOWN_MEMO_MS = 2 * 60_000;
/**
 * After an upload whose answer was lost, look the file up for this long before sending it again
 * (vt-cli gives an analysis 10 minutes), at growing gaps of at most the cap.
 */
export const LOST_UPLOAD_WAIT_MS = 10 * 60_000;
const LOST_UPLOAD_LOOK_CAP_MS = 4 * 60_000;

export type KeyStatus = 'unchecked' | 'valid' | 'rejected';

export interface ScanEngineDeps {
  store: ScanStore;
  limiter: QuotaLimiter;
  /** For reading sources and for VirusTotal. */
  fetch: typeof fetch;
  vtBaseUrl: string;
  getApiKey(): Promise<string>;
  getKeyStatus(): Promise<KeyStatus>;
  setKeyStatus(status: KeyStatus): Promise<void>;
  getSettings(): Promise<Settings>;
  /** Time for records, waits and request timeouts. */
  clock: Clock;
  randomBytes?(n: number): Uint8Array;
  /** Every saved change to a record (badge, popup push). */
  onChange?(record: ScanRecord): void;
  /** A record reached done or error (notifications). */
  onFinished?(record: ScanRecord): void;
  /** Work waits until `at`: wake the worker then if it was stopped meanwhile. */
  scheduleWake?(at: number): void;
  /** Is the browser online? Offline network failures wait without using up attempts. */
  isOnline?(): boolean;
  /**
   * May ScanDock reach VirusTotal and the sites downloads come from (the person can withdraw host access)?
   * Without it every request fails as a CORS or network error, so each step waits instead (status 'ready',
   * notice 'no-host-access') until `resume()` is called once access is back.
   */
  hostAccess?(): Promise<boolean>;
  pollIntervalMs?: number;
  maxAnalysisWaitMs?: number;
  /**
   * How long one VirusTotal request may take, and how long a download site may stay silent while the
   * file is fetched again, before either counts as failed (default 30 s).
   */
  timeoutMs?: number;
}

/** What a new scan starts from. */
export interface NewScan {
  source: ScanSource;
  fileName: string;
  size?: number | null;
  browserDanger?: string | null;
}

export interface ScanEngine {
  /** Record a new scan and start it; resolves with its token once the record is stored. */
  scan(scan: NewScan): Promise<string>;
  getResult(token: string): Promise<ScanRecord | undefined>;
  /** A fresh look: look the file up again, skipping the cache (or start over if it never got a hash). */
  rescan(token: string): Promise<void>;
  /** Upload a file VirusTotal does not know, because the person asked to. */
  upload(token: string): Promise<void>;
  remove(token: string): Promise<void>;
  clearHistory(): Promise<void>;
  /** Continue every unfinished record that is not already running (start-up, alarms, a new key). */
  resume(): Promise<void>;
  /** Resolves when no scan is running (tests and the benchmark). */
  settled(): Promise<void>;
}

type StepResult = 'next' | 'stop';

export function createScanEngine(deps: ScanEngineDeps): ScanEngine {
  const { store, clock } = deps;
  const now = () => clock.now();
  const pollInterval = deps.pollIntervalMs ?? POLL_INTERVAL_MS;
  const maxAnalysisWait = deps.maxAnalysisWaitMs ?? MAX_ANALYSIS_WAIT_MS;
  const lostUploadWait = Math.min(LOST_UPLOAD_WAIT_MS, maxAnalysisWait);
  const running = new Map<string, Promise<void>>();
  const shared = createSharedTasks(now);
  let readers = 0;
  const readerQueue: Array<() => void> = [];

  async function save(token: string, patch: RecordPatch): Promise<ScanRecord> {
    const record = await store.patch(token, patch);
    if (!record) throw new RequestNoLongerWanted();
    deps.onChange?.(record);
    if (isFinished(record)) {
      // A picked file's bytes are kept only while an upload may still need them (verdict unknown).
      if (record.source.kind === 'file' && record.verdict !== 'unknown') await store.removeStagedFile(record.source.stagedFileId);
      deps.onFinished?.(record);
    }
    return record;
  }

  const keyRejected = () => new ScanFailure(problem('vt-wrong-key'), 'pause');

  const offline = () => new ScanFailure(problem('offline'), 'retry');

  const noHostAccess = () =>
    new ScanFailure(problem('no-host-access'), 'pause');

  /**
   * Checked right before a request spends a slot: the browser is online, the record still needs it and
   * the key was not rejected meanwhile. (Offline, a request would fail and its slot would be lost.)
   */
  const stillWanted = (token: string) => async () => {
    if (deps.isOnline?.() === false) throw offline();
    if ((await deps.getKeyStatus()) === 'rejected') throw keyRejected();
    if (deps.hostAccess && !(await deps.hostAccess())) throw noHostAccess();
    const record = await store.get(token);
    return !!record && !isFinished(record);
  };

  /** A client for the current key, or a pause when there is no usable key. */
  async function clientFor(token: string): Promise<{ client: VirusTotalClient; apiKey: string; options: Parameters<VirusTotalClient['getFile']>[1] }> {
    const apiKey = bareKey(await deps.getApiKey());
    if (!apiKey) throw new ScanFailure(problem('no-api-key'), 'pause');
    if ((await deps.getKeyStatus()) === 'rejected') throw keyRejected();
    let lastNotice = '';
    const options = {
      stillWanted: stillWanted(token),
      onWait: (wait: QuotaWait) => {
        deps.scheduleWake?.(wait.until);
        const notice = problem('vt-quota', { window: wait.window, nextAt: wait.until });
        // The notice shows the time to the second: the same second is the same notice.
        const shown = `${wait.window}@${Math.floor(wait.until / 1000)}`;
        if (shown === lastNotice) return;
        lastNotice = shown;
        // Only a notice: a failed write (a full disk) must not become an unhandled rejection.
        void store.patch(token, { notice }).then((r) => r && deps.onChange?.(r)).catch(() => undefined);
      },
    };
    const client = createVirusTotalClient({ fetch: deps.fetch, baseUrl: deps.vtBaseUrl, apiKey, limiter: deps.limiter, timeoutMs: deps.timeoutMs, clock });
    return { client, apiKey, options };
  }

  async function withReadSlot<T>(task: () => Promise<T>): Promise<T> {
    if (readers >= READ_CONCURRENCY) await new Promise<void>((resolve) => readerQueue.push(resolve));
    readers++;
    try {
      return await task();
    } finally {
      readers--;
      readerQueue.shift()?.();
    }
  }

  /**
   * A record's source, read and hashed. Its bytes stay in memory only when `keepBytes` (an upload may
   * follow); large files are hashed as they arrive instead of being held for WebCrypto (hash-source.ts).
   */
  function readAndHash(record: ScanRecord, settings: Settings, keepBytes: true): Promise<HashedSource<Bytes>>;
  function readAndHash(record: ScanRecord, settings: Settings, keepBytes: boolean): Promise<HashedSource>;
  async function readAndHash(record: ScanRecord, settings: Settings, keepBytes: boolean): Promise<HashedSource> {
    const source = record.source;
    if (source.kind === 'file') {
      const staged = await store.stagedFile(source.stagedFileId);
      if (!staged) throw new ScanFailure(problem('source-gone'));
      checkBytes(staged.blob.size, { maxSize: settings.maxFileSize });
      return hashBlob(staged.blob, keepBytes);
    }
    const expectedSize = source.kind === 'download' ? source.expectedSize : undefined;
    try {
      return await hashUrl(source.url, { fetch: deps.fetch, expectedSize, maxSize: settings.maxFileSize, timeoutMs: deps.timeoutMs, clock }, keepBytes);
    } catch (error) {
      // Offline, the server is not the problem: wait for the connection instead of giving up.
      if (error instanceof ScanFailure && UNREACHABLE_CODES.includes(error.problem.code) && deps.isOnline?.() === false) throw offline();
      throw error;
    }
  }

  function finishFromReport(report: Pick<FileReport, 'stats' | 'detail'> & Partial<Pick<FileReport, 'threatLabel' | 'analysedAt'>>, sha256: string, settings: Settings, fromCache: boolean): RecordPatch {
    const { verdict, detected } = verdictOf(report.stats, settings.detectionThreshold);
    return {
      status: 'done',
      step: 'finished',
      verdict,
      detected,
      stats: report.stats,
      detail: report.detail,
      sha256,
      threatLabel: report.threatLabel ?? null,
      analysedAt: report.analysedAt ?? now(),
      reportUrl: fileReportUrl(sha256),
      fromCache,
      error: null,
      notice: null,
      attempts: 0,
      bypassCache: false,
      seen: verdict !== 'malicious' && verdict !== 'suspicious',
    };
  }

  const UNKNOWN_PATCH: RecordPatch = {
    status: 'done', step: 'finished', verdict: 'unknown', detected: false, stats: null, detail: [],
    error: null, notice: null, attempts: 0, bypassCache: false, fromCache: false, seen: true,
  };

  /** Look a hash up: the history cache, then one shared request for everyone asking about it. */
  async function lookup(record: ScanRecord, sha256: string, settings: Settings, fresh: boolean): Promise<{ report: FileReport | null; fromCache: boolean; cached?: ScanRecord }> {
    if (!fresh && settings.cacheHours > 0) {
      const cached = await store.cachedReport(sha256, now() - settings.cacheHours * 3_600_000);
      if (cached?.stats) return { report: null, fromCache: true, cached };
    }
    const { client, options } = await clientFor(record.token);
    const memoMs = fresh ? 0 : settings.cacheHours * 3_600_000;
    if (fresh) shared.forget(`lookup:${sha256}`);
    const report = await shared.run(`lookup:${sha256}`, () => client.getFile(sha256, options), (value) => (value ? memoMs : Math.min(memoMs, UNKNOWN_MEMO_MS)));
    return { report, fromCache: false };
  }

  function mayUpload(record: ScanRecord, settings: Settings): boolean {
    if (record.uploadRequested) return true;
    if (!settings.uploadUnknown) return false;
    const mime = record.source.kind === 'download' ? record.source.mime : undefined;
    return settings.uploadDocuments || !isDocument(record.fileName, mime);
  }

  /** Wait for an analysis to complete: polls at least `pollInterval` apart, shared by every scan of it. */
  function awaitAnalysis(token: string, analysisId: string, startedAt: number): Promise<AnalysisReport> {
    return shared.run(`analysis:${analysisId}`, async () => {
      for (;;) {
        const { client, options } = await clientFor(token);
        const due = now() + pollInterval;
        deps.scheduleWake?.(due);
        await clock.sleep(pollInterval);
        const analysis = await client.getAnalysis(analysisId, options);
        if (analysis.status === 'completed') return analysis;
        if (now() - startedAt > maxAnalysisWait) {
          throw new ScanFailure(problem('analysis-timeout', { minutes: Math.round(maxAnalysisWait / 60_000) }));
        }
      }
    }, () => 0);
  }

  /** One step of a scan. 'stop' when the record is finished or waits for the person. */
  async function step(record: ScanRecord, memory: { bytes: Bytes | null }): Promise<StepResult> {
    if (record.step !== 'finished' && deps.hostAccess && !(await deps.hostAccess())) throw noHostAccess();
    const settings = await deps.getSettings();
    const token = record.token;
    switch (record.step) {
      case 'queued':
      case 'reading': {
        // Hashed inside the read slot: the slot bounds how many files are in memory at once, hash copies included.
        const hashed = await withReadSlot(async () => {
          await save(token, { status: 'progress', step: 'reading', notice: null });
          try {
            return await readAndHash(record, settings, mayUpload(record, settings));
          } catch (error) {
            if (error instanceof ScanFailure && canFallBackToUrl(record, settings, error)) return null;
            throw error;
          }
        });
        if (!hashed) {
          await save(token, { step: 'url-submit' });
          return 'next';
        }
        memory.bytes = hashed.bytes;
        const { sha256 } = hashed;
        if (record.sha256 && record.uploadStartedAt && record.sha256 !== sha256) {
          // The file changed on the server since it was first read: what may have been uploaded is not this.
          throw new ScanFailure(problem('source-changed'));
        }
        await save(token, { sha256, size: hashed.size, step: 'lookup' });
        return 'next';
      }
      case 'lookup': {
        const sha256 = record.sha256;
        if (!sha256) {
          await save(token, { step: 'reading' });
          return 'next';
        }
        await save(token, { status: 'progress' });
        const { report, fromCache, cached } = await lookup(record, sha256, settings, record.bypassCache);
        // The hash may come from what VirusTotal fetched itself (the URL fallback): only the download's
        // own size makes it the same file, whether the report is fresh or from the history.
        const expected = record.source.kind === 'download' ? record.source.expectedSize : undefined;
        const reportedSize = cached?.stats ? cached.size : report?.size ?? null;
        if (expected && reportedSize !== null && reportedSize !== expected) {
          throw new ScanFailure(problem('url-size-mismatch', { gotBytes: reportedSize, expectedBytes: expected }));
        }
        if (cached?.stats) {
          await save(token, finishFromReport({ stats: cached.stats, detail: cached.detail, threatLabel: cached.threatLabel, analysedAt: cached.analysedAt }, sha256, settings, true));
          return 'stop';
        }
        if (report) {
          await save(token, { ...finishFromReport(report, sha256, settings, fromCache), size: record.size ?? report.size });
          return 'stop';
        }
        if (mayUpload(record, settings)) {
          await save(token, { step: 'upload' });
          return 'next';
        }
        await save(token, { ...UNKNOWN_PATCH, reportUrl: null, sha256 });
        return 'stop';
      }
      case 'upload': {
        const sha256 = record.sha256;
        if (!sha256) {
          await save(token, { step: 'reading' });
          return 'next';
        }
        await save(token, { status: 'progress' });
        // An upload of this file running in this worker is joined below; otherwise one may have been sent
        // by a worker that died, or by an earlier try whose answer was lost: never send the file twice.
        if (!shared.isRunning(`upload:${sha256}`)) {
          const earlier = await earlierUpload(record, sha256);
          if (earlier.kind === 'report') {
            const { stats, detail, threatLabel, analysedAt } = earlier.record;
            await save(token, finishFromReport({ stats: stats!, detail, threatLabel, analysedAt }, sha256, settings, true));
            return 'stop';
          }
          if (earlier.kind === 'analysis') {
            await save(token, { analysisId: earlier.analysisId, analysisStartedAt: earlier.analysisStartedAt, step: 'analysis', notice: null });
            return 'next';
          }
          if (earlier.kind === 'sent') {
            const { report } = await lookup(record, sha256, settings, true);
            if (report) {
              await save(token, finishFromReport(report, sha256, settings, false));
              return 'stop';
            }
            if (now() - earlier.sentAt < lostUploadWait) return waitForLostUpload(token, earlier.sentAt);
            // Still unknown that long after: the upload never reached VirusTotal. Send it (again).
          }
        }
        let bytes = memory.bytes;
        if (!bytes) {
          const again = await withReadSlot(() => readAndHash(record, settings, true));
          if (again.sha256 !== sha256) {
            throw new ScanFailure(problem('source-changed'));
          }
          bytes = again.bytes;
        }
        const { client, options } = await clientFor(token);
        const upload = bytes;
        const analysisId = await shared.run(`upload:${sha256}`, async () => {
          try {
            return await client.uploadFile(new Blob([upload]), record.fileName, {
              ...options,
              // Marked as it leaves, not before a quota wait: a worker that dies waiting has sent nothing.
              beforeSend: async () => void (await save(token, { uploadStartedAt: now() })),
            });
          } catch (error) {
            // VirusTotal answered and did not take the file: trying again cannot make a second copy.
            if (uploadRefused(error)) await store.patch(token, { uploadStartedAt: null });
            throw error;
          }
        }, () => 0);
        memory.bytes = null;
        await save(token, { analysisId, analysisStartedAt: now(), step: 'analysis', notice: null });
        return 'next';
      }
      case 'analysis':
      case 'url-analysis': {
        if (!record.analysisId) {
          await save(token, { step: record.step === 'analysis' ? 'upload' : 'url-submit' });
          return 'next';
        }
        await save(token, { status: 'progress' });
        const analysis = await awaitAnalysis(token, record.analysisId, record.analysisStartedAt ?? now());
        if (record.step === 'url-analysis') {
          await save(token, { step: 'url-report' });
          return 'next';
        }
        const sha256 = analysis.fileSha256 ?? record.sha256;
        if (!sha256) throw new ScanFailure(problem('vt-unexpected', { detail: 'the finished analysis does not say which file it analysed' }));
        await save(token, finishFromReport(analysis, sha256, settings, false));
        return 'stop';
      }
      case 'url-submit': {
        if (record.source.kind === 'file') throw noAddress();
        await save(token, { status: 'progress' });
        const { client, options } = await clientFor(token);
        const analysisId = await client.submitUrl(addressToSubmit(record.source.url, settings), options);
        await save(token, { analysisId, analysisStartedAt: now(), step: 'url-analysis' });
        return 'next';
      }
      case 'url-report': {
        if (record.source.kind === 'file') throw noAddress();
        const { client, options } = await clientFor(token);
        const report = await client.getUrlReport(addressToSubmit(record.source.url, settings), options);
        if (!report?.contentSha256) throw new ScanFailure(problem('url-not-fetched'));
        // What a site sends with an error status is its error or login page, not the file.
        if (report.httpStatus !== null && (report.httpStatus < 200 || report.httpStatus >= 300)) {
          throw new ScanFailure(problem('url-http-status', { status: report.httpStatus }));
        }
        await save(token, { sha256: report.contentSha256, analysisId: null, step: 'lookup' });
        return 'next';
      }
      case 'finished':
        return 'stop';
    }
  }

  /**
   * What other scans of this file (and earlier tries of this one) did about uploading it: a report that
   * came in since this scan started, an analysis to follow (also one a scan gave up polling), or an
   * upload that left but whose answer was lost (the worker stopped, the connection broke). Only when
   * there is none may this scan upload it.
   */
  async function earlierUpload(record: ScanRecord, sha256: string): Promise<
    | { kind: 'report'; record: ScanRecord }
    | { kind: 'analysis'; analysisId: string; analysisStartedAt: number }
    | { kind: 'sent'; sentAt: number }
    | { kind: 'none' }
  > {
    const others = (await store.withSha256(sha256)).filter((r) => r.token !== record.token);
    const reported = others.find((r) => r.status === 'done' && r.stats && r.verdict !== 'unknown' && r.updatedAt >= record.createdAt);
    if (reported) return { kind: 'report', record: reported };
    // Scans still at it, and scans that gave up on an upload recently: VirusTotal may still be analysing it.
    const current = others.filter((r) => !isFinished(r) || (r.status === 'error' && r.uploadStartedAt !== null && now() - r.uploadStartedAt < maxAnalysisWait));
    const polling = current.find((r) => r.analysisId && (r.step === 'analysis' || r.status === 'error'));
    if (polling?.analysisId) return { kind: 'analysis', analysisId: polling.analysisId, analysisStartedAt: polling.analysisStartedAt ?? now() };
    const sent = [record, ...current].map((r) => r.uploadStartedAt).filter((t): t is number => t !== null);
    return sent.length > 0 ? { kind: 'sent', sentAt: Math.max(...sent) } : { kind: 'none' };
  }

  /**
   * An upload left but its answer was lost (the worker stopped, the connection broke or timed out, the
   * answer was unreadable). VirusTotal only knows a file once its analysis finishes, so look it up again
   * at growing gaps instead of sending it a second time.
   */
  async function waitForLostUpload(token: string, sentAt: number): Promise<StepResult> {
    const waited = now() - sentAt;
    const delay = Math.max(1, Math.min(Math.max(pollInterval, waited), LOST_UPLOAD_LOOK_CAP_MS, lostUploadWait - waited));
    const at = now() + delay;
    await save(token, { notice: problem('vt-upload-lost', { nextAt: at }) });
    deps.scheduleWake?.(at);
    await clock.sleep(delay);
    return 'next';
  }

  function canFallBackToUrl(record: ScanRecord, settings: Settings, failure: ScanFailure): boolean {
    if (!settings.urlFallback || record.source.kind === 'file' || !isWebUrl(record.source.url)) return false;
    return [...UNREACHABLE_CODES, 'source-http-status', 'source-size-mismatch'].includes(failure.problem.code);
  }

  /** What to do after a step failed: retry after a backoff, pause, or end the scan. */
  async function handleFailure(token: string, error: unknown): Promise<StepResult> {
    if (error instanceof RequestNoLongerWanted) return 'stop';
    const record = await store.get(token);
    if (!record || isFinished(record)) return 'stop';
    const stored = await deps.getApiKey();
    const secrets = [bareKey(stored), stored.trim()];
    if (error instanceof ScanFailure && error.kind === 'pause') {
      if (KEY_REFUSED_CODES.includes(error.problem.code)) await deps.setKeyStatus('rejected');
      await save(token, { status: 'ready', notice: toProblem(error, secrets) });
      return 'stop';
    }
    if (error instanceof ScanFailure && error.kind === 'retry') {
      const offline = (error.problem.code === 'network' || error.problem.code === 'offline') && deps.isOnline?.() === false;
      const attempts = offline ? record.attempts : record.attempts + 1;
      if (attempts < MAX_ATTEMPTS) {
        const delay = Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_CAP_MS);
        const at = now() + delay;
        await save(token, { attempts, notice: withNextAt(toProblem(error, secrets), at) });
        deps.scheduleWake?.(at);
        await clock.sleep(delay);
        return 'next';
      }
    }
    // The failure's own problem: an ended scan's sentence, without the time of a next try.
    await save(token, { status: 'error', step: 'finished', error: toProblem(error, secrets), notice: null, seen: true });
    return 'stop';
  }

  /** Drive one record until it is finished or waits for the person. */
  async function drive(token: string): Promise<void> {
    const memory = { bytes: null as Bytes | null };
    let settled = false;
    try {
      for (;;) {
        const record = await store.get(token);
        if (!record || isFinished(record)) break;
        let result: StepResult;
        try {
          result = await step(record, memory);
          if (record.attempts > 0 && result === 'next') await store.patch(token, { attempts: 0, notice: null });
        } catch (error) {
          result = await handleFailure(token, error);
        }
        if (result === 'stop') break;
      }
      settled = true;
    } finally {
      // The seed's try/finally: a run that ended any other way must not leave the record in progress.
      if (!settled) {
        const record = await store.get(token).catch(() => undefined);
        if (record && !isFinished(record)) {
          const stopped = problem('internal', { detail: 'the scan stopped unexpectedly' });
          await save(token, { status: 'error', step: 'finished', error: stopped, notice: null }).catch(() => undefined);
        }
      }
    }
  }

  function start(token: string): void {
    if (running.has(token)) return;
    const run = drive(token)
      .catch(() => undefined)
      .finally(() => running.delete(token));
    running.set(token, run);
  }

  /** The record a person acts on from the popup, or a problem to show when it was removed meanwhile. */
  async function existing(token: string): Promise<ScanRecord> {
    const record = await store.get(token);
    if (!record) throw new ProblemError(problem('scan-gone'));
    return record;
  }

  async function restart(token: string, patch: RecordPatch): Promise<void> {
    await running.get(token);
    await existing(token);
    await save(token, { status: 'ready', error: null, notice: null, attempts: 0, ...patch }).catch((error: unknown) => {
      throw asScanFailure(error);
    });
    start(token);
  }

  return {
    async scan(init) {
      const token = await newToken(async (t) => (await store.get(t)) !== undefined, deps.randomBytes);
      const at = now();
      const record: ScanRecord = {
        token, status: 'ready', step: 'queued', detected: null, verdict: null, detail: [], stats: null, sha256: null,
        fileName: sanitizeFileName(init.fileName), size: init.size ?? null, source: init.source, createdAt: at, updatedAt: at,
        error: null, notice: null, reportUrl: null, analysisId: null, uploadStartedAt: null, uploadRequested: false,
        bypassCache: false, analysisStartedAt: null, attempts: 0, browserDanger: init.browserDanger ?? null, seen: true,
        threatLabel: null, analysedAt: null, fromCache: false,
      };
      try {
        await store.add(record);
      } catch (error) {
        // The caller (popup, download listener) shows this: say what happened, not IndexedDB's words.
        throw asScanFailure(error);
      }
      deps.onChange?.(record);
      start(token);
      void deps.getSettings().then((s) => store.prune(s.historyLimit)).catch(() => undefined);
      return token;
    },
    getResult: (token) => store.get(token),
    async rescan(token) {
      const record = await existing(token);
      if (!isFinished(record)) return;
      // A rescan may upload again if VirusTotal still does not know the file: an earlier upload no longer counts.
      await restart(token, record.sha256 ? { step: 'lookup', bypassCache: true, uploadStartedAt: null, analysisId: null } : { step: 'queued', uploadStartedAt: null, analysisId: null });
    },
    async upload(token) {
      const record = await existing(token);
      if (record.verdict !== 'unknown') throw new ProblemError(problem('upload-not-unknown'));
      await restart(token, { step: 'upload', uploadRequested: true, uploadStartedAt: null, analysisId: null });
    },
    async remove(token) {
      await store.remove(token);
    },
    async clearHistory() {
      await store.clearFinished();
      shared.clear();
    },
    async resume() {
      for (const record of await store.unfinished()) start(record.token);
    },
    async settled() {
      while (running.size > 0) await Promise.all([...running.values()]);
    },
  };
}

/**
 * The key as sent: a key never contains whitespace, and one stored with a line break inside (pasted
 * before keys were cleaned on saving) would make every request fail as an invalid header.
 */
function bareKey(stored: string): string {
  return stored.replace(/\s+/g, '');
}

/** Any error as a ScanFailure with the problem to show (a full disk says so plainly). */
function asScanFailure(error: unknown): ScanFailure {
  if (error instanceof ScanFailure) return error;
  return new ScanFailure(toProblem(error));
}

/** The URL fallback's steps for a picked file, which has no address: the engine never sends one there. */
function noAddress(): ScanFailure {
  return new ScanFailure(problem('internal', { detail: 'a picked file has no address VirusTotal could fetch' }));
}

/** VirusTotal (or a proxy in front of it) answered the upload with an error: the file was not taken. */
function uploadRefused(error: unknown): boolean {
  const status = error instanceof ScanFailure ? error.httpStatus : undefined;
  // 2xx with an unreadable body: it was taken. 504: the deadline passed, it may still have been.
  return status !== undefined && (status < 200 || status >= 300) && status !== 504;
}

/** The address the URL fallback gives VirusTotal, and later asks about: the same in both steps. */
function addressToSubmit(url: string, settings: Settings): string {
  return settings.keepUrlQuery ? url : stripQuery(url);
}

/** File names come from servers and pages: keep them as text, without control or bidi characters. */
export function sanitizeFileName(name: string): string {
  const clean = sanitizeText(name);
  return clean || 'unnamed file';
}
