/**
 * The built extension in Debian's Firefox (firefox-esr), headless, driven over WebDriver BiDi
 * (tests/support/bidi-client.ts): build it against a VirusTotal base URL, install it as an add-on, open its
 * pages as tabs, download files from a web page, stop its background page, restart the browser. The recipe
 * is /work/shared/browser-testing.md ("Real Firefox, headless").
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { callJson, clickElement, connectBidi, findElement, type BidiSession } from './bidi-client';
import { LANE_PACKAGES, requirePackages } from './browser-packages';
import { REPO_ROOT, withTimeout } from './extension-browser';
import type { ExtensionScope } from './scan-records';

/** Debian's Firefox ESR. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** The add-on id in the manifest (wxt.config.ts, `browser_specific_settings.gecko.id`). */
export const GECKO_ID = 'scandock@scandock.dev';

/** The moz-extension UUID pinned in the profile, so pages have a known address. */
export const EXTENSION_UUID = '5c0a7e1d-3b7f-4d0e-9a55-2f4c8e1b6d90';

/** The popup's size as the browser shows it (entrypoints/popup/style.css). */
const POPUP_VIEWPORT = { width: 400, height: 600 } as const;

/** The MIME types the test servers send: saved without asking. */
const SAVE_SILENTLY = ['application/octet-stream', 'text/plain', 'application/x-msdownload', 'application/zip', 'application/json'];

// Globals of the pages functions passed to `evaluate` run in: the add-on's `browser`, Firefox's privileged ones.
declare const browser: {
  downloads: { search(query: object): Promise<FirefoxDownload[]> };
  permissions: { remove(p: { origins: string[] }): Promise<boolean>; contains(p: { origins: string[] }): Promise<boolean> };
  storage: { local: { set(items: object): Promise<void>; get(keys: string[]): Promise<Record<string, unknown>> } };
};
declare const ChromeUtils: { importESModule(url: string): Record<string, unknown> };
declare const Services: { console: { getMessageArray(): Array<{ message?: string }> } };

/** The fields of a Firefox `downloads.DownloadItem` used here. */
export interface FirefoxDownload {
  id: number;
  url: string;
  filename: string;
  startTime: string;
  endTime?: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  error?: string;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Builds the Firefox MV3 extension with `WXT_VT_API_URL` set, and its store package (the `.zip` that
 * `npm run zip` makes, which Firefox installs permanently; a temporary add-on is gone after a restart).
 * Returns the unpacked folder and the package.
 */
export async function buildFirefoxExtension({ vtApiUrl, outDir }: { vtApiUrl: string; outDir: string }): Promise<{ dir: string; xpi: string }> {
  const absOut = path.resolve(REPO_ROOT, outDir);
  const script = `import { zip } from 'wxt'; const [pkg] = await zip({ browser: 'firefox', manifestVersion: 3, outDir: ${JSON.stringify(absOut)}, zip: { zipSources: false } }); console.log('PACKAGE=' + pkg);`;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: REPO_ROOT, env: { ...process.env, WXT_VT_API_URL: vtApiUrl }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 },
      (error, out, err) => (error ? reject(new Error(`wxt zip -b firefox failed: ${error.message}\n${out}\n${err}`)) : resolve(out)),
    );
  });
  const xpi = /PACKAGE=(.+)/.exec(stdout)?.[1]?.trim();
  if (!xpi) throw new Error(`wxt zip named no package:\n${stdout}`);
  const dir = path.join(absOut, 'firefox-mv3');
  await Promise.all([access(path.join(dir, 'manifest.json')), access(xpi)]);
  return { dir, xpi };
}

