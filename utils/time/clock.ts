/**
 * Time as the background sees it: the current time, waits, and request timeouts, all behind one small
 * interface. The background uses the system clock; tests hand in a virtual one, so a wait of ten minutes
 * takes no time and every timeout fires at the same virtual moment whatever the machine's load.
 */

/** Where every wait and timeout of the scan engine, the quota limiter and the VirusTotal client comes from. */
export interface Clock {
  /** The system clock (epoch ms): what is stored and compared with VirusTotal's UTC day. A person may set it back or forward. */
  now(): number;
  /**
   * Time that only moves forward, at the pace of real time, whatever the system clock does (`performance.now`).
   * Its zero is arbitrary and its readings mean nothing across worker restarts: it only measures how far the
   * system clock moved between two readings in one worker (see the quota ledger).
   */
  monotonic(): number;
  /** Resolves after `ms`; rejects with `signal.reason` if the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** An AbortSignal that aborts with a DOMException named 'TimeoutError' after `ms`. */
  timeout(ms: number): AbortSignal;
}

/** Real time: `Date.now`, `performance.now`, `setTimeout` and `AbortSignal.timeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep(ms, signal) {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
  timeout: (ms) => AbortSignal.timeout(ms),
};
