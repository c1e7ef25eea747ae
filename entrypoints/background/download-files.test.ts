/**
 * The download files port: a download's saved file is offered for reading only where the browser allows
 * file access, still calls the id this download, and says the file exists; otherwise it says why not.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { createDownloadFiles } from './download-files';
import { downloadIdentity } from './download-identity';
import type { DownloadSource } from '@/utils/scan/scan-record';

type Item = Browser.downloads.DownloadItem;

const ITEM = {
  id: 4, url: 'blob:https://drive.example.com/5111974b', finalUrl: 'blob:https://drive.example.com/5111974b', filename: '/home/me/Downloads/report 1.pdf',
  startTime: '2026-11-30T10:00:00.000Z', state: 'complete', exists: true, fileSize: 1234, totalBytes: 1234, bytesReceived: 1234,
} as Item;
const SOURCE: DownloadSource = { kind: 'download', downloadId: 4, ...downloadIdentity(ITEM), expectedSize: 1234 };

function port(options: { disk?: boolean; access?: boolean; items?: Item[] } = {}) {
  const search = vi.fn(async (query: Browser.downloads.DownloadQuery) => (options.items ?? [ITEM]).filter((i) => i.id === query.id));
  const fileAccess = vi.fn(async () => options.access ?? true);
  return { files: createDownloadFiles({ platform: { readsDownloadsFromDisk: options.disk ?? true }, fileAccess, search }), search, fileAccess };
}

describe('where a download’s saved file is', () => {
  it('gives its file: address and the download’s size', async () => {
    expect(await port().files(SOURCE)).toEqual({ url: 'file:///home/me/Downloads/report%201.pdf', size: 1234 });
  });

  it('takes the bytes received when the browser does not know the file size', async () => {
    expect(await port({ items: [{ ...ITEM, fileSize: -1, bytesReceived: 99 }] }).files(SOURCE)).toMatchObject({ size: 99 });
  });

  it('Firefox: never, without asking anything', async () => {
    const { files, search, fileAccess } = port({ disk: false });
    expect(await files(SOURCE)).toEqual({ code: 'disk-unsupported', params: {} });
    expect(fileAccess).not.toHaveBeenCalled();
    expect(search).not.toHaveBeenCalled();
  });

  it('never reads a file for a record from before its download\'s identity was kept', async () => {
    const legacy: DownloadSource = { kind: 'download', downloadId: 4, url: ITEM.url };
    expect(await port().files(legacy)).toEqual({ code: 'disk-file-moved', params: {} });
  });

  it('without file access: says so', async () => {
    expect(await port({ access: false }).files(SOURCE)).toEqual({ code: 'disk-access-off', params: {} });
  });

  it.each([
    ['the browser no longer lists it', []],
    ['the file is gone', [{ ...ITEM, exists: false }]],
    ['the id names another download now', [{ ...ITEM, url: 'https://other.example/x', finalUrl: 'https://other.example/x', filename: '/home/me/Downloads/x' }]],
    ['the download started at another time', [{ ...ITEM, startTime: '2026-12-01T10:00:00.000Z' }]],
    ['it is not complete', [{ ...ITEM, state: 'interrupted' }]],
  ] as Array<[string, Item[]]>)('says the file moved when %s', async (_why, items) => {
    expect(await port({ items }).files(SOURCE)).toEqual({ code: 'disk-file-moved', params: {} });
  });
});
