/**
 * Figure 2: download complete → record `done`, for a file VirusTotal knows and the emulator answers at once,
 * against the browser's own download time of the same file (both timed in the worker). A new file each run,
 * so no run is answered from ScanDock's cache.
 */
import type { BrowserContextParts } from '../context';
import { compare, sizeKey, sizeLabel, type Metric } from '../metrics';
import { downloadAndScan, expectVerdict, forgetDownloads, reachedStep } from '../scans';
import { summarize } from '../stats';

export async function measureScanLatency(ctx: BrowserContextParts): Promise<Metric[]> {
  const metrics: Metric[] = [];
  for (const size of ctx.plan.scanSizes) {
    const download: number[] = [];
    const total: number[] = [];
    const parts = { 'complete → record created': [] as number[], 'read + hash': [] as number[], 'lookup + save': [] as number[] };
    for (let run = 0; run < ctx.plan.runs; run++) {
      const file = await ctx.site.addFile('scan', size);
      ctx.emulator.addFile(file.bytes, 'clean');
      file.bytes = Buffer.alloc(0);
      const [scan] = await downloadAndScan(ctx.probes, ctx.ext, [file.url]);
      expectVerdict(scan!, 'clean', { fromCache: false });
      const { startedAt, completedAt } = scan!.download;
      const hashed = reachedStep(scan!, 'lookup') ?? Number.NaN;
      download.push(completedAt - startedAt);
      total.push(scan!.record.updatedAt - completedAt);
      parts['complete → record created'].push(scan!.record.createdAt - completedAt);
      parts['read + hash'].push(hashed - scan!.record.createdAt);
      parts['lookup + save'].push(scan!.record.updatedAt - hashed);
      ctx.log(`  scan ${sizeLabel(size)} run ${run + 1}: download ${(completedAt - startedAt).toFixed(0)} ms, complete → done ${(scan!.record.updatedAt - completedAt).toFixed(0)} ms`);
      await forgetDownloads(ctx.probes, ctx.ext, [scan!]);
      await ctx.site.removeFile(file);
    }
    const vsDownload = compare("the browser's own download", total, download, 'ms', '× download time');
    const small = size <= 1_048_576;
    metrics.push({
      id: `scan.complete-to-done.${sizeKey(size)}`,
      figure: 2,
      label: `download complete → done, ${sizeLabel(size)}`,
      unit: 'ms',
      value: summarize(total),
      comparisons: [vsDownload],
      breakdown: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, summarize(v)])),
      ...(small
        ? { target: { text: '≤ 150 ms', met: summarize(total).median <= 150 } }
        : size === 100 * 1_048_576
          ? { target: { text: '≤ 2× download time', met: vsDownload.ratio.median <= 2 } }
          : {}),
    });
  }
  return metrics;
}
