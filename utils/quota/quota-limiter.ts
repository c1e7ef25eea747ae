/**
 * The quota limiter: every VirusTotal request passes through `acquire()`, which waits until the
 * counters in chrome.storage allow one more request and then spends it. Acquisitions are served one at
 * a time, in order, so concurrent scans never double-spend a slot; the counters survive worker restarts.
 */
import type { QuotaLimits } from '../settings/storage-items';
import type { Clock } from '../time/clock';
import {
  accepted, nextAllowedAt, parseQuotaState, rateLimited, spend, usageOf,
  type QuotaState, type QuotaUsage, type QuotaWindow,
} from './quota-math';

export type { QuotaUsage } from './quota-math';

/** Why and until when a request waits. */
export interface QuotaWait {
  until: number;
  window: QuotaWindow;
}

export interface AcquireOptions {
  /** Told each time the request has to wait, e.g. to show it on the record and set a wake-up alarm. */
  onWait?: (wait: QuotaWait) => void;
  /** Checked right before spending: a request nobody needs any more spends nothing (it may also throw). */
  stillWanted?: () => boolean | Promise<boolean>;
}

export interface QuotaLimiterDeps {
  load(): Promise<unknown>;
  save(state: QuotaState): Promise<void>;
  limits(): Promise<QuotaLimits>;
  /** Time for the windows and the waits between checks. */
  clock: Clock;
}

/** Thrown by `acquire` when `stillWanted` says no. */
export class RequestNoLongerWanted extends Error {
  override readonly name = 'RequestNoLongerWanted';
}

export interface QuotaLimiter {
  /** Wait for a slot and spend it. */
  acquire(options?: AcquireOptions): Promise<void>;
  /** VirusTotal answered 429 although our counters allowed it: push the next allowed time back. */
  rateLimited(): Promise<void>;
  /** A request went through: the 429 backoff starts over. */
  accepted(): Promise<void>;
  usage(): Promise<QuotaUsage>;
  /** When the next request could be sent (now if at once). */
  nextAllowedAt(): Promise<number>;
}

/** A limiter over the given storage and clock. */
export function createQuotaLimiter(deps: QuotaLimiterDeps): QuotaLimiter {
  // One chain for every read-modify-write of the state: that is what makes a slot spent exactly once.
  let chain: Promise<unknown> = Promise.resolve();
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  }
  const read = async () => parseQuotaState(await deps.load());

  return {
    acquire(options = {}) {
      // A request queued behind others waits for the same quota: say so now, not only once it is next
      // in line (a sixth scan at 4/min would otherwise show no reason for a whole minute).
      if (options.onWait) {
        const onWait = options.onWait;
        void Promise.all([read(), deps.limits()])
          .then(([state, limits]) => {
            const next = nextAllowedAt(state, limits, deps.clock.now());
            if (next.window !== null) onWait({ until: next.at, window: next.window });
          })
          .catch(() => undefined);
      }
      return serialized(async () => {
        for (;;) {
          const [state, limits] = await Promise.all([read(), deps.limits()]);
          const now = deps.clock.now();
          const next = nextAllowedAt(state, limits, now);
          if (next.window === null) {
            if (options.stillWanted && !(await options.stillWanted())) throw new RequestNoLongerWanted();
            // Stamp the slot when the request leaves, not when this check began: stillWanted may have
            // taken a while, and a slot stamped early leaves our window before it leaves VirusTotal's.
            // (Later only frees slots, so the check above still holds.)
            await deps.save(spend(state, Math.max(now, deps.clock.now())));
            return;
          }
          options.onWait?.({ until: next.at, window: next.window });
          // Wake at the slot, but re-check at least every 30 s: settings or a sync may change the limits.
          await deps.clock.sleep(Math.max(1, Math.min(next.at - now, 30_000)));
          if (options.stillWanted && !(await options.stillWanted())) throw new RequestNoLongerWanted();
        }
      });
    },
    rateLimited: () => serialized(async () => deps.save(rateLimited(await read(), deps.clock.now()))),
    accepted: () =>
      serialized(async () => {
        const state = await read();
        const next = accepted(state);
        if (next !== state) await deps.save(next);
      }),
    usage: async () => usageOf(await read(), await deps.limits(), deps.clock.now()),
    nextAllowedAt: async () => nextAllowedAt(await read(), await deps.limits(), deps.clock.now()).at,
  };
}
