/** The shape of a measured figure, as printed in the table and written to the results file. */
import { ratios, summarize, type Summary } from './stats';

/** A figure set against a reference measured in the same runs. */
export interface Comparison {
  /** e.g. "sha256sum" or "the browser's own download". */
  against: string;
  reference: Summary;
  referenceUnit: string;
  /** value ÷ reference, run by run; `ratioUnit` says how to read it (e.g. "× sha256sum"). */
  ratio: Summary;
  ratioUnit: string;
}

export interface Target {
  text: string;
  met: boolean;
}

export interface Metric {
  /** Stable key, e.g. "hash.read.100MiB". */
  id: string;
  /** The numbered figure this belongs to: 1–6 from issue 4, 7–8 from issue 9, 9–10 from issue 12, 11 from issue 16, 12 from issue 17. */
  figure: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;
  label: string;
  unit: string;
  value: Summary;
  comparisons: Comparison[];
  target?: Target;
  /** Parts of the figure (e.g. read+hash vs lookup), medians of the same runs. */
  breakdown?: Record<string, Summary>;
  note?: string;
}

export function compare(against: string, value: number[], reference: number[], referenceUnit: string, ratioUnit: string): Comparison {
  return { against, reference: summarize(reference), referenceUnit, ratio: summarize(ratios(value, reference)), ratioUnit };
}

/** Human size: 1 MiB, 500 MiB, 650 MB. */
export function sizeLabel(bytes: number): string {
  if (bytes % 1_048_576 === 0) return `${bytes / 1_048_576} MiB`;
  if (bytes % 1_000_000 === 0) return `${bytes / 1_000_000} MB`;
  return `${bytes} B`;
}

/** A key-safe size: 100MiB, 650MB. */
export function sizeKey(bytes: number): string {
  return sizeLabel(bytes).replace(' ', '');
}
