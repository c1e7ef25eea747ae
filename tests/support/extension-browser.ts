/**
 * The built extension in Debian's Chromium, headless: build it against a VirusTotal base URL, launch a
 * persistent context with it loaded, and reach its service worker, popup and options page. Shared by the
 * end-to-end tests, the benchmark and the demo. The recipe is /work/shared/browser-testing.md.
 */
import { execFile } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { LANE_PACKAGES, requirePackages } from './browser-packages';

/** The repository root (this file is tests/support/extension-browser.ts). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's chromium; Playwright's own browser download does not work offline. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The popup's size as the browser shows it (entrypoints/popup/style.css). */
export const POPUP_VIEWPORT = { width: 400, height: 600 } as const;

/** The part of the extension's `chrome` global that code run in the worker uses here. */
interface WorkerChrome {
  downloads: { search(query: object): Promise<DownloadItem[]> };
  extension: { isAllowedFileSchemeAccess(): Promise<boolean>; isAllowedIncognitoAccess(): Promise<boolean> };
  windows: { create(data: { incognito: boolean; url: string }): Promise<{ id?: number }>; remove(id: number): Promise<void> };
}

/** Site access as chrome://extensions' menu sets it: "On click" withholds host access, "On all sites" gives it. */
export type SiteAccess = 'ON_CLICK' | 'ON_ALL_SITES';

/** chrome://extensions' own API (what its toggles call), available to that page. */
interface ExtensionsPageChrome {
  developerPrivate: {
    updateProfileConfiguration(update: { inDeveloperMode: boolean }): Promise<void>;
    updateExtensionConfiguration(update: { extensionId: string; fileAccess?: boolean; hostAccess?: SiteAccess; incognitoAccess?: boolean }): Promise<void>;
  };
}

/** The fields of `chrome.downloads.DownloadItem` used here. */
interface DownloadItem {
  id: number;
  url: string;
  finalUrl: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  error?: string;
  incognito: boolean;
}
// Module-scoped: only functions passed to `worker.evaluate` use it, and they run in the worker.
declare const chrome: WorkerChrome;

/** Rejects with a readable error when `promise` takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface BuildOptions {
  /** The VirusTotal API base baked into the build, e.g. the emulator's `baseUrl`. */
  vtApiUrl: string;
  /** Where WXT writes; the extension is in `<outDir>/chrome-mv3`. Keep it per suite so suites don't collide. */
  outDir: string;
}

/**
 * Builds the Chrome MV3 extension with `WXT_VT_API_URL` set (wxt.config.ts reads it at config load).
 * WXT runs in a child process so its Vite never meets the test runner's, and `.output/` is left alone.
 * Returns the folder to load.
 */
