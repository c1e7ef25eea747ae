/**
 * The calls the simulation's driver counts as pending work: IndexedDB (the scan store, and the database the
 * tests read directly) and chrome.storage (WXT's fake browser). While one is under way no virtual time
 * passes, as in a real browser, where they take no time worth speaking of next to the waits that matter.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ScanDb } from '@/utils/db/scan-db';
import type { ScanStore } from '@/utils/scan/scan-store';
import type { Simulation } from './sim-driver';

/** Every method of `store`, each call tracked by `sim`. */
export function trackedStore(store: ScanStore, sim: Simulation): ScanStore {
  const tracked = {} as Record<string, unknown>;
  for (const [name, method] of Object.entries(store) as Array<[string, (...args: unknown[]) => Promise<unknown>]>) {
    tracked[name] = (...args: unknown[]) => sim.track(method(...args), `store.${name}`);
  }
  return tracked as unknown as ScanStore;
}

/** `db` with each call that returns a promise tracked by `sim` (for what tests read and write directly). */
export function trackedDb(db: ScanDb, sim: Simulation): ScanDb {
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? sim.track(result, `db.${String(property)}`) : result;
      };
    },
  });
}

const AREAS = ['local', 'session', 'sync', 'managed'] as const;
let current: Simulation | null = null;
let installed = false;

/**
 * From now until the returned function is called, every chrome.storage call is tracked by `sim`. The
 * fake browser's methods are wrapped once and for all; the wrappers track for whichever simulation runs.
 */
export function trackBrowserStorage(sim: Simulation): () => void {
  if (!installed) {
    installed = true;
    for (const area of AREAS) {
      const target = fakeBrowser.storage[area] as unknown as Record<string, unknown>;
      for (const name of Object.keys(target)) {
        const method = target[name];
        if (typeof method !== 'function') continue;
        target[name] = (...args: unknown[]) => {
          const result: unknown = (method as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise && current ? current.track(result, `storage.${area}.${name}`) : result;
        };
      }
    }
  }
  current = sim;
  return () => {
    if (current === sim) current = null;
  };
}
