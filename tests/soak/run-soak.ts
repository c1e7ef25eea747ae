/**
 * `npm run soak`: the full soak on fresh seeds, checked for loss, stuck records, self-inflicted 429s,
 * counter drift and double uploads; exits non-zero when a check fails.
 *
 *   npm run soak                                one fresh seed, 300 scans
 *   npm run soak -- --seeds 10                  ten fresh seeds: one line each, then the totals
 *   npm run soak -- --seed 12345 [--scans 40]   replay one seed, exactly (the soak is deterministic)
 *   --kills N: worker kills per 100 scans (default 6; the CI soak uses --scans 40 --kills 10)
 *   --trace: write each seed's trace (every request, every final record) next to the reports
 *
 * It runs tests/soak/soak.full.test.ts under Vitest, which the engine harness needs (WXT's fake browser,
 * the `@/` aliases), and reads the reports it writes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatSoakReport, soakFailures, type SoakReport } from './soak-report';

function option(name: string): string | undefined {
  const args = process.argv.slice(2);
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const arg = args[at]!;
  return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
}

const scans = Number(option('scans') ?? 300);
const given = option('seed');
const count = Number(option('seeds') ?? 1);
const killsPer100 = Number(option('kills') ?? 6);
const trace = process.argv.includes('--trace');
if (!Number.isInteger(scans) || scans <= 0 || !Number.isInteger(count) || count <= 0 || !(killsPer100 >= 0) || (given !== undefined && !Number.isInteger(Number(given)))) {
  console.error('usage: npm run soak -- [--scans N] [--seeds N | --seed N] [--kills N] [--trace]');
  process.exit(2);
}
const seeds = given !== undefined ? [Number(given)] : Array.from({ length: count }, () => Math.floor(Math.random() * 2 ** 31));
const dir = mkdtempSync(join(tmpdir(), 'scandock-soak-'));
const reportFile = join(dir, 'reports.jsonl');
console.log(`soak: ${scans} scans × ${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${seeds.join(', ')}), ${killsPer100} kills per 100 scans; reports in ${dir}`);

const run = spawnSync('npx', ['vitest', 'run', '--project', 'unit', '--reporter=dot', 'tests/soak/soak.full.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, SOAK_SCANS: String(scans), SOAK_SEEDS: seeds.join(','), SOAK_KILLS: String(killsPer100), SOAK_REPORT: reportFile, SOAK_TRACE: trace ? '1' : '0' },
});

const reports: SoakReport[] = existsSync(reportFile)
  ? readFileSync(reportFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as SoakReport)
  : [];
const bySeed = new Map(reports.map((r) => [r.seed, r]));
let failed = 0;
console.log('');
for (const seed of seeds) {
  const r = bySeed.get(seed);
  if (!r) {
    failed++;
    console.log(`seed ${seed}: NO REPORT (the run failed before its end)`);
    continue;
  }
  const failures = soakFailures(r);
  if (failures.length > 0) failed++;
  console.log(`seed ${seed}: ${failures.length === 0 ? 'ok' : `FAILED (${failures.join('; ')})`} · ${r.requests} requests · ${r.uploads} uploads · ${r.kills} kills · ${r.clockMoves.length} clock moves · ${r.faultsHit} faults hit · ${(r.virtualMs / 60_000).toFixed(0)} min virtual · ${(r.realMs / 1000).toFixed(1)} s real · trace ${r.traceDigest.slice(0, 12)}`);
}
const sum = (pick: (r: SoakReport) => number) => reports.reduce((total, r) => total + pick(r), 0);
console.log(`totals: ${seeds.length - failed}/${seeds.length} seeds passed · ${sum((r) => r.scans)} scans · ${sum((r) => r.requests)} requests · ${sum((r) => r.uploads)} uploads · ${sum((r) => r.kills)} kills · ${sum((r) => r.faultsHit)} faults hit · lost ${sum((r) => r.lost)} · stuck ${sum((r) => r.stuck)} · self-inflicted 429s ${sum((r) => r.selfInflicted429)} · counter drift ${sum((r) => Math.abs(r.counterDrift))} · double uploads ${sum((r) => r.doubleUploads)}`);
for (const r of reports.filter((x) => soakFailures(x).length > 0)) {
  console.log(`\n${formatSoakReport(r)}\n  replay: npm run soak -- --scans ${r.scans} --kills ${killsPer100} --seed ${r.seed} --trace`);
}
if (trace) console.log(`\ntraces: ${dir}/trace-<seed>.txt`);
process.exit(failed === 0 && run.status === 0 ? 0 : 1);
