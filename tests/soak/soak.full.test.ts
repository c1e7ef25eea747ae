/**
 * The full soak, on demand only: `npm run soak` (see run-soak.ts). Skipped in ordinary test runs (no
 * SOAK_SCANS). It runs under Vitest because the engine harness needs WXT's fake browser and the `@/`
 * aliases. One test per seed in SOAK_SEEDS (comma-separated), SOAK_KILLS kills per 100 scans; each report is appended as one JSON line
 * to SOAK_REPORT, and with SOAK_TRACE the trace of each seed is written beside it (trace-<seed>.txt).
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSoakReport, runSoak, soakFailures } from './soak';

const scans = Number(process.env.SOAK_SCANS ?? 0);
const seeds = (process.env.SOAK_SEEDS ?? '').split(',').filter(Boolean).map(Number);
const killsPer100 = Number(process.env.SOAK_KILLS ?? 6);
const reportFile = process.env.SOAK_REPORT;

describe.skipIf(!(scans > 0) || seeds.length === 0)('full soak', () => {
  it.each(seeds)(`${scans} scans, seed %i`, async (seed) => {
    const report = await runSoak({ scans, seed, killsPer100, keepTrace: process.env.SOAK_TRACE === '1', log: process.env.SOAK_VERBOSE === '1' ? (line) => console.log(line) : undefined });
    const { trace, ...summary } = report;
    if (reportFile) {
      appendFileSync(reportFile, `${JSON.stringify(summary)}\n`);
      if (trace) writeFileSync(join(dirname(reportFile), `trace-${seed}.txt`), `${trace.join('\n')}\n`);
    }
    expect(soakFailures(report), formatSoakReport(report)).toEqual([]);
  }, 60 * 60_000);
});
