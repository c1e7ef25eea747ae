/**
 * The scan engine as the background builds it, over fake browser storage and fake IndexedDB, inside the
 * deterministic simulation (tests/support/sim/): one virtual clock for the engine and the emulator, moved
 * only by the driver when everything is idle; the VirusTotal emulator and the download site in-process on a
 * simulated network; digests computed in order; scan tokens from a seeded generator. A test gives the same
 * answer, through the same interleaving, on a quiet machine and on a busy one.
 *
 * `transport: 'http'` keeps real HTTP over loopback to the same emulator and file server, for the few tests
 * about what goes over the wire (see sim/http-transport.ts for what it cannot do).
 */
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { openScanDb, type ScanDb } from '@/utils/db/scan-db';
import type { QuotaState } from '@/utils/quota/quota-math';
import { createQuotaLedger, type QuotaLedger } from '@/utils/quota/quota-ledger';
import { createScanEngine, type ScanEngine, type ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { createScanStore } from '@/utils/scan/scan-store';
import { withPrivateScans, type PrivateScanStore } from '@/utils/scan/private-scans';
import type { Clock } from '@/utils/time/clock';
import { apiKeyItem, keyStatusItem, quotaStateItem, readSettings, updateSettings, type Settings } from '@/utils/settings/storage-items';
import {
  DEMO_API_KEY, createVirusTotalEmulator, startVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator,
} from '../emulator/virustotal-emulator';
import { downloadIdentity } from '@/entrypoints/background/download-identity';
import { createFakeDownloads, type FakeDownloads, type FileAccess } from './fake-downloads';
import { createFileServer, startFileServer, type FileServer } from './file-server';
import { createHostileServer, type HostileServer } from './hostile-server';
import { trackedHttpFetch } from './sim/http-transport';
import { createRandom, type Random } from './sim/random';
import { createSimClock, type SimClock } from './sim/sim-clock';
import { createSimulation, type Simulation } from './sim/sim-driver';
import { createSimNetwork, type RequestHandler, type SimNetwork } from './sim/sim-network';
import { installSyncDigest } from './sim/sync-digest';
import { trackBrowserStorage, trackedDb, trackedStore } from './sim/tracked-io';

/** Where virtual time starts in every harness. */
export const HARNESS_START = Date.UTC(2026, 10, 25, 12, 0, 0);

let databases = 0;

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  settings?: Partial<Settings>;
  apiKey?: string;
  /** 'sim' (default): everything in-process. 'http': real HTTP to the emulator and the file server. */
  transport?: 'sim' | 'http';
  /** Seed of the scan tokens and download ids (default 1). */
  seed?: number;
  /** The driver's cap on virtual time (see SimulationOptions). */
  maxVirtualMs?: number;
  /**
   * Give the engine the background's download files port, over a stand-in browser whose "Allow access to file
   * URLs" is this ('never': Firefox); saved files are read on the simulated network. Without it, every download
   * is fetched again (in-process transport only).
   */
  fileAccess?: FileAccess;
}

/** A download the stand-in browser finished and saved (see Harness.savedDownload). */
export interface SavedDownload {
  token: string;
  downloadId: number;
  /** Where its file is on the stand-in disk. */
  path: string;
}

export interface Harness {
  transport: 'sim' | 'http';
  /** The driver: `run`, `until`, `idle`, `drain` (see sim/sim-driver.ts). */
  sim: Simulation;
  clock: SimClock;
  /** The transport's fetch: the simulated network, or real HTTP (tracked). */
  fetch: typeof fetch;
  /** Seeded randomness (scan tokens, download ids). */
  random: Random;
  emulator: VirusTotalEmulator;
  files: FileServer;
  db: ScanDb;
  store: PrivateScanStore;
  ledger: QuotaLedger;
  engine: ScanEngine;
  /** A second engine over the same database and storage (a restarted worker). */
  newEngine(overrides?: Partial<ScanEngineDeps>): ScanEngine;
  settings(patch: Partial<Settings>): Promise<void>;
  /** Scan a URL served by the file server as if it were a finished download. */
  download(path: string, bytes: Uint8Array, name?: string): Promise<string>;
  /** The stand-in browser's downloads and disk (with `fileAccess`). */
  downloads: FakeDownloads;
  /**
   * A download the browser finished and saved to disk, then scanned as the background starts it: from `url`
   * (default: `bytes` served by the file server at `path`; a blob: address or one the server refuses also works);
   * `incognito`: from a private window.
   */
  savedDownload(path: string, bytes: Uint8Array, options?: { url?: string; name?: string; incognito?: boolean }): Promise<SavedDownload>;
  /** Let the simulation run until every scan has settled, then read the record. */
  result(token: string): Promise<ScanRecord>;
  /** Requests the emulator saw, by kind. */
  count(kind: 'lookup' | 'upload' | 'poll' | 'url' | 'all' | '429'): number;
  /** A misbehaving download site on the simulated network (in-process transport only). */
  hostile(): HostileServer;
  /** Serve another origin on the simulated network (in-process transport only). */
  route(origin: string, handler: RequestHandler): void;
  close(): Promise<void>;
}

