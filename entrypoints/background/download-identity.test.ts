/**
 * Download identity: an id is not enough (Firefox restarts its numbering after every restart, Chrome may
 * reuse ids once its history is cleared). A record's download is known again by address, start time and path.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import type { ScanSource } from '@/utils/scan/scan-record';
import { alreadyScanned, deleteScannedDownload, downloadIdentity, isSameDownload, NotTheSameDownload, type DownloadsForDelete } from './download-identity';
import { createDownloadIntake } from './download-intake';
import { downloadScan } from './download-scanner';
import { DEFAULT_SETTINGS } from '@/utils/settings/storage-items';

type Item = Browser.downloads.DownloadItem;
type DownloadSource = Extract<ScanSource, { kind: 'download' }>;

function item(overrides: Partial<Item> = {}): Item {
  return {
    id: 1,
    url: 'https://example.com/setup.exe',
    finalUrl: 'https://cdn.example.com/setup.exe',
    filename: '/home/me/Downloads/setup.exe',
    startTime: '2026-11-30T10:00:00.123Z',
    endTime: '2026-11-30T10:00:02.000Z',
    state: 'complete',
    fileSize: 10,
    totalBytes: 10,
    ...overrides,
  } as Item;
}

function sourceOf(download: Item): DownloadSource {
  const scan = downloadScan(download, DEFAULT_SETTINGS, true, { id: 'own-id', origin: 'chrome-extension://own-id/' });
  if (scan?.source.kind !== 'download') throw new Error('no download scan');
  return scan.source;
}

/** `downloads` as the browser answers after a restart: `current` holds whatever now has each id. */
function downloadsStub(current: Item[]): DownloadsForDelete & { removed: number[] } {
  const removed: number[] = [];
  return {
    removed,
    search: vi.fn(async (query: Browser.downloads.DownloadQuery) => current.filter((d) => query.id === undefined || d.id === query.id)),
    removeFile: vi.fn(async (id: number) => void removed.push(id)),
  };
}

describe('what a download record keeps', () => {
  it('keeps the id with the address, the start time and the path on disk', () => {
    expect(sourceOf(item())).toMatchObject({
      kind: 'download',
      downloadId: 1,
      url: 'https://cdn.example.com/setup.exe',
      startTime: '2026-11-30T10:00:00.123Z',
      filename: '/home/me/Downloads/setup.exe',
    });
    expect(downloadIdentity(item({ finalUrl: '' }))).toMatchObject({ url: 'https://example.com/setup.exe' });
  });
});

describe('isSameDownload', () => {
  const before = item();
  const source = sourceOf(before);

  it('knows the same download again', () => {
    expect(isSameDownload(source, item())).toBe(true);
    // The same instant written another way (a browser that drops the milliseconds' zeroes, or an offset).
    expect(isSameDownload({ ...source, startTime: '2026-11-30T11:00:00.123+01:00' }, item())).toBe(true);
  });

  it('tells another download with the same id apart (a restart renumbered them)', () => {
    expect(isSameDownload(source, item({ startTime: '2026-11-30T12:00:00.000Z' }))).toBe(false);
    expect(isSameDownload(source, item({ filename: '/home/me/Downloads/other.zip' }))).toBe(false);
    expect(isSameDownload(source, item({ url: 'https://elsewhere.example/x', finalUrl: 'https://elsewhere.example/x' }))).toBe(false);
    expect(isSameDownload(source, item({ id: 2 }))).toBe(false);
  });

  it('never takes a record from before start time and path were kept for a download (its address alone names none)', () => {
    const legacy: DownloadSource = { kind: 'download', url: source.url, downloadId: 1 };
    // The same address and id: in Firefox, a new download of it after a restart.
    expect(isSameDownload(legacy, item({ startTime: '2030-01-01T00:00:00.000Z' }))).toBe(false);
    expect(isSameDownload(legacy, item())).toBe(false);
    expect(isSameDownload({ ...legacy, startTime: source.startTime }, item())).toBe(false);
    expect(alreadyScanned([{ source: legacy }], item())).toBe(false);
  });
});

describe('deleting a scanned download from disk', () => {
  const source = sourceOf(item());

  it('deletes the file when the id still names that download', async () => {
    const downloads = downloadsStub([item()]);
    await deleteScannedDownload(source, downloads);
    expect(downloads.search).toHaveBeenCalledWith({ id: 1 });
    expect(downloads.removed).toEqual([1]);
  });

  it('refuses with a clear message, deleting nothing, when the id now names another download', async () => {
    const newer = item({ url: 'https://example.org/photo.jpg', finalUrl: '', filename: '/home/me/Downloads/photo.jpg', startTime: '2026-12-01T08:00:00.000Z' });
    const downloads = downloadsStub([newer]);
    const attempt = deleteScannedDownload(source, downloads);
    await expect(attempt).rejects.toBeInstanceOf(NotTheSameDownload);
    await expect(attempt).rejects.toMatchObject({ problem: { code: 'download-not-same' } });
    expect(downloads.removeFile).not.toHaveBeenCalled();
  });

  it('refuses for a record from before its download\'s identity was kept, whatever the id now names', async () => {
    const legacy: DownloadSource = { kind: 'download', url: source.url, downloadId: 1 };
    const downloads = downloadsStub([item()]);
    await expect(deleteScannedDownload(legacy, downloads)).rejects.toMatchObject({ problem: { code: 'download-identity-unknown' } });
    expect(downloads.removeFile).not.toHaveBeenCalled();
  });

  it('refuses when the browser no longer lists the id at all', async () => {
    const downloads = downloadsStub([]);
    await expect(deleteScannedDownload(source, downloads)).rejects.toMatchObject({ problem: { code: 'download-not-same' } });
    expect(downloads.removeFile).not.toHaveBeenCalled();
  });
});

describe('a download id reused after a restart', () => {
  it('scans the new download that got an old id, and still skips a download it has scanned', async () => {
    // Before the restart download 1 was setup.exe, and was scanned.
    const records: { source: ScanSource }[] = [{ source: sourceOf(item()) }];
    // After it, Firefox numbers from 1 again: 1 is now photo.jpg.
    const photo = item({ url: 'https://example.org/photo.jpg', finalUrl: '', filename: '/home/me/Downloads/photo.jpg', startTime: '2026-12-01T08:00:00.000Z', endTime: '2026-12-01T08:00:01.000Z' });
    const downloads = downloadsStub([photo]);
    const scanned: string[] = [];
    const intake = createDownloadIntake({
      search: downloads.search,
      getWatermark: async () => Date.parse('2026-12-01T07:00:00.000Z'),
      setWatermark: async () => undefined,
      async scanIfNew(current) {
        if (alreadyScanned(records.filter((r) => r.source.kind === 'download' && r.source.downloadId === current.id), current)) return;
        scanned.push(current.filename);
        records.push({ source: sourceOf(current) });
      },
      now: () => Date.parse('2026-12-01T09:00:00.000Z'),
      onError: (error) => {
        throw error;
      },
    });
    await intake.completed(1);
    expect(scanned).toEqual(['/home/me/Downloads/photo.jpg']);
    expect(downloads.search).toHaveBeenCalledWith({ id: 1 });
    // The event again, and the start-up catch-up: the same download is not scanned twice.
    await intake.completed(1);
    await intake.catchUp();
    expect(scanned).toEqual(['/home/me/Downloads/photo.jpg']);
  });
});
