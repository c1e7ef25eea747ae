/**
 * Figures 9 and 10 (issue 12): reading finished downloads from disk.
 *
 * 9. The scan's read + hash of a file on disk (`file:`, as the source reader reads a download's saved file),
 *    against `sha256sum` and `openssl dgst -sha256` on the same file, run by run.
 * 10. Download complete → verdict over a throttled link (the bench site paced to `linkMbps`), with file access
 *    on (the saved file is read) and off (the download is fetched again over the same link), each as a ratio
 *    to the pure hash time of the same bytes in the same run (the product's hash of them once in memory) and
 *    to the browser's own download time. File access is switched on chrome://extensions, which restarts the
 *    extension; it is switched back on afterwards for the figures that follow.
 */
import type { BrowserContextParts } from '../context';
import { compare, sizeKey, sizeLabel, type Metric } from '../metrics';
import { referenceHash } from '../reference-hashers';
import { downloadAndScan, expectVerdict, forgetDownloads, reachedStep } from '../scans';
import { mibPerSecond, summarize } from '../stats';

const MAX_SIZE = 681_574_400;
const MiB = 1_048_576;

export async function measureDiskHash(ctx: BrowserContextParts): Promise<Metric[]> {
  const metrics: Metric[] = [];
  for (const size of ctx.plan.disk.hashSizes) {
    const file = await ctx.site.addFile('disk', size);
    file.bytes = Buffer.alloc(0);
    const runs = { sha256sum: [] as number[], openssl: [] as number[], disk: [] as number[] };
    for (let run = 0; run < ctx.plan.runs; run++) {
      const sum = await referenceHash('sha256sum', file.path);
      const ssl = await referenceHash('openssl', file.path);
      const read = await ctx.probes.call(await ctx.ext.getWorker(), 'readAndHashFromDisk', { path: file.path, size, maxSize: MAX_SIZE }, 120_000);
      if (read.sha256 !== sum.sha256) throw new Error(`digests differ for ${file.name}: read from disk ${read.sha256}, sha256sum ${sum.sha256}`);
      runs.sha256sum.push(sum.ms);
      runs.openssl.push(ssl.ms);
      runs.disk.push(read.ms);
      ctx.log(`  disk ${sizeLabel(size)} run ${run + 1}: read+hash ${read.ms.toFixed(0)} ms, sha256sum ${sum.ms.toFixed(0)} ms, openssl ${ssl.ms.toFixed(0)} ms`);
    }
    await ctx.site.removeFile(file);
    const speed = (ms: number[]) => ms.map((m) => mibPerSecond(size, m));
    const value = speed(runs.disk);
    const vsSum = compare('sha256sum', value, speed(runs.sha256sum), 'MiB/s', '× sha256sum');
    metrics.push({
      id: `disk.read-hash.${sizeKey(size)}`,
      figure: 9,
      label: `read + hash from disk (the scan's path), ${sizeLabel(size)}`,
      unit: 'MiB/s',
      value: summarize(value),
      comparisons: [vsSum, compare('openssl', value, speed(runs.openssl), 'MiB/s', '× openssl')],
      ...(size >= 100 * MiB ? { target: { text: '≥ 1.0× sha256sum', met: vsSum.ratio.median >= 1 } } : {}),
    });
  }
  return metrics;
}

type Way = 'disk' | 'network';

