/**
 * `npx tsx bench/tools/disk-read-variants.ts [sizeMiB…] [--runs n] [--only a,b]`: where figure 9's read +
 * hash time goes. Builds the extension, writes files of random bytes and times, inside its service worker,
 * each way of reading them from disk (bench/probe/read-variants.ts), the variants interleaved run by run,
 * with `sha256sum` on the same file beside them. Prints each variant's median (min–max) in ms and MiB/s.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension, launchExtension } from '../../tests/support/extension-browser';
import { referenceHash } from '../reference-hashers';
import { startBenchSite } from '../site';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MiB = 1_048_576;

interface Timing {
  ms: number;
  sha256?: string;
  size: number;
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => (argv.indexOf(name) >= 0 ? argv[argv.indexOf(name) + 1] : undefined);
  const runs = Number(flag('--runs') ?? 5);
  const only = flag('--only')?.split(',');
  const sizes = argv.filter((a, i) => /^\d+$/.test(a) && !['--runs'].includes(argv[i - 1] ?? '')).map((s) => Number(s) * MiB);
  const code = (await build({ entryPoints: [path.join(HERE, '..', 'probe', 'read-variants.ts')], bundle: true, write: false, format: 'iife', platform: 'browser', target: 'chrome120', logLevel: 'silent' })).outputFiles[0]!.text;
  const site = await startBenchSite();
  const extensionDir = await buildExtension({ vtApiUrl: 'http://127.0.0.1:9/api/v3', outDir: 'tests/artifacts/build-read-variants' });
  const ext = await launchExtension({ extensionDir });
  try {
    const worker = await ext.getWorker();
    await worker.evaluate(code);
    const call = <T>(name: string, arg?: unknown) =>
      worker.evaluate(([n, a]) => (globalThis as unknown as { scandockReadVariants: Record<string, (x: unknown) => Promise<unknown>> }).scandockReadVariants[n]!(a), [name, arg] as const) as Promise<T>;
    const names = (await call<string[]>('variantNames')).filter((n) => !only || only.includes(n));
    for (const size of sizes.length ? sizes : [100 * MiB]) {
      const file = await site.addFile('variants', size);
      file.bytes = Buffer.alloc(0);
      const times: Record<string, number[]> = { sha256sum: [] };
      let expected = '';
      for (let run = 0; run < runs; run++) {
        const sum = await referenceHash('sha256sum', file.path);
        expected = sum.sha256;
        times.sha256sum!.push(sum.ms);
        for (const name of names) {
          const t = await call<Timing>('readVariant', { path: file.path, size, variant: name });
          if (t.size !== size) throw new Error(`${name}: read ${t.size} of ${size} bytes`);
          if (t.sha256 !== undefined && t.sha256 !== expected) throw new Error(`${name}: digest ${t.sha256}, sha256sum ${expected}`);
          (times[name] ??= []).push(t.ms);
        }
      }
      console.log(`\n${size / MiB} MiB, ${runs} runs, interleaved (median, min–max):`);
      for (const [name, ms] of Object.entries(times)) {
        const sorted = [...ms].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)]!;
        console.log(`  ${name.padEnd(24)} ${median.toFixed(0).padStart(6)} ms (${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)})  ${((size / MiB) / (median / 1000)).toFixed(0).padStart(5)} MiB/s`);
      }
      await site.removeFile(file);
    }
  } finally {
    await ext.close();
    await site.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
