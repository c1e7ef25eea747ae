/**
 * The simulation's driver: it moves the virtual clock (sim-clock.ts) by firing the earliest timer, and only
 * when the system is idle: no tracked operation pending (IndexedDB and chrome.storage calls, requests an
 * in-process server is working on) and a few `setImmediate` turns gone by with no new activity.
 *
 * Why that is deterministic: in the simulation nothing completes off the JavaScript thread or in real time.
 * No sockets, no real timers, no threadpool (WebCrypto's digest is replaced, see sync-digest.ts); what is left
 * are promise jobs and `setImmediate` callbacks (fake-indexeddb schedules with it), which Node runs in a fixed
 * order. So "idle" is reached after the same work every run, the same timer fires next, and the whole run
 * follows the same path on a quiet machine and on a busy one. The quiet turns are a count, never a duration.
 *
 * The driver runs in the background from `createSimulation` until `stop()`: code under test and the test
 * itself simply await their promises. `run`, `until`, `idle` and `drain` add what a bare `await` cannot: a
 * clear error instead of a hang when the system goes idle for good (a deadlock) or time runs away.
 */
import type { SimClock } from './sim-clock';

/**
 * Turns without activity that make the system idle. More only costs time; fewer may let a timer fire between
 * two steps of untracked work that `setImmediate` separates (still deterministic, but less like real time).
 */
const QUIET_TURNS = 5;
/** Turns without activity, and no timer left, before a waiter is told the system is stuck for good. */
const DEADLOCK_TURNS = 200;
const DAY_MS = 86_400_000;
const span = (ms: number) => (ms >= DAY_MS ? `${(ms / DAY_MS).toFixed(1)} days` : `${(ms / 3_600_000).toFixed(1)} h`);

export interface SimulationOptions {
  clock: SimClock;
  /** Fail once the next timer is due this long after the start (default 60 days of virtual time). */
  maxVirtualMs?: number;
  /** Fail once this many timers have fired (default 2 000 000). */
  maxSteps?: number;
}

/** A running simulation. */
export interface Simulation {
  readonly clock: SimClock;
  /** Timers fired so far. */
  readonly steps: number;
  /** The error that stopped the driver (a runaway), if any. */
  readonly failure: Error | null;
  /** Marks `work` as pending: no virtual time passes until it settles. Returns `work`. */
  track<T>(work: Promise<T>, label?: string): Promise<T>;
  /** `work`, or a rejection if the system goes idle for good before it settles (a deadlock) or runs away. */
  run<T>(work: Promise<T>): Promise<T>;
  /** Resolves at the first idle moment at which `condition()` holds (checked before each timer fires). */
  until(condition: () => boolean, what: string): Promise<void>;
  /** Resolves at the next idle moment, before any further timer fires. */
  idle(): Promise<void>;
  /** Lets every timer left fire, until none is left. */
  drain(): Promise<void>;
  /** Stops the driver: time stands still from now on; whatever still waits on `run`/`until` is rejected. */
  stop(): void;
  /** One line on where the simulation stands (virtual time, timers, tracked work), for error messages. */
  describe(): string;
}

interface Waiter {
  check?: () => boolean;
  what: string;
  resolve(): void;
  reject(error: Error): void;
}

