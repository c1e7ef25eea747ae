/**
 * One life of the background worker, for tests that kill it: an engine built like the background builds
 * it (its own quota limiter over the shared chrome.storage, the shared IndexedDB), whose every dependency
 * freezes for good once `kill()` is called. That is what Chrome does to an MV3 service worker: pending
 * timers never fire, answers in flight are never delivered, nothing more is written. The next life is a
 * new engine over the same database and storage that calls `resume()`.
 *
 * A request already handed to `fetch` still reaches its server (it left before the worker died); only
 * its answer is lost. A quota slot the dead worker spent without sending its request (the write landed,
 * the worker was gone before the request left) is counted in `slotsSpentUnsent`, so the limiter's
 * counters can still be compared with the emulator's exactly.
 */
import { createQuotaLimiter } from '@/utils/quota/quota-limiter';
import { parseQuotaState } from '@/utils/quota/quota-math';
import { createScanEngine, type ScanEngine, type ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { ScanStore } from '@/utils/scan/scan-store';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings } from '@/utils/settings/storage-items';
import type { Harness } from './engine-harness';

export interface WorkerLife {
  readonly dead: boolean;
  /** Resolves when the worker is killed. */
  readonly death: Promise<void>;
  /** Stop this worker: from now on none of its dependencies answers. */
  kill(): void;
  /** `task()` while alive; a promise that never settles once dead (also when it settles after death). */
  guard<T>(task: () => Promise<T>): Promise<T>;
  /** Quota slots this worker spent but whose request never left because it died first. */
  readonly slotsSpentUnsent: number;
  /** @internal */
  countUnsentSlot(): void;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export function createWorkerLife(): WorkerLife {
  let dead = false;
  let unsent = 0;
  let died: () => void = () => undefined;
  const death = new Promise<void>((resolve) => (died = resolve));
  return {
    get dead() {
      return dead;
    },
    death,
    kill() {
      if (dead) return;
      dead = true;
      died();
    },
    guard<T>(task: () => Promise<T>): Promise<T> {
      if (dead) return never<T>();
      return task().then(
        (value) => (dead ? never<T>() : value),
        (error: unknown) => (dead ? never<T>() : Promise.reject(error)),
      );
    },
    get slotsSpentUnsent() {
      return unsent;
    },
    countUnsentSlot() {
      unsent++;
    },
  };
}

/**
 * Requests under way, across every worker life of one test: virtual time must not pass while a request
 * travels (it would reach the emulator stamped late and count in the wrong quota window), so sleeps wait
 * for them first, as real time would (see engine-harness.ts).
 */
export interface InFlight {
  track<T>(request: Promise<T>): Promise<T>;
  /** Resolves once nothing is under way. */
  drained(): Promise<void>;
  /**
   * Moves the clock on by `ms` once nothing is under way, checked in the same turn as the move (a
   * request started between "drained" and the move would otherwise travel while time jumps).
   */
  sleep(clock: { advance(ms: number): void }, ms: number): Promise<void>;
}

export function createInFlight(): InFlight {
  const pending = new Set<Promise<unknown>>();
  const drained = async () => {
    while (pending.size > 0) await Promise.all([...pending]);
  };
  return {
    track(request) {
      const settled = request.catch(() => undefined);
      pending.add(settled);
      void settled.finally(() => pending.delete(settled));
      return request;
    },
    drained,
    async sleep(clock, ms) {
      do await drained();
      while (pending.size > 0);
      clock.advance(ms);
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

/** Every method of `store`, frozen once the worker is dead. */
function guardedStore(store: ScanStore, life: WorkerLife): ScanStore {
  const guarded = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    guarded[name] = (...args: unknown[]) => life.guard(() => method(...args));
  }
  return guarded as unknown as ScanStore;
}

export interface WorkerOptions {
  /** Called with every request this worker sends (before it leaves): return true to die as it leaves. */
  killOnRequest?: (url: string, init: RequestInit | undefined) => boolean;
  /** Called with every sleep this worker starts: return true to die in it. */
  killOnSleep?: (ms: number) => boolean;
  /** Shared by all lives of a test; default: one for this life. */
  inFlight?: InFlight;
  /**
   * Real milliseconds a request still counts as under way after it failed on our side (a timeout): the
   * server may still be working on it, and virtual time must not jump past the moment it counts it.
   */
  lateAnswerGraceMs?: number;
  /** Deps to replace (onChange can call `life.kill()` to die at a given step). */
  overrides?: Partial<ScanEngineDeps>;
}

/** An engine living `life`, over the harness's database, storage, emulator and clock. */
export function workerEngine(h: Harness, life: WorkerLife, options: WorkerOptions = {}): ScanEngine {
  const inFlight = options.inFlight ?? createInFlight();
  const sleep = (ms: number) => {
    if (!life.dead && options.killOnSleep?.(ms)) life.kill();
    return life.guard(() => inFlight.sleep(h.clock, ms));
  };
  const limiter = createQuotaLimiter({
    load: () => life.guard(() => quotaStateItem.getValue()),
    save: async (state) => {
      if (life.dead) return never();
      const before = parseQuotaState(await quotaStateItem.getValue()).day;
      const spends = state.day.period === before.period ? state.day.used > before.used : state.day.used > 0;
      if (life.dead) return never();
      await quotaStateItem.setValue(state);
      if (life.dead) {
        // The write landed but the worker died before it could send the request it paid for.
        if (spends) life.countUnsentSlot();
        return never();
      }
    },
    limits: () => life.guard(async () => (await readSettings()).quota),
    now: h.clock.now,
    sleep,
  });
  const vtOrigin = h.emulator.origin;
  const doFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (life.dead) {
      // A request to VirusTotal always follows a spent slot: this one will never leave.
      if (url.startsWith(vtOrigin)) life.countUnsentSlot();
      return never();
    }
    const dies = options.killOnRequest?.(url, init) ?? false;
    // The request leaves even if the worker dies right after: only the answer is lost.
    const answer = fetch(input, init);
    const grace = options.lateAnswerGraceMs ?? 0;
    void inFlight.track(grace > 0 ? answer.catch(() => new Promise((resolve) => setTimeout(resolve, grace))) : answer);
    if (dies) {
      life.kill();
      answer.catch(() => undefined);
      return never();
    }
    return life.guard(() => answer);
  };
  return createScanEngine({
    store: guardedStore(h.store, life),
    limiter,
    fetch: doFetch,
    vtBaseUrl: h.emulator.baseUrl,
    getApiKey: () => life.guard(() => apiKeyItem.getValue()),
    getKeyStatus: () => life.guard(() => keyStatusItem.getValue()),
    setKeyStatus: (status) => life.guard(() => keyStatusItem.setValue(status)),
    getSettings: () => life.guard(readSettings),
    now: h.clock.now,
    sleep,
    ...options.overrides,
  });
}