export async function measureThrottledVerdict(ctx: BrowserContextParts): Promise<Metric[]> {
  const { throttledSize: size, linkMbps, throttledRuns } = ctx.plan.disk;
  const bytesPerSecond = (linkMbps * 1_000_000) / 8;
  // The download and (fetched again) the re-fetch each take size / rate; leave room for both and the scan.
  const timeoutMs = Math.ceil((2 * size * 1000) / bytesPerSecond) + 60_000;
  const metrics: Metric[] = [];
  for (const way of ['disk', 'network'] as const satisfies readonly Way[]) {
    const runs = { total: [] as number[], hash: [] as number[], download: [] as number[] };
    const parts = { 'complete → record created': [] as number[], 'read + hash': [] as number[], 'lookup + save': [] as number[] };
    // Figure 10's floor, measured on the same file after each scan (disk only): the scan's read + hash outside the
    // engine, and only moving the bytes into the worker (nothing kept, nothing hashed).
    const alone = { 'read + hash alone (hashUrl on the file)': [] as number[], 'read alone (bytes into the worker, dropped)': [] as number[] };
    if (way === 'network') await ctx.ext.setFileAccess(false);
    try {
      for (let run = 0; run < throttledRuns; run++) {
        const file = await ctx.site.addFile('throttled', size);
        ctx.emulator.addFile(file.bytes, 'clean');
        file.bytes = Buffer.alloc(0);
        ctx.site.throttle(bytesPerSecond);
        let scan;
        try {
          [scan] = await downloadAndScan(ctx.probes, ctx.ext, [file.url], timeoutMs);
        } finally {
          ctx.site.throttle(null);
        }
        expectVerdict(scan!, 'clean', { fromCache: false });
        if (scan!.record.readFrom !== way) throw new Error(`the ${way} run read the file from ${scan!.record.readFrom}`);
        const { startedAt, completedAt } = scan!.download;
        const hash = await ctx.probes.call(await ctx.ext.getWorker(), 'hashOnlyOf', { url: file.url }, 120_000);
        if (hash.sha256 !== scan!.record.sha256) throw new Error(`the pure hash of ${file.name} differs from the scan's`);
        if (way === 'disk') {
          const read = await ctx.probes.call(await ctx.ext.getWorker(), 'readAndHashFromDisk', { path: file.path, size, maxSize: MAX_SIZE }, 120_000);
          if (read.sha256 !== scan!.record.sha256) throw new Error(`hashUrl on ${file.name} differs from the scan's hash`);
          const moved = await ctx.probes.call(await ctx.ext.getWorker(), 'readOnlyFromDisk', { path: file.path, maxSize: MAX_SIZE }, 120_000);
          alone['read + hash alone (hashUrl on the file)'].push(read.ms);
          alone['read alone (bytes into the worker, dropped)'].push(moved.ms);
        }
        const hashed = reachedStep(scan!, 'lookup') ?? Number.NaN;
        parts['complete → record created'].push(scan!.record.createdAt - completedAt);
        parts['read + hash'].push(hashed - scan!.record.createdAt);
        parts['lookup + save'].push(scan!.record.updatedAt - hashed);
        runs.total.push(scan!.record.updatedAt - completedAt);
        runs.hash.push(hash.ms);
        runs.download.push(completedAt - startedAt);
        ctx.log(`  ${way} ${sizeLabel(size)} at ${linkMbps} Mbit/s run ${run + 1}: download ${(completedAt - startedAt).toFixed(0)} ms, complete → done ${(scan!.record.updatedAt - completedAt).toFixed(0)} ms, hash ${hash.ms.toFixed(0)} ms${way === 'disk' ? `, read + hash alone ${alone['read + hash alone (hashUrl on the file)'].at(-1)!.toFixed(0)} ms, read alone ${alone['read alone (bytes into the worker, dropped)'].at(-1)!.toFixed(0)} ms` : ''}`);
        await forgetDownloads(ctx.probes, ctx.ext, [scan!]);
        await ctx.site.removeFile(file);
      }
    } finally {
      if (way === 'network') await ctx.ext.setFileAccess(true);
    }
    const vsHash = compare('pure hash of the same bytes', runs.total, runs.hash, 'ms', '× hash time');
    metrics.push({
      id: `disk.complete-to-done.${way}.${sizeKey(size)}`,
      figure: 10,
      label: `download complete → done at ${linkMbps} Mbit/s, ${way === 'disk' ? 'read from disk' : 'fetched again'}, ${sizeLabel(size)}`,
      unit: 'ms',
      value: summarize(runs.total),
      comparisons: [vsHash, compare("the browser's own download", runs.total, runs.download, 'ms', '× download time')],
      breakdown: Object.fromEntries([...Object.entries(parts), ...(way === 'disk' ? Object.entries(alone) : [])].map(([k, v]) => [k, summarize(v)])),
      ...(way === 'disk' ? { target: { text: '≤ 1.2× hash time', met: vsHash.ratio.median <= 1.2 } } : {}),
    });
  }
  return metrics;
}
