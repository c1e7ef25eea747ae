/**
 * Auto-delete: off by default; only a download, only the engines' verdict on its file, only at the person's
 * number of engines, and only after the browser confirms the id still names that download.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { scanRecordFixture } from '@/utils/ui/scan-record-fixture';
import { DEFAULT_SETTINGS } from '@/utils/settings/storage-items';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { autoDeleteIfDetected, autoDeleteTarget } from './auto-delete';

type Item = Browser.downloads.DownloadItem;

const SOURCE = { kind: 'download' as const, url: 'https://example.com/bad.exe', downloadId: 4, startTime: '2026-11-30T10:00:00.000Z', filename: '/home/me/Downloads/bad.exe' };
const ON = { autoDelete: true, autoDeleteMinEngines: 3 };

function detected(malicious: number, overrides: Partial<ScanRecord> = {}): ScanRecord {
  const base = scanRecordFixture();
  return scanRecordFixture({ verdict: 'malicious', detected: true, source: SOURCE, stats: { ...base.stats!, malicious }, ...overrides });
}

function browserHolding(items: Partial<Item>[]) {
  const removed: number[] = [];
  return {
    removed,
    search: vi.fn(async ({ id }: Browser.downloads.DownloadQuery) => items.filter((i) => i.id === id) as Item[]),
    removeFile: vi.fn(async (id: number) => void removed.push(id)),
  };
}
const SAME = { id: 4, url: SOURCE.url, finalUrl: SOURCE.url, startTime: SOURCE.startTime, filename: SOURCE.filename, state: 'complete' as const, exists: true };

describe('delete detected downloads automatically', () => {
  it('is off by default, with a cautious number of engines', () => {
    expect(DEFAULT_SETTINGS.autoDelete).toBe(false);
    expect(DEFAULT_SETTINGS.autoDeleteMinEngines).toBeGreaterThanOrEqual(3);
    expect(autoDeleteTarget(detected(60), DEFAULT_SETTINGS)).toBeNull();
  });

  it('takes only a download the engines detected at the person’s number', () => {
    expect(autoDeleteTarget(detected(3), ON)).toEqual(SOURCE);
    expect(autoDeleteTarget(detected(2), ON)).toBeNull();
    expect(autoDeleteTarget(detected(9, { source: { kind: 'file', stagedFileId: 'x' } }), ON)).toBeNull();
    expect(autoDeleteTarget(detected(9, { source: { kind: 'link', url: SOURCE.url } }), ON)).toBeNull();
    expect(autoDeleteTarget(detected(9, { verdictFor: 'address' }), ON)).toBeNull();
    expect(autoDeleteTarget(detected(9, { status: 'error' }), ON)).toBeNull();
  });

  it('removes the file once the browser confirms the id still names that download, and says why', async () => {
    const downloads = browserHolding([SAME]);
    const outcome = await autoDeleteIfDetected(detected(5), { settings: async () => ON, downloads });
    expect(outcome).toEqual({ kind: 'deleted', malicious: 5, minEngines: 3 });
    expect(downloads.removed).toEqual([4]);
  });

  it('leaves a file whose id now names another download, and says so', async () => {
    const downloads = browserHolding([{ ...SAME, filename: '/home/me/Downloads/holiday.jpg', startTime: '2026-12-01T09:00:00.000Z' }]);
    const outcome = await autoDeleteIfDetected(detected(5), { settings: async () => ON, downloads });
    expect(outcome).toMatchObject({ kind: 'failed', problem: { code: 'download-not-same' } });
    expect(downloads.removed).toEqual([]);
  });

  it('touches nothing when it is off or the verdict is below the number', async () => {
    const downloads = browserHolding([SAME]);
    expect(await autoDeleteIfDetected(detected(50), { settings: async () => ({ ...ON, autoDelete: false }), downloads })).toEqual({ kind: 'left' });
    expect(await autoDeleteIfDetected(detected(2), { settings: async () => ON, downloads })).toEqual({ kind: 'left' });
    expect(downloads.search).not.toHaveBeenCalled();
  });
});
