/**
 * `npm run soak [-- --scans N] [-- --seed N]`: the full soak (default 300 scans, a random seed, printed
 * so a failure can be replayed). It runs tests/soak/soak.full.test.ts under Vitest, which the engine
 * harness needs (WXT's fake browser, the `@/` aliases), and exits non-zero when a check fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = args[at]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
}

const scans = Number(option('scans') ?? 300);
const seed = Number(option('seed') ?? Math.floor(Math.random() * 2 ** 31));
if (!Number.isInteger(scans) || scans <= 0 || !Number.isInteger(seed)) {
  console.error('usage: npm run soak -- [--scans N] [--seed N]');
  process.exit(2);
}
const reportFile = join(mkdtempSync(join(tmpdir(), 'scandock-soak-')), 'report.json');
console.log(`soak: ${scans} scans, seed ${seed}`);
const run = spawnSync('npx', ['vitest', 'run', '--project', 'unit', 'tests/soak/soak.full.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SOAK_SCANS: String(scans), SOAK_SEED: String(seed), SOAK_REPORT: reportFile },
});
try {
  console.log(`soak report (${reportFile}):\n${readFileSync(reportFile, 'utf8')}`);
} catch {
  console.error('soak: no report was written (the run failed before the end)');
}
console.log(`soak: seed ${seed} ${run.status === 0 ? 'passed' : 'FAILED'}`);
process.exit(run.status ?? 1);
