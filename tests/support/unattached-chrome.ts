/**
 * The built extension in Debian's Chromium with nothing attached to its service worker, so Chrome stops the
 * worker when it is idle (~30 s) exactly as on a person's machine. Playwright cannot do this: it attaches
 * DevTools to every service worker, and Chrome never stops a worker DevTools is attached to
 * (/work/shared/browser-testing.md, "Chrome's own worker lifecycle").
 *
 * Raw CDP over the browser's WebSocket: `Target.setDiscoverTargets` reports each `service_worker` target
 * created and destroyed (the worker's starts and stops) without attaching to it; sessions are attached only
 * to pages this file opens. Records, storage and downloads are read from a neutral extension page,
 * `chrome-extension://<id>/manifest.json`: it has the extension's origin (its IndexedDB, its `chrome.*`
 * APIs) and runs none of ScanDock's code, so reading there neither starts the worker nor keeps it awake.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { CHROMIUM_ARGS, CHROMIUM_PATH, withTimeout } from './extension-browser';
import { LANE_PACKAGES, requirePackages } from './browser-packages';
import { readRecords, type ExtensionScope } from './scan-records';

/** Debian's libfaketime (package `libfaketime`, multi-threaded build): Chromium on a clock a test moves. */
export const LIBFAKETIME_PATH = process.env.LIBFAKETIME_PATH ?? `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/faketime/libfaketimeMT.so.1`;

const UNATTACHED_CHROMIUM_ARGS = ['--headless=new', ...CHROMIUM_ARGS, '--no-default-browser-check', '--remote-debugging-port=0'];

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One start or stop of the extension's service worker, as Chrome reported it (machine clock, ms). */
export interface WorkerEvent {
  kind: 'start' | 'stop';
  at: number;
  targetId: string;
}

/** A tab this file opened and attached to (a page: never the worker). */
export interface PageTab {
  targetId: string;
  /** Runs `fn(arg)` in the page and returns its JSON result (`fn` may be async; it is sent as source text). */
  call<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** A real mouse click (a user gesture) in the middle of the element `selector` matches. */
  click(selector: string): Promise<void>;
  close(): Promise<void>;
}

/** The fields of `chrome.downloads.DownloadItem` read here. */
export interface DownloadItem {
  id: number;
  url: string;
  finalUrl: string;
  state: 'in_progress' | 'interrupted' | 'complete';
  /** ISO time the download ended (the browser's clock). */
  endTime?: string;
  error?: string;
}

export interface UnattachedChrome {
  extensionId: string;
  /** Every start and stop of the service worker seen so far, in order. */
  readonly workerEvents: readonly WorkerEvent[];
  /** Whether a service worker of the extension is running now. */
  workerRunning(): boolean;
  /** Stops of the worker between `from` and `to` (machine clock, ms). */
  stopsBetween(from: number, to: number): WorkerEvent[];
  /** The neutral page (manifest.json): read records, storage, downloads there. */
  neutral: PageTab;
  /** Every scan record, oldest first (read in the neutral page). */
  readRecords(): Promise<ScanRecord[]>;
  /** chrome.storage.local.set from the neutral page (setup; a storage listener may wake the worker). */
  setStorage(items: Record<string, unknown>): Promise<void>;
  /** Every download the browser knows of. */
  downloads(): Promise<DownloadItem[]>;
  /**
   * Moves the browser's wall clock to `offsetMs` ahead of the machine's (launched with `movableClock`);
   * resolves once a page of the browser reads the moved time.
   */
  moveClock(offsetMs: number): Promise<void>;
  /** Opens `chrome-extension://<id>/<file>` (the popup: 'popup.html') in a new tab. */
  openExtensionPage(file: string): Promise<PageTab>;
  /**
   * Clicks a link to each URL in a web page, as a person does, all at once; resolves with the completed
   * downloads once all are complete, in the order of `urls`.
   */
  download(urls: string[]): Promise<DownloadItem[]>;
  close(): Promise<void>;
}

