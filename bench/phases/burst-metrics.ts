/**
 * The figures a burst of known files under the quota reports, with the worker alive (figure 7) or stopped by
 * Chrome itself (figure 11): VirusTotal's answer → done (worst and median file), and first complete → last done
 * against the quota bound.
 */
import type { Metric } from '../metrics';
import { summarize } from '../stats';

export interface BurstRun {
  /** Metric ids start with it, e.g. 'quota.burst'. */
  idPrefix: string;
  figure: Metric['figure'];
  label: string;
  /** How the run was made (real time, once, …). */
  once: string;
  /** What the answer and done times are, after `once` in the worst lag's note. */
  lagNote: string;
  /** Per file: VirusTotal's answer → its record done (ms). */
  lags: number[];
  makespanMs: number;
  boundMs: number;
  perMinute: number;
  windowMs: number;
}

export function burstMetrics(run: BurstRun): Metric[] {
  const worstLag = Math.max(...run.lags);
  const ratio = run.makespanMs / run.boundMs;
  return [
    {
      id: `${run.idPrefix}.answer-to-done.worst`,
      figure: run.figure,
      label: `${run.label}: VirusTotal’s answer → done, worst file`,
      unit: 'ms',
      value: summarize([worstLag]),
      comparisons: [],
      breakdown: { 'every file (ms)': summarize(run.lags) },
      target: { text: '≤ 1000 ms', met: worstLag <= 1000 },
      note: `${run.once}; ${run.lagNote}`,
    },
    {
      id: `${run.idPrefix}.answer-to-done.median`,
      figure: run.figure,
      label: `${run.label}: VirusTotal’s answer → done, median file`,
      unit: 'ms',
      value: summarize([summarize(run.lags).median]),
      comparisons: [],
    },
    {
      id: `${run.idPrefix}.makespan`,
      figure: run.figure,
      label: `${run.label}: first complete → last done`,
      unit: 's',
      value: summarize([run.makespanMs / 1000]),
      comparisons: [{
        against: `the quota bound (${run.perMinute} at once, then ${run.perMinute} per ${run.windowMs / 1000} s)`,
        reference: summarize([run.boundMs / 1000]),
        referenceUnit: 's',
        ratio: summarize([ratio]),
        ratioUnit: '× bound',
      }],
      target: { text: '≤ 1.02× bound', met: ratio <= 1.02 },
      note: run.once,
    },
  ];
}
