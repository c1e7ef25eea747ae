/**
 * ScanDock as real Chrome runs it: nothing attaches to the service worker, so Chrome stops it ~30 s after
 * its last work, as on a person's machine, and every wait longer than that rides on the `scandock-wake`
 * alarm and on the state written before the stop. Each scenario asserts that Chrome really stopped the
 * worker while scans waited (else it proved nothing), that every scan finished within its quota bound plus
 * a few seconds, each scan's VirusTotal answer → record lag, and no 429 the extension brought on itself.
 *
 * The scenarios run side by side (each its own browser, API key and quota) so the lane takes as long as its
 * longest, (f)'s two backoffs and (e)'s wait for the day: about three and a half real minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_BACKOFF_MS, nextUtcMidnight } from '../../utils/quota/quota-math';
import { POLL_INTERVAL_MS } from '../../utils/scan/scan-engine';
import { startVirusTotalEmulator, type VirusTotalEmulator } from '../emulator/virustotal-emulator';
import { buildExtension } from '../support/extension-browser';
import { startFileServer, type FileServer } from '../support/file-server';
import { burstBounds, downloadAndWait, expectIdleScenario, launchIdleBrowser, waitForScans, WINDOW_MS, type IdleBrowser } from './idle-suite';

/** The public key's 4 requests a minute: the emulator's and the extension's defaults. */
const PER_MINUTE = 4;
/** An analysis VirusTotal completes this long after the upload (scenario b). */
const ANALYSIS_MS = 75_000;
/** One API key per scenario: each its own quota at the shared emulator. */
const KEY = { burst: 'a'.repeat(64), upload: 'b'.repeat(64), popup: 'c'.repeat(64), backoff: 'd'.repeat(64), day: 'e'.repeat(64), shared: 'f'.repeat(64) };

let emulator: VirusTotalEmulator;
let site: FileServer;
let extensionDir: string;

beforeAll(async () => {
  emulator = await startVirusTotalEmulator({
    apiKeys: [KEY.burst, KEY.upload, KEY.popup, KEY.backoff, KEY.shared],
    quota: { perMinute: PER_MINUTE, perDay: 500 },
    // An upload's analysis completes only with time, as VirusTotal's does, never because it was polled.
    analysisPolls: 10_000,
    analysisCompletesAfterMs: ANALYSIS_MS,
  });
  site = await startFileServer();
  extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: 'tests/artifacts/build-e2e-idle' });
}, 300_000);

afterAll(async () => {
  await emulator?.close();
  await site?.close();
});

/** `count` files VirusTotal knows as clean, served by the site: their URLs and SHA-256s. */
function knownFiles(prefix: string, count: number, on = emulator): Array<{ url: string; sha256: string }> {
  return Array.from({ length: count }, (_, i) => {
    const bytes = new TextEncoder().encode(`ScanDock idle lane ${prefix} ${i} ${Math.random()}\n`);
    return { sha256: on.addFile(bytes, 'clean'), url: site.serve(`/files/${prefix}-${i}.txt`, { body: bytes }) };
  });
}

const urlsOf = (files: Array<{ url: string }>) => files.map((f) => f.url);

/** Runs `scenario` in a fresh browser and always closes it. */
async function inBrowser(apiKey: string, settings: Parameters<typeof launchIdleBrowser>[2], scenario: (browser: IdleBrowser) => Promise<void>, movableClock = false, dir = () => extensionDir): Promise<void> {
  const browser = await launchIdleBrowser(dir(), apiKey, settings, movableClock);
  try {
    await scenario(browser);
  } finally {
    await browser.close();
  }
}

