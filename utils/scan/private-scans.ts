/**
 * Scans of downloads from private (incognito) windows leave no trace once the private session ends: their
 * records live in `storage.session` (memory, never written to disk, gone when the browser quits), never in
 * IndexedDB, so no history export holds them, and they are deleted when the last private window closes.
 * `withPrivateScans` puts them beside the IndexedDB store behind the one ScanStore the engine uses, so the
 * scheduler and the steps treat them like any other record.
 */
import { isFinished, isPaused, isPrivateScan, type ScanRecord } from './scan-record';
import type { RecordPatch, ScanStore } from './scan-store';

/** The `storage.session` key that holds every private record, by token. */
export const PRIVATE_SCANS_KEY = 'privateScans';

/** The part of a `storage.session`-like area used here. */
export interface SessionArea {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** The private records, as the pages read them (newest first). */
export async function readPrivateScans(area: Pick<SessionArea, 'get'>): Promise<ScanRecord[]> {
  const stored = (await area.get(PRIVATE_SCANS_KEY))[PRIVATE_SCANS_KEY];
  if (!stored || typeof stored !== 'object') return [];
  return Object.values(stored as Record<string, ScanRecord>).sort((a, b) => b.createdAt - a.createdAt);
}

export interface PrivateScanStore extends ScanStore {
  /** The private session ended: forget every private record; returns their tokens. */
  endPrivateSession(): Promise<string[]>;
}

/** `store` (IndexedDB) with the private records in `area` beside it. */
export function withPrivateScans(store: ScanStore, area: SessionArea, now: () => number): PrivateScanStore {
  // storage.session has no transactions: every read-modify-write runs in turn in this worker (its one writer).
  let queue: Promise<unknown> = Promise.resolve();
  function inTurn<T>(work: () => Promise<T>): Promise<T> {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  }
  async function read(): Promise<Record<string, ScanRecord>> {
    const stored = (await area.get(PRIVATE_SCANS_KEY))[PRIVATE_SCANS_KEY];
    return stored && typeof stored === 'object' ? { ...(stored as Record<string, ScanRecord>) } : {};
  }
  const write = (records: Record<string, ScanRecord>) => area.set({ [PRIVATE_SCANS_KEY]: records });
  const all = async () => Object.values(await read());
  const merged = async (fromDb: Promise<ScanRecord[]>, keep: (r: ScanRecord) => boolean) => [...(await fromDb), ...(await all()).filter(keep)];

  return {
    ...store,
    async get(token) {
      return (await read())[token] ?? store.get(token);
    },
    async add(record) {
      if (!isPrivateScan(record)) return store.add(record);
      await inTurn(async () => {
        const records = await read();
        if (records[record.token]) throw new Error(`a private scan ${record.token} exists already`);
        await write({ ...records, [record.token]: record });
      });
    },
    async patch(token, patch: RecordPatch, onlyIf) {
      // The history's records do not wait in the private records' line (a private token is added before it is patched).
      if (!(token in (await read()))) return store.patch(token, patch, onlyIf);
      return inTurn(async () => {
        const records = await read();
        const current = records[token];
        if (!current || (onlyIf && !onlyIf(current))) return undefined;
        const next: ScanRecord = { ...current, ...patch, updatedAt: Math.max(now(), current.updatedAt) };
        await write({ ...records, [token]: next });
        return next;
      });
    },
    async unfinished() {
      return (await merged(store.unfinished(), (r) => !isFinished(r))).sort((a, b) => a.createdAt - b.createdAt);
    },
    async hasUnfinished() {
      return (await store.hasUnfinished()) || (await all()).some((r) => !isFinished(r));
    },
    async queueState() {
      const [state, records] = await Promise.all([store.queueState(), all()]);
      const unfinished = records.filter((r) => !isFinished(r));
      const paused = unfinished.filter(isPaused);
      return { unfinished: state.unfinished + unfinished.length, paused: state.paused + paused.length, pausedOn: state.pausedOn ?? paused[0]?.notice?.code ?? null };
    },
    // A private record never answers a repeat: a normal scan's record must not come from the private session.
    cachedReport: (sha256, notBefore) => store.cachedReport(sha256, notBefore),
    withDownloadId: (downloadId) => merged(store.withDownloadId(downloadId), (r) => r.source.kind === 'download' && r.source.downloadId === downloadId),
    withSha256: (sha256) => merged(store.withSha256(sha256), (r) => r.sha256 === sha256),
    failedWith: (code) => merged(store.failedWith(code), (r) => r.status === 'error' && r.error?.code === code),
    async remove(token) {
      await inTurn(async () => {
        const records = await read();
        if (!records[token]) return;
        delete records[token];
        await write(records);
      });
      await store.remove(token);
    },
    async clearFinished() {
      const removed = await inTurn(async () => {
        const records = await read();
        const finished = Object.values(records).filter(isFinished);
        for (const record of finished) delete records[record.token];
        if (finished.length > 0) await write(records);
        return finished.length;
      });
      return removed + (await store.clearFinished());
    },
    endPrivateSession: () =>
      inTurn(async () => {
        const tokens = Object.keys(await read());
        await write({});
        return tokens;
      }),
  };
}