export async function buildExtension({ vtApiUrl, outDir }: BuildOptions): Promise<string> {
  const absOut = path.resolve(REPO_ROOT, outDir);
  const script = `import { build } from 'wxt'; await build({ outDir: ${JSON.stringify(absOut)} });`;
  await new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: REPO_ROOT, env: { ...process.env, WXT_VT_API_URL: vtApiUrl }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`wxt build failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve()),
    );
  });
  const dir = path.join(absOut, 'chrome-mv3');
  await access(path.join(dir, 'manifest.json'));
  return dir;
}

export interface LaunchOptions {
  /** Build against this VirusTotal base URL (ignored when `extensionDir` is given). */
  vtApiUrl?: string;
  /** Load this built chrome-mv3 folder instead of building. */
  extensionDir?: string;
  /** Names the build folder `tests/artifacts/build-<name>`; default 'e2e'. */
  name?: string;
  /** Default true. */
  headless?: boolean;
  /**
   * The browser's UI language, e.g. 'ko': what `chrome.i18n` picks the messages and `getUILanguage()` by.
   * Chromium on Linux reads it from the environment (`--lang` alone changes the messages but not the latter).
   */
  language?: string;
  /** Start on this profile (a browser restart) instead of a fresh one (an install); it is kept on `close()`. */
  profileDir?: string;
  /**
   * ScanDock opens its first-run page on install. 'close' (the default) waits for that tab on a fresh profile
   * and closes it, so it neither keeps the worker busy nor sits among a test's pages; 'keep' leaves it open.
   */
  welcomePage?: 'close' | 'keep';
}

/** The first-run page's address, without the extension's origin (utils/first-run/first-run.ts). */
export const WELCOME_PAGE = 'welcome.html';

/** A running Chromium with the extension loaded. */
export interface ExtensionBrowser {
  context: BrowserContext;
  /** The service worker handle as last seen; after `stopWorker()` calls on it hang until a new worker runs: use `getWorker()`. */
  readonly worker: Worker;
  extensionId: string;
  /** Where downloads land, under the names the browser chose. */
  downloadsDir: string;
  /** The live service worker; waits (up to `timeoutMs`) for one to answer. After a stop, wake it first (open a page). */
  getWorker(timeoutMs?: number): Promise<Worker>;
  /** popup.html in a 400 × 600 tab. */
  openPopup(): Promise<Page>;
  /** options.html in a tab. */
  openOptions(): Promise<Page>;
  /** Stops the service worker the way Chrome does when it is idle; the next event starts a fresh one. */
  stopWorker(): Promise<void>;
  /** Downloads `url` by clicking a link to it in a web page; resolves with the download id once complete. */
  download(url: string): Promise<number>;
  /**
   * Opens `pageUrl` and clicks `selector` there (a link a page script made a blob: address for, a form's
   * button); resolves with the id of the download that click started, once complete.
   */
  downloadFromPage(pageUrl: string, selector: string): Promise<number>;
  /**
   * Switches "Allow access to file URLs" for ScanDock as a person does on its details page (developer mode
   * on, as Chrome needs for an extension loaded unpacked to survive the reload the switch causes); resolves
   * once a new worker runs with that access. Chrome reloads the extension: its open pages close.
   */
  setFileAccess(allowed: boolean): Promise<void>;
  /**
   * Switches "Allow in Incognito" for ScanDock as a person does on its details page; resolves once a new
   * worker runs with it (Chrome reloads the extension: its open pages close).
   */
  setIncognitoAccess(allowed: boolean): Promise<void>;
  /**
   * Opens `pageUrl` in a new private (incognito) window and clicks `selector` there; resolves with the id of the
   * download that click started, once complete, and the window's id. Needs `setIncognitoAccess(true)`.
   */
  downloadInPrivateWindow(pageUrl: string, selector: string): Promise<{ downloadId: number; windowId: number }>;
  /** Closes a window (`windows.remove`), as a person closing it. */
  closeWindow(windowId: number): Promise<void>;
  /** Sets ScanDock's site access as a person does on chrome://extensions (no reload: `permissions.onAdded`/`onRemoved` fire). */
  setSiteAccess(hostAccess: SiteAccess): Promise<void>;
  /** The tab at `file` (e.g. WELCOME_PAGE) once one is open, waiting up to `timeoutMs`. */
  pageAt(file: string, timeoutMs?: number): Promise<Page>;
  /** The profile folder (pass it as `profileDir` to start the browser again on it). */
  profileDir: string;
  /** Closes the browser and removes its downloads, and its profile unless it was given or `keepProfile` is set. */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/** The flags every test's Chromium starts with (the idle lane's launcher adds its own). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  // Without these Chromium keeps dialling hosts this machine cannot reach.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Builds (unless `extensionDir` is given) and launches Chromium with the extension; resolves once its worker runs. */
export async function launchExtension(options: LaunchOptions = {}): Promise<ExtensionBrowser> {
  requireChromiumPackages(options.language);
  let extensionDir = options.extensionDir;
  if (!extensionDir) {
    if (!options.vtApiUrl) throw new Error('launchExtension needs vtApiUrl (to build) or extensionDir');
    extensionDir = await buildExtension({ vtApiUrl: options.vtApiUrl, outDir: `tests/artifacts/build-${options.name ?? 'e2e'}` });
  }
  const freshProfile = !options.profileDir;
  const userDataDir = options.profileDir ?? (await mkdtemp(path.join(tmpdir(), 'scandock-profile-')));
  const downloadsDir = await mkdtemp(path.join(tmpdir(), 'scandock-downloads-'));
  const language = options.language;
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    acceptDownloads: true,
    downloadsPath: downloadsDir,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...(language ? [`--lang=${language}`] : [])],
    ...(language ? { env: { ...process.env, LANGUAGE: language, LANG: `${language}.UTF-8`, LC_ALL: `${language}.UTF-8` } } : {}),
  });
  try {
    const first = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }));
    const extensionId = new URL(first.url()).host;
    const browser = context.browser();
    if (!browser) throw new Error('Playwright gave no browser for the persistent context (needed for CDP)');
    const cdp: CDPSession = await browser.newBrowserCDPSession();
    // Playwright saves downloads under GUID names; a person's browser keeps the real name, which the
    // extension reads (file type exclusions, the name shown in the popup). 'allow' keeps the real name.
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadsDir, eventsEnabled: false });
    const handle = createHandle({ context, cdp, extensionId, first, downloadsDir, userDataDir, keepProfile: !freshProfile });
    // Installed now: the first-run page opens (once per profile). Other tests start without it.
    if (freshProfile && options.welcomePage !== 'keep') await (await handle.pageAt(WELCOME_PAGE, 30_000)).close();
    return handle;
  } catch (error) {
    await context.close().catch(() => undefined);
    await removeDirs(downloadsDir, ...(freshProfile ? [userDataDir] : []));
    throw error;
  }
}

/** Debian's Chromium, and for a UI language other than English its locales and CJK fonts; not for a `CHROMIUM_PATH` of one's own. */
function requireChromiumPackages(language: string | undefined): void {
  if (process.env.CHROMIUM_PATH) return;
  requirePackages(LANE_PACKAGES.chromium, 'The Chromium lane');
  if (language && !language.startsWith('en')) requirePackages(LANE_PACKAGES.chromiumKorean, `Chromium in the '${language}' UI language`);
}

function removeDirs(...dirs: string[]): Promise<unknown> {
  return Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}

interface HandleParts {
  context: BrowserContext;
  cdp: CDPSession;
  extensionId: string;
  first: Worker;
  downloadsDir: string;
  userDataDir: string;
  /** The profile was given: a later start uses it again. */
  keepProfile: boolean;
}

function createHandle({ context, cdp, extensionId, first, downloadsDir, userDataDir, keepProfile }: HandleParts): ExtensionBrowser {
  const origin = `chrome-extension://${extensionId}`;
  let current = first;

  const ours = () => context.serviceWorkers().filter((w) => w.url().startsWith(`${origin}/`));

  /**
   * Playwright (1.65) fires no event for a restarted worker; it reconnects the handle it has to the new
   * one. A call made while the worker is stopped never answers, so each try has a short timeout.
   */
  async function getWorker(timeoutMs = 15_000): Promise<Worker> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const candidate of ours().reverse()) {
        try {
          await withTimeout(candidate.evaluate(() => true), 2_000, 'service worker');
          current = candidate;
          return candidate;
        } catch {
          // Stopped, or not started again yet: try again below.
        }
      }
      if (Date.now() > deadline) throw new Error(`no live ScanDock service worker within ${timeoutMs} ms`);
      await delay(200);
    }
  }

  async function workerTargets(): Promise<string[]> {
    const { targetInfos } = await cdp.send('Target.getTargets');
    return targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith(`${origin}/`)).map((t) => t.targetId);
  }

  async function searchDownloads(): Promise<DownloadItem[]> {
    const worker = await getWorker();
    return withTimeout(worker.evaluate(() => chrome.downloads.search({})), 10_000, 'downloads.search');
  }

  /** Runs `act` in a chrome://extensions tab, whose page may call chrome.developerPrivate (what its switches call). */
  async function onExtensionsPage(act: (page: Page) => Promise<unknown>): Promise<void> {
    const page = await context.newPage();
    try {
      await page.goto('chrome://extensions');
      await act(page);
    } finally {
      await page.close();
    }
  }

  /** Changes ScanDock's configuration on chrome://extensions (developer mode on, as reloading an unpacked extension needs). */
  async function configure(update: { fileAccess?: boolean; incognitoAccess?: boolean }): Promise<void> {
    await onExtensionsPage(async (page) => {
      await page.evaluate(
        async ([extensionId, change]) => {
          const api = (globalThis as unknown as { chrome: ExtensionsPageChrome }).chrome.developerPrivate;
          await api.updateProfileConfiguration({ inDeveloperMode: true });
          await api.updateExtensionConfiguration({ extensionId, ...change });
        },
        [extensionId, update] as const,
      );
    });
  }

  /** Waits (20 s at most) until a live worker says `read()` is `wanted`. */
  async function untilWorkerSays(what: string, read: () => Promise<boolean>, wanted: boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const worker = await getWorker().catch(() => null);
      const now = worker && (await withTimeout(worker.evaluate(read), 2_000, what).catch(() => null));
      if (now === wanted) return;
      if (Date.now() > deadline) throw new Error(`${what} did not become ${wanted} within 20 s`);
      await delay(200);
    }
  }

  /** Waits for the first download not in `known` that `matches` to complete; resolves with its id. */
  async function completedDownload(what: string, known: ReadonlySet<number>, matches: (item: DownloadItem) => boolean): Promise<number> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const item = (await searchDownloads()).find((i) => !known.has(i.id) && matches(i));
      if (item?.state === 'complete') return item.id;
      if (item?.state === 'interrupted') throw new Error(`download of ${what} was interrupted: ${item.error ?? 'no reason given'}`);
      if (Date.now() > deadline) throw new Error(`download of ${what} did not complete within 15 s`);
      await delay(100);
    }
  }

  /** Runs `start` in a new web page and waits for the download it starts (the first new one matching `matches`). */
  async function downloadBy(what: string, start: (page: Page) => Promise<void>, matches: (item: DownloadItem) => boolean = () => true): Promise<number> {
    const known = new Set((await searchDownloads()).map((item) => item.id));
    const page = await context.newPage();
    try {
      await start(page);
      return await completedDownload(what, known, matches);
    } finally {
      await page.close();
    }
  }

  async function openPage(file: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    await page.goto(`${origin}/${file}`);
    return page;
  }

  return {
    context,
    get worker() {
      return current;
    },
    extensionId,
    downloadsDir,
    getWorker,
    openPopup: () => openPage('popup.html', POPUP_VIEWPORT),
    openOptions: () => openPage('options.html'),
    async stopWorker() {
      const stopped = await workerTargets();
      for (const targetId of stopped) await cdp.send('Target.closeTarget', { targetId });
      // A page that messages the background may start a fresh worker at once: wait only for these to go.
      const deadline = Date.now() + 10_000;
      while ((await workerTargets()).some((id) => stopped.includes(id))) {
        if (Date.now() > deadline) throw new Error('the service worker did not stop within 10 s');
        await delay(100);
      }
    },
    async download(url) {
      const href = new URL(url).href;
      // A person's click on a link in a web page: ScanDock skips downloads it starts itself (history exports).
      return downloadBy(url, async (page) => {
        await page.evaluate((target) => {
          const link = document.createElement('a');
          link.href = target;
          link.download = '';
          link.textContent = 'download';
          document.body.append(link);
        }, href);
        await page.click('a');
      }, (item) => item.url === href || item.finalUrl === href);
    },
    downloadFromPage: (pageUrl, selector) =>
      downloadBy(`${pageUrl} (${selector})`, async (page) => {
        await page.goto(pageUrl);
        await page.click(selector);
      }),
    async setFileAccess(allowed) {
      await configure({ fileAccess: allowed });
      await untilWorkerSays('file access', () => chrome.extension.isAllowedFileSchemeAccess(), allowed);
    },
    async setIncognitoAccess(allowed) {
      await configure({ incognitoAccess: allowed });
      await untilWorkerSays('incognito access', () => chrome.extension.isAllowedIncognitoAccess(), allowed);
    },
    async downloadInPrivateWindow(pageUrl, selector) {
      const known = new Set((await searchDownloads()).map((item) => item.id));
      const worker = await getWorker();
      const created = await withTimeout(worker.evaluate((url) => chrome.windows.create({ incognito: true, url }), pageUrl), 10_000, 'windows.create');
      const windowId = created.id!;
      // Playwright does not show the private window's page, and DevTools' Browser.setDownloadBehavior does not
      // reach a private profile the browser made itself (headless Chromium would cancel its "Save as" dialog):
      // attach to the page's target and set the page's own download behaviour, then click there.
      const targetId = await (async () => {
        const deadline = Date.now() + 10_000;
        for (;;) {
          const { targetInfos } = await cdp.send('Target.getTargets');
          const target = targetInfos.find((t) => t.type === 'page' && t.url === pageUrl);
          if (target) return target.targetId;
          if (Date.now() > deadline) throw new Error(`the private window did not open ${pageUrl} within 10 s`);
          await delay(100);
        }
      })();
      const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
      let nextId = 0;
      type Reply = { error?: { message: string }; result?: { result?: { value?: unknown } } };
      const pending = new Map<number, (reply: Reply) => void>();
      const onMessage = ({ sessionId: from, message }: { sessionId: string; message: string }) => {
        const reply = JSON.parse(message) as Reply & { id?: number };
        if (from === sessionId && reply.id !== undefined) pending.get(reply.id)?.(reply);
      };
      cdp.on('Target.receivedMessageFromTarget', onMessage);
      const inPage = async (method: string, params: object): Promise<unknown> => {
        const id = ++nextId;
        const reply = new Promise<Reply>((resolve) => pending.set(id, resolve));
        await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
        const { error, result } = await withTimeout(reply, 10_000, method);
        if (error) throw new Error(`${method}: ${error.message}`);
        return result?.result?.value;
      };
      try {
        await inPage('Page.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadsDir });
        // The page may still be loading (or replacing about:blank): click once the element is there.
        const click = `(() => { const el = document.querySelector(${JSON.stringify(selector)}); if (!el) return false; el.click(); return true; })()`;
        const clickDeadline = Date.now() + 10_000;
        while ((await inPage('Runtime.evaluate', { expression: click, userGesture: true, returnByValue: true }).catch(() => false)) !== true) {
          if (Date.now() > clickDeadline) throw new Error(`${selector} did not appear in the private window within 10 s`);
          await delay(100);
        }
        const downloadId = await completedDownload(`${pageUrl} (${selector}, private window)`, known, (item) => item.incognito);
        return { downloadId, windowId };
      } finally {
        cdp.off('Target.receivedMessageFromTarget', onMessage);
        await cdp.send('Target.detachFromTarget', { sessionId }).catch(() => undefined);
      }
    },
    async closeWindow(windowId) {
      const worker = await getWorker();
      await withTimeout(worker.evaluate((id) => chrome.windows.remove(id), windowId), 10_000, 'windows.remove');
    },
    setSiteAccess: (hostAccess) =>
      onExtensionsPage((page) =>
        page.evaluate(
          ([extensionId, access]) =>
            (globalThis as unknown as { chrome: ExtensionsPageChrome }).chrome.developerPrivate.updateExtensionConfiguration({ extensionId, hostAccess: access }),
          [extensionId, hostAccess] as const,
        ),
      ),
    async pageAt(file, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const page = context.pages().find((p) => p.url().startsWith(`${origin}/${file}`));
        if (page) return page;
        if (Date.now() > deadline) throw new Error(`no tab at ${file} within ${timeoutMs} ms; tabs: ${context.pages().map((p) => p.url()).join(', ')}`);
        await delay(100);
      }
    },
    profileDir: userDataDir,
    async close(options = {}) {
      await cdp.detach().catch(() => undefined);
      await context.close().catch(() => undefined);
      await removeDirs(downloadsDir, ...(keepProfile || options.keepProfile ? [] : [userDataDir]));
    },
  };
}
