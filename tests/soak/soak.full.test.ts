/**
 * The full soak, on demand only: `npm run soak` (300 scans, a random seed) or
 * `npm run soak -- --scans 300 --seed 12345`. Skipped in ordinary test runs (no SOAK_SCANS).
 * It runs under Vitest because the engine harness needs WXT's fake browser and the `@/` aliases.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSoakReport, runSoak, soakFailures } from './soak';

const scans = Number(process.env.SOAK_SCANS ?? 0);
const seed = Number(process.env.SOAK_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.skipIf(!(scans > 0))('full soak', () => {
  it(`${scans} scans, seed ${seed}`, async () => {
    console.log(`soak: ${scans} scans, seed ${seed} (replay: npm run soak -- --scans ${scans} --seed ${seed})`);
    const report = await runSoak({ scans, seed, log: (line) => console.log(line) });
    const text = formatSoakReport(report);
    console.log(text);
    if (process.env.SOAK_REPORT) writeFileSync(process.env.SOAK_REPORT, `${JSON.stringify(report, null, 2)}\n`);
    expect(soakFailures(report), text).toEqual([]);
  }, 60 * 60_000);
});
