/**
 * What every end-to-end file starts from: the VirusTotal emulator, a local site to download from, and
 * the extension built against that emulator, loaded in one headless Chromium for the whole file.
 */
import type { Locator, Page, Worker } from 'playwright-core';
import type { Settings } from '../../utils/settings/storage-items';
import { DEMO_API_KEY, startVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { launchExtension, withTimeout, type ExtensionBrowser } from '../support/extension-browser';
import { startFileServer, type FileServer } from '../support/file-server';

/** The part of the extension's `chrome` global these helpers call inside the worker. */
interface WorkerChrome {
  storage: { local: { set(items: Record<string, unknown>): Promise<void>; get(keys: string[]): Promise<Record<string, unknown>> } };
}
// Module-scoped: used only inside functions passed to `worker.evaluate`, which run in the worker.
declare const chrome: WorkerChrome;

/** For `expect.poll` on the DOM: the popup re-reads records every second and the key state every 3 s. */
export const SOON = { timeout: 10_000 } as const;

export interface Suite {
  emulator: VirusTotalEmulator;
  site: FileServer;
  ext: ExtensionBrowser;
  /** Serve `bytes` at `/files/<name>` (then `thenBytes` to every later request, if given) and download it; resolves with the download id. */
  download(name: string, bytes: Uint8Array, thenBytes?: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** Starts the emulator and the site, builds the extension against the emulator and launches it (in `language`, if given). */
export async function startSuite(name: string, emulatorOptions: EmulatorOptions = {}, { language }: { language?: string } = {}): Promise<Suite> {
  const emulator = await startVirusTotalEmulator(emulatorOptions);
  const site = await startFileServer();
  let ext: ExtensionBrowser;
  try {
    ext = await launchExtension({ vtApiUrl: emulator.baseUrl, name: `e2e-${name}`, language });
  } catch (error) {
    await Promise.all([emulator.close(), site.close()]);
    throw error;
  }
  return {
    emulator,
    site,
    ext,
    download(fileName, bytes, thenBytes) {
      return ext.download(site.serve(filePath(site, fileName), { body: bytes, ...(thenBytes ? { thenBody: thenBytes } : {}) }));
    },
    async close() {
      await ext.close();
      await Promise.all([emulator.close(), site.close()]);
    },
  };
}

/** `/files/<name>` as the server will see it (the URL parser percent-encodes what needs it). */
export function filePath(site: FileServer, fileName: string): string {
  return new URL(`${site.origin}/files/${encodeURIComponent(fileName)}`).pathname;
}

/** Writes chrome.storage.local in the worker (a shortcut for setup; the key is saved through the options page in options.e2e.ts). */
export async function setStorage(worker: Worker, items: Record<string, unknown>): Promise<void> {
  await withTimeout(worker.evaluate((values) => chrome.storage.local.set(values), items), 10_000, 'chrome.storage.local.set');
}

/** Reads chrome.storage.local keys in the worker. */
export function getStorage(worker: Worker, keys: string[]): Promise<Record<string, unknown>> {
  return withTimeout(worker.evaluate((k) => chrome.storage.local.get(k), keys), 10_000, 'chrome.storage.local.get');
}

/** A saved key VirusTotal accepted, without spending a request on checking it. */
export function useAcceptedKey(worker: Worker, apiKey = DEMO_API_KEY): Promise<void> {
  return setStorage(worker, { apiKey, keyStatus: 'valid' });
}

/** Replaces the stored settings with `settings` (missing keys take their defaults). */
export function useSettings(worker: Worker, settings: Partial<Settings>): Promise<void> {
  return setStorage(worker, { settings });
}

/** The popup's row for a scan. */
export function row(popup: Page, token: string): Locator {
  return popup.locator(`li[data-token="${token}"]`);
}

/** Requests the emulator answered with `status`. */
export function answered(emulator: VirusTotalEmulator, status: number): number {
  return emulator.requests.filter((r) => r.status === status).length;
}

/** File lookups (`GET /files/{hash}`) the emulator received. */
export function lookups(emulator: VirusTotalEmulator): number {
  return emulator.requests.filter((r) => r.method === 'GET' && /^\/api\/v3\/files\/[0-9a-f]{64}$/.test(r.path)).length;
}