export interface UnattachedLaunchOptions {
  /** The built chrome-mv3 folder (tests/support/extension-browser.ts `buildExtension`). */
  extensionDir: string;
  /** Run Chromium under libfaketime so that `moveClock` can move its wall clock; default false. */
  movableClock?: boolean;
}

interface CdpMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { message: string };
  sessionId?: string;
}

interface TargetInfo {
  targetId: string;
  type: string;
  url: string;
}

type EventListener = (params: Record<string, unknown>, sessionId: string | undefined) => void;

/** A CDP connection to the browser endpoint; `sessionId` routes a command to an attached page. */
interface Cdp {
  send<T = Record<string, unknown>>(method: string, params?: object, sessionId?: string): Promise<T>;
  /** Calls `listener` with each `method` event (and the session it came from) until the returned function is called. */
  on(method: string, listener: EventListener): () => unknown;
  close(): void;
}

/** The longest a CDP command may go unanswered. */
const COMMAND_TIMEOUT_MS = 60_000;

async function connectCdp(url: string): Promise<Cdp> {
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 256 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, { method: string; resolve(value: unknown): void; reject(error: Error): void }>();
  const listeners = new Map<string, Set<EventListener>>();
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as CdpMessage;
    if (message.id !== undefined) {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) call?.reject(new Error(`${call.method}: ${message.error.message}`));
      else call?.resolve(message.result);
      return;
    }
    if (message.method) for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {}, message.sessionId);
  });
  socket.on('close', () => {
    for (const call of pending.values()) call.reject(new Error(`${call.method}: the browser closed the connection`));
    pending.clear();
  });
  return {
    send<T>(method: string, params: object = {}, sessionId?: string): Promise<T> {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`${method}: not connected`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        // No command may hang a scenario: one unanswered for a minute fails, naming itself.
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${method}: no answer from the browser within ${COMMAND_TIMEOUT_MS / 1000} s`));
        }, COMMAND_TIMEOUT_MS);
        const settle = <V>(done: (value: V) => void) => (value: V) => {
          clearTimeout(timer);
          done(value);
        };
        pending.set(id, { method, resolve: settle(resolve as (value: unknown) => void), reject: settle(reject) });
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
      });
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      set.add(listener);
      listeners.set(method, set);
      return () => set.delete(listener);
    },
    close: () => socket.close(),
  };
}

/** Chromium writes its DevTools port and browser path to `<profile>/DevToolsActivePort` once it listens. */
async function browserEndpoint(userDataDir: string, child: ChildProcess): Promise<string> {
  // A loaded machine (2 cores shared by many browsers) has been seen to take 30 s.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const text = await readFile(path.join(userDataDir, 'DevToolsActivePort'), 'utf8').catch(() => '');
    const [port, browserPath] = text.split('\n');
    if (port && browserPath) return `ws://127.0.0.1:${port}${browserPath}`;
    if (child.exitCode !== null) throw new Error(`chromium exited with ${child.exitCode} before it listened`);
    if (Date.now() > deadline) throw new Error('chromium did not open its DevTools port within 90 s');
    await delay(100);
  }
}

/**
 * Chromium under libfaketime, its wall clock read from `clockFile` (re-read every second), so a test can move
 * it while the browser runs; timers keep the real monotonic clock.
 */