/** The profile's preferences: the pinned UUID, silent downloads, no prompts, no calls home. */
function userPrefs(downloadsDir: string): Record<string, string | number | boolean> {
  return {
    'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }),
    // Downloads go to one folder without a dialog.
    'browser.download.folderList': 2,
    'browser.download.dir': downloadsDir,
    'browser.download.useDownloadDir': true,
    'browser.download.always_ask_before_handling_new_types': false,
    'browser.download.alwaysOpenPanel': false,
    'browser.download.panel.shown': true,
    'browser.helperApps.neverAsk.saveToDisk': SAVE_SILENTLY.join(','),
    // `permissions.request` answers without its doorhanger (the click that asks is still required).
    'extensions.webextOptionalPermissionPrompts': false,
    // The store package is unsigned: ESR installs it permanently when this is off.
    'xpinstall.signatures.required': false,
    'extensions.autoDisableScopes': 0,
    // No network here: do not let Firefox decide it is offline, and keep it from dialling out.
    'network.manage-offline-status': false,
    'network.captive-portal-service.enabled': false,
    'network.connectivity-service.enabled': false,
    'browser.safebrowsing.downloads.enabled': false,
    'browser.safebrowsing.malware.enabled': false,
    'browser.safebrowsing.phishing.enabled': false,
    'extensions.update.enabled': false,
    'app.update.auto': false,
    'datareporting.policy.dataSubmissionEnabled': false,
    'toolkit.telemetry.reportingpolicy.firstRun': false,
    'browser.shell.checkDefaultBrowser': false,
    'browser.startup.page': 0,
  };
}

/** A tab, as the tests use it. */
export interface FirefoxPage {
  context: string;
  /** Runs `fn(arg)` in the page; the result must be JSON. */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  /** A real click (a user gesture) on the first element matching `selector` (with this text, if given); waits for it. */
  click(selector: string, text?: string): Promise<void>;
  /** Picks `files` (paths on disk) in the `<input type=file>` matching `selector`, as the file dialog would. */
  setFiles(selector: string, files: string[]): Promise<void>;
  /** The text of the first element matching `selector`, or null. */
  text(selector: string): Promise<string | null>;
  /** An attribute of the first element matching `selector`, or null. */
  attribute(selector: string, name: string): Promise<string | null>;
  /** How many elements match `selector`. */
  count(selector: string): Promise<number>;
  url(): Promise<string>;
  close(): Promise<void>;
}

export interface FirefoxExtension {
  bidi: BidiSession;
  /** When `webExtension.install` was sent (ms): the start of a person's first run. */
  installedAt: number;
  /** The store package (what `webExtension.install` of a permanent add-on installs again as an update). */
  xpi: string;
  /** `moz-extension://<uuid>` */
  origin: string;
  downloadsDir: string;
  /**
   * An options tab for reading the add-on's storage, downloads and records, opened on first use (after a
   * restart, not before a test asks: opening it messages the background once, which would wake it).
   */
  probe(): Promise<FirefoxPage>;
  /** Closes the probe tab, if open (an open page of the add-on may keep its background awake). */
  closeProbe(): Promise<void>;
  /** popup.html in a 400 × 600 tab. */
  openPopup(): Promise<FirefoxPage>;
  openOptions(): Promise<FirefoxPage>;
  /** A tab at `url`. */
  openTab(url: string, viewport?: { width: number; height: number }): Promise<FirefoxPage>;
  /** Every open tab with its address. */
  tabs(): Promise<Array<{ context: string; url: string }>>;
  /** The tab whose address starts with `prefix`, as a page (waits for it up to `timeoutMs`). */
  tabStartingWith(prefix: string, timeoutMs?: number): Promise<FirefoxPage>;
  /** Downloads `url` by clicking a link to it in a page of `siteOrigin`; resolves with the download once complete. */
  download(url: string, siteOrigin: string): Promise<FirefoxDownload>;
  /** Opens `pageUrl` and clicks `selector` there (e.g. a link a page script made a blob: address for); resolves with the download it started, once complete. */
  downloadFromPage(pageUrl: string, selector: string): Promise<FirefoxDownload>;
  /** 'running', 'stopped', … as Firefox's add-on manager says of the background page. */
  backgroundState(): Promise<string>;
  /** Stops the background page, as Firefox does when it is idle (about:debugging's "Terminate background script"). */
  terminateBackground(): Promise<void>;
  /** Messages of the browser console (warnings and errors of the add-on included) that match `pattern`. */
  consoleMessages(pattern: RegExp): Promise<string[]>;
  /** Withdraws the add-on's host permissions, as a person does in about:addons → Permissions. */
  withdrawHostAccess(origins: string[]): Promise<void>;
  /** Gives the add-on optional data consent, as a person does in about:addons → Permissions and data. */
  grantDataCollection(types: string[]): Promise<void>;
  /** Withdraws optional data consent, as a person does in about:addons → Permissions and data. */
  withdrawDataCollection(types: string[]): Promise<void>;
  /** Closes Firefox and starts it again on the same profile (the add-on must be installed permanently). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface FirefoxLaunchOptions {
  vtApiUrl: string;
  /** Names the build folder `tests/artifacts/build-<name>`. */
  name: string;
  /**
   * Install the store package permanently (survives `restart()`); otherwise the built folder as a temporary
   * add-on, as about:debugging does.
   */
  permanent?: boolean;
  /**
   * ScanDock opens its first-run page on install. 'close' (the default) waits for that tab and closes it, so other
   * tests start without it; 'keep' leaves it open.
   */
  welcomePage?: 'close' | 'keep';
  /** More preferences for the profile (e.g. a shorter `extensions.background.idle.timeout`). */
  prefs?: Record<string, string | number | boolean>;
}

