/**
 * Figure 12's simulation (bench/phases/second-look-quota.ts runs it): a person downloading PERSON_PER_DAY files a
 * day for PERSON_DAYS days, second looks on and off over the same arrivals; the result is written to
 * PERSON_REPORT as JSON. Skipped without PERSON_REPORT (a plain `vitest run` does not run it).
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulatePerson } from '../support/second-look-person';

const reportFile = process.env.PERSON_REPORT;
const days = Number(process.env.PERSON_DAYS ?? 10);
const perDay = Number(process.env.PERSON_PER_DAY ?? 30);
const seed = Number(process.env.PERSON_SEED ?? 1);

describe.skipIf(!reportFile)('a person downloading every day (figure 12)', () => {
  it('runs with and without second looks over the same downloads', { timeout: 900_000 }, async () => {
    const off = await simulatePerson({ secondLook: false, days, perDay, seed });
    const on = await simulatePerson({ secondLook: true, days, perDay, seed });
    writeFileSync(reportFile!, JSON.stringify({ days, perDay, seed, on, off }));
    expect(on.waits).toHaveLength(off.waits.length);
  });
});
