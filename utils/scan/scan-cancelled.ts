/**
 * Thrown into a scan's work when the scan no longer needs doing: it was removed, or its run was stopped.
 * Not a failure: nothing is recorded, the run just ends.
 */
export class ScanCancelled extends Error {
  override readonly name = 'ScanCancelled';
  constructor() {
    super('The scan was removed or stopped.');
  }
}

/** Whether `error` means the scan was cancelled (also an abort reason the signal carried). */
export function isCancellation(error: unknown, signal?: AbortSignal): boolean {
  return error instanceof ScanCancelled || (signal?.aborted === true && error === signal.reason);
}
