/** What the popup remembers of the records it showed, to notice (and announce) changes. */
import type { ScanRecord, ScanStatus, Verdict } from '../scan/scan-record';

/** What a person sees of a record's progress, remembered between reads to notice changes. */
export interface SeenState {
  status: ScanStatus;
  verdict: Verdict | null;
}

/** The records whose status or verdict differs from what was last shown (new records included). */
export function changedRecords(previous: ReadonlyMap<string, SeenState>, records: readonly ScanRecord[]): ScanRecord[] {
  return records.filter((r) => {
    const before = previous.get(r.token);
    return !before || before.status !== r.status || before.verdict !== r.verdict;
  });
}

/** The state to compare the next read against. */
export function seenStateOf(records: readonly ScanRecord[]): Map<string, SeenState> {
  return new Map(records.map((r) => [r.token, { status: r.status, verdict: r.verdict }]));
}