function movableClockEnv(clockFile: string): { env: NodeJS.ProcessEnv; args: string[] } {
  if (!process.env.LIBFAKETIME_PATH) requirePackages(LANE_PACKAGES.movableClock, 'Chromium on a movable clock (libfaketime)');
  return {
    env: { ...process.env, LD_PRELOAD: LIBFAKETIME_PATH, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' },
    // Under libfaketime the network service process crashes over and over (measured: no page ever loads); in
    // the browser process it runs.
    args: ['--enable-features=NetworkServiceInProcess2'],
  };
}

/** Launches Chromium with the extension loaded and nothing attached to its worker; resolves once the worker ran. */
export async function launchUnattached({ extensionDir, movableClock = false }: UnattachedLaunchOptions): Promise<UnattachedChrome> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'scandock-unattached-'));
  const downloadsDir = await mkdtemp(path.join(tmpdir(), 'scandock-unattached-downloads-'));
  // Outside the profile, which Chromium owns.
  const clockFile = movableClock ? path.join(downloadsDir, '..', `${path.basename(downloadsDir)}.faketime`) : null;
  if (clockFile) await writeFile(clockFile, '+0s\n');
  const clock = clockFile ? movableClockEnv(clockFile) : { env: process.env, args: [] };
  const child = spawn(CHROMIUM_PATH, [...UNATTACHED_CHROMIUM_ARGS, `--user-data-dir=${userDataDir}`, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`, ...clock.args, 'about:blank'], {
    env: clock.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its own process group: /usr/bin/chromium is a script, and a kill must reach the browser, not only the wrapper.
    detached: true,
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Detached, the browser would outlive a test runner that is itself stopped (a timeout): take it along.
  const killOnExit = () => kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const removeDirs = () => Promise.all([userDataDir, downloadsDir, ...(clockFile ? [clockFile] : [])].map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
  let cdp: Cdp | undefined;
  try {
    cdp = await connectCdp(await browserEndpoint(userDataDir, child));
    return await open(cdp, downloadsDir, clockFile, async () => {
      cdp?.close();
      kill('SIGTERM');
      await withTimeout(exited, 10_000, 'chromium exit').catch(() => kill('SIGKILL'));
      await removeDirs();
    });
  } catch (error) {
    cdp?.close();
    kill('SIGKILL');
    await exited;
    await removeDirs();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nchromium stderr:\n${stderr}`);
  }
}

