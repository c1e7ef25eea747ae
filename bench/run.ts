/**
 * `npm run bench [-- --quick] [-- --only 1,4] [-- --no-drain] [-- --out <file>]`: runs the bench, prints the
 * table and writes the results as JSON (default bench/results.json; --quick, --only and --no-drain write to
 * bench/tmp/ so a partial run never replaces the committed full results) and the Markdown table beside it.
 * `--only 7`, `--only 8` or `--only 11` re-measures one real-time quota figure alone; `--no-drain` skips the
 * seven-minute bursts of figures 7 and 11.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runBench } from './bench';
import { FULL_PLAN, QUICK_PLAN } from './plan';
import { breakdownLines, machineLine, markdownTable, textTable } from './report';

const HERE = path.dirname(fileURLToPath(import.meta.url));

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const value = (flag: string) => (argv.indexOf(flag) >= 0 ? argv[argv.indexOf(flag) + 1] : undefined);
  const only = value('--only')?.split(',').map(Number).filter((n) => n >= 1 && n <= 12);
  const noDrain = argv.includes('--no-drain');
  const plan = { ...(quick ? QUICK_PLAN : FULL_PLAN), ...(only ? { figures: only } : {}), ...(noDrain ? { quotaBurst: false, idleBurst: false } : {}) };
  const partial = quick || only !== undefined || noDrain;
  const out = value('--out') ? path.resolve(value('--out')!) : path.join(HERE, partial ? `tmp/results-${quick ? 'quick' : 'partial'}.json` : 'results.json');
  const results = await runBench({ plan });
  console.log(`\n${textTable(results)}\n`);
  for (const line of breakdownLines(results)) console.log(`  ${line}`);
  console.log(`\n${machineLine(results)}`);
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(out.replace(/\.json$/, '.md'), `${markdownTable(results)}\n\n${breakdownLines(results).map((l) => `- ${l}`).join('\n')}\n\n${machineLine(results)}\n`);
  console.log(`results: ${path.relative(process.cwd(), out)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
