/**
 * `runBench(plan)`: the built extension in headless Chromium against the VirusTotal emulator, measured the
 * six ways issue 4 lists, the two of issue 9, the two of issue 12 and the one of
 * issue 16. The main phases share one browser; the memory figures use
 * a fresh browser per run, and the real-time quota figures (7, 8, 11) their own emulator and build each.
 * `npm run bench` (bench/run.ts) prints and saves it.
 */
import { startVirusTotalEmulator } from '../tests/emulator/virustotal-emulator';
import { buildExtension, launchExtension } from '../tests/support/extension-browser';
import type { BenchContext } from './context';
import { machineInfo, type MachineInfo } from './machine';
import type { Metric } from './metrics';
import { measureDiskHash, measureThrottledVerdict } from './phases/disk-read';
import { measureHashThroughput } from './phases/hash-throughput';
import { measureIdleBurst } from './phases/idle-burst';
import { measureMemory } from './phases/memory';
import { measureDoneToPopup, measurePopupFirstPaint, seedHistory } from './phases/popup-latency';
import { measureQuotaBurst } from './phases/quota-burst';
import { measureQueuedMemory } from './phases/queued-memory';
import { measureRequests } from './phases/requests';
import { measureScanLatency } from './phases/scan-latency';
import { measureSecondLookQuota } from './phases/second-look-quota';
import type { BenchPlan } from './plan';
import { loadProbes } from './probes';
import { BENCH_SETTINGS, UNLIMITED_QUOTA, configure } from './settings';
import { startBenchSite } from './site';
import { loadavg } from 'node:os';

export interface BenchResults {
  plan: BenchPlan['name'];
  runs: number;
  machine: MachineInfo;
  /** Wall time of the whole bench. */
  seconds: number;
  metrics: Metric[];
}

export interface BenchOptions {
  plan: BenchPlan;
  log?: (line: string) => void;
  /** Builds go to tests/artifacts/build-<buildName>[-quota]; default 'bench' (the smoke test uses its own). */
  buildName?: string;
}

export async function runBench({ plan, log = console.log, buildName = 'bench' }: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const machine = machineInfo();
  const probes = await loadProbes();
  const site = await startBenchSite();
  // The main emulator answers at once and never holds a figure back for the quota; analyses complete at the first poll.
  const emulator = await startVirusTotalEmulator({ quota: { ...UNLIMITED_QUOTA }, analysisPolls: 0 });
  const metrics: Metric[] = [];
  try {
    log('building the extension against the emulator…');
    const extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: `tests/artifacts/build-${buildName}` });
    const ctx: BenchContext = { plan, log, probes, site, emulator, extensionDir, buildName };
    const wanted = (figure: number) => !plan.figures || plan.figures.includes(figure);
    if ([1, 2, 3, 5, 6, 9, 10].some(wanted)) {
      const ext = await launchExtension({ extensionDir });
      try {
        await probes.watchPages(ext.context);
        await configure(probes, ext, BENCH_SETTINGS);
        const withBrowser = { ...ctx, ext };
        if (wanted(1)) {
          log('1. SHA-256 throughput');
          metrics.push(...(await measureHashThroughput(withBrowser)));
        }
        if (wanted(2)) {
          log('2. download complete → done');
          metrics.push(...(await measureScanLatency(withBrowser)));
        }
        if (wanted(5)) {
          log('5. requests per verdict');
          metrics.push(...(await measureRequests(withBrowser)));
        }
        if (wanted(9)) {
          log('9. read + hash from disk');
          metrics.push(...(await measureDiskHash(withBrowser)));
        }
        if (wanted(10)) {
          log('10. download complete → verdict over a throttled link, from disk and fetched again');
          metrics.push(...(await measureThrottledVerdict(withBrowser)));
        }
        if (wanted(3) || wanted(6)) {
          log('6. popup first paint, and 3. done → popup, with a full history');
          const history = await seedHistory(withBrowser);
          if (wanted(6)) metrics.push(...(await measurePopupFirstPaint(withBrowser, history)));
          if (wanted(3)) metrics.push(...(await measureDoneToPopup(withBrowser, history)));
        }
      } finally {
        await ext.close();
      }
    }
    if (wanted(4)) {
      log('4. peak memory');
      metrics.push(...(await measureMemory(ctx)));
    }
    if (plan.quotaBurst && wanted(7)) {
      log('7. VirusTotal’s answer → done, 30 known files under the public quota');
      metrics.push(...(await measureQuotaBurst(ctx)));
    }
    if (plan.queuedUploads && wanted(8)) {
      log('8. peak memory, unknown files waiting for the quota with uploads on');
      metrics.push(...(await measureQueuedMemory(ctx)));
    }
    if (plan.idleBurst && wanted(11)) {
      log('11. VirusTotal’s answer → done, 30 known files under the public quota, the worker stopped by Chrome itself');
      metrics.push(...(await measureIdleBurst(ctx)));
    }
    if (wanted(12)) {
      log('12. second looks: quota per day and extra wait of new scans, a simulated person (30 downloads a day)');
      metrics.push(...(await measureSecondLookQuota(ctx)));
    }
  } finally {
    await site.close();
    await emulator.close();
  }
  machine.loadAtEnd = loadavg()[0];
  metrics.sort((a, b) => a.figure - b.figure);
  return { plan: plan.name, runs: plan.runs, machine, seconds: (performance.now() - started) / 1000, metrics };
}
