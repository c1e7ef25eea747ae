/**
 * What every Firefox end-to-end file starts from: the VirusTotal emulator, a local site to download from,
 * and the extension built against that emulator, installed in one headless Firefox for the whole file.
 */
import { DEMO_API_KEY, startVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { startFileServer, type FileServer } from '../support/file-server';
import { launchFirefoxExtension, setFirefoxStorage, type FirefoxDownload, type FirefoxExtension, type FirefoxPage } from '../support/firefox-browser';
import { filePath } from '../e2e/suite';

export { filePath };

/** For polling what a page shows: the popup re-reads records as the background announces them, the key state every 3 s. */
export const SOON = { timeout: 15_000, interval: 200 } as const;

export interface FirefoxSuite {
  emulator: VirusTotalEmulator;
  site: FileServer;
  ext: FirefoxExtension;
  /** Serve `bytes` at `/files/<name>` and download it from a web page; resolves with the finished download. */
  download(name: string, bytes: Uint8Array): Promise<FirefoxDownload>;
  close(): Promise<void>;
}

/** Starts the emulator and the site, builds the extension against the emulator and installs it in Firefox. */
export async function startFirefoxSuite(
  name: string,
  options: { emulator?: EmulatorOptions; permanent?: boolean; welcomePage?: 'close' | 'keep'; prefs?: Record<string, string | number | boolean> } = {},
): Promise<FirefoxSuite> {
  const emulator = await startVirusTotalEmulator(options.emulator ?? {});
  const site = await startFileServer();
  site.serve('/', { body: new TextEncoder().encode('<!doctype html><title>Downloads</title><h1>Downloads</h1>'), contentType: 'text/html' });
  let ext: FirefoxExtension;
  try {
    ext = await launchFirefoxExtension({ vtApiUrl: emulator.baseUrl, name: `e2e-firefox-${name}`, permanent: options.permanent, welcomePage: options.welcomePage, prefs: options.prefs });
  } catch (error) {
    await Promise.all([emulator.close(), site.close()]);
    throw error;
  }
  return {
    emulator,
    site,
    ext,
    download: (fileName, bytes) => ext.download(site.serve(filePath(site, fileName), { body: bytes }), site.origin),
    async close() {
      await ext.close();
      await Promise.all([emulator.close(), site.close()]);
    },
  };
}

/** A saved key VirusTotal accepted, without spending a request on checking it. */
export async function useAcceptedKey(ext: FirefoxExtension, apiKey = DEMO_API_KEY): Promise<void> {
  await setFirefoxStorage(await ext.probe(), { apiKey, keyStatus: 'valid' });
}

/** The popup's row for a scan. */
export const rowOf = (token: string) => `li[data-token="${token}"]`;

/** Polls `read` until `accept` holds; returns the last value read. Fails with what was seen. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, { timeout = 15_000, interval = 200, what = 'the page' } = {}): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Text of the first element of `selector` inside the row of `token`. */
export function rowText(page: FirefoxPage, token: string, selector = ''): Promise<string | null> {
  return page.text(`${rowOf(token)} ${selector}`.trim());
}
