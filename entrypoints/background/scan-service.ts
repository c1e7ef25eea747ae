/**
 * Builds the background's scan engine once per worker life: the database, the quota ledger over
 * chrome.storage, the downloads' saved files, and the engine's hooks (popup push, badge, notifications,
 * wake-up alarm).
 */
import { browser } from 'wxt/browser';
import { openScanDb } from '@/utils/db/scan-db';
import { createQuotaLedger, type QuotaLedger } from '@/utils/quota/quota-ledger';
import type { QuotaState } from '@/utils/quota/quota-math';
import { createScanEngine, type ScanEngine } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { createScanStore } from '@/utils/scan/scan-store';
import { withPrivateScans, type PrivateScanStore } from '@/utils/scan/private-scans';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings } from '@/utils/settings/storage-items';
import { systemClock } from '@/utils/time/clock';
import { vtApiUrl } from '@/utils/virustotal/api-url';
import { hasFileAccess } from '@/utils/permissions/file-access';
import { hasHostAccess } from '@/utils/permissions/host-access';
import { platform } from '@/utils/platform/browser-platform';
import { createDownloadFiles, createSavedFileExists } from './download-files';
import { setWakeAlarm } from './wake-alarm';

export interface ScanService {
  engine: ScanEngine;
  store: PrivateScanStore;
  ledger: QuotaLedger;
}

export interface ScanServiceHooks {
  onChange(record: ScanRecord): void;
  onFinished(record: ScanRecord): void;
  /** A second look found a download detected that was not before. */
  onSecondLookWorse(record: ScanRecord): void;
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
  // Private windows' downloads: records in storage.session only (utils/scan/private-scans.ts).
  const store = withPrivateScans(createScanStore(db, systemClock.now), browser.storage.session, systemClock.now);
  const ledger = createQuotaLedger({
    load: () => quotaStateItem.getValue(),
    save: (state: QuotaState) => quotaStateItem.setValue(state),
    limits: async () => (await readSettings()).quota,
    clock: systemClock,
  });
  const engine = createScanEngine({
    store,
    ledger,
    fetch: (input, init) => fetch(input, init),
    vtBaseUrl: vtApiUrl(),
    clock: systemClock,
    getApiKey: () => apiKeyItem.getValue(),
    getKeyStatus: () => keyStatusItem.getValue(),
    setKeyStatus: (status) => keyStatusItem.setValue(status),
    getSettings: readSettings,
    onChange: hooks.onChange,
    onFinished: hooks.onFinished,
    onSecondLookWorse: hooks.onSecondLookWorse,
    wake: setWakeAlarm,
    isOnline: () => navigator.onLine,
    hostAccess: hasHostAccess,
    downloadFile: createDownloadFiles({
      platform,
      fileAccess: hasFileAccess,
      search: (query) => browser.downloads.search(query),
    }),
    savedFileExists: createSavedFileExists((query) => browser.downloads.search(query)),
  });
  return { engine, store, ledger };
}
