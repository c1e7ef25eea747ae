/**
 * VirusTotal request slots, handed out in queue order. Every request to VirusTotal takes a slot first;
 * one loop (the pump) spends slots on the quota ledger and gives each to the earliest waiting request.
 * When the quota is used up the pump alone sleeps until the next slot, and tells every waiting request
 * its own expected turn. Recording an answer (`answered`) touches only the ledger: a verdict in hand is
 * never held back by requests that wait for their turn (Bottleneck's rule: a finished job reports at once).
 */
import type { OverallQuotas, QuotaLedger, QuotaUsage, QuotaWindow } from '../../quota/quota-ledger';
import { MINUTE_MS } from '../../quota/quota-math';
import type { Clock } from '../../time/clock';
import { compareQueuePlaces, type QueuePlace } from './queue-order';

/** Why and until when a request waits for its slot. */
export interface SlotWait {
  /** When its turn is expected. */
  until: number;
  window: QuotaWindow | 'offline';
}

export interface SlotRequest {
  /** Where this request stands in the queue (shared work moves up to its earliest scan's place). */
  place(): QueuePlace;
  signal: AbortSignal;
  /** Told when this request has to wait, and again whenever its expected turn changes. */
  onWait?(wait: SlotWait): void;
  /** The key check itself: a missing or rejected key is what it asks about, so no refusal applies to it. */
  checksKey?: boolean;
  /**
   * A request on spare quota (a second look): it comes after every other request whatever its place, and never
   * waits. It is refused with NoSpareSlot while another request waits, while the quota is held, while half the
   * minute's requests are spent, or while no more than `reserve` requests are left of the day's or the month's.
   */
  spare?: { reserve: number };
}

/** A spare request found no spare quota: try again at `retryAt`. */
export class NoSpareSlot extends Error {
  constructor(readonly retryAt: number) {
    super('no spare VirusTotal quota now');
    this.name = 'NoSpareSlot';
  }
}

/**
 * When a spare request may go, given the quota's usage now: null at once, else when to look again. Half the
 * minute is left to the scans a person starts (a burst right after a second look loses no more than that),
 * and `reserve` requests of the day and the month are never spent on spare work.
 */
export function spareQuotaAt(usage: QuotaUsage, reserve: number, now: number): number | null {
  if (usage.month.allowed - usage.month.used <= reserve) return usage.month.resetsAt;
  if (usage.day.allowed - usage.day.used <= reserve) return usage.day.resetsAt;
  if (usage.nextAt !== null) return Math.max(usage.nextAt, now + 1);
  if (usage.minute.used >= Math.max(1, Math.floor(usage.minute.allowed / 2))) return now + MINUTE_MS;
  return null;
}

/** A spent slot: the request either leaves (`sending`) or gives the slot back (`unused`). */
export interface Slot {
  /** The request leaves now. A slot taken a while ago is stamped again now (never earlier than it left). */
  sending(): Promise<void>;
  /** The request will not leave after all: the slot goes back to the quota. */
  unused(): Promise<void>;
  /**
   * The request that left has ended (answered, failed or timed out). VirusTotal counts it when it arrives,
   * at some time between leaving and now: a request slow on the way is stamped again now, so our minute
   * never ends before VirusTotal's whatever the link's delay.
   */
  ended(): Promise<void>;
}

export interface RequestSlots {
  /** Wait for this request's turn and a free slot. Rejects with the signal's reason, or with the refusal. */
  take(request: SlotRequest): Promise<Slot>;
  /**
   * VirusTotal answered with `status` (429: back off). Never waits for a slot. Resolves true when, after an
   * unexpected 429, VirusTotal's own count of the key is to be read now (see QuotaLedger.rateLimited).
   */
  answered(status: number): Promise<boolean>;
  /** VirusTotal's own count of the key was read: the ledger counts on from it, and waiting requests look again. */
  vtCountRead(quotas: OverallQuotas): Promise<void>;
  /** The limits, the key, host access or the connection changed: look again now. */
  recheck(): void;
  /** Requests waiting for a slot now. */
  readonly waiting: number;
}

export interface RequestSlotsDeps {
  ledger: QuotaLedger;
  clock: Clock;
  /** Why no request may leave now (no key, a rejected key…): every waiting request is refused with it. */
  refusal(): Promise<Error | null>;
  /** False while the browser is offline: requests wait and spend nothing. */
  isOnline(): boolean;
}

/** The pump looks again at least this often while requests wait (the limits may change in the options). */
export const MAX_NAP_MS = 5 * 60_000;
/** While offline, look again this often. */
export const OFFLINE_RECHECK_MS = 30_000;
/** A slot is stamped again when its request leaves more than this after the slot was spent. */
const RESTAMP_AFTER_MS = 100;

interface Waiter {
  request: SlotRequest;
  grant(slot: Slot): void;
  refuse(reason: unknown): void;
  lastWait: string;
}

