/**
 * Figure 8: peak resident memory of the whole browser while 10 files of 200 MiB that VirusTotal has never
 * seen wait for the quota with uploads on, above the same browser's memory just before, as a multiple of
 * the largest file. A waiting scan should hold none of its file: the bytes are read again when its upload
 * is due, one upload at a time.
 *
 * The quota is a custom 10 a minute on both sides, not the public 4: each file costs 4 requests (lookup,
 * upload_url, the upload, one analysis poll: the emulator completes an analysis at its first poll), 40 in
 * all. At 4/min that is 10 windows (~9.5 min); at 10/min 4 (~3.5 min). Either way the first window's slots
 * go mostly to lookups, so the uploads queue behind the quota with their files already read and hashed,
 * which is the state this figure is about. A fresh browser and its own emulator and build.
 */
import { MINUTE_MS, WINDOW_SAFETY_MS } from '../../utils/quota/quota-math';
import { startVirusTotalEmulator } from '../../tests/emulator/virustotal-emulator';
import { buildExtension, launchExtension } from '../../tests/support/extension-browser';
import type { BenchContext } from '../context';
import { sizeKey, sizeLabel, type Metric } from '../metrics';
import { findBrowserPid, sampleMemory, settledBaseline } from '../process-memory';
import { doneAt, downloadAndScan, forgetDownloads, prepareDownloads } from '../scans';
import { configure } from '../settings';
import { MiB, summarize } from '../stats';

const FILES = 10;
const SIZE = 200 * MiB;
const QUOTA = { perMinute: 10, perDay: 500, perMonth: 15_500 };
const WINDOW_MS = MINUTE_MS + WINDOW_SAFETY_MS;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The bench's own Node process (where the emulator reads the uploads): its peak RSS, sampled. */
function sampleOwnMemory(intervalMs = 50): { peak(): number; stop(): void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

export async function measureQueuedMemory(ctx: BenchContext): Promise<Metric[]> {
  const emulator = await startVirusTotalEmulator({ quota: QUOTA, analysisPolls: 0 });
  const files = [];
  try {
    const extensionDir = await buildExtension({ vtApiUrl: emulator.baseUrl, outDir: `tests/artifacts/build-${ctx.buildName}-queued` });
    for (let i = 0; i < FILES; i++) {
      const file = await ctx.site.addFile('queued', SIZE);
      // Unknown to VirusTotal: the bench needs none of the bytes.
      file.bytes = Buffer.alloc(0);
      files.push(file);
    }
    const ext = await launchExtension({ extensionDir });
    try {
      await configure(ctx.probes, ext, { quotaPreset: 'custom', quota: QUOTA, uploadUnknown: true });
      await ctx.probes.call(await ext.getWorker(), 'ping', undefined);
      await prepareDownloads(ext);
      const pid = await findBrowserPid(extensionDir);
      if (pid === null) throw new Error(`no Chromium process loading ${extensionDir}`);
      const baseline = await settledBaseline(pid);
      const ownBefore = process.memoryUsage.rss();
      const own = sampleOwnMemory();
      const sampler = sampleMemory(pid, 50);
      ctx.log(`  queued uploads: ${FILES} unknown files of ${sizeLabel(SIZE)} at once, ${QUOTA.perMinute}/min, uploads on (about 4 min)…`);
      let scans;
      try {
        scans = await downloadAndScan(ctx.probes, ext, files.map((f) => f.url), 480_000);
        await delay(500);
      } finally {
        await sampler.stop();
        own.stop();
      }
      for (const scan of scans) {
        const r = scan.record;
        if (r.status !== 'done' || r.verdict !== 'clean' || !r.analysisId) throw new Error(`the upload scan of ${r.fileName} ended ${r.status}/${r.verdict}: ${JSON.stringify(r.error)}`);
      }
      const peak = sampler.peak() - baseline;
      const typical = summarize(sampler.samples().map(([, bytes]) => bytes - baseline)).median;
      const waits = scans.map((s) => (doneAt(s) - s.download.completedAt) / 1000);
      const worst = Math.max(...waits);
      const uploads = emulator.uploads.length;
      const requests = emulator.requests.length;
      const rejected = emulator.requests.filter((r) => r.status === 429).length;
      const quotaBound = (Math.ceil(requests / QUOTA.perMinute) - 1) * WINDOW_MS / 1000;
      const ownPeak = (own.peak() - ownBefore) / MiB;
      await forgetDownloads(ctx.probes, ext, scans);
      ctx.log(`  queued uploads: baseline ${(baseline / MiB).toFixed(0)} MiB, peak +${(peak / MiB).toFixed(0)} MiB (${(peak / SIZE).toFixed(2)}× a file); worst complete → done ${worst.toFixed(1)} s; ${uploads} uploads, ${requests} requests, ${rejected} answered 429; the bench's own process +${ownPeak.toFixed(0)} MiB`);
      return [
        {
          id: `memory.queued-uploads.${FILES}x${sizeKey(SIZE)}`,
          figure: 8,
          label: `peak browser memory above baseline, ${FILES} unknown ${sizeLabel(SIZE)} files waiting for the quota, uploads on`,
          unit: '× largest file',
          value: summarize([peak / SIZE]),
          comparisons: [],
          breakdown: {
            'peak above baseline (MiB)': summarize([peak / MiB]),
            'median above baseline over the run (MiB)': summarize([typical / MiB]),
            'baseline (MiB)': summarize([baseline / MiB]),
            'the bench’s own process (the emulator reading uploads), peak above its start (MiB)': summarize([ownPeak]),
          },
          target: { text: '≤ 1.5× largest file', met: peak / SIZE <= 1.5 },
          note: `run once, a fresh browser; quota ${QUOTA.perMinute}/min on both sides; ${uploads} uploads, ${requests} requests, ${rejected} answered 429`,
        },
        {
          id: `memory.queued-uploads.worst-wait`,
          figure: 8,
          label: `the same ${FILES} files: complete → done, worst file`,
          unit: 's',
          value: summarize([worst]),
          comparisons: [],
          breakdown: { 'every file (s)': summarize(waits) },
          note: `the quota alone needs ${quotaBound.toFixed(1)} s for the run's ${requests} requests (${QUOTA.perMinute} at once, then ${QUOTA.perMinute} per ${WINDOW_MS / 1000} s); each analysis is polled 15 s after its upload`,
        },
      ];
    } finally {
      await ext.close();
    }
  } finally {
    for (const f of files) await ctx.site.removeFile(f);
    await emulator.close();
  }
}
