/**
 * Finished downloads and their saved files, for the engine harness: the background's own download files port
 * (entrypoints/background/download-files.ts) over a stand-in for `downloads.search` and for "Allow access to
 * file URLs", and the saved files served to `fetch('file:///…')` on the simulated network, as Chrome serves
 * them (status 200, no Content-Length; a missing file fails like a network error).
 */
import type { Browser } from 'wxt/browser';
import { createDownloadFiles, createSavedFileExists } from '@/entrypoints/background/download-files';
import type { DownloadSource } from '@/utils/scan/scan-record';
import type { DownloadFiles } from '@/utils/scan/steps/source-reader';
import type { RequestHandler } from './sim/sim-network';

type DownloadItem = Browser.downloads.DownloadItem;

/** "Allow access to file URLs" in Chrome: on or off; 'never' is Firefox, which gives extensions no file access. */
export type FileAccess = 'on' | 'off' | 'never';

/** Where the stand-in browser saves downloads. */
export const DOWNLOADS_DIR = '/home/me/Downloads';

export interface FakeDownloads {
  access: FileAccess;
  /** The browser finished downloading `bytes` from `url` into DOWNLOADS_DIR/`name`: its list and the disk say so. */
  save(init: { id: number; url: string; name: string; bytes: Uint8Array }): DownloadItem;
  /** Writes a file on disk (a saved file changed after its download). */
  write(path: string, bytes: Uint8Array): void;
  /**
   * Removes a file from disk (moved, renamed or deleted). `browserNoticed` false: the browser's list still
   * says it exists, as Chrome's does until it checks again.
   */
  remove(path: string, options?: { browserNoticed?: boolean }): void;
  /** The browser forgets a download (its id may then name another). */
  erase(id: number): void;
  /** Gives `id` to another download, as Chrome may once its history is cleared. */
  reuseId(id: number, item: Partial<DownloadItem>): void;
  /** Reads of saved files so far. */
  reads(): number;
  /** The port the engine is given. */
  port: DownloadFiles;
  /** Whether a download's saved file is still there (the second looks' port). */
  exists(source: DownloadSource): Promise<boolean>;
  /** Answers `file:` requests on the simulated network. */
  handle: RequestHandler;
}

export function createFakeDownloads(access: FileAccess = 'on'): FakeDownloads {
  const files = new Map<string, Uint8Array>();
  const items = new Map<number, DownloadItem>();
  const stale = new Set<string>();
  let reads = 0;
  const startTime = (id: number) => new Date(Date.UTC(2026, 10, 25, 11, 0, 0) + id).toISOString();

  async function search(query: Browser.downloads.DownloadQuery): Promise<DownloadItem[]> {
    const item = query.id === undefined ? undefined : items.get(query.id);
    return item ? [{ ...item, exists: files.has(item.filename) || stale.has(item.filename) }] : [];
  }

  const fake: FakeDownloads = {
    access,
    save({ id, url, name, bytes }) {
      const filename = `${DOWNLOADS_DIR}/${name}`;
      files.set(filename, bytes.slice());
      const item = {
        id, url, finalUrl: url, filename, startTime: startTime(id), endTime: startTime(id + 1), state: 'complete', exists: true,
        fileSize: bytes.byteLength, totalBytes: bytes.byteLength, bytesReceived: bytes.byteLength, danger: 'safe', mime: 'application/octet-stream',
      } as DownloadItem;
      items.set(id, item);
      return item;
    },
    write(path, bytes) {
      files.set(path, bytes.slice());
      stale.delete(path);
    },
    remove(path, { browserNoticed = true } = {}) {
      files.delete(path);
      if (!browserNoticed) stale.add(path);
    },
    erase: (id) => void items.delete(id),
    reuseId(id, item) {
      items.set(id, { ...items.get(id)!, ...item, id });
    },
    reads: () => reads,
    port: createDownloadFiles({
      platform: { get readsDownloadsFromDisk() { return fake.access !== 'never'; } },
      fileAccess: async () => fake.access === 'on',
      search,
    }),
    exists: createSavedFileExists(search),
    handle(request) {
      const path = decodeURIComponent(new URL(request.url).pathname);
      const bytes = files.get(path);
      if (!bytes) throw new TypeError('fetch failed', { cause: new Error(`no file at ${path}`) });
      reads++;
      return new Response(bytes.slice(), { status: 200, headers: { 'content-type': 'application/octet-stream' } });
    },
  };
  return fake;
}
