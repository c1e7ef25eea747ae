/** What a fresh look ("Rescan") changed: the verdict before and after, with each one's detection ratio. */
import type { ScanRecord, Verdict } from '../scan/scan-record';
import { detectionRatio } from './format';

/** One side of the change: the verdict, and "malicious/answered" when there were engines' reports. */
export interface VerdictSide {
  verdict: Verdict;
  ratio: string | null;
}

export interface VerdictChange {
  before: VerdictSide;
  now: VerdictSide;
  /** The verdict or its ratio differs. */
  changed: boolean;
}

function ratioText(stats: Parameters<typeof detectionRatio>[0]): string | null {
  const ratio = detectionRatio(stats);
  return ratio ? `${ratio.malicious}/${ratio.total}` : null;
}

/** The change a finished rescan made, or null when the record was not rescanned or has no new verdict yet. */
export function verdictChange(record: Pick<ScanRecord, 'status' | 'verdict' | 'stats' | 'previous'>): VerdictChange | null {
  if (record.status !== 'done' || !record.verdict || !record.previous) return null;
  const before = { verdict: record.previous.verdict, ratio: ratioText(record.previous.stats) };
  const now = { verdict: record.verdict, ratio: ratioText(record.stats) };
  return { before, now, changed: before.verdict !== now.verdict || before.ratio !== now.ratio };
}
