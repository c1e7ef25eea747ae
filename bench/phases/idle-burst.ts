/**
 * Figure 11: figure 7's burst of 30 known files at 4/min, with the worker stopped by Chrome itself. The
 * browser is launched by hand with nothing attached to its service worker (tests/support/unattached-chrome.ts),
 * so between the quota's windows Chrome stops the idle worker as on a person's machine and only the
 * `scandock-wake` alarm starts it again. Per file, VirusTotal's answer to its lookup (`answeredAt`) → its
 * record done (`updatedAt`); the makespan (first complete → last done) against the quota bound; the worker
 * stops Chrome reported during the burst; the 429s. Real time, once (~7.5 minutes); its own emulator and build.
 */
import { startVirusTotalEmulator, DEMO_API_KEY } from '../../tests/emulator/virustotal-emulator';
import { buildExtension } from '../../tests/support/extension-browser';
import { launchUnattached, type UnattachedChrome } from '../../tests/support/unattached-chrome';
import { MINUTE_MS, WINDOW_SAFETY_MS } from '../../utils/quota/quota-math';
import type { ScanRecord } from '../../utils/scan/scan-record';
import type { BenchContext } from '../context';
import type { Metric } from '../metrics';
import { burstMetrics } from './burst-metrics';
import { summarize } from '../stats';

const FILES = 30;
const PER_MINUTE = 4;
const WINDOW_MS = MINUTE_MS + WINDOW_SAFETY_MS;
/** 4 at once, then 4 per window: the last turn opens this long after the first. */
const BOUND_MS = (Math.ceil(FILES / PER_MINUTE) - 1) * WINDOW_MS;

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls the records (from the neutral page) until every download's scan is finished. */
async function finishedRecords(chrome: UnattachedChrome, downloadIds: number[], timeoutMs: number): Promise<ScanRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await chrome.readRecords();
    const mine = downloadIds.map((id) => records.find((r) => r.source.kind === 'download' && r.source.downloadId === id));
    if (mine.every((r) => r && (r.status === 'done' || r.status === 'error'))) return mine as ScanRecord[];
    if (Date.now() > deadline) throw new Error(`${mine.filter((r) => r?.status === 'done').length} of ${FILES} scans done after ${timeoutMs} ms`);
    await delay(1_000);
  }
}

export async function measureIdleBurst(ctx: BenchContext): Promise<Metric[]> {
  const emulator = await startVirusTotalEmulator({ quota: { perMinute: PER_MINUTE, perDay: 500 } });
  try {
    const extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: `tests/artifacts/build-${ctx.buildName}-idle` });
    const chrome = await launchUnattached({ extensionDir });
    try {
      // The defaults: the public key's quota preset (4/min, 500/day).
      await chrome.setStorage({ apiKey: DEMO_API_KEY, keyStatus: 'valid', settings: {} });
      const files = await Promise.all(Array.from({ length: FILES }, () => ctx.site.addFile('idle-burst', 4096)));
      for (const file of files) emulator.addFile(file.bytes, 'clean');
      ctx.log(`  idle burst: ${FILES} downloads at once, public quota, nothing attached to the worker (about ${Math.round(BOUND_MS / 1000)} s)…`);
      const downloads = await chrome.download(files.map((f) => f.url));
      const records = await finishedRecords(chrome, downloads.map((d) => d.id), BOUND_MS + 120_000);
      for (const f of files) await ctx.site.removeFile(f);
      const bad = records.filter((r) => r.status !== 'done' || r.verdict !== 'clean');
      if (bad.length > 0) throw new Error(`idle burst: ${bad.length} scans did not end done/clean: ${JSON.stringify(bad.map((r) => [r.fileName, r.status, r.error]))}`);

      const lags = records.map((r) => {
        const lookup = emulator.requests.find((q) => q.method === 'GET' && q.path === `/api/v3/files/${r.sha256}` && q.status === 200);
        if (!lookup?.answeredAt) throw new Error(`no answered lookup of ${r.fileName}`);
        return r.updatedAt - lookup.answeredAt;
      });
      const start = Math.min(...downloads.map((d) => Date.parse(d.endTime!)));
      const end = Math.max(...records.map((r) => r.updatedAt));
      const makespan = end - start;
      const stops = chrome.stopsBetween(start, end).length;
      const starts = chrome.workerEvents.filter((e) => e.kind === 'start' && e.at >= start && e.at <= end).length;
      const rejected = emulator.requests.filter((r) => r.status === 429).length;
      const worstLag = Math.max(...lags);
      ctx.log(
        `  idle burst: makespan ${(makespan / 1000).toFixed(1)} s (bound ${(BOUND_MS / 1000).toFixed(2)} s), answer → done worst ${worstLag} ms, median ${summarize(lags).median} ms; ` +
          `worker stopped ${stops}× and started ${starts}× by Chrome during the burst; ${emulator.requests.length} requests, ${rejected} answered 429`,
      );

      const label = `${FILES} known files at ${PER_MINUTE}/min, worker stopped by Chrome`;
      const once = 'real time, run once, nothing attached to the service worker';
      return [
        ...burstMetrics({
          idPrefix: 'idle.burst',
          figure: 11,
          label,
          once,
          lagNote: `the answer is the emulator’s, done is the record’s updatedAt (read from a neutral page, manifest.json); the same machine clock`,
          lags,
          makespanMs: makespan,
          boundMs: BOUND_MS,
          perMinute: PER_MINUTE,
          windowMs: WINDOW_MS,
        }),
        {
          id: 'idle.burst.worker-stops',
          figure: 11,
          label: `${label}: worker stops Chrome made during the burst`,
          unit: 'stops',
          value: summarize([stops]),
          comparisons: [],
          target: { text: '≥ 1 (else the figure is figure 7 again)', met: stops >= 1 },
          note: `Target.setDiscoverTargets' service_worker targets destroyed between the first complete and the last done; ${starts} started`,
        },
        {
          id: 'idle.burst.429s',
          figure: 11,
          label: `429 answers during the ${FILES}-file burst with the worker stopped by Chrome`,
          unit: 'responses',
          value: summarize([rejected]),
          comparisons: [],
          target: { text: '0', met: rejected === 0 },
          note: `${emulator.requests.length} requests in all`,
        },
      ];
    } finally {
      await chrome.close();
    }
  } finally {
    await emulator.close();
  }
}
