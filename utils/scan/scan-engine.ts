/**
 * The scan engine: `scan(source) → token` at once, the work runs asynchronously, `getResult(token)` reads
 * the record. This module puts the parts together and answers the person's actions; how scans move is
 * the scheduler's (scheduler/scan-scheduler.ts), what each step does is its module's (steps/).
 */
import { problem } from '../problems/problem';
import type { QuotaLedger } from '../quota/quota-ledger';
import type { Settings } from '../settings/storage-items';
import type { Clock } from '../time/clock';
import { keyRefusal } from '../virustotal/key-probe';
import { createVirusTotalClient, type RequestTurn, type VirusTotalClient } from '../virustotal/virustotal-client';
import { KEY_REFUSED_CODES } from '../virustotal/virustotal-errors';
import { createRecordWriter } from './record-writer';
import { isCancellation } from './scan-cancelled';
import { ScanFailure, sanitizeText, toProblem } from './scan-failure';
import { isFinished, type DownloadSource, type ScanRecord, type ScanSource, type ScanStep } from './scan-record';
import type { RecordPatch, ScanStore } from './scan-store';
import { newToken } from './scan-token';
import { createRequestSlots, type RequestSlots } from './scheduler/request-slots';
import { createScanScheduler } from './scheduler/scan-scheduler';
import { createSharedWork } from './scheduler/shared-work';
import { createSecondLooks, type SecondLooks } from './second-look/second-looks';
import { STEPS } from './steps';
import { offersUploadAgain } from './upload-policy';
import { createSourceReader, type DownloadFiles } from './steps/source-reader';
import type { EngineTiming } from './steps/step';

/** Polls of one analysis are at least this far apart (a free key has 4 requests a minute). */
export const POLL_INTERVAL_MS = 15_000;
/** Give up on an analysis that has not completed after this long. */
export const MAX_ANALYSIS_WAIT_MS = 20 * 60_000;
/** After an upload whose answer was lost, look the file up this long before sending it again (vt-cli gives an analysis 10 minutes). */
export const LOST_UPLOAD_WAIT_MS = 10 * 60_000;

export type KeyStatus = 'unchecked' | 'valid' | 'rejected';

export interface ScanEngineDeps {
  store: ScanStore;
  ledger: QuotaLedger;
  /** For reading sources and for VirusTotal. */
  fetch: typeof fetch;
  vtBaseUrl: string;
  clock: Clock;
  getApiKey(): Promise<string>;
  getKeyStatus(): Promise<KeyStatus>;
  setKeyStatus(status: KeyStatus): Promise<void>;
  getSettings(): Promise<Settings>;
  randomBytes?(n: number): Uint8Array;
  /** Every saved change to a record (badge, popup push). */
  onChange?(record: ScanRecord): void;
  /** A record reached done or error (notifications). */
  onFinished?(record: ScanRecord): void;
  /** Wake the worker at `at` if it was stopped meanwhile; null: nothing left to wake for. */
  wake?(at: number | null): void;
  /** Is the browser online? Offline, scans wait without spending attempts or requests. */
  isOnline?(): boolean;
  /**
   * May ScanDock reach VirusTotal and the sites downloads come from (the person can withdraw host access)?
   * Without it every request fails as a CORS or network error, so scans wait instead (status 'ready',
   * notice 'no-host-access') until `resume()` is called once access is back.
   */
  hostAccess?(): Promise<boolean>;
  /**
   * Where a finished download's saved file is, so that it is read from disk instead of fetched again, or
   * why it cannot be (file access off, moved, a browser that never allows it). Without it every download
   * is fetched again.
   */
  downloadFile?: DownloadFiles;
  /** Whether a download's saved file is still there (its second looks need it). Without it no second look is made. */
  savedFileExists?(source: DownloadSource): Promise<boolean>;
  /** A second look found a download's verdict worse (the badge, a notification). */
  onSecondLookWorse?(record: ScanRecord): void;
  pollIntervalMs?: number;
  maxAnalysisWaitMs?: number;
  lostUploadWaitMs?: number;
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
  /**
   * A fresh look: look the file up again, skipping the cache (or start over if it never got a hash). A
   * download read from its saved file is read again first (it costs no download): a file changed since is
   * not given the verdict it had.
   */
  rescan(token: string): Promise<void>;
  /**
   * Upload a file VirusTotal does not know, or send it again after its answer was lost, because the person
   * asked to; for an address check, submit the address for VirusTotal's URL scanners.
   */
  upload(token: string): Promise<void>;
  /** Forget a scan; other scans of the same file go on. */
  remove(token: string): Promise<void>;
  clearHistory(): Promise<void>;
  /** Continue every unfinished scan that is not running (start-up, alarms, a new key). */
  resume(): Promise<void>;
  /** Resolves when no scan is running (tests and the benchmark). */
  settled(): Promise<void>;
  /** VirusTotal request slots, in queue order (the options page's key check takes one too). */
  slots: RequestSlots;
  /** The second looks at finished downloads, on spare quota. */
  secondLooks: SecondLooks;
}

