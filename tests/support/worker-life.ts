/**
 * One life of the background worker, for tests that kill it: an engine built like the background builds
 * it (its own quota limiter over the shared chrome.storage, the shared IndexedDB), whose every dependency
 * freezes for good once `kill()` is called. That is what Chrome does to an MV3 service worker: pending
 * timers never fire, answers in flight are never delivered, nothing more is written. The next life is a
 * new engine over the same database and storage that calls `resume()`.
 *
 * A request already handed to `fetch` still reaches its server (it left before the worker died); only
 * its answer is lost. A quota slot the dead worker spent without sending its request (the ledger's write
 * landed, the worker was gone before the request left: while it read a file for an upload, say) is counted
 * in `slotsSpentUnsent`: the slots it spent, less those it gave back and the requests it sent. So the
 * ledger's counters can still be compared with the emulator's exactly.
 *
 * Everything runs in the harness's simulation: a kill happens at a step of the program (a request, a
 * sleep, a record change), never at a moment of real time.
 */
import { createQuotaLedger } from '@/utils/quota/quota-ledger';
import { parseQuotaState, type QuotaState } from '@/utils/quota/quota-math';
import { createScanEngine, type ScanEngine, type ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { ScanStore } from '@/utils/scan/scan-store';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings } from '@/utils/settings/storage-items';
import type { Clock } from '@/utils/time/clock';
import type { Harness } from './engine-harness';

export interface WorkerLife {
  readonly dead: boolean;
  /** Resolves when the worker is killed. */
  readonly death: Promise<void>;
  /** Stop this worker: from now on none of its dependencies answers. */
  kill(): void;
  /** `task()` while alive; a promise that never settles once dead (also when it settles after death). */
  guard<T>(task: () => Promise<T>): Promise<T>;
  /** Quota slots this worker spent but whose request never left because it died first (0 while alive). */
  readonly slotsSpentUnsent: number;
  /** @internal The ledger's day count moved by `delta` (a spend +1, a refund −1) while this worker lived. */
  countSlots(delta: number): void;
  /** @internal A request to VirusTotal left while this worker lived. */
  countSent(): void;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/** A new, living worker. */
export function createWorkerLife(): WorkerLife {
  let dead = false;
  let slots = 0;
  let sent = 0;
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
      return dead ? Math.max(0, slots - sent) : 0;
    },
    countSlots(delta) {
      slots += delta;
    },
    countSent() {
      sent++;
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

/** The harness's clock as this worker sees it: its sleeps never end once it is dead. */
function guardedClock(clock: Clock, life: WorkerLife, killOnSleep?: (ms: number) => boolean): Clock {
  return {
    now: () => clock.now(),
    monotonic: () => clock.monotonic(),
    timeout: (ms) => clock.timeout(ms),
    sleep(ms, signal) {
      if (!life.dead && killOnSleep?.(ms)) life.kill();
      return life.guard(() => clock.sleep(ms, signal));
    },
  };
}

export interface WorkerOptions {
  /** Called with every request this worker sends (before it leaves): return true to die as it leaves. */
  killOnRequest?: (url: string, init: RequestInit | undefined) => boolean;
  /** Called with every sleep this worker starts (the engine's, the limiter's, a read's silence watch): true to die in it. */
  killOnSleep?: (ms: number) => boolean;
  /** Deps to replace (onChange can call `life.kill()` to die at a given step). */
  overrides?: Partial<ScanEngineDeps>;
}

/** An engine living `life`, over the harness's database, storage, emulator and clock. */
export function workerEngine(h: Harness, life: WorkerLife, options: WorkerOptions = {}): ScanEngine {
  const clock = guardedClock(h.clock, life, options.killOnSleep);
  const ledger = createQuotaLedger({
    load: () => life.guard(() => quotaStateItem.getValue()),
    save: async (state: QuotaState) => {
      if (life.dead) return never();
      const before = parseQuotaState(await quotaStateItem.getValue()).day;
      if (life.dead) return never();
      await quotaStateItem.setValue(state);
      // A spend (+1) or a refund (−1), counted once the write has landed, even if the worker dies now.
      life.countSlots(state.day.period === before.period ? state.day.used - before.used : state.day.used);
      if (life.dead) return never();
    },
    limits: () => life.guard(async () => (await readSettings()).quota),
    clock,
  });
  const vtOrigin = h.emulator.origin;
  const doFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (life.dead) return never();
    if (url.startsWith(vtOrigin)) life.countSent();
    const dies = options.killOnRequest?.(url, init) ?? false;
    // The request leaves even if the worker dies right after: only the answer is lost.
    const answer = h.fetch(input, init);
    if (dies) {
      life.kill();
      answer.then((response) => response.body?.cancel(), () => undefined).catch(() => undefined);
      return never();
    }
    return life.guard(() => answer);
  };
  return createScanEngine({
    store: guardedStore(h.store, life),
    ledger,
    fetch: doFetch,
    vtBaseUrl: h.emulator.baseUrl,
    getApiKey: () => life.guard(() => apiKeyItem.getValue()),
    getKeyStatus: () => life.guard(() => keyStatusItem.getValue()),
    setKeyStatus: (status) => life.guard(() => keyStatusItem.setValue(status)),
    getSettings: () => life.guard(readSettings),
    clock,
    randomBytes: h.random.bytes,
    ...options.overrides,
  });
}
