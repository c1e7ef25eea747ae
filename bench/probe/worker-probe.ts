/**
 * Runs inside ScanDock's service worker (bundled by esbuild and installed with `worker.evaluate`): the
 * product's own read-and-hash path on demand, downloads with the worker's own timestamps, and a watch on the
 * background's scan-change broadcasts that keeps every record's timeline. Timestamps are epoch ms from
 * `performance.timeOrigin + performance.now()`, comparable with the records' `Date.now()` stamps.
 */
import { SCAN_CHANNEL_NAME, isScansChangedMessage } from '../../utils/messaging/scan-changes-channel';
import { hashUrl } from '../../utils/scan/hash-source';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { diskProbe } from './disk-probe';
import { timedHash, type HashTiming } from './timed-hash';

/** The part of `chrome` the probe uses. */
interface ProbeChrome {
  downloads: {
    removeFile(id: number): Promise<void>;
    erase(query: { id: number }): Promise<number[]>;
    onCreated: { addListener(listener: (item: { id: number; url: string }) => void): void };
    onChanged: { addListener(listener: (delta: { id: number; state?: { current?: string } }) => void): void };
  };
  storage: { local: { set(items: Record<string, unknown>): Promise<void>; remove(keys: string[]): Promise<void> } };
}
declare const chrome: ProbeChrome;

const now = () => performance.timeOrigin + performance.now();

/** One saved version of a record, as the broadcast announced it. */
export interface TimelineEvent {
  /** When the probe heard of the change. */
  heardAt: number;
  /** The record's own `updatedAt` (set by the engine right before writing). */
  updatedAt: number;
  status: ScanRecord['status'];
  step: ScanRecord['step'];
}

export interface ScanTimeline {
  record: ScanRecord;
  events: TimelineEvent[];
}

const finished = (r: ScanRecord) => r.status === 'done' || r.status === 'error';

// ---- the database, read-only -------------------------------------------------------------------------
let connection: Promise<IDBDatabase> | null = null;

function database(): Promise<IDBDatabase> {
  connection ??= new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open('scandock');
    // Not created by the background yet: do not create an empty one.
    open.onupgradeneeded = () => open.transaction?.abort();
    open.onerror = () => reject(open.error ?? new Error('indexedDB.open failed'));
    open.onsuccess = () => {
      const db = open.result;
      db.onversionchange = () => {
        db.close();
        connection = null;
      };
      resolve(db);
    };
  }).catch((error: unknown) => {
    connection = null;
    throw error;
  });
  return connection;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function readRecord(token: string): Promise<ScanRecord | undefined> {
  const db = await database();
  return request(db.transaction('scans', 'readonly').objectStore('scans').get(token) as IDBRequest<ScanRecord | undefined>);
}

async function recordsOfDownloads(ids: number[]): Promise<ScanRecord[]> {
  const db = await database();
  const index = db.transaction('scans', 'readonly').objectStore('scans').index('downloadId');
  const found = await Promise.all(ids.map((id) => request(index.get(id) as IDBRequest<ScanRecord | undefined>)));
  return found.filter((r): r is ScanRecord => r !== undefined);
}

// ---- the scan watch ------------------------------------------------------------------------------------
const timelines = new Map<string, ScanTimeline>();
const listeners = new Set<() => void>();

function remember(record: ScanRecord, heardAt: number): void {
  const timeline = timelines.get(record.token) ?? { record, events: [] };
  const last = timeline.events[timeline.events.length - 1];
  if (!last || last.updatedAt !== record.updatedAt || last.status !== record.status || last.step !== record.step) {
    timeline.events.push({ heardAt, updatedAt: record.updatedAt, status: record.status, step: record.step });
  }
  timeline.record = record;
  timelines.set(record.token, timeline);
}

const channel = new BroadcastChannel(SCAN_CHANNEL_NAME);
channel.onmessage = (event: MessageEvent<unknown>) => {
  if (!isScansChangedMessage(event.data)) return;
  const heardAt = now();
  void Promise.all(event.data.tokens.map((token) => readRecord(token).then((r) => r && remember(r, heardAt))))
    .catch(() => undefined)
    .finally(() => {
      for (const listener of listeners) listener();
    });
};

/** Resolves with the timelines of these downloads' scans once every one is finished. */
function waitForDownloadScans(downloadIds: number[], timeoutMs: number): Promise<ScanTimeline[]> {
  return new Promise((resolve, reject) => {
    const pick = () => downloadIds.map((id) => [...timelines.values()].find((t) => t.record.source.kind === 'download' && t.record.source.downloadId === id));
    const check = () => {
      const found = pick();
      if (found.every((t) => t && finished(t.record))) {
        cleanup();
        resolve(found as ScanTimeline[]);
      }
    };
    // A broadcast can be missed (e.g. the record was written before the watch started): look every 250 ms too.
    const poll = setInterval(() => {
      void recordsOfDownloads(downloadIds).then((records) => {
        for (const r of records) if (!timelines.get(r.token) || finished(r)) remember(r, now());
        check();
      }, () => undefined);
    }, 250);
    const timer = setTimeout(() => {
      cleanup();
      const states = pick().map((t, i) => `#${downloadIds[i]}: ${t ? `${t.record.status}/${t.record.step} ${JSON.stringify(t.record.error ?? t.record.notice)}` : 'no record'}`);
      reject(new Error(`scans not finished within ${timeoutMs} ms: ${states.join('; ')}`));
    }, timeoutMs);
    const cleanup = () => {
      clearInterval(poll);
      clearTimeout(timer);
      listeners.delete(check);
    };
    listeners.add(check);
    check();
  });
}

