/** Which finished downloads are scanned: ScanDock's own (history exports) never are, and leave no record. */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { DEFAULT_SETTINGS } from '@/utils/settings/storage-items';
import { downloadScan, isOwnDownload } from './download-scanner';

type Item = Browser.downloads.DownloadItem;

const CHROME = { id: 'abcdefghijklmnopabcdefghijklmnop', origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/' };
const FIREFOX = { id: 'scandock@scandock.dev', origin: 'moz-extension://0f9c3d1e-8a7b-4c2d-9e1f-123456789abc/' };

function item(overrides: Partial<Item>): Item {
  return {
    id: 7, url: 'https://example.com/a.zip', finalUrl: 'https://example.com/a.zip', filename: '/home/me/Downloads/a.zip',
    startTime: '2026-11-30T10:00:00.000Z', state: 'complete', fileSize: 10, totalBytes: 10, danger: 'safe', mime: 'application/zip',
    ...overrides,
  } as Item;
}

describe("ScanDock's own downloads", () => {
  it.each([
    ['a history export from the options page (Chrome)', CHROME, { url: `blob:${CHROME.origin}5111974b-0fda-4364-a460-47111edc6d7c`, finalUrl: `blob:${CHROME.origin}5111974b-0fda-4364-a460-47111edc6d7c` }],
    ['a history export from the options page (Firefox)', FIREFOX, { url: `blob:${FIREFOX.origin}9d0e`, finalUrl: `blob:${FIREFOX.origin}9d0e` }],
    ['a file of its own package', CHROME, { url: `${CHROME.origin}docs/readme.txt`, finalUrl: `${CHROME.origin}docs/readme.txt` }],
    ['a download it started itself', CHROME, { byExtensionId: CHROME.id }],
  ])('are never scanned: %s', (_what, own, overrides) => {
    const download = item(overrides);
    expect(isOwnDownload(download, own)).toBe(true);
    expect(downloadScan(download, DEFAULT_SETTINGS, true, own)).toBeNull();
  });

  it.each([
    ['a blob: download made by a web page', { url: 'blob:https://drive.example.com/5111974b', finalUrl: 'blob:https://drive.example.com/5111974b' }],
    ['a download another extension made from its own pages', { url: 'blob:chrome-extension://zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz/1', byExtensionId: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' }],
    ['a data: download', { url: 'data:text/plain,hi', finalUrl: 'data:text/plain,hi' }],
  ])('while every other download is: %s', (_what, overrides) => {
    const download = item(overrides);
    expect(isOwnDownload(download, CHROME)).toBe(false);
    expect(downloadScan(download, DEFAULT_SETTINGS, true, CHROME)?.source).toMatchObject({ kind: 'download', downloadId: 7, url: download.finalUrl || download.url });
  });
});

describe('a download from a private window', () => {
  it('is marked incognito on its source (kept for the private session only); a normal one is not', () => {
    expect(downloadScan(item({ incognito: true }), DEFAULT_SETTINGS, true, CHROME)?.source).toMatchObject({ incognito: true });
    expect(downloadScan(item({ incognito: false }), DEFAULT_SETTINGS, true, CHROME)?.source).not.toHaveProperty('incognito');
  });
});

describe('exclusions', () => {
  const excluding = (patch: Partial<typeof DEFAULT_SETTINGS>) => ({ ...DEFAULT_SETTINGS, ...patch });

  it.each([
    ['its address', { url: 'https://files.intranet.example/a.zip', finalUrl: 'https://files.intranet.example/a.zip' }],
    ['where it was redirected to', { url: 'https://example.com/a.zip', finalUrl: 'https://cdn.intranet.example/a.zip' }],
    ['the page it was started on', { referrer: 'https://wiki.intranet.example/page' }],
    ['the page that made a blob: file', { url: 'blob:https://app.intranet.example/1234', finalUrl: 'blob:https://app.intranet.example/1234' }],
  ])('a download from an excluded site is not scanned: %s', (_what, overrides) => {
    expect(downloadScan(item(overrides), excluding({ excludedSites: ['*.intranet.example'] }), true, CHROME)).toBeNull();
  });

  it('other sites, and excluded types only, are as before', () => {
    const settings = excluding({ excludedSites: ['*.intranet.example'], excludedTypes: ['iso'] });
    expect(downloadScan(item({}), settings, true, CHROME)).not.toBeNull();
    expect(downloadScan(item({ filename: '/home/me/Downloads/disk.ISO' }), settings, true, CHROME)).toBeNull();
    expect(downloadScan(item({ url: 'https://intranet.example.org/a.zip', finalUrl: 'https://intranet.example.org/a.zip' }), settings, true, CHROME)).not.toBeNull();
  });
});