/** Starts the driver over `options.clock`. */
export function createSimulation(options: SimulationOptions): Simulation {
  const { clock } = options;
  const start = clock.monotonic();
  const maxVirtualMs = options.maxVirtualMs ?? 60 * DAY_MS;
  const maxSteps = options.maxSteps ?? 2_000_000;
  const pending = new Map<number, string>();
  let nextId = 0;
  let activity = 0;
  let steps = 0;
  let stopped = false;
  let failure: Error | null = null;
  /** Resolvers of the parked driver (nothing to do until something happens) and of "nothing pending". */
  let wake: Array<() => void> = [];
  let drained: Array<() => void> = [];
  /** `until`/`drain` conditions and `idle` calls (no condition), checked at each idle moment. */
  const waiters = new Set<Waiter>();
  /** `run` calls still waiting, for the deadlock check. */
  const runs = new Set<Waiter>();

  const flush = (list: Array<() => void>) => {
    for (const resolve of list) resolve();
  };
  const bump = () => {
    activity++;
    const parked = wake;
    wake = [];
    flush(parked);
  };
  clock.onChange(bump);

  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  /** True if `turns` turns went by with nothing tracked pending and no new activity. */
  async function quiet(turns: number): Promise<boolean> {
    const mark = activity;
    for (let i = 0; i < turns; i++) {
      await turn();
      if (stopped || activity !== mark || pending.size > 0) return false;
    }
    return true;
  }
  /** Resolves once the system is idle. */
  async function settle(): Promise<void> {
    while (!stopped) {
      if (pending.size > 0) {
        await new Promise<void>((resolve) => drained.push(resolve));
        continue;
      }
      if (await quiet(QUIET_TURNS)) return;
    }
  }

  function fail(error: Error): void {
    failure ??= error;
    stopped = true;
    for (const waiter of [...waiters, ...runs]) waiter.reject(error);
    waiters.clear();
    runs.clear();
    flush(wake);
    flush(drained);
    wake = [];
    drained = [];
  }

  /** At an idle moment: settle the waiters whose condition holds. True if any was settled. */
  function answerWaiters(): boolean {
    let answered = false;
    for (const waiter of [...waiters]) {
      let holds: boolean;
      try {
        holds = waiter.check ? waiter.check() : true;
      } catch (error) {
        waiters.delete(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        answered = true;
        continue;
      }
      if (!holds) continue;
      waiters.delete(waiter);
      waiter.resolve();
      answered = true;
    }
    return answered;
  }

  function runaway(next: { due: number; label: string }): Error | null {
    if (steps >= maxSteps) {
      return new Error(`simulation runaway: ${steps} timers fired (cap ${maxSteps}); something keeps waiting and waking. Next timer: ${next.label}.`);
    }
    if (next.due - start > maxVirtualMs) {
      return new Error(`simulation runaway: the next timer (${next.label}) is due ${span(next.due - start)} after the start, past the cap of ${span(maxVirtualMs)} (${steps} timers fired). A retry loop that never ends?`);
    }
    return null;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      await settle();
      if (stopped) return;
      // Whoever waited for this moment runs before time moves on (their code may start new work).
      if (answerWaiters()) continue;
      const next = clock.peek();
      if (next) {
        const error = runaway(next);
        if (error) return fail(error);
        steps++;
        clock.fireNext();
        continue;
      }
      // Idle, and no timer will ever wake anything: whoever still waits, waits for ever.
      if (runs.size > 0 || waiters.size > 0) {
        if (!(await quiet(DEADLOCK_TURNS))) continue;
        const stuck = new Error(`simulation deadlock: nothing is pending and no timer is left, but ${[...runs, ...waiters].map((w) => w.what).join(', ')} never came`);
        for (const waiter of [...runs, ...waiters]) waiter.reject(stuck);
        runs.clear();
        waiters.clear();
        continue;
      }
      await new Promise<void>((resolve) => wake.push(resolve));
    }
  }
  void loop().catch((error: unknown) => fail(error instanceof Error ? error : new Error(String(error))));

  const wait = (check: (() => boolean) | undefined, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (failure) return reject(failure);
      waiters.add({ check, what, resolve, reject });
      bump();
    });

  return {
    clock,
    get steps() {
      return steps;
    },
    get failure() {
      return failure;
    },
    track(work, label = 'work') {
      const id = nextId++;
      pending.set(id, label);
      bump();
      const done = () => {
        pending.delete(id);
        bump();
        if (pending.size === 0) {
          const list = drained;
          drained = [];
          flush(list);
        }
      };
      work.then(done, done);
      return work;
    },
    run(work) {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { what: 'the awaited work', resolve: () => undefined, reject };
        runs.add(waiter);
        bump();
        work.then(
          (value) => {
            runs.delete(waiter);
            resolve(value);
          },
          (error: unknown) => {
            runs.delete(waiter);
            reject(error);
          },
        );
      });
    },
    until: (condition, what) => wait(condition, what),
    idle: () => wait(undefined, 'an idle moment'),
    drain: () => wait(() => clock.size === 0, 'every timer to fire'),
    describe() {
      const next = clock.peek();
      const work = [...pending.values()];
      return `virtual +${clock.monotonic() - start} ms, ${steps} timers fired, ${clock.size} waiting${next ? ` (next: ${next.label} at +${next.due - start} ms)` : ''}, ${work.length} tracked pending${work.length ? ` (${work.slice(0, 5).join(', ')})` : ''}`;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      const error = new Error('the simulation was stopped');
      for (const waiter of [...waiters, ...runs]) waiter.reject(error);
      waiters.clear();
      runs.clear();
      flush(wake);
      flush(drained);
      wake = [];
      drained = [];
    },
  };
}
