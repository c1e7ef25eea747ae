/**
 * The scan engine as the background builds it, over fake browser storage and fake IndexedDB, talking
 * over real HTTP to the VirusTotal emulator and to a local file server, on one virtual clock.
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openScanDb, type ScanDb } from '@/utils/db/scan-db';
import { createQuotaLimiter, type QuotaLimiter } from '@/utils/quota/quota-limiter';
import { createScanEngine, type ScanEngine, type ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { createScanStore, type ScanStore } from '@/utils/scan/scan-store';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings, updateSettings, type Settings } from '@/utils/settings/storage-items';
import { DEMO_API_KEY, startVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { createVirtualClock } from '../emulator/virtual-clock';
import { startFileServer, type FileServer } from './file-server';

let databases = 0;

export interface Harness {
  clock: ReturnType<typeof createVirtualClock>;
  emulator: VirtualTotal;
  files: FileServer;
  db: ScanDb;
  store: ScanStore;
  limiter: QuotaLimiter;
  engine: ScanEngine;
  /** A second engine over the same database and storage (a restarted worker). */
  newEngine(overrides?: Partial<ScanEngineDeps>): ScanEngine;
  settings(patch: Partial<Settings>): Promise<void>;
  /** Scan a URL served by the file server as if it were a finished download. */
  download(path: string, bytes: Uint8Array, name?: string): Promise<string>;
  /** Wait until every scan has settled, then read the record. */
  result(token: string): Promise<ScanRecord>;
  /** Requests the emulator saw, by kind. */
  count(kind: 'lookup' | 'upload' | 'poll' | 'url' | 'all' | '429'): number;
  close(): Promise<void>;
}

type VirtualTotal = VirusTotalEmulator;

export async function createHarness(options: { emulator?: EmulatorOptions; settings?: Partial<Settings>; apiKey?: string } = {}): Promise<Harness> {
  fakeBrowser.reset();
  const clock = createVirtualClock(Date.UTC(2026, 10, 25, 12, 0, 0));
  const emulator = await startVirusTotalEmulator({ now: clock.now, ...options.emulator });
  const files = await startFileServer();
  await apiKeyItem.setValue(options.apiKey ?? DEMO_API_KEY);
  if (options.settings) await updateSettings(options.settings);
  // Virtual time must not pass faster than requests travel: a request still in flight when the clock
  // jumps would reach the emulator stamped late (and count in the wrong quota window). So `sleep` first
  // lets every request under way arrive, as real time would.
  const inFlight = new Set<Promise<unknown>>();
  const trackedFetch: typeof fetch = (input, init) => {
    const request = fetch(input, init);
    const settled = request.catch(() => undefined);
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
    return request;
  };
  const sleep = async (ms: number) => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
    return clock.sleep(ms);
  };
  const db = await openScanDb(`scandock-test-${++databases}`);
  const store = createScanStore(db, clock.now);
  const limiter = createQuotaLimiter({
    load: () => quotaStateItem.getValue(),
    save: (state) => quotaStateItem.setValue(state),
    limits: async () => (await readSettings()).quota,
    now: clock.now,
    sleep,
  });
  const newEngine = (overrides: Partial<ScanEngineDeps> = {}) =>
    createScanEngine({
      store,
      limiter,
      fetch: trackedFetch,
      vtBaseUrl: emulator.baseUrl,
      getApiKey: () => apiKeyItem.getValue(),
      getKeyStatus: () => keyStatusItem.getValue(),
      setKeyStatus: (status) => keyStatusItem.setValue(status),
      getSettings: readSettings,
      now: clock.now,
      sleep,
      ...overrides,
    });
  let engine = newEngine();
  const count: Harness['count'] = (kind) =>
    emulator.requests.filter((r) => {
      if (kind === 'all') return r.quotaCounted;
      if (kind === '429') return r.status === 429;
      if (!r.quotaCounted) return false;
      if (kind === 'lookup') return r.method === 'GET' && /\/files\/[0-9a-fA-F]{32,64}$/.test(r.path);
      if (kind === 'upload') return r.method === 'POST' && (/\/files$/.test(r.path) || r.path.includes('/_upload/'));
      if (kind === 'poll') return r.method === 'GET' && /\/analyses\//.test(r.path);
      return /\/urls/.test(r.path);
    }).length;
  return {
    clock, emulator, files, db, store, limiter, newEngine, count,
    get engine() {
      return engine;
    },
    set engine(next: ScanEngine) {
      engine = next;
    },
    settings: async (patch) => void (await updateSettings(patch)),
    async download(path, bytes, name = path.split('/').pop() ?? 'file') {
      const url = files.serve(path, { body: bytes });
      return engine.scan({ source: { kind: 'download', url, downloadId: Math.floor(Math.random() * 1e9), expectedSize: bytes.byteLength }, fileName: name, size: bytes.byteLength });
    },
    async result(token) {
      await engine.settled();
      const record = await store.get(token);
      if (!record) throw new Error(`no record ${token}`);
      return record;
    },
    async close() {
      await engine.settled();
      db.close();
      await Promise.all([emulator.close(), files.close()]);
    },
  };
}
