/**
 * What the idle lane's scenarios share: the built extension in Chromium with nothing attached to its worker
 * (tests/support/unattached-chrome.ts), waiting for scans by reading their records from a neutral page, and
 * the checks every scenario makes — Chrome stopped the worker while scans waited (else the scenario proved
 * nothing), every scan finished within its quota bound plus `SLACK_MS`, VirusTotal's answer → record lag of
 * each scan, and no 429 the extension brought on itself.
 */
import { expect } from 'vitest';
import type { EmulatorRequest, VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { MINUTE_MS, WINDOW_SAFETY_MS } from '../../utils/quota/quota-math';
import type { ScanRecord } from '../../utils/scan/scan-record';
import type { Settings } from '../../utils/settings/storage-items';
import { describeRecords } from '../support/scan-records';
import { launchUnattached, type DownloadItem, type UnattachedChrome } from '../support/unattached-chrome';

/** The extension holds each slot 750 ms past the minute, so its window never ends before VirusTotal's. */
export const WINDOW_MS = MINUTE_MS + WINDOW_SAFETY_MS;
/**
 * "Plus a few seconds": what a scan may take beyond its quota bound. A woken worker starts, reads its
 * records and sends; on this shared 2-core machine (load average 30–50 while the lane was written) a
 * browser start alone took 30–200 s and a 4 KiB download's read + hash + lookup 8–10 s, so the margin is
 * generous — it still tells a scan finished at its turn from one left waiting for the next minute (60 s) or
 * an alarm that never came.
 */
export const SLACK_MS = 15_000;

/** One scenario's browser; its wall clock `clockOffsetMs` ahead of the machine's (and its emulator's with it). */
export interface IdleBrowser {
  chrome: UnattachedChrome;
  apiKey: string;
  readonly clockOffsetMs: number;
  /** Moves the browser's clock (launched with `movableClock`); the caller moves its emulator's alike. */
  moveClock(offsetMs: number): Promise<void>;
  /** A time of the browser's (or its emulator's) clock, on the machine clock. */
  toMachine(t: number): number;
  close(): Promise<void>;
}

/** Launches the build with nothing attached to its worker, with an accepted `apiKey` and `settings` saved. */
export async function launchIdleBrowser(extensionDir: string, apiKey: string, settings: Partial<Settings>, movableClock = false): Promise<IdleBrowser> {
  const chrome = await launchUnattached({ extensionDir, movableClock });
  await chrome.setStorage({ apiKey, keyStatus: 'valid', settings });
  let offset = 0;
  return {
    chrome,
    apiKey,
    get clockOffsetMs() {
      return offset;
    },
    async moveClock(offsetMs) {
      await chrome.moveClock(offsetMs);
      offset = offsetMs;
    },
    toMachine: (t) => t - offset,
    close: () => chrome.close(),
  };
}

/** A finished scan as measured (machine clock). */
export interface IdleScan {
  record: ScanRecord;
  /** Its download complete. */
  completedAt: number;
  /** Its record finished (its `updatedAt`: nothing writes a clean, finished record again with no page open). */
  doneAt: number;
  /** VirusTotal's answer the verdict came from (the last answered lookup or analysis poll before done). */
  answer: EmulatorRequest;
  /** That answer → the record done (ms). */
  lagMs: number;
}

/** What the neutral page reads to explain a failure. */
declare const chrome: { storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } }; alarms: { getAll(): Promise<unknown[]> } };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Downloads `urls` at once and waits (up to `timeoutMs`) until each one's scan is finished. */
export async function downloadAndWait(browser: IdleBrowser, emulator: VirusTotalEmulator, urls: string[], timeoutMs: number): Promise<IdleScan[]> {
  const downloads = await browser.chrome.download(urls);
  return waitForScans(browser, emulator, downloads, timeoutMs);
}

/** Waits until the scan of each download is finished, reading records from the neutral page only. */
export async function waitForScans(browser: IdleBrowser, emulator: VirusTotalEmulator, downloads: DownloadItem[], timeoutMs: number): Promise<IdleScan[]> {
  const deadline = Date.now() + timeoutMs;
  const ofDownload = (records: ScanRecord[], d: DownloadItem) => records.find((r) => r.source.kind === 'download' && r.source.downloadId === d.id);
  for (;;) {
    const records = await browser.chrome.readRecords();
    const mine = downloads.map((d) => ofDownload(records, d));
    if (mine.every((r) => r && (r.status === 'done' || r.status === 'error'))) {
      return downloads.map((d, i) => measureScan(browser, emulator, d, mine[i]!));
    }
    if (Date.now() > deadline) {
      const stops = browser.chrome.workerEvents.map((e) => `${e.kind} ${new Date(e.at).toISOString()}`).join(', ');
      const state = await browser.chrome.neutral.call(async () => ({ now: Date.now(), ...(await chrome.storage.local.get(['quotaState'])), alarms: await chrome.alarms.getAll() }), null);
      const sent = emulator.requests.filter((r) => r.apiKey === browser.apiKey).map((r) => `${r.method} ${r.path.slice(0, 30)} ${r.status} at ${new Date(r.at).toISOString()}`);
      throw new Error(
        `scans not finished within ${timeoutMs} ms (worker: ${stops}). Records now:\n${describeRecords(records)}\nIn the browser: ${JSON.stringify(state)}\nRequests: ${sent.join('; ')}`,
      );
    }
    await delay(500);
  }
}

