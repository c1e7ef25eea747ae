/**
 * Builds the background's scan engine once per worker life: the database, the quota limiter over
 * chrome.storage, and the engine's hooks (popup push, badge, notifications, wake-up alarm).
 */
import { openScanDb } from '@/utils/db/scan-db';
import { createQuotaLimiter, type QuotaLimiter } from '@/utils/quota/quota-limiter';
import type { QuotaState } from '@/utils/quota/quota-math';
import { createScanEngine, type ScanEngine } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { createScanStore, type ScanStore } from '@/utils/scan/scan-store';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings } from '@/utils/settings/storage-items';
import { systemClock } from '@/utils/time/clock';
import { vtApiUrl } from '@/utils/virustotal/api-url';
import { hasHostAccess } from '@/utils/permissions/host-access';
import { scheduleWake } from './wake-alarm';

export interface ScanService {
  engine: ScanEngine;
  store: ScanStore;
  limiter: QuotaLimiter;
}

export interface ScanServiceHooks {
  onChange(record: ScanRecord): void;
  onFinished(record: ScanRecord): void;
}

let service: Promise<ScanService> | undefined;

/** The scan service, created on first use. */
export function getScanService(hooks: ScanServiceHooks): Promise<ScanService> {
  service ??= createScanService(hooks).catch((error: unknown) => {
    service = undefined; // let the next event try again (e.g. IndexedDB was briefly unavailable)
    throw error;
  });
  return service;
}

async function createScanService(hooks: ScanServiceHooks): Promise<ScanService> {
  const db = await openScanDb();
  const clock = systemClock;
  const store = createScanStore(db, clock.now);
  const limiter = createQuotaLimiter({
    load: () => quotaStateItem.getValue(),
    save: (state: QuotaState) => quotaStateItem.setValue(state),
    limits: async () => (await readSettings()).quota,
    clock,
  });
  const engine = createScanEngine({
    store,
    limiter,
    fetch: (input, init) => fetch(input, init),
    vtBaseUrl: vtApiUrl(),
    getApiKey: () => apiKeyItem.getValue(),
    getKeyStatus: () => keyStatusItem.getValue(),
    setKeyStatus: (status) => keyStatusItem.setValue(status),
    getSettings: readSettings,
    clock,
    onChange: hooks.onChange,
    onFinished: hooks.onFinished,
    scheduleWake,
    isOnline: () => navigator.onLine,
    hostAccess: hasHostAccess,
  });
  return { engine, store, limiter };
}
