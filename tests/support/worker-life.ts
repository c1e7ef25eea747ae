/**
 * One life of the background worker, for tests that kill it: an engine built like the background builds
 * it (its own quota limiter over the shared chrome.storage, the shared IndexedDB), whose every dependency
 * freezes for good once `kill()` is called. That is what Chrome does to an MV3 service worker: pending
 * timers never fire, answers in flight are never delivered, nothing more is written. The next life is a
 * new engine over the same database and storage that calls `resume()`.
 *
 * A request already handed to `fetch` still reaches its server (it left before the worker died); only
 * its answer is lost. So the emulator sees every request whose quota slot was spent, and the limiter's
 * counters can be compared with the emulator's exactly.
 */
import { createQuotaLimiter } from '@/utils/quota/quota-limiter';
import { createScanEngine, type ScanEngine, type ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { ScanStore } from '@/utils/scan/scan-store';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings } from '@/utils/settings/storage-items';
import type { Harness } from './engine-harness';

export interface WorkerLife {
  readonly dead: boolean;
  /** Stop this worker: from now on none of its dependencies answers. */
  kill(): void;
  /** `task()` while alive; a promise that never settles once dead (also when it settles after death). */
  guard<T>(task: () => Promise<T>): Promise<T>;
}

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

export function createWorkerLife(): WorkerLife {
  let dead = false;
  return {
    get dead() {
      return dead;
    },
    kill() {
      dead = true;
    },
    guard<T>(task: () => Promise<T>): Promise<T> {
      if (dead) return never<T>();
      return task().then(
        (value) => (dead ? never<T>() : value),
        (error: unknown) => (dead ? never<T>() : Promise.reject(error)),
      );
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
  /** Deps to replace (onChange can call `life.kill()` to die at a given step). */
  overrides?: Partial<ScanEngineDeps>;
}

/** An engine living `life`, over the harness's database, storage, emulator and clock. */
export function workerEngine(h: Harness, life: WorkerLife, options: WorkerOptions = {}): ScanEngine {
  const sleep = (ms: number) => life.guard(() => h.clock.sleep(ms));
  const limiter = createQuotaLimiter({
    load: () => life.guard(() => quotaStateItem.getValue()),
    save: (state) => life.guard(() => quotaStateItem.setValue(state)),
    limits: () => life.guard(async () => (await readSettings()).quota),
    now: h.clock.now,
    sleep,
  });
  const doFetch: typeof fetch = async (input, init) => {
    if (life.dead) return never();
    const url = input instanceof Request ? input.url : String(input);
    const dies = options.killOnRequest?.(url, init) ?? false;
    // The request leaves even if the worker dies right after: only the answer is lost.
    const answer = fetch(input, init);
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
