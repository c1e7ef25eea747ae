/**
 * `npm run bench [-- --quick] [-- --out <file>]`: runs the bench, prints the table and writes the results as
 * JSON (default bench/results.json; --quick writes bench/tmp/results-quick.json so a quick run never replaces
 * the committed full results) and the Markdown table beside it (`.md`).
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
  const outIndex = argv.indexOf('--out');
  const out = outIndex >= 0 && argv[outIndex + 1] ? path.resolve(argv[outIndex + 1]!) : path.join(HERE, quick ? 'tmp/results-quick.json' : 'results.json');
  const results = await runBench({ plan: quick ? QUICK_PLAN : FULL_PLAN });
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