/** The first-run page's address, without the add-on's origin (utils/first-run/first-run.ts). */
export const WELCOME_PAGE = 'welcome.html';

interface RunningFirefox {
  child: ChildProcess;
  bidi: BidiSession;
  exited: Promise<void>;
}

/** Starts Firefox on `profileDir` with the BiDi server on a free port and connects to it. */
async function startFirefox(profileDir: string): Promise<RunningFirefox> {
  if (!process.env.FIREFOX_PATH) requirePackages(LANE_PACKAGES.firefox, 'The Firefox lane');
  const child = spawn(FIREFOX_PATH, ['--headless', '--no-remote', '--remote-debugging-port=0', '-remote-allow-system-access', '--profile', profileDir], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  const address = await withTimeout(
    new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /WebDriver BiDi listening on (ws:\/\/\S+)/.exec(stderr);
        if (found) resolve(found[1]!);
      });
      child.once('exit', (code) => reject(new Error(`Firefox exited (${code}) before listening:\n${stderr}`)));
      child.once('error', reject);
    }),
    60_000,
    'Firefox start-up',
  ).catch((error: unknown) => {
    child.kill();
    throw error;
  });
  // Keep draining stderr so Firefox never blocks on a full pipe.
  child.stderr!.resume();
  const bidi = await connectBidi(address);
  return { child, bidi, exited };
}

