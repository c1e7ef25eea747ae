/**
 * The quick bench (`npm run bench -- --quick`) end to end, as a smoke test: every figure of the quick plan is
 * measured — a finite number for the figure and for each reference and ratio. No timing is asserted: how fast
 * ScanDock is belongs to the bench's report (README, "Performance"), not to the test suite.
 */
import { describe, expect, it } from 'vitest';
import { runBench } from '../../bench/bench';
import { QUICK_PLAN } from '../../bench/plan';

describe('npm run bench -- --quick', () => {
  it('measures every figure of the quick plan', async () => {
    const results = await runBench({ plan: QUICK_PLAN, log: () => undefined, buildName: 'bench-smoke' });
    const ids = results.metrics.map((m) => m.id);
    for (const figure of [1, 2, 3, 4, 5, 6, 9, 10]) expect(results.metrics.some((m) => m.figure === figure), `figure ${figure}`).toBe(true);
    expect(ids).toEqual(expect.arrayContaining([
      'hash.read.1MiB', 'hash.only.1MiB', 'scan.complete-to-done.1MiB', 'popup.done-to-visible', 'memory.peak.16MiB',
      'requests.new-known', 'requests.repeat', 'requests.burst', 'requests.unknown-upload', 'popup.first-row-painted',
      'disk.read-hash.1MiB', 'disk.complete-to-done.disk.4MiB', 'disk.complete-to-done.network.4MiB',
    ]));
    for (const metric of results.metrics) {
      const numbers = [metric.value.median, ...metric.comparisons.flatMap((c) => [c.reference.median, c.ratio.median])];
      for (const n of numbers) expect(Number.isFinite(n), `${metric.id}: ${n}`).toBe(true);
    }
  }, 240_000);
});
