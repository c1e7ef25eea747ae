/**
 * The quota ledger: VirusTotal's counters (a sliding minute, the UTC day and month, the backoff after an
 * unexpected 429) kept in chrome.storage so they survive worker restarts. Every operation is one short
 * read-modify-write, run one at a time so concurrent scans never double-spend a slot. Nothing here
 * waits for a slot: waiting, and the order in which scans get their turn, belong to the request slots
 * (utils/scan/scheduler/request-slots.ts). So recording an answer never waits behind a scan that sleeps.
 */
import type { QuotaLimits } from '../settings/storage-items';
import type { Clock } from '../time/clock';
import {
  accepted, forecast, nextAllowedAt, parseQuotaState, rateLimited, refund, restamp, spend, usageOf, vtCountRead,
  type OverallQuotas, type QuotaState, type QuotaUsage, type QuotaWindow,
} from './quota-math';

export type { OverallQuotas, QuotaUsage, QuotaWindow } from './quota-math';

export interface QuotaLedgerDeps {
  load(): Promise<unknown>;
  save(state: QuotaState): Promise<void>;
  limits(): Promise<QuotaLimits>;
  clock: Pick<Clock, 'now'>;
}

/** The outcome of trying to spend a slot: spent (stamped `at`), or when one could be spent. */
export type TakeResult = { taken: true; at: number } | { taken: false; at: number; window: QuotaWindow };

export interface QuotaLedger {
  /** Spend one request now if the quota allows it; otherwise say when it would, and which quota holds it. */
  take(): Promise<TakeResult>;
  /** The request of the slot stamped at `spentAt` counts only from `to` (default now): stamp it then (never earlier). */
  restamp(spentAt: number, to?: number): Promise<void>;
  /** A slot spent at `spentAt` was not used: its request never left. */
  refund(spentAt: number): Promise<void>;
  /**
   * VirusTotal answered 429 although our counters allowed the request (another app uses the key): push the next
   * allowed time back. Resolves true when VirusTotal's own count is to be read now (at most once an hour).
   */
  rateLimited(): Promise<boolean>;
  /** VirusTotal's own count of the key was read: count on from it. */
  vtCountRead(quotas: OverallQuotas): Promise<void>;
  /** VirusTotal answered (anything but 429): the 429 backoff starts over. */
  accepted(): Promise<void>;
  usage(): Promise<QuotaUsage>;
  /** When the next request could be sent (now if at once). */
  nextAllowedAt(): Promise<number>;
  /** The turns of the next `count` requests if each goes at its turn (see quota-math `forecast`). */
  forecast(count: number): Promise<Array<{ at: number; window: QuotaWindow | null }>>;
}

export function createQuotaLedger(deps: QuotaLedgerDeps): QuotaLedger {
  let chain: Promise<unknown> = Promise.resolve();
  function serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = chain.then(task, task);
    chain = run.catch(() => undefined);
    return run;
  }
  const read = async () => parseQuotaState(await deps.load());
  const update = (change: (state: QuotaState, now: number) => QuotaState) =>
    serialized(async () => {
      const state = await read();
      const next = change(state, deps.clock.now());
      if (next !== state) await deps.save(next);
    });

  return {
    take: () =>
      serialized(async () => {
        const [state, limits] = await Promise.all([read(), deps.limits()]);
        const now = deps.clock.now();
        const next = nextAllowedAt(state, limits, now);
        if (next.window !== null) return { taken: false, at: next.at, window: next.window };
        await deps.save(spend(state, now));
        return { taken: true, at: now };
      }),
    restamp: (spentAt, to) => update((state, now) => restamp(state, spentAt, to ?? now)),
    refund: (spentAt) => update((state) => refund(state, spentAt)),
    rateLimited: () =>
      serialized(async () => {
        const limited = rateLimited(await read(), deps.clock.now());
        await deps.save(limited.state);
        return limited.readVtCount;
      }),
    vtCountRead: (quotas) => update((state, now) => vtCountRead(state, quotas, now)),
    accepted: () => update((state) => accepted(state)),
    usage: async () => usageOf(await read(), await deps.limits(), deps.clock.now()),
    nextAllowedAt: async () => nextAllowedAt(await read(), await deps.limits(), deps.clock.now()).at,
    forecast: async (count) => forecast(await read(), await deps.limits(), deps.clock.now(), count),
  };
}