export function createRequestSlots(deps: RequestSlotsDeps): RequestSlots {
  const { ledger, clock } = deps;
  const line: Waiter[] = [];
  let pumping = false;
  let nap: AbortController | null = null;

  const spareLast = (w: Waiter) => (w.request.spare ? 1 : 0);
  const inOrder = () => line.sort((a, b) => spareLast(a) - spareLast(b) || compareQueuePlaces(a.request.place(), b.request.place()));

  /** Refuse every spare request when spare quota is not there now (another request waits, or the quota says no). */
  async function refuseSpare(): Promise<void> {
    const spare = line.filter((w) => w.request.spare);
    if (spare.length === 0) return;
    const now = clock.now();
    const retryAt = spare.length < line.length ? now + MINUTE_MS : spareQuotaAt(await ledger.usage(), spare[0]!.request.spare!.reserve, now);
    if (retryAt === null) return;
    for (const waiter of spare) {
      line.splice(line.indexOf(waiter), 1);
      waiter.refuse(new NoSpareSlot(retryAt));
    }
  }

  function tell(waiter: Waiter, wait: SlotWait): void {
    const key = `${wait.until}:${wait.window}`;
    if (key === waiter.lastWait) return;
    waiter.lastWait = key;
    waiter.request.onWait?.(wait);
  }

  async function sleep(ms: number): Promise<void> {
    nap = new AbortController();
    await clock.sleep(Math.max(1, ms), nap.signal).catch(() => undefined);
    nap = null;
  }

  function slotSpentAt(spentAt: number): Slot {
    let settled = false;
    let stampedAt = spentAt;
    const stampAgain = async () => {
      const now = clock.now();
      if (now - stampedAt <= RESTAMP_AFTER_MS) return;
      await ledger.restamp(stampedAt, now);
      stampedAt = now;
    };
    return {
      async sending() {
        if (settled) return;
        settled = true;
        await stampAgain();
      },
      async ended() {
        if (settled) await stampAgain();
      },
      async unused() {
        if (settled) return;
        settled = true;
        await ledger.refund(spentAt);
        recheck();
      },
    };
  }

  async function pump(): Promise<void> {
    while (line.length > 0) {
      const refusal = await deps.refusal();
      if (refusal) {
        for (const waiter of line.filter((w) => !w.request.checksKey)) {
          line.splice(line.indexOf(waiter), 1);
          waiter.refuse(refusal);
        }
        if (line.length === 0) return;
      }
      if (!deps.isOnline()) {
        const until = clock.now() + OFFLINE_RECHECK_MS;
        for (const waiter of line) tell(waiter, { until, window: 'offline' });
        await sleep(OFFLINE_RECHECK_MS);
        continue;
      }
      await refuseSpare();
      if (line.length === 0) return;
      const result = await ledger.take();
      if (result.taken) {
        // The line may have changed while the slot was spent: the earliest of those waiting now gets it.
        const first = inOrder().shift();
        if (first) first.grant(slotSpentAt(result.at));
        else await ledger.refund(result.at);
        continue;
      }
      const turns = await ledger.forecast(line.length);
      inOrder().forEach((waiter, i) => {
        const turn = turns[i] ?? turns[turns.length - 1]!;
        tell(waiter, { until: turn.at, window: turn.window ?? result.window });
      });
      await sleep(Math.min(result.at - clock.now(), MAX_NAP_MS));
    }
  }

  function recheck(): void {
    if (pumping) {
      nap?.abort();
      return;
    }
    if (line.length === 0) return;
    pumping = true;
    void pump()
      .catch((error: unknown) => {
        // The ledger could not be read or written (storage failed): nobody can get a slot now.
        for (const waiter of line.splice(0)) waiter.refuse(error);
      })
      .finally(() => {
        pumping = false;
        // Someone joined the line after the pump's last look.
        if (line.length > 0) recheck();
      });
  }

  return {
    take(request) {
      request.signal.throwIfAborted();
      return new Promise<Slot>((resolve, reject) => {
        const leave = () => {
          const i = line.indexOf(waiter);
          if (i >= 0) line.splice(i, 1);
          reject(request.signal.reason);
          recheck();
        };
        const waiter: Waiter = {
          request,
          lastWait: '',
          grant(slot) {
            request.signal.removeEventListener('abort', leave);
            resolve(slot);
          },
          refuse(reason) {
            request.signal.removeEventListener('abort', leave);
            reject(reason);
          },
        };
        request.signal.addEventListener('abort', leave, { once: true });
        line.push(waiter);
        recheck();
      });
    },
    async answered(status) {
      if (status !== 429) {
        await ledger.accepted();
        return false;
      }
      const readVtCount = await ledger.rateLimited();
      recheck();
      return readVtCount;
    },
    async vtCountRead(quotas) {
      await ledger.vtCountRead(quotas);
      recheck();
    },
    recheck,
    get waiting() {
      return line.length;
    },
  };
}
