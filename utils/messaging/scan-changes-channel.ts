/**
 * The background announces record changes on a BroadcastChannel so open pages refresh at once instead
 * of waiting for their next poll (polling stays as the fallback). Writer and readers share this contract.
 */

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

/** The background's side: announce that these records changed (or were removed). */
export function createScansChangedAnnouncer(): (tokens: string[]) => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(SCAN_CHANNEL_NAME);
  return (tokens) => channel.postMessage({ type: 'changed', tokens } satisfies ScansChangedMessage);
}
