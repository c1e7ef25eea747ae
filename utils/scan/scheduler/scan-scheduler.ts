/**
 * The scan scheduler: the one owner of how scans move. It drives each unfinished scan step by step
 * (the steps only do their step and say what comes next, see steps/step.ts) and owns everything between
 * the steps:
 * - the order of the queue: reads, the upload lane and VirusTotal request slots are granted first
 *   queued, first served (queue-order.ts, fifo-gate.ts, request-slots.ts);
 * - attempts and backoff (retry-policy.ts), and the waits steps ask for, kept on the record
 *   (`waitUntil`) so a restarted worker honours them;
 * - pauses: a scan that cannot go on until the person acts (no key, a rejected key) waits with a notice,
 *   and schedules nothing until its reason is gone;
 * - the wake-up alarm: one for the earliest timed wait or turn, or a watchdog while work runs, none when only
 *   paused scans are left (uBlock Origin's pattern), planned again from the state after every change and
 *   whenever it fires (`planWake`);
 * - cancellation per scan: removing one scan stops its run, never another's shared work.
 * Whatever way a run ends, the record is not left `progress` with no work behind it (the seed's
 * try/finally): it is done, in error with a reason, waiting with a notice, or about to be resumed.
 */
import { problem, withNextAt } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import type { Clock } from '../../time/clock';
import { isCancellation, ScanCancelled } from '../scan-cancelled';
import { ScanFailure, toProblem } from '../scan-failure';
import { isFinished, isPaused, storedWaitEnd, type ScanRecord, type ScanStep } from '../scan-record';
import type { RecordWriter } from '../record-writer';
import type { RecordPatch, ScanStore } from '../scan-store';
import { firstSecondLook } from '../second-look/second-look-plan';
import type { Step, StepContext, StepOutcome } from '../steps/step';
import { createFifoGate } from './fifo-gate';
import type { QueuePlace } from './queue-order';
import type { RequestSlots, SlotWait } from './request-slots';
import { MAX_ATTEMPTS, retryDelay } from './retry-policy';

/** Scans reading (and hashing) at once: each holds a piece of a file, or a whole small one, in memory. */
const READ_CONCURRENCY = 2;
/** Uploads at once: an upload holds its file's bytes, so one at a time bounds memory to one file. */
const UPLOAD_CONCURRENCY = 1;
/** While work runs, the worker is woken at least this often in case it was stopped mid-step. */
export const WATCHDOG_MS = 60_000;
/** Offline, look at the connection again this often. */
export const OFFLINE_RECHECK_MS = 30_000;

/** The scheduler's part of a step's context; the engine adds VirusTotal, sources and shared work. */
export type ScheduledStep = Pick<StepContext, 'record' | 'settings' | 'now' | 'signal' | 'place' | 'gate' | 'onSlotWait' | 'save'>;

export interface ScanSchedulerDeps {
  store: ScanStore;
  writer: RecordWriter;
  clock: Clock;
  slots: RequestSlots;
  steps: Record<Exclude<ScanStep, 'finished'>, Step>;
  settings(): Promise<Settings>;
  /** Why no scan may go on now (no key, a rejected key, no host access), or null when they may. */
  pauseReason(): Promise<ScanFailure | null>;
  /**
   * Before one scan's failure pauses every scan: is it what it says? Returns the failure to apply (a 403 that
   * refuses only one operation, not the key, ends that scan alone). `turn` is the scan's place and cancellation.
   */
  confirmPause?(failure: ScanFailure, turn: { place(): QueuePlace; signal: AbortSignal }): Promise<ScanFailure>;
  /** A scan paused on `failure`: remember what it says (a rejected key is not sent again). */
  onPause?(failure: ScanFailure): Promise<void>;
  /** Text that must never reach a record (the API key as stored). */
  secrets(): Promise<string[]>;
  /** The whole context for a step, from the scheduler's part. */
  stepContext(base: ScheduledStep): StepContext;
  /** Wake the worker at `at` if it was stopped meanwhile; null: nothing is left to wake for. */
  wake?(at: number | null): void;
  /** Work that waits for an idle queue (the second looks): when it wants the worker awake, once nothing runs. */
  idleWorkAt?(): number | null;
  /** The queue drained: nothing runs (the second looks go now). */
  onDrained?(): void;
  isOnline?(): boolean;
}

