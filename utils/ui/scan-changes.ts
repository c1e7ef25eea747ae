/**
 * The background announces record changes on a BroadcastChannel so open pages refresh at once instead
 * of waiting for their next poll. The channel name and message shape are a contract with the
 * background's writer.
 */
import type { ScanRecord, ScanStatus, Verdict } from '../scan/scan-record';

/** The channel the background posts to after it writes records. */
export const SCAN_CHANNEL_NAME = 'scandock-scans';

/** What the background posts: the tokens of the records it changed (or removed). */
export interface ScansChangedMessage {
  type: 'changed';
  tokens: string[];
}

/** True for a well-formed change message; anything else on the channel is ignored. */
export function isScansChangedMessage(value: unknown): value is ScansChangedMessage {
  if (!value || typeof value !== 'object') return false;
  const m = value as Partial<ScansChangedMessage>;
  return m.type === 'changed' && Array.isArray(m.tokens) && m.tokens.every((t) => typeof t === 'string');
}

/** Calls `listener` with the changed tokens for each change message; returns the unsubscribe. */
export function onScansChanged(listener: (tokens: string[]) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(SCAN_CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (isScansChangedMessage(event.data)) listener(event.data.tokens);
  };
  return () => channel.close();
}

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