async function open(cdp: Cdp, downloadsDir: string, clockFile: string | null, shutDown: () => Promise<void>): Promise<UnattachedChrome> {
  const events: WorkerEvent[] = [];
  const workers = new Map<string, string>();
  let extensionId = '';
  cdp.on('Target.targetCreated', (params) => {
    const info = params.targetInfo as TargetInfo;
    if (info.type !== 'service_worker' || !info.url.startsWith('chrome-extension://')) return;
    workers.set(info.targetId, info.url);
    extensionId ||= new URL(info.url).host;
    events.push({ kind: 'start', at: Date.now(), targetId: info.targetId });
  });
  cdp.on('Target.targetDestroyed', (params) => {
    const targetId = params.targetId as string;
    if (!workers.delete(targetId)) return;
    events.push({ kind: 'stop', at: Date.now(), targetId });
  });
  // Discovery reports targets; it attaches to none (no Target.setAutoAttach anywhere in this file).
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloadsDir, eventsEnabled: false });
  const deadline = Date.now() + 60_000;
  while (!extensionId) {
    if (Date.now() > deadline) throw new Error('the extension’s service worker did not start within 60 s');
    await delay(100);
  }
  const origin = `chrome-extension://${extensionId}`;

  async function openTab(url: string): Promise<PageTab> {
    const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url });
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
    // Loaded once the document at `url` is complete (a loaded machine has taken well over 15 s).
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { result } = await cdp.send<{ result: { value?: boolean } }>(
        'Runtime.evaluate',
        { expression: `location.href === ${JSON.stringify(new URL(url).href)} && document.readyState === 'complete'`, returnByValue: true },
        sessionId,
      );
      if (result.value === true) break;
      if (Date.now() > deadline) throw new Error(`${url} did not load within 60 s`);
      await delay(100);
    }
    const tab: PageTab = {
      targetId,
      async call<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
        const { result, exceptionDetails } = await cdp.send<{ result: { value?: string }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
          'Runtime.evaluate',
          { expression: `(async () => JSON.stringify(await (${fn.toString()})(${JSON.stringify(arg)}) ?? null))()`, awaitPromise: true, returnByValue: true },
          sessionId,
        );
        if (exceptionDetails) throw new Error(`script in ${url} threw: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
        return JSON.parse(result.value ?? 'null') as R;
      },
      async click(selector) {
        const box = await tab.call((s) => {
          const element = document.querySelector(s);
          if (!element) return null;
          element.scrollIntoView({ block: 'center' });
          const r = element.getBoundingClientRect();
          return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
        }, selector);
        if (!box) throw new Error(`no element matches ${selector} in ${url}`);
        for (const type of ['mousePressed', 'mouseReleased']) {
          await cdp.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 }, sessionId);
        }
      },
      close: async () => {
        await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined);
      },
    };
    return tab;
  }

  const neutral = await openTab(`${origin}/manifest.json`);
  const chromeApis = await neutral.call(() => ({ storage: typeof chrome.storage?.local?.get, downloads: typeof chrome.downloads?.search }), null);
  if (chromeApis.storage !== 'function' || chromeApis.downloads !== 'function') {
    throw new Error(`manifest.json has no chrome.storage / chrome.downloads here: ${JSON.stringify(chromeApis)}`);
  }

  const downloads = () => neutral.call(() => chrome.downloads.search({}) as Promise<DownloadItem[]>, null);

  return {
    extensionId,
    get workerEvents() {
      return events;
    },
    workerRunning: () => workers.size > 0,
    stopsBetween: (from, to) => events.filter((e) => e.kind === 'stop' && e.at >= from && e.at <= to),
    neutral,
    readRecords: () => readRecords({ evaluate: (fn: () => unknown) => neutral.call(fn, null) } as unknown as ExtensionScope),
    setStorage: (items) => neutral.call((values) => chrome.storage.local.set(values), items),
    downloads,
    async moveClock(offsetMs) {
      if (!clockFile) throw new Error('moveClock: launch with movableClock');
      if (!Number.isInteger(offsetMs / 1000)) throw new RangeError(`the clock moves by whole seconds, not ${offsetMs} ms`);
      await writeFile(clockFile, `${offsetMs >= 0 ? '+' : ''}${offsetMs / 1000}s\n`);
      // libfaketime reads the file again within a second (FAKETIME_CACHE_DURATION).
      const deadline = Date.now() + 15_000;
      while (Math.abs((await neutral.call(() => Date.now(), null)) - (Date.now() + offsetMs)) > 2_000) {
        if (Date.now() > deadline) throw new Error(`the browser's clock did not move by ${offsetMs} ms within 15 s`);
        await delay(250);
      }
    },
    openExtensionPage: (file) => openTab(`${origin}/${file}`),
    async download(urls) {
      const hrefs = urls.map((u) => new URL(u).href);
      const known = new Set((await downloads()).map((d) => d.id));
      const page = await openTab('about:blank');
      try {
        await page.call((links) => {
          document.body.replaceChildren(
            ...links.map((href, i) => Object.assign(document.createElement('a'), { href, download: '', id: `link-${i}`, textContent: `file ${i}`, style: 'display:block' })),
          );
        }, hrefs);
        // A click that comes before the page's first frame can be lost (seen once under libfaketime): wait for two.
        // A tab that paints no frame (hidden, throttled) must not hang the download: a second is enough.
        await page.call(() => new Promise<void>((resolve) => {
          requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
          setTimeout(resolve, 1_000);
        }), null);
        // Real clicks, each a user gesture: Chrome asks before a page's script downloads several files by itself.
        for (let i = 0; i < hrefs.length; i++) await page.click(`#link-${i}`);
        const until = Date.now() + 30_000;
        for (;;) {
          const mine = (await downloads()).filter((d) => !known.has(d.id) && hrefs.includes(d.url));
          const broken = mine.find((d) => d.state === 'interrupted');
          if (broken) throw new Error(`download of ${broken.url} was interrupted: ${broken.error ?? 'no reason given'}`);
          if (mine.length === hrefs.length && mine.every((d) => d.state === 'complete')) return hrefs.map((href) => mine.find((d) => d.url === href)!);
          if (Date.now() > until) throw new Error(`downloads did not complete within 30 s: ${JSON.stringify(mine)}`);
          await delay(100);
        }
      } finally {
        await page.close();
      }
    },
    close: shutDown,
  };
}

/** The `chrome` APIs the neutral page calls (it has the extension's, as any page of its origin). */
declare const chrome: {
  storage: { local: { get(keys: string[] | null): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> } };
  downloads: { search(query: object): Promise<unknown[]> };
};