// ---- downloads -----------------------------------------------------------------------------------------
// The bench starts downloads the way a person does, with a click in a web page (ScanDock skips downloads
// it starts itself); the worker notes when each is created and when it completes.
const created: Array<{ id: number; url: string; at: number }> = [];
const completedAt = new Map<number, number>();
const claimed = new Set<number>();
chrome.downloads.onCreated.addListener((item) => {
  created.push({ id: item.id, url: item.url, at: now() });
});
chrome.downloads.onChanged.addListener((delta) => {
  if (delta.state?.current === 'complete') completedAt.set(delta.id, now());
});

export interface TimedDownload {
  id: number;
  url: string;
  /** When `downloads.onCreated` announced it (the browser had the response headers). */
  startedAt: number;
  /** When `downloads.onChanged` said complete (the moment ScanDock's own listener starts its scan). */
  completedAt: number;
}

/** Waits until a download of each URL (repeat a URL for several) created after `after` has completed. */
async function collectDownloads(args: { urls: string[]; after: number; timeoutMs: number }): Promise<TimedDownload[]> {
  const deadline = now() + args.timeoutMs;
  const found: Array<TimedDownload | undefined> = args.urls.map(() => undefined);
  for (;;) {
    args.urls.forEach((url, i) => {
      if (found[i]) return;
      const item = created.find((c) => c.url === url && c.at >= args.after && !claimed.has(c.id) && completedAt.has(c.id));
      if (!item) return;
      claimed.add(item.id);
      found[i] = { id: item.id, url, startedAt: item.at, completedAt: completedAt.get(item.id)! };
    });
    if (found.every(Boolean)) return found as TimedDownload[];
    if (now() > deadline) throw new Error(`downloads not complete within ${args.timeoutMs} ms: ${args.urls.filter((_, i) => !found[i]).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// ---- the product's read-and-hash path ------------------------------------------------------------------
export type { HashTiming };

/** What the engine's `reading` step does for a download (nothing of the bytes is kept). */
async function readAndHash(args: { url: string; expectedSize: number; maxSize: number }): Promise<HashTiming> {
  const started = performance.now();
  const { sha256, size } = await hashUrl(args.url, { fetch: (input, init) => fetch(input, init), expectedSize: args.expectedSize, maxSize: args.maxSize });
  return { ms: performance.now() - started, sha256, size };
}

/** Bytes generated here (not timed), then the product's hash of them (timed): WebCrypto, or piece by piece for large files. */
async function hashGenerated(size: number): Promise<HashTiming> {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) crypto.getRandomValues(bytes.subarray(offset, Math.min(offset + 65_536, size)));
  return timedHash(bytes);
}

// ---- the history ---------------------------------------------------------------------------------------
/** Adds records to `scans` in one transaction until it holds `total`; returns how many it added. */
async function seedHistory(args: { records: ScanRecord[]; total: number }): Promise<number> {
  const db = await database();
  const store = db.transaction('scans', 'readwrite').objectStore('scans');
  const existing = await request(store.count());
  const add = args.records.slice(0, Math.max(0, args.total - existing));
  for (const record of add) store.put(record);
  await new Promise<void>((resolve, reject) => {
    store.transaction.oncomplete = () => resolve();
    store.transaction.onerror = () => reject(store.transaction.error);
  });
  return add.length;
}

async function countRecords(): Promise<number> {
  const db = await database();
  return request(db.transaction('scans', 'readonly').objectStore('scans').count());
}

/** Everything the bench calls in the worker. */
export const workerProbe = {
  ping: async () => true,
  collectDownloads,
  waitForDownloadScans: (args: { downloadIds: number[]; timeoutMs: number }) => waitForDownloadScans(args.downloadIds, args.timeoutMs),
  /** Deletes a finished download from disk and from the browser's list. */
  forgetDownload: async (id: number) => {
    await chrome.downloads.removeFile(id).catch(() => undefined);
    await chrome.downloads.erase({ id });
  },
  setStorage: (items: Record<string, unknown>) => chrome.storage.local.set(items),
  removeStorage: (keys: string[]) => chrome.storage.local.remove(keys),
  readAndHash,
  hashGenerated,
  ...diskProbe,
  seedHistory,
  countRecords,
  now: async () => now(),
};

export type WorkerProbe = typeof workerProbe;

(globalThis as { scandockWorkerProbe?: WorkerProbe }).scandockWorkerProbe = workerProbe;
