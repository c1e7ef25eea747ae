/**
 * The quota ledger: VirusTotal's counters (a sliding minute, the UTC day and month, the backoff after an
 * unexpected 429) kept in chrome.storage so they survive worker restarts. Every operation is one short
 * read-modify-write, run one at a time so concurrent scans never double-spend a slot. Nothing here
 * waits for a slot: waiting, and the order in which scans get their turn, belong to the request slots
 * (utils/scan/scheduler/request-slots.ts). So recording an answer never waits behind a scan that sleeps.
 *
 * The counters are kept in system-clock time, which a person may set back or forward. Each operation compares
 * how far the system clock went since the last one with how far time itself went (`Clock.monotonic`); when
 * they differ, the clock was moved, and the times kept move with it (quota-math `shiftClock`). A change made
 * while no worker ran cannot be measured: `rollOver` then bounds what the times say.
 */
import type { QuotaLimits } from '../settings/storage-items';
import type { Clock } from '../time/clock';
import {
  MINUTE_MS, accepted, forecast, nextAllowedAt, parseQuotaState, rateLimited, refund, restamp, shiftClock, spend, usageOf,
  vtCountRead, type OverallQuotas, type QuotaState, type QuotaUsage, type QuotaWindow,
} from './quota-math';

export type { OverallQuotas, QuotaUsage, QuotaWindow } from './quota-math';

export interface QuotaLedgerDeps {
  load(): Promise<unknown>;
  save(state: QuotaState): Promise<void>;
  limits(): Promise<QuotaLimits>;
  clock: Pick<Clock, 'now' | 'monotonic'>;
}

/** A difference this small between the system clock and time itself is drift or a slow read, not a change of the clock. */
const CLOCK_CHANGE_MS = 2_000;

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
  /** Both clocks at the last operation of this ledger (this worker's life). */
  let lastLook: { wall: number; time: number } | null = null;
  /** How far the kept times were moved in all, and that total when each recent slot was spent (by its stamp). */
  let movedInAll = 0;
  const movedWhenSpent = new Map<number, number>();
  /** How far the system clock was moved since the last operation (0: it was not). */
  function clockMoved(now: number): number {
    const time = deps.clock.monotonic();
    const moved = lastLook ? now - lastLook.wall - (time - lastLook.time) : 0;
    lastLook = { wall: now, time };
    return Math.abs(moved) > CLOCK_CHANGE_MS ? moved : 0;
  }
  /** Where the minute entry of the slot stamped `spentAt` is now: moved as far as the clock was since. */
  const entryOf = (spentAt: number) => spentAt + movedInAll - (movedWhenSpent.get(spentAt) ?? movedInAll);
  /** The stored state and the time now; a change of the system clock since the last look is undone and saved. */
  async function read(): Promise<{ state: QuotaState; now: number }> {
    const state = parseQuotaState(await deps.load());
    const now = deps.clock.now();
    const moved = clockMoved(now);
    if (moved === 0) return { state, now };
    const shifted = shiftClock(state, moved);
    movedInAll += moved;
    await deps.save(shifted);
    return { state: shifted, now };
  }
  const update = (change: (state: QuotaState, now: number) => QuotaState) =>
    serialized(async () => {
      const { state, now } = await read();
      const next = change(state, now);
      if (next !== state) await deps.save(next);
    });
  const look = <T>(answer: (state: QuotaState, limits: QuotaLimits, now: number) => T) =>
    serialized(async () => {
      const [{ state, now }, limits] = await Promise.all([read(), deps.limits()]);
      return answer(state, limits, now);
    });

  return {
    take: () =>
      serialized(async () => {
        const [{ state, now }, limits] = await Promise.all([read(), deps.limits()]);
        const next = nextAllowedAt(state, limits, now);
        if (next.window !== null) return { taken: false, at: next.at, window: next.window };
        await deps.save(spend(state, now));
        // Only slots still in the minute can be restamped or given back meaningfully: forget older ones.
        for (const at of movedWhenSpent.keys()) if (at < now - 2 * MINUTE_MS) movedWhenSpent.delete(at);
        movedWhenSpent.set(now, movedInAll);
        return { taken: true, at: now };
      }),
    restamp: (spentAt, to) => update((state, now) => restamp(state, entryOf(spentAt), to ?? now)),
    refund: (spentAt) => update((state) => refund(state, entryOf(spentAt))),
    rateLimited: () =>
      serialized(async () => {
        const { state, now } = await read();
        const limited = rateLimited(state, now);
        await deps.save(limited.state);
        return limited.readVtCount;
      }),
    vtCountRead: (quotas) => update((state, now) => vtCountRead(state, quotas, now)),
    accepted: () => update((state) => accepted(state)),
    usage: () => look(usageOf),
    nextAllowedAt: () => look((state, limits, now) => nextAllowedAt(state, limits, now).at),
    forecast: (count) => look((state, limits, now) => forecast(state, limits, now, count)),
  };
}
