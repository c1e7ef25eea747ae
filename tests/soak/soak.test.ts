/**
 * The short soak, run with every test: 40 scans with random faults and worker kills, on a fixed seed
 * (SOAK_SEED=N to try another; `npm run soak -- --scans 40 --seed N` replays one with its report). The
 * full 300-scan run, on a fresh seed each time, is `npm run soak`.
 */
import { expect, it } from 'vitest';
import { formatSoakReport, runSoak, soakFailures } from './soak';

const seed = Number(process.env.SOAK_SEED ?? 20261125);

it(`40 scans under faults and worker kills: nothing lost, stuck, over-spent or uploaded twice (seed ${seed})`, async () => {
  const report = await runSoak({ scans: 40, seed, killsPer100: 10 });
  const text = formatSoakReport(report);
  expect(soakFailures(report), text).toEqual([]);
  // It really exercised what it claims to.
  expect(report.requests, text).toBeGreaterThan(20);
  expect(report.kills + report.faultsHit, text).toBeGreaterThan(0);
}, 60_000);