function pageOf(bidi: () => BidiSession, context: string): FirefoxPage {
  const evaluate = <R, A>(fn: (arg: A) => R | Promise<R>, arg?: A) => callJson(bidi(), context, fn as (a: A | undefined) => R | Promise<R>, arg);
  async function element(selector: string, text?: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = await findElement(bidi(), context, selector, text);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no element matches ${selector}${text ? ` with text "${text}"` : ''} within 10 s`);
      await delay(100);
    }
  }
  return {
    context,
    evaluate: evaluate as FirefoxPage['evaluate'],
    async click(selector, text) {
      // Input goes to the tab in front, as for a person.
      await bidi().send('browsingContext.activate', { context });
      await clickElement(bidi(), context, await element(selector, text));
    },
    async setFiles(selector, files) {
      await bidi().send('input.setFiles', { context, element: await element(selector), files });
    },
    text: (selector) => evaluate((s: string) => document.querySelector(s)?.textContent ?? null, selector),
    attribute: (selector, name) => evaluate(([s, n]: [string, string]) => document.querySelector(s)?.getAttribute(n) ?? null, [selector, name] as [string, string]),
    count: (selector) => evaluate((s: string) => document.querySelectorAll(s).length, selector),
    url: () => evaluate(() => location.href),
    close: async () => void (await bidi().send('browsingContext.close', { context }).catch(() => undefined)),
  };
}

/** Builds the extension, starts Firefox with a fresh profile and installs the add-on. */
export async function launchFirefoxExtension(options: FirefoxLaunchOptions): Promise<FirefoxExtension> {
  const build = await buildFirefoxExtension({ vtApiUrl: options.vtApiUrl, outDir: `tests/artifacts/build-${options.name}` });
  const profileDir = await mkdtemp(path.join(tmpdir(), 'scandock-firefox-'));
  const downloadsDir = await mkdtemp(path.join(tmpdir(), 'scandock-firefox-downloads-'));
  const prefs = { ...userPrefs(downloadsDir), ...options.prefs };
  await writeFile(path.join(profileDir, 'user.js'), Object.entries(prefs).map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});\n`).join(''));
  const origin = `moz-extension://${EXTENSION_UUID}`;

  let running: RunningFirefox = await startFirefox(profileDir);
  const bidi = () => running.bidi;
  const installedAt = Date.now();
  try {
    await bidi().send('webExtension.install', {
      extensionData: options.permanent ? { type: 'archivePath', path: build.xpi } : { type: 'path', path: build.dir },
      ...(options.permanent ? { 'moz:permanent': true } : {}),
    });
  } catch (error) {
    running.child.kill();
    await removeDirs(profileDir, downloadsDir);
    throw error;
  }

  /** Opens `pageUrl`, runs `start` in it, and waits for the first new download matching `matches` to complete. */
  async function downloadBy(what: string, pageUrl: string, start: (page: FirefoxPage) => Promise<void>, matches: (item: FirefoxDownload) => boolean = () => true): Promise<FirefoxDownload> {
    const search = async () => (await probePage()).evaluate(() => browser.downloads.search({}));
    const known = new Set((await search()).map((d) => d.id));
    const page = await openTab(pageUrl);
    try {
      await start(page);
      const deadline = Date.now() + 20_000;
      for (;;) {
        const item = (await search()).find((d) => !known.has(d.id) && matches(d));
        if (item?.state === 'complete') return item;
        if (item?.state === 'interrupted') throw new Error(`download of ${what} was interrupted: ${item.error ?? 'no reason given'}`);
        if (Date.now() > deadline) throw new Error(`download of ${what} did not complete within 20 s`);
        await delay(100);
      }
    } finally {
      await page.close();
    }
  }

  async function openTab(url: string, viewport?: { width: number; height: number }): Promise<FirefoxPage> {
    const { context } = await bidi().send<{ context: string }>('browsingContext.create', { type: 'tab', background: true });
    if (viewport) await bidi().send('browsingContext.setViewport', { context, viewport });
    await bidi().send('browsingContext.navigate', { context, url, wait: 'complete' });
    return pageOf(bidi, context);
  }

  /** A chrome (privileged) context of the browser window, for what only Firefox itself can do. */
  async function chromeContext(): Promise<string> {
    const tree = await bidi().send<{ contexts: Array<{ context: string; url: string }> }>('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
    const window = tree.contexts.find((c) => c.url.startsWith('chrome://browser/'));
    if (!window) throw new Error('no Firefox browser window to run privileged script in');
    return window.context;
  }

  async function inParent<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return callJson(bidi(), await chromeContext(), fn, arg);
  }

  let probe: Promise<FirefoxPage> | null = null;
  const probePage = () => (probe ??= openTab(`${origin}/options.html`));

  async function tabs() {
    const tree = await bidi().send<{ contexts: Array<{ context: string; url: string }> }>('browsingContext.getTree', { maxDepth: 0 });
    return tree.contexts.map(({ context, url }) => ({ context, url }));
  }

  const handle: FirefoxExtension = {
    get bidi() {
      return bidi();
    },
    installedAt,
    xpi: build.xpi,
    origin,
    downloadsDir,
    probe: probePage,
    async closeProbe() {
      const open = probe;
      probe = null;
      if (open) await (await open).close();
    },
    openPopup: () => openTab(`${origin}/popup.html`, POPUP_VIEWPORT),
    openOptions: () => openTab(`${origin}/options.html`),
    openTab,
    tabs,
    async tabStartingWith(prefix, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const tab = (await tabs()).find((t) => t.url.startsWith(prefix));
        if (tab) {
          const page = pageOf(bidi, tab.context);
          // Wait for the document to have loaded its script.
          while ((await page.evaluate(() => document.readyState).catch(() => 'loading')) !== 'complete') await delay(100);
          return page;
        }
        if (Date.now() > deadline) throw new Error(`no tab at ${prefix} within ${timeoutMs} ms; tabs: ${JSON.stringify(await tabs())}`);
        await delay(100);
      }
    },
    async download(url, siteOrigin) {
      // A person's click on a link in a web page (ScanDock skips downloads it starts itself).
      return downloadBy(url, `${siteOrigin}/`, async (page) => {
        await page.evaluate((href: string) => {
          const link = document.createElement('a');
          link.href = href;
          link.download = '';
          link.id = 'scandock-e2e-download';
          link.textContent = 'download';
          document.body.append(link);
        }, url);
        await page.click('#scandock-e2e-download');
      }, (item) => item.url === url);
    },
    downloadFromPage: (pageUrl, selector) => downloadBy(`${pageUrl} (${selector})`, pageUrl, (page) => page.click(selector)),
    backgroundState: () =>
      inParent((id: string) => {
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs') as {
          ExtensionParent: { GlobalManager: { getExtension(id: string): { backgroundState?: string } | undefined } };
        };
        return ExtensionParent.GlobalManager.getExtension(id)?.backgroundState ?? 'not installed';
      }, GECKO_ID),
    async terminateBackground() {
      await inParent(async (id: string) => {
        const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs') as {
          ExtensionParent: { GlobalManager: { getExtension(id: string): { terminateBackground(o: object): Promise<void> } | undefined } };
        };
        // What about:debugging's "Terminate background script" calls.
        await ExtensionParent.GlobalManager.getExtension(id)?.terminateBackground({ disableResetIdleForTest: true });
        return true;
      }, GECKO_ID);
    },
    async consoleMessages(pattern) {
      const all = await inParent(() => Services.console.getMessageArray().map((m) => m.message ?? String(m)), undefined);
      return all.filter((m) => pattern.test(m));
    },
    async withdrawHostAccess(origins) {
      const removed = await (await probePage()).evaluate((o: string[]) => browser.permissions.remove({ origins: o }), origins);
      if (!removed) throw new Error('Firefox did not withdraw the host permissions');
    },
    async grantDataCollection(types) {
      await inParent(
        async ([id, dataCollection]: [string, string[]]) => {
          const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs') as {
            ExtensionParent: { GlobalManager: { getExtension(id: string): object | undefined } };
          };
          const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs') as {
            ExtensionPermissions: { add(id: string, perms: object, extension?: object): Promise<void> };
          };
          // What about:addons' "Permissions and data" switch calls.
          await ExtensionPermissions.add(id, { permissions: [], origins: [], data_collection: dataCollection }, ExtensionParent.GlobalManager.getExtension(id));
          return true;
        },
        [GECKO_ID, types] as [string, string[]],
      );
    },
    async withdrawDataCollection(types) {
      const removed = await (await probePage()).evaluate(
        (t: string[]) => (browser.permissions.remove as (p: object) => Promise<boolean>)({ data_collection: t }),
        types,
      );
      if (!removed) throw new Error('Firefox did not withdraw the data consent');
    },
    async restart() {
      await bidi().send('browser.close').catch(() => undefined);
      await withTimeout(running.exited, 30_000, 'Firefox shutting down');
      await running.bidi.close().catch(() => undefined);
      running = await startFirefox(profileDir);
      probe = null;
    },
    async close() {
      await bidi().send('browser.close').catch(() => undefined);
      await withTimeout(running.exited, 15_000, 'Firefox shutting down').catch(() => running.child.kill('SIGKILL'));
      await running.bidi.close().catch(() => undefined);
      await removeDirs(profileDir, downloadsDir);
    },
  };
  // Installed now: the first-run page opens.
  if (options.welcomePage !== 'keep') {
    try {
      await (await handle.tabStartingWith(`${origin}/${WELCOME_PAGE}`, 30_000)).close();
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
  return handle;
}

function removeDirs(...dirs: string[]): Promise<unknown> {
  return Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}

/** Writes chrome.storage.local from an extension page. */
export async function setFirefoxStorage(page: FirefoxPage, items: Record<string, unknown>): Promise<void> {
  await page.evaluate((values: Record<string, unknown>) => browser.storage.local.set(values), items);
}

/** Reads chrome.storage.local keys from an extension page. */
export function getFirefoxStorage(page: FirefoxPage, keys: string[]): Promise<Record<string, unknown>> {
  return page.evaluate((k: string[]) => browser.storage.local.get(k), keys);
}

/** Records of a download, as `byDownloadId` does for Chrome, but by id and start time (ids repeat after a restart). */
export function ofDownload(download: FirefoxDownload): (record: ScanRecord) => boolean {
  return (r) => r.source.kind === 'download' && r.source.downloadId === download.id && r.source.startTime === download.startTime;
}

/** A page as `readRecords`/`waitForRecords` (tests/support/scan-records.ts) take it: they only call `evaluate(fn)`. */
export function recordScope(page: FirefoxPage): ExtensionScope {
  return { evaluate: (fn: () => unknown) => page.evaluate(fn) } as unknown as ExtensionScope;
}