export function createScanEngine(deps: ScanEngineDeps): ScanEngine {
  const { store, clock } = deps;
  const timing: EngineTiming = {
    pollIntervalMs: deps.pollIntervalMs ?? POLL_INTERVAL_MS,
    maxAnalysisWaitMs: deps.maxAnalysisWaitMs ?? MAX_ANALYSIS_WAIT_MS,
    lostUploadWaitMs: Math.min(deps.lostUploadWaitMs ?? LOST_UPLOAD_WAIT_MS, deps.maxAnalysisWaitMs ?? MAX_ANALYSIS_WAIT_MS),
  };
  const writer = createRecordWriter({ store, ...(deps.onChange ? { onChange: deps.onChange } : {}), ...(deps.onFinished ? { onFinished: deps.onFinished } : {}) });
  const shared = createSharedWork(clock.now);
  const source = createSourceReader({
    fetch: deps.fetch,
    clock,
    store,
    ...(deps.downloadFile ? { downloadFile: deps.downloadFile } : {}),
    ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    ...(deps.isOnline ? { isOnline: deps.isOnline } : {}),
  });

  /** Why no scan may go on now (no key, a rejected key, no host access), or null. */
  async function pauseReason(): Promise<ScanFailure | null> {
    if (!bareKey(await deps.getApiKey())) return new ScanFailure(problem('no-api-key'), 'pause');
    if ((await deps.getKeyStatus()) === 'rejected') return new ScanFailure(problem('vt-wrong-key'), 'pause');
    if (deps.hostAccess && !(await deps.hostAccess())) return new ScanFailure(problem('no-host-access'), 'pause');
    return null;
  }

  const slots = createRequestSlots({ ledger: deps.ledger, clock, refusal: pauseReason, isOnline: () => deps.isOnline?.() !== false });

  /** VirusTotal with the current key, for requests on `turn`'s behalf. */
  async function client(turn: RequestTurn): Promise<VirusTotalClient> {
    return createVirusTotalClient({
      fetch: deps.fetch,
      baseUrl: deps.vtBaseUrl,
      apiKey: bareKey(await deps.getApiKey()),
      slots,
      clock,
      turn,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    });
  }

  /** VirusTotal for a scan's request on `turn`, unless the queue is paused (no key, a refused key, no access). */
  async function virusTotal(turn: RequestTurn): Promise<VirusTotalClient> {
    const paused = await pauseReason();
    if (paused) throw paused;
    return client(turn);
  }

  const secondLooks = createSecondLooks({
    store,
    clock,
    settings: deps.getSettings,
    virusTotal,
    savedFileExists: deps.savedFileExists ?? (async () => false),
    ...(deps.onChange ? { onChange: deps.onChange } : {}),
    ...(deps.onSecondLookWorse ? { onWorse: deps.onSecondLookWorse } : {}),
    replan: () => scheduler.replanWake(),
  });

  const scheduler = createScanScheduler({
    store,
    writer,
    clock,
    slots,
    steps: STEPS,
    settings: deps.getSettings,
    pauseReason,
    async confirmPause(failure, turn) {
      if (failure.problem.code !== 'vt-forbidden') return failure;
      // VirusTotal answers 403 for an operation the key may not use (an upload, say) as well as for the key.
      try {
        return (await keyRefusal(await client(turn))) ?? new ScanFailure(problem('vt-operation-forbidden', failure.problem.params), 'final', failure.httpStatus);
      } catch (error) {
        if (isCancellation(error, turn.signal)) throw error;
        // Not known either way (the network, VirusTotal's 5xx): this scan tries again later, nothing pauses.
        return error instanceof ScanFailure && error.kind === 'retry' ? error : new ScanFailure(problem('vt-operation-forbidden', failure.problem.params), 'final', failure.httpStatus);
      }
    },
    async onPause(failure) {
      if (KEY_REFUSED_CODES.includes(failure.problem.code)) {
        await deps.setKeyStatus('rejected');
        // Every scan waiting for a slot would send the same key: they pause too.
        slots.recheck();
      }
    },
    async secrets() {
      const stored = await deps.getApiKey();
      return [bareKey(stored), stored.trim()];
    },
    stepContext: (base) => ({
      ...base,
      timing,
      store,
      shared,
      source,
      virusTotal: (turn) => virusTotal(turn ?? { place: () => base.place, signal: base.signal, onWait: base.onSlotWait }),
    }),
    ...(deps.wake ? { wake: deps.wake } : {}),
    idleWorkAt: () => secondLooks.nextAt(),
    onDrained: () => void secondLooks.run(),
    ...(deps.isOnline ? { isOnline: deps.isOnline } : {}),
  });

  /**
   * A new place at the back of the queue: now, or just after the last place given out, so scans queued in
   * the same millisecond (a burst of downloads) keep the order they came in, not their tokens' order.
   */
  let lastPlace = 0;
  function backOfQueue(): number {
    lastPlace = Math.max(clock.now(), lastPlace + 1);
    return lastPlace;
  }

  /** The record a person acts on from the popup, or a plain error when it was removed meanwhile. */
  async function existing(token: string): Promise<ScanRecord> {
    const record = await store.get(token);
    if (!record) throw new ScanFailure(problem('scan-gone'));
    return record;
  }

  /** Queue a finished scan again (at the back of the queue) from `patch`. */
  async function requeue(token: string, patch: RecordPatch): Promise<void> {
    await scheduler.cancel(token);
    await existing(token);
    // Its second looks are planned again once it is done.
    await writer.save(token, { status: 'ready', error: null, notice: null, attempts: 0, waitUntil: null, queuedAt: backOfQueue(), secondLookAt: null, ...patch });
    scheduler.start(token);
  }

  /** No scan and no second look is running. */
  async function settled(): Promise<void> {
    do {
      await scheduler.settled();
      await secondLooks.settled();
      // A scan started while the looks ran: settle until both are still.
    } while (scheduler.busy());
  }

  return {
    async scan(init) {
      const token = await newToken(async (t) => (await store.get(t)) !== undefined, deps.randomBytes);
      const at = clock.now();
      const record: ScanRecord = {
        token, status: 'ready', step: 'queued', detected: null, verdict: null, verdictFor: null, detail: [], stats: null, sha256: null,
        // File names come from servers and pages: kept as text without control or bidi characters; a file
        // without a name keeps '' (the pages show "(unnamed file)" in the reader's language).
        fileName: sanitizeText(init.fileName), size: init.size ?? null, source: init.source, createdAt: at, updatedAt: at,
        queuedAt: backOfQueue(), waitUntil: null, error: null, notice: null, reportUrl: null, analysisId: null, uploadSentAt: [],
        uploadRequested: false, resendRequested: false, bypassCache: false, analysisStartedAt: null, attempts: 0,
        browserDanger: init.browserDanger ?? null, seen: true, threatLabel: null, analysedAt: null, fromCache: false, readFrom: null, readNote: null,
        reportFetchedAt: null, firstSeenAt: null, secondLook: null, secondLookAt: null,
      };
      try {
        await store.add(record);
      } catch (error) {
        // The caller (popup, download listener) shows this: say what happened, not IndexedDB's words.
        throw new ScanFailure(toProblem(error));
      }
      deps.onChange?.(record);
      scheduler.start(token);
      void deps.getSettings().then((s) => store.prune(s.historyLimit)).catch(() => undefined);
      return token;
    },
    getResult: (token) => store.get(token),
    async rescan(token) {
      const record = await existing(token);
      if (!isFinished(record)) return;
      // What it said before, for the popup to show what the fresh look changed.
      const previous = record.verdict ? { verdict: record.verdict, verdictFor: record.verdictFor, stats: record.stats, analysedAt: record.analysedAt } : null;
      if (record.readFrom === 'disk') await requeue(token, { ...NO_VERDICT, step: 'queued', bypassCache: true, analysisId: null, previous });
      else await requeue(token, { step: rescanStep(record), bypassCache: true, analysisId: null, previous });
    },
    async upload(token) {
      const record = await existing(token);
      if (record.verdict !== 'unknown' && !offersUploadAgain(record)) throw new ScanFailure(problem('upload-not-unknown'));
      // An address VirusTotal does not know is submitted for its URL scanners (the person asked for this one).
      if (record.source.kind === 'address') return requeue(token, { step: 'address-submit', uploadRequested: true, analysisId: null });
      await requeue(token, { step: 'upload', uploadRequested: true, resendRequested: true, analysisId: null });
    },
    async remove(token) {
      await scheduler.cancel(token);
      await store.remove(token);
    },
    async clearHistory() {
      await store.clearFinished();
      shared.clear();
    },
    async resume() {
      slots.recheck();
      await scheduler.resume();
      void secondLooks.run();
    },
    settled,
    slots,
    secondLooks,
  };
}

/**
 * A record's verdict and what came with it, cleared before its file is read again: until then it has none.
 * The person's upload requests were about the bytes read before, so they go too.
 */
const NO_VERDICT: RecordPatch = {
  sha256: null, verdict: null, verdictFor: null, detected: null, stats: null, detail: [], threatLabel: null, reportUrl: null, analysedAt: null,
  fromCache: false, readFrom: null, readNote: null, uploadRequested: false, resendRequested: false, reportFetchedAt: null, firstSeenAt: null,
};

/**
 * Where a rescan starts: a file with a hash is looked up again; a URL fallback that ended on the address's
 * verdict reads the URL report again (the file may have a report by now); anything else starts over.
 */
function rescanStep(record: ScanRecord): ScanStep {
  if (record.source.kind !== 'address' && record.verdictFor === 'address' && record.sha256) return 'url-report';
  return record.sha256 ? 'lookup' : 'queued';
}

/**
 * The key as sent: a key never contains whitespace, and one stored with a line break inside (pasted
 * before keys were cleaned on saving) would make every request fail as an invalid header.
 */
function bareKey(stored: string): string {
  return stored.replace(/\s+/g, '');
}

