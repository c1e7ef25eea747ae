/**
 * Figure 1: SHA-256 throughput in the service worker, against `sha256sum` and `openssl dgst -sha256` on the
 * same file, run by run. Two product figures: the engine's whole read-and-hash path on the file served from
 * 127.0.0.1 (what a scan pays), and the hash alone on bytes generated in the worker.
 */
import type { BrowserContextParts } from '../context';
import { compare, sizeKey, sizeLabel, type Metric } from '../metrics';
import { referenceHash } from '../reference-hashers';
import { mibPerSecond, summarize } from '../stats';

const MAX_SIZE = 681_574_400;

export async function measureHashThroughput(ctx: BrowserContextParts): Promise<Metric[]> {
  const metrics: Metric[] = [];
  for (const size of ctx.plan.hashSizes) {
    const file = await ctx.site.addFile('hash', size);
    file.bytes = Buffer.alloc(0);
    const runs = { sha256sum: [] as number[], openssl: [] as number[], readHash: [] as number[], hashOnly: [] as number[] };
    for (let run = 0; run < ctx.plan.runs; run++) {
      const sum = await referenceHash('sha256sum', file.path);
      const ssl = await referenceHash('openssl', file.path);
      const worker = await ctx.ext.getWorker();
      const read = await ctx.probes.call(worker, 'readAndHash', { url: file.url, expectedSize: size, maxSize: MAX_SIZE }, 120_000);
      if (read.sha256 !== sum.sha256 || ssl.sha256 !== sum.sha256) {
        throw new Error(`digests differ for ${file.name}: extension ${read.sha256}, sha256sum ${sum.sha256}, openssl ${ssl.sha256}`);
      }
      const only = await ctx.probes.call(worker, 'hashGenerated', size, 120_000);
      if (only.matchesWebCrypto === false) throw new Error(`the streamed SHA-256 of ${size} bytes differs from WebCrypto's in Chromium`);
      runs.sha256sum.push(sum.ms);
      runs.openssl.push(ssl.ms);
      runs.readHash.push(read.ms);
      runs.hashOnly.push(only.ms);
      ctx.log(`  hash ${sizeLabel(size)} run ${run + 1}: read+hash ${read.ms.toFixed(0)} ms, hash ${only.ms.toFixed(0)} ms, sha256sum ${sum.ms.toFixed(0)} ms, openssl ${ssl.ms.toFixed(0)} ms`);
    }
    await ctx.site.removeFile(file);
    const speed = (ms: number[]) => ms.map((m) => mibPerSecond(size, m));
    const speeds = { sha256sum: speed(runs.sha256sum), openssl: speed(runs.openssl) };
    const is100 = size === 100 * 1_048_576;
    for (const [kind, label, ms] of [
      ['read', `read + hash (the scan's path), ${sizeLabel(size)}`, runs.readHash],
      ['only', `hash only (bytes made in the worker), ${sizeLabel(size)}`, runs.hashOnly],
    ] as const) {
      const value = speed(ms);
      const vsSum = compare('sha256sum', value, speeds.sha256sum, 'MiB/s', '× sha256sum');
      metrics.push({
        id: `hash.${kind}.${sizeKey(size)}`,
        figure: 1,
        label,
        unit: 'MiB/s',
        value: summarize(value),
        comparisons: [vsSum, compare('openssl', value, speeds.openssl, 'MiB/s', '× openssl')],
        ...(is100 ? { target: { text: '≥ 1.0× sha256sum', met: vsSum.ratio.median >= 1 } } : {}),
      });
    }
  }
  return metrics;
}
