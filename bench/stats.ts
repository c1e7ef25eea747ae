/** Median and range of repeated measurements, and ratios taken run by run. */

/** What a metric's repeated runs add up to. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Every run, in the order measured. */
  runs: number[];
}

/** The median (the mean of the middle two for an even count) with the range; NaN for no runs. */
export function summarize(runs: readonly number[]): Summary {
  if (runs.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: [] };
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: [...runs] };
}

/** `a[i] / b[i]` for each run: a ratio to a reference measured in the same run, not to another run's. */
export function ratios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error(`ratios: ${a.length} values against ${b.length} references`);
  return a.map((value, i) => value / b[i]!);
}

/** MiB per second for `bytes` read in `ms`. */
export function mibPerSecond(bytes: number, ms: number): number {
  return bytes / 1_048_576 / (ms / 1000);
}

export const MiB = 1_048_576;