export interface ScanScheduler {
  /** Drive this scan until it is done, in error, or waits for the person. Nothing happens if it runs already. */
  start(token: string): void;
  /** Stop driving this scan and wait until its run has ended; scans sharing its work go on. */
  cancel(token: string): Promise<void>;
  /** Drive every unfinished scan that is not running yet (start-up, alarms, a new key). */
  resume(): Promise<void>;
  isRunning(token: string): boolean;
  /** Whether any scan runs now. */
  busy(): boolean;
  /** Resolves when no scan is running (tests and the benchmark). */
  settled(): Promise<void>;
  /** Plan the wake alarm again (the idle work's time changed). */
  replanWake(): void;
}

interface Run {
  controller: AbortController;
  done: Promise<void>;
  /** Until when this run waits: its record's `waitUntil`, or its expected turn for a VirusTotal slot; null while it works. */
  waitsUntil: number | null;
}

export function createScanScheduler(deps: ScanSchedulerDeps): ScanScheduler {
  const { clock, writer } = deps;
  const runs = new Map<string, Run>();
  const gates = { read: createFifoGate(READ_CONCURRENCY), upload: createFifoGate(UPLOAD_CONCURRENCY) };
  /** The alarm as last set (null: cleared); undefined when unknown: at start-up, or once it may have fired. */
  let plannedWake: number | null | undefined;

  /**
   * The one owner of the wake-up alarm. It is computed from the state, never handed in by the code that changes
   * it: the earliest time a run waits for (a timed wait kept on its record, or its turn for a slot), or a watchdog
   * while a run works; when nothing runs, the idle work's time (a second look) or none. Called after every change of a run's wait
   * and whenever the alarm may have fired (`resume`), so a fired alarm is always followed by the next one.
   */
  function planWake(): void {
    const now = clock.now();
    let at: number | null = null;
    for (const run of runs.values()) {
      // A wait whose time has come (or a turn that was granted since) is work: the watchdog covers it.
      const need = run.waitsUntil !== null && run.waitsUntil > now ? run.waitsUntil : now + WATCHDOG_MS;
      at = at === null ? need : Math.min(at, need);
    }
    if (at === null) {
      // Nothing runs: the idle work's time (a second look), or none (paused scans need none).
      const idleAt = deps.idleWorkAt?.() ?? null;
      if (plannedWake !== idleAt) {
        plannedWake = idleAt;
        deps.wake?.(idleAt);
      }
      return;
    }
    // An alarm that comes too early is harmless (it plans again); one that comes too late, or none, is not.
    if (plannedWake == null || at < plannedWake || plannedWake <= now) {
      plannedWake = at;
      deps.wake?.(at);
    }
  }

  async function waitFor(run: Run, until: number): Promise<void> {
    run.waitsUntil = until;
    planWake();
    try {
      await clock.sleep(until - clock.now(), run.controller.signal);
    } finally {
      run.waitsUntil = null;
    }
    planWake();
  }

  function onSlotWait(token: string, run: Run, wait: SlotWait): void {
    run.waitsUntil = wait.until;
    planWake();
    const notice = wait.window === 'offline' ? problem('offline', { nextAt: wait.until }) : problem('vt-quota', { window: wait.window, nextAt: wait.until });
    // Only a notice: a failed write (a full disk) must not become an unhandled rejection.
    void writer.saveIfUnfinished(token, { notice }).catch(() => undefined);
  }

  /** Apply a step's outcome; true when the scan goes on. */
  async function apply(record: ScanRecord, settings: Settings, run: Run, outcome: StepOutcome): Promise<boolean> {
    const { token } = record;
    switch (outcome.kind) {
      case 'next':
        await writer.save(token, { ...outcome.patch, attempts: 0, notice: null });
        return true;
      case 'done': {
        const patch: RecordPatch = { ...outcome.patch, status: 'done', step: 'finished', attempts: 0, error: null, notice: null, waitUntil: null };
        await writer.save(token, { ...patch, ...firstSecondLook({ ...record, ...patch }, settings) });
        return false;
      }
      case 'wait':
        // A step that answered (even "not yet") ends the run of failures: tries are counted in a row.
        await writer.save(token, { ...outcome.patch, attempts: 0, notice: outcome.notice, waitUntil: outcome.until });
        await waitFor(run, outcome.until);
        return true;
    }
  }

  /** What to do after a step failed: wait and try again, pause, or end the scan. True when it goes on. */
  async function onFailure(token: string, run: Run, place: QueuePlace, error: unknown): Promise<boolean> {
    if (isCancellation(error, run.controller.signal)) throw error;
    const record = await deps.store.get(token);
    if (!record || isFinished(record)) return false;
    let failure = error instanceof ScanFailure ? error : new ScanFailure(toProblem(error, await deps.secrets()));
    if (failure.kind === 'pause' && deps.confirmPause) failure = await deps.confirmPause(failure, { place: () => place, signal: run.controller.signal });
    if (failure.kind === 'pause') {
      await deps.onPause?.(failure);
      await writer.save(token, { status: 'ready', notice: failure.problem, waitUntil: null });
      return false;
    }
    if (failure.kind === 'retry') {
      if (failure.problem.code === 'offline' || (failure.problem.code === 'network' && deps.isOnline?.() === false)) {
        // Offline, a try would fail for a reason that is not VirusTotal's or the server's: wait, spend nothing.
        const at = clock.now() + OFFLINE_RECHECK_MS;
        await writer.save(token, { notice: problem('offline', { nextAt: at }), waitUntil: at });
        await waitFor(run, at);
        return true;
      }
      const attempts = record.attempts + 1;
      if (attempts < MAX_ATTEMPTS) {
        const at = clock.now() + retryDelay(attempts);
        await writer.save(token, { attempts, notice: withNextAt(failure.problem, at), waitUntil: at });
        await waitFor(run, at);
        return true;
      }
    }
    // The error's own sentence: it says what happened, and never that ScanDock will try again.
    await writer.save(token, { status: 'error', step: 'finished', error: failure.problem, notice: null, waitUntil: null, seen: true });
    return false;
  }

  /** Run the record's step and apply what it says; true when the scan goes on. */
  async function runStep(record: ScanRecord, run: Run): Promise<boolean> {
    const { token } = record;
    const { signal } = run.controller;
    const place: QueuePlace = { queuedAt: record.queuedAt, token };
    try {
      if (record.step === 'finished') return false;
      // Nothing a step does can work without a key or host access: wait for the person instead of failing.
      const paused = await deps.pauseReason();
      if (paused) throw paused;
      const settings = await deps.settings();
      if (record.status !== 'progress' || record.waitUntil !== null) await writer.save(token, { status: 'progress', waitUntil: null });
      const ctx = deps.stepContext({
        record,
        settings,
        now: clock.now,
        signal,
        place,
        gate: (name, task, turn) => (turn ? gates[name].run(turn.place, turn.signal, task) : gates[name].run(place, signal, task)),
        onSlotWait: (wait) => onSlotWait(token, run, wait),
        save: (patch) => writer.save(token, patch),
      });
      return await apply(record, settings, run, await deps.steps[record.step](ctx));
    } catch (error) {
      return onFailure(token, run, place, error);
    }
  }

  /** Drive one scan until it is finished, waits for the person, or is cancelled. */
  async function drive(token: string, run: Run): Promise<void> {
    let settled = false;
    let firstLook = true;
    try {
      for (;;) {
        run.controller.signal.throwIfAborted();
        const record = await deps.store.get(token);
        if (!record || isFinished(record)) break;
        // A paused scan goes on once its reason is gone; until then, looking costs no write and no alarm.
        if (isPaused(record) && (await deps.pauseReason())) break;
        // A wait that began before this run (maybe in a worker that has since stopped) is honoured, once: the
        // waits this run asks for it sleeps itself, on time that a change of the system clock does not move.
        const waitEnd = firstLook ? storedWaitEnd(record, clock.now()) : null;
        firstLook = false;
        if (waitEnd !== null && waitEnd > clock.now()) {
          await waitFor(run, waitEnd);
          continue;
        }
        if (!(await runStep(record, run))) break;
      }
      settled = true;
    } catch (error) {
      // Removed or stopped: nothing to record. Anything else is recorded below.
      if (isCancellation(error, run.controller.signal)) settled = true;
    } finally {
      if (!settled) {
        await writer
          .saveIfUnfinished(token, { status: 'error', step: 'finished', error: problem('internal', { detail: 'the scan stopped unexpectedly' }), notice: null, waitUntil: null })
          .catch(() => undefined);
      }
    }
  }

  function start(token: string): void {
    if (runs.has(token)) return;
    const run: Run = { controller: new AbortController(), done: Promise.resolve(), waitsUntil: null };
    runs.set(token, run);
    run.done = drive(token, run).finally(() => {
      runs.delete(token);
      if (runs.size === 0) deps.onDrained?.();
      planWake();
    });
    planWake();
  }

  return {
    start,
    async cancel(token) {
      const run = runs.get(token);
      if (!run) return;
      run.controller.abort(new ScanCancelled());
      await run.done;
    },
    async resume() {
      // Called when the alarm fires, among other events: the alarm planned before may be gone.
      plannedWake = undefined;
      for (const record of await deps.store.unfinished()) start(record.token);
      planWake();
    },
    isRunning: (token) => runs.has(token),
    busy: () => runs.size > 0,
    async settled() {
      while (runs.size > 0) await Promise.all([...runs.values()].map((run) => run.done));
    },
    replanWake: planWake,
  };
}