/** A harness: the engine, its storage, the emulator and the file server, in the simulation. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  fakeBrowser.reset();
  const transport = options.transport ?? 'sim';
  const clock = createSimClock(HARNESS_START);
  const sim = createSimulation({ clock, maxVirtualMs: options.maxVirtualMs });
  const undo = [installSyncDigest(), trackBrowserStorage(sim)];
  const random = createRandom(options.seed ?? 1);
  const track = <T>(work: Promise<T>) => sim.track(work, 'emulator request');
  // VirusTotal keeps true time: a jump of the system clock (clock.jump) moves only what ScanDock sees.
  const virusTotalClock: Clock = { now: () => clock.monotonic(), monotonic: () => clock.monotonic(), sleep: (ms, signal) => clock.sleep(ms, signal), timeout: (ms) => clock.timeout(ms) };

  let network: SimNetwork | null = null;
  const downloads = createFakeDownloads(options.fileAccess ?? 'on');
  if (options.fileAccess && transport !== 'sim') throw new Error('saved files need the in-process transport');
  let emulator: VirusTotalEmulator;
  let files: FileServer;
  let transportFetch: typeof fetch;
  if (transport === 'sim') {
    const net = createSimNetwork(clock);
    network = net;
    emulator = createVirusTotalEmulator({ ...options.emulator, clock: virusTotalClock, fetch: net.fetch, track });
    files = createFileServer();
    net.route(emulator.origin, emulator.handle);
    net.route(files.origin, files.handle);
    if (options.fileAccess) net.route('file:///', downloads.handle);
    transportFetch = net.fetch;
  } else {
    // The emulator's own waits (the latency fault) stay in real time over HTTP: the request is tracked meanwhile.
    const served = await startVirusTotalEmulator({ ...options.emulator, now: virusTotalClock.now, track });
    emulator = {
      ...served,
      injectFault(fault) {
        if (fault.kind === 'hang') throw new Error('a hang needs the in-process transport: over HTTP its virtual timeout could never fire');
        served.injectFault(fault);
      },
    };
    files = await startFileServer();
    transportFetch = trackedHttpFetch(sim, clock);
  }
  const onNetwork = (what: string): SimNetwork => {
    if (!network) throw new Error(`${what} needs the in-process transport`);
    return network;
  };

  await apiKeyItem.setValue(options.apiKey ?? DEMO_API_KEY);
  if (options.settings) await updateSettings(options.settings);
  const rawDb = await openScanDb(`scandock-test-${++databases}`);
  const db = trackedDb(rawDb, sim);
  // As the background builds it: private windows' records in storage.session beside IndexedDB.
  const store = trackedStore(withPrivateScans(createScanStore(rawDb, clock.now), fakeBrowser.storage.session, clock.now), sim) as PrivateScanStore;
  const ledger = createQuotaLedger({
    load: () => quotaStateItem.getValue(),
    save: (state: QuotaState) => quotaStateItem.setValue(state),
    limits: async () => (await readSettings()).quota,
    clock,
  });
  const newEngine = (overrides: Partial<ScanEngineDeps> = {}) =>
    createScanEngine({
      store,
      ledger,
      fetch: transportFetch,
      vtBaseUrl: emulator.baseUrl,
      getApiKey: () => apiKeyItem.getValue(),
      getKeyStatus: () => keyStatusItem.getValue(),
      setKeyStatus: (status) => keyStatusItem.setValue(status),
      getSettings: readSettings,
      clock,
      randomBytes: random.bytes,
      ...(options.fileAccess ? { downloadFile: downloads.port } : {}),
      savedFileExists: downloads.exists,
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

  let closing: Promise<void> | null = null;
  return {
    transport, sim, clock, random, emulator, files, db, store, ledger, newEngine, count, downloads,
    fetch: transportFetch,
    get engine() {
      return engine;
    },
    set engine(next: ScanEngine) {
      engine = next;
    },
    settings: async (patch) => void (await updateSettings(patch)),
    async download(path, bytes, name = path.split('/').pop() ?? 'file') {
      const url = files.serve(path, { body: bytes });
      return engine.scan({ source: { kind: 'download', url, downloadId: random.int(1, 1e9), expectedSize: bytes.byteLength }, fileName: name });
    },
    async savedDownload(path, bytes, { url = files.serve(path, { body: bytes }), name = path.split('/').pop() ?? 'file', incognito = false } = {}) {
      const downloadId = random.int(1, 1e9);
      const item = downloads.save({ id: downloadId, url, name, bytes });
      const token = await engine.scan({
        source: { kind: 'download', downloadId, ...downloadIdentity(item), expectedSize: bytes.byteLength, ...(incognito ? { incognito: true as const } : {}) },
        fileName: name,
        size: bytes.byteLength,
      });
      return { token, downloadId, path: item.filename };
    },
    async result(token) {
      await sim.run(engine.settled());
      const record = await store.get(token);
      if (!record) throw new Error(`no record ${token}`);
      return record;
    },
    hostile() {
      const server = createHostileServer();
      onNetwork('a hostile site').route(server.origin, server.handle);
      return server;
    },
    route: (origin, handler) => onNetwork('another origin').route(origin, handler),
    close() {
      closing ??= (async () => {
        try {
          await sim.run(engine.settled());
        } finally {
          sim.stop();
          for (const step of undo) step();
          rawDb.close();
          await Promise.all([emulator.close(), files.close()]);
        }
        if (sim.failure) throw sim.failure;
      })();
      return closing;
    },
  };
}
