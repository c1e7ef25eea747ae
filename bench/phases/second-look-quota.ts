/**
 * Figure 12, what second looks cost: a simulated person downloads 30 files a day (a fifth of them unknown to
 * VirusTotal) for 10 days on the virtual clock (tests/support/second-look-person.ts), once with second looks and
 * once without, over the same downloads. Measured: the lookups second looks add per day once the 1-, 3- and
 * 7-day looks all run (days 8–10), as a share of the public key's 500 a day (target ≤ 20 %), and the worst
 * extra wait any new scan got from them (target 0). It runs under Vitest, which the engine harness needs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from '../context';
import type { Metric } from '../metrics';
import { summarize } from '../stats';
import type { PersonRun } from '../../tests/support/second-look-person';

const DAYS = 10;
const PER_DAY = 30;
const DAILY_QUOTA = 500;
/** The days on which every look of the schedule (1, 3, 7 days) has downloads behind it. */
const STEADY_FROM_DAY = 7;

export async function measureSecondLookQuota(ctx: Pick<BenchContext, 'log'>): Promise<Metric[]> {
  const report = join(mkdtempSync(join(tmpdir(), 'scandock-person-')), 'person.json');
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'unit', '--reporter=dot', 'tests/sim-figures/second-look-person.full.test.ts'], {
    stdio: 'inherit',
    env: { ...process.env, PERSON_REPORT: report, PERSON_DAYS: String(DAYS), PERSON_PER_DAY: String(PER_DAY), PERSON_SEED: '1' },
  });
  if (run.status !== 0) throw new Error('figure 12: the simulation failed');
  const { on, off } = JSON.parse(readFileSync(report, 'utf8')) as { on: PersonRun; off: PersonRun };
  const extraPerDay = on.lookupsPerDay.map((n, day) => n - off.lookupsPerDay[day]!).slice(STEADY_FROM_DAY);
  const shares = extraPerDay.map((n) => (100 * n) / DAILY_QUOTA);
  const extraWaits = on.waits.map((w, i) => w - off.waits[i]!);
  const worst = Math.max(...extraWaits);
  ctx.log(`  second looks: ${on.looks} looks in ${DAYS} days; extra lookups per day ${on.lookupsPerDay.map((n, d) => n - off.lookupsPerDay[d]!).join(',')}; 429s ${on.count429}; worst extra wait ${worst} ms`);
  return [
    {
      id: 'second-look.quota-share',
      figure: 12,
      label: `second-look lookups per day, ${PER_DAY} downloads a day (days ${STEADY_FROM_DAY + 1}–${DAYS}), share of ${DAILY_QUOTA}`,
      unit: '%',
      value: summarize(shares),
      comparisons: [],
      target: { text: '≤ 20 %', met: Math.max(...shares) <= 20 },
      breakdown: { 'lookups per day': summarize(extraPerDay) },
      note: `${on.looks} second looks in ${DAYS} simulated days, ${on.count429} 429s`,
    },
    {
      id: 'second-look.extra-wait',
      figure: 12,
      label: `worst extra wait of a new scan from second looks (${DAYS * PER_DAY} downloads)`,
      unit: 'ms',
      value: summarize([worst]),
      comparisons: [],
      target: { text: '0', met: worst <= 0 },
    },
  ];
}