describe.concurrent('scans that wait while Chrome stops the worker', () => {
  it('(a) a burst of 10 downloads at 4/min with no page open', async () => {
    await inBrowser(KEY.burst, {}, async (browser) => {
      const scans = await downloadAndWait(browser, emulator, urlsOf(knownFiles('burst', 10)), 2 * WINDOW_MS + 60_000);
      for (const s of scans) expect(s.record).toMatchObject({ status: 'done', verdict: 'clean' });
      expectIdleScenario('(a) burst of 10', browser, emulator, scans, burstBounds(browser, emulator, scans, PER_MINUTE));
    });
  });

  it('(b) an upload whose analysis completes 75 s later, with no page open', async () => {
    // A key whose owner keeps to 2 requests a minute: the lookup and the upload spend the first minute, so
    // the first poll waits long enough for Chrome to stop the worker.
    const settings = { uploadUnknown: true, quotaPreset: 'custom' as const, quota: { perMinute: 2, perDay: 500, perMonth: 15_500 } };
    await inBrowser(KEY.upload, settings, async (browser) => {
      const bytes = new TextEncoder().encode(`ScanDock idle lane unknown tool ${Math.random()}\n`);
      const url = site.serve('/files/unknown-tool.exe', { body: bytes });
      emulator.setUploadProfile(() => 'clean');
      const scans = await downloadAndWait(browser, emulator, [url], ANALYSIS_MS + 2 * WINDOW_MS);
      expect(scans[0]!.record).toMatchObject({ status: 'done', verdict: 'clean' });
      const upload = emulator.requests.find((r) => r.apiKey === KEY.upload && r.method === 'POST' && r.path === '/api/v3/files');
      expect(upload?.answeredAt, 'the upload was answered').toBeTruthy();
      // Done at the first poll after the analysis completed: at most one poll interval after it.
      expectIdleScenario('(b) upload, analysis after 75 s', browser, emulator, scans, () => upload!.at + ANALYSIS_MS + POLL_INTERVAL_MS);
    });
  });

  it('(c) the popup open for a minute of a burst, then closed', async () => {
    await inBrowser(KEY.popup, {}, async (browser) => {
      const popup = await browser.chrome.openExtensionPage('popup.html');
      const urls = urlsOf(knownFiles('popup', 10));
      const downloads = await browser.chrome.download(urls);
      // The popup stays open across the first minute's end, so the wake alarm fires in a live worker; then it
      // closes, and the last turn must still come from the alarm after Chrome stopped the idle worker.
      const firstDone = Math.min(...downloads.map((d) => browser.toMachine(Date.parse(d.endTime!))));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, firstDone + WINDOW_MS + 5_000 - Date.now())));
      await popup.close();
      const scans = await waitForScans(browser, emulator, downloads, 2 * WINDOW_MS + 60_000);
      for (const s of scans) expect(s.record).toMatchObject({ status: 'done', verdict: 'clean' });
      expectIdleScenario('(c) popup open for a minute, then closed', browser, emulator, scans, burstBounds(browser, emulator, scans, PER_MINUTE));
    });
  });

  it('(d) a 429 backoff longer than the idle time (the key shared with another app)', async () => {
    await inBrowser(KEY.backoff, {}, async (browser) => {
      const files = knownFiles('backoff', 2);
      // Another app spent the key's minute: VirusTotal answers the first lookup of these files 429.
      emulator.injectFault({ kind: 'status', status: 429, match: { method: 'GET', path: new RegExp(`^/api/v3/files/(${files.map((f) => f.sha256).join('|')})$`) } });
      const scans = await downloadAndWait(browser, emulator, urlsOf(files), RATE_LIMIT_BACKOFF_MS + 60_000);
      const rejected = emulator.requests.find((r) => r.apiKey === KEY.backoff && r.status === 429);
      expect(rejected?.fault, 'the first lookup was answered 429').toBe('status');
      for (const s of scans) expect(s.record).toMatchObject({ status: 'done', verdict: 'clean' });
      expectIdleScenario('(d) 429 backoff', browser, emulator, scans, () => rejected!.answeredAt! + RATE_LIMIT_BACKOFF_MS);
    });
  });

  it('(f) a lookup answered 429 twice with the popup open across the retry, then closed (issue 16’s measured case)', async () => {
    await inBrowser(KEY.shared, {}, async (browser) => {
      const [file] = knownFiles('shared', 1);
      // The key is shared with another app that spends its minutes: VirusTotal answers 429 twice.
      emulator.injectFault({ kind: 'status', status: 429, times: 2, match: { method: 'GET', path: new RegExp(`^/api/v3/files/${file!.sha256}$`) } });
      const popup = await browser.chrome.openExtensionPage('popup.html');
      const downloads = await browser.chrome.download([file!.url]);
      const rejected = () => emulator.requests.filter((r) => r.apiKey === KEY.shared && r.status === 429 && r.answeredAt !== null);
      // The first backoff's alarm fires while the popup keeps the worker alive; the retry is answered 429 again.
      const until = Date.now() + RATE_LIMIT_BACKOFF_MS + 60_000;
      while (rejected().length < 2) {
        if (Date.now() > until) throw new Error(`the retry after the first 429 never came (${rejected().length} 429s)`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await popup.close();
      const scans = await waitForScans(browser, emulator, downloads, 2 * RATE_LIMIT_BACKOFF_MS + 60_000);
      expect(scans[0]!.record).toMatchObject({ status: 'done', verdict: 'clean' });
      // The second backoff doubles the first.
      expectIdleScenario('(f) 429 twice, popup open across the retry', browser, emulator, scans, () => rejected()[1]!.answeredAt! + 2 * RATE_LIMIT_BACKOFF_MS);
    });
  });

  it('(e) the day’s quota used up, going on when the UTC day turns', async () => {
    // Chromium runs under libfaketime and this scenario's emulator on `now`: once the browser is up, both
    // clocks move to DAY_TURN_MS before a UTC midnight, then run on in real time. Measured at load 30: 90 s
    // from the move to the second lookup, so the day turns well after that.
    const DAY_TURN_MS = 150_000;
    let offset = 0;
    const dayEmulator = await startVirusTotalEmulator({ apiKeys: [KEY.day], quota: { perMinute: PER_MINUTE, perDay: 2 }, now: () => Date.now() + offset });
    try {
      const dir = await buildExtension({ vtApiUrl: dayEmulator.baseUrl, outDir: 'tests/artifacts/build-e2e-idle-day' });
      const settings = { quotaPreset: 'custom' as const, quota: { perMinute: PER_MINUTE, perDay: 2, perMonth: 15_500 } };
      await inBrowser(KEY.day, settings, async (browser) => {
        const real = Date.now();
        offset = Math.round((nextUtcMidnight(real) - (real + DAY_TURN_MS)) / 1000) * 1000;
        await browser.moveClock(offset);
        // The moved clock's midnight, on the machine clock.
        const midnight = nextUtcMidnight(real + offset) - offset;
        const downloads = await browser.chrome.download(urlsOf(knownFiles('day', 4, dayEmulator)));
        const answered = () => dayEmulator.requests.filter((r) => r.status === 200).map((r) => browser.toMachine(r.at));
        while (answered().length < 2 && Date.now() < midnight) await new Promise((resolve) => setTimeout(resolve, 250));
        // The day's quota must be spent before the day turns, or nothing waits for the turn.
        expect(answered().filter((at) => at < midnight), 'inconclusive: the day turned before its quota was spent (a slow machine)').toHaveLength(2);
        const scans = await waitForScans(browser, dayEmulator, downloads, Math.max(0, midnight - Date.now()) + 60_000);
        for (const s of scans) expect(s.record).toMatchObject({ status: 'done', verdict: 'clean' });
        const nextDay = scans.filter((s) => browser.toMachine(s.answer.at) >= midnight);
        expect(nextDay, 'two scans waited for the next UTC day').toHaveLength(2);
        // Chromium under libfaketime is slow (every clock read goes through it): measured at load 12–25, a 4 KiB
        // file took 45–55 s from complete to its lookup and the day's turn → done 18–19 s. So the two scans that
        // spend the day's quota are bound by their own lookup (the browser's work before it is not the quota's),
        // the other two by the turn; a scan that missed the turn's alarm would wait for the 60 s watchdog or the
        // next midnight, so 30 s of slack still tells them apart.
        expectIdleScenario('(e) day quota, resumed at the day turn', browser, dayEmulator, scans, (s) => (nextDay.includes(s) ? midnight : browser.toMachine(s.answer.at)), 30_000);
      }, true, () => dir);
    } finally {
      await dayEmulator.close();
    }
  });
});