function measureScan(browser: IdleBrowser, emulator: VirusTotalEmulator, download: DownloadItem, record: ScanRecord): IdleScan {
  const paths = new Set([`/api/v3/files/${record.sha256}`, ...(record.analysisId ? [`/api/v3/analyses/${record.analysisId}`] : [])]);
  // An analysis id is base64: the client sends it percent-encoded.
  const answers = emulator.requests.filter((r) => r.apiKey === browser.apiKey && r.status === 200 && paths.has(decodeURIComponent(r.path)) && r.answeredAt !== null && r.answeredAt <= record.updatedAt);
  const answer = answers.at(-1);
  if (!answer) throw new Error(`no answered request of ${record.fileName} before it was done:\n${describeRecords([record])}`);
  return {
    record,
    completedAt: browser.toMachine(Date.parse(download.endTime!)),
    doneAt: browser.toMachine(record.updatedAt),
    answer,
    lagMs: record.updatedAt - answer.answeredAt!,
  };
}

/**
 * Each scan's bound in a burst under `perMinute`: its own complete, or, if later, the opening of its lookup's
 * turn (its lookup's place in arrival order ÷ perMinute), counted from the first lookup's arrival — when the
 * quota's first window began.
 */
export function burstBounds(browser: IdleBrowser, emulator: VirusTotalEmulator, scans: IdleScan[], perMinute: number): (scan: IdleScan) => number {
  const lookups = emulator.requests.filter((r) => r.apiKey === browser.apiKey && r.method === 'GET' && r.status === 200 && r.path.startsWith('/api/v3/files/')).sort((a, b) => a.at - b.at);
  const start = browser.toMachine(lookups[0]!.at);
  const turn = (scan: IdleScan) => Math.floor(lookups.findIndex((r) => r.path === `/api/v3/files/${scan.record.sha256}`) / perMinute);
  return (scan) => Math.max(scan.completedAt, start + turn(scan) * WINDOW_MS);
}

/** The checks of every scenario; `boundOf` says by when (machine clock) each scan had to be done, before `slackMs`. */
export function expectIdleScenario(name: string, browser: IdleBrowser, emulator: VirusTotalEmulator, scans: IdleScan[], boundOf: (scan: IdleScan) => number, slackMs = SLACK_MS): void {
  const from = Math.min(...scans.map((s) => s.completedAt));
  const to = Math.max(...scans.map((s) => s.doneAt));
  const events = browser.chrome.workerEvents;
  const stops = browser.chrome.stopsBetween(from, to);
  const lines = scans.map((s) => {
    const over = s.doneAt - boundOf(s);
    return `${s.record.fileName}: complete → done ${((s.doneAt - s.completedAt) / 1000).toFixed(1)} s, ${over >= 0 ? '+' : ''}${(over / 1000).toFixed(1)} s against its bound; answer → done ${s.lagMs} ms`;
  });
  console.log(
    `idle lane, ${name}: worker started ${events.filter((e) => e.kind === 'start').length}×, stopped ${events.filter((e) => e.kind === 'stop').length}× (${stops.length}× while scans waited)\n  ${lines.join('\n  ')}`,
  );
  // A scenario in which Chrome never stopped the worker proved nothing about waits that outlive it.
  expect(stops.length, `${name}: inconclusive — Chrome never stopped the worker while scans waited`).toBeGreaterThanOrEqual(1);
  for (const s of scans) {
    expect(s.doneAt, `${s.record.fileName}: done within its quota bound + ${slackMs / 1000} s`).toBeLessThanOrEqual(boundOf(s) + slackMs);
    // An answer is recorded when it comes, never held for a later slot or alarm.
    expect(s.lagMs, `${s.record.fileName}: VirusTotal's answer → its record done`).toBeLessThanOrEqual(slackMs);
  }
  expect(selfInflicted429s(emulator, browser.apiKey), `${name}: 429s the extension brought on itself`).toBe(0);
}

/** 429s VirusTotal sent this key that no injected fault explains: requests beyond the quota ScanDock counted. */
export function selfInflicted429s(emulator: VirusTotalEmulator, apiKey: string): number {
  return emulator.requests.filter((r) => r.apiKey === apiKey && r.status === 429 && !r.fault).length;
}
