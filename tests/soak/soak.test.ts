/**
 * The short soak, run with every test: 40 scans with random faults and worker kills, on a fixed seed
 * (SOAK_SEED=N to try another; `npm run soak -- --scans 40 --seed N` replays one with its report). The
 * full 300-scan run, on fresh seeds, is `npm run soak`.
 *
 * It also proves the soak deterministic: the seed is run alone, then again beside two processes that
 * keep every core busy, and the two reports (trace digest included) must be the same but for real time.
 */
import { expect, it } from 'vitest';
import { startCpuHog } from '../support/sim/cpu-hog';
import { comparable, formatSoakReport, runSoak, soakFailures } from './soak';

const seed = Number(process.env.SOAK_SEED ?? 20261125);
const options = { scans: 40, seed, killsPer100: 10 };

it(`40 scans under faults, worker kills and clock moves: nothing lost, stuck, over-spent or uploaded twice, and the same report beside a CPU hog (seed ${seed})`, async () => {
  const alone = await runSoak(options);
  const text = formatSoakReport(alone);
  expect(soakFailures(alone), text).toEqual([]);
  // It really exercised what it claims to.
  expect(alone.requests, text).toBeGreaterThan(20);
  expect(alone.kills, text).toBeGreaterThan(0);
  expect(alone.faultsHit, text).toBeGreaterThan(0);
  expect(alone.clockMoves.length, text).toBeGreaterThan(0);

  const hog = await startCpuHog(2);
  let busy;
  try {
    busy = await runSoak(options);
    expect(hog.running(), 'the hog spun all along').toBe(2);
  } finally {
    await hog.stop();
  }
  expect(comparable(busy), `alone:\n${text}\nbeside the hog:\n${formatSoakReport(busy)}`).toEqual(comparable(alone));
}, 120_000);
