/**
 * First queued, first served: every wait in the scheduler (a read slot, the upload lane, a VirusTotal
 * request slot) is granted in this order, so a scan queued later never overtakes one queued earlier.
 */

/** A scan's place in the queue: when it was (re)queued, and its token to break ties the same way every time. */
export interface QueuePlace {
  queuedAt: number;
  token: string;
}

/** Negative when `a` comes first. */
export function compareQueuePlaces(a: QueuePlace, b: QueuePlace): number {
  return a.queuedAt - b.queuedAt || (a.token < b.token ? -1 : a.token > b.token ? 1 : 0);
}

/** The earliest of some places (shared work is as early as the earliest scan waiting for it). */
export function earliestPlace(places: Iterable<QueuePlace>): QueuePlace | undefined {
  let first: QueuePlace | undefined;
  for (const place of places) if (!first || compareQueuePlaces(place, first) < 0) first = place;
  return first;
}
