/**
 * Figure 4: peak resident memory of the whole browser (every Chromium process of it, from /proc every
 * ~50 ms) while a large known file is downloaded and scanned, minus the same browser's memory just before,
 * as a multiple of the file size. Each run in a fresh browser, so no run inherits another's garbage. Then
 * once at VirusTotal's limit (650 MB): does it work at all.
 */
import { launchExtension } from '../../tests/support/extension-browser';
import type { BenchContext } from '../context';
import { sizeKey, sizeLabel, type Metric } from '../metrics';
import { findBrowserPid, sampleMemory, settledBaseline } from '../process-memory';
import { downloadAndScan, forgetDownloads, prepareDownloads } from '../scans';
import { BENCH_SETTINGS, configure } from '../settings';
import { summarize } from '../stats';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface MemoryRun {
  baseline: number;
  peak: number;
  completeToDone: number;
  download: number;
  ok: boolean;
  outcome: string;
}

async function oneRun(ctx: BenchContext, size: number): Promise<MemoryRun> {
  const file = await ctx.site.addFile('memory', size);
  ctx.emulator.addFile(file.bytes, 'clean');
  file.bytes = Buffer.alloc(0);
  const ext = await launchExtension({ extensionDir: ctx.extensionDir });
  try {
    await configure(ctx.probes, ext, BENCH_SETTINGS);
    await ctx.probes.call(await ext.getWorker(), 'ping', undefined);
    await prepareDownloads(ext);
    const pid = await findBrowserPid(ctx.extensionDir);
    if (pid === null) throw new Error(`no Chromium process loading ${ctx.extensionDir}`);
    const baseline = await settledBaseline(pid);
    const sampler = sampleMemory(pid, 50);
    let scans;
    try {
      scans = await downloadAndScan(ctx.probes, ext, [file.url], 300_000);
      await delay(500);
    } finally {
      await sampler.stop();
    }
    const scan = scans[0]!;
    const r = scan.record;
    await forgetDownloads(ctx.probes, ext, scans);
    return {
      baseline,
      peak: sampler.peak(),
      completeToDone: r.updatedAt - scan.download.completedAt,
      download: scan.download.completedAt - scan.download.startedAt,
      ok: r.status === 'done' && r.verdict === 'clean',
      outcome: `${r.status}/${r.verdict ?? '-'}${r.error ? `: ${JSON.stringify(r.error)}` : ''}`,
    };
  } finally {
    await ext.close();
    await ctx.site.removeFile(file);
  }
}

export async function measureMemory(ctx: BenchContext): Promise<Metric[]> {
  const size = ctx.plan.memorySize;
  const runs: MemoryRun[] = [];
  for (let run = 0; run < ctx.plan.memoryRuns; run++) {
    const result = await oneRun(ctx, size);
    if (!result.ok) throw new Error(`the ${sizeLabel(size)} scan ended ${result.outcome}`);
    runs.push(result);
    ctx.log(`  memory ${sizeLabel(size)} run ${run + 1}: baseline ${(result.baseline / 1_048_576).toFixed(0)} MiB, peak +${((result.peak - result.baseline) / 1_048_576).toFixed(0)} MiB, complete → done ${result.completeToDone.toFixed(0)} ms`);
  }
  const ratio = summarize(runs.map((r) => (r.peak - r.baseline) / size));
  const metrics: Metric[] = [{
    id: `memory.peak.${sizeKey(size)}`,
    figure: 4,
    label: `peak browser memory above baseline, scanning ${sizeLabel(size)}`,
    unit: '× file size',
    value: ratio,
    comparisons: [],
    breakdown: {
      'peak above baseline (MiB)': summarize(runs.map((r) => (r.peak - r.baseline) / 1_048_576)),
      'baseline (MiB)': summarize(runs.map((r) => r.baseline / 1_048_576)),
      'complete → done (ms)': summarize(runs.map((r) => r.completeToDone)),
      'download (ms)': summarize(runs.map((r) => r.download)),
    },
    ...(size >= 500 * 1_048_576 ? { target: { text: '≤ 1.5× file size', met: ratio.median <= 1.5 } } : {}),
  }];

  if (ctx.plan.limitSize !== null) {
    const limit = ctx.plan.limitSize;
    let result: MemoryRun;
    try {
      result = await oneRun(ctx, limit);
    } catch (error) {
      result = { baseline: 0, peak: 0, completeToDone: Number.NaN, download: Number.NaN, ok: false, outcome: error instanceof Error ? error.message : String(error) };
    }
    ctx.log(`  ${sizeLabel(limit)}: ${result.outcome}, peak +${((result.peak - result.baseline) / 1_048_576).toFixed(0)} MiB, complete → done ${result.completeToDone.toFixed(0)} ms`);
    metrics.push({
      id: `memory.limit.${sizeKey(limit)}`,
      figure: 4,
      label: `a ${sizeLabel(limit)} file is scanned (1 = done, 0 = failed)`,
      unit: 'works',
      value: summarize([result.ok ? 1 : 0]),
      comparisons: [],
      breakdown: {
        'peak above baseline (× file size)': summarize([(result.peak - result.baseline) / limit]),
        'complete → done (ms)': summarize([result.completeToDone]),
        'download (ms)': summarize([result.download]),
      },
      target: { text: 'works, no crash', met: result.ok },
      note: `ran once; outcome ${result.outcome}`,
    });
  }
  return metrics;
}
