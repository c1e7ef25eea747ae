/**
 * A virtual clock for the simulation, with a timer queue: `sleep` and `timeout` register timers, and time
 * moves only when the driver (sim-driver.ts) fires the earliest one. Nothing here ever waits in real time,
 * so a run gives the same timeline whatever the machine's load.
 *
 * Timers run on the virtual time itself (`monotonic`), as setTimeout does on real time; `now` is the system
 * clock, which `jump` moves back or forward (a person setting the clock) without moving any timer.
 */
import type { Clock } from '@/utils/time/clock';

/** A timer waiting in the queue. */
export interface SimTimer {
  /** Virtual time it is due at. */
  readonly due: number;
  /** Registration order: timers due at the same instant fire in this order. */
  readonly seq: number;
  /** What it is, for error messages ("sleep 15000 ms", "timeout 30000 ms"). */
  readonly label: string;
}

/** The Clock the code under test gets, plus the handles the driver and the transport need. */
export interface SimClock extends Clock {
  /**
   * Moves time on by `ms` at once, as work that takes that long would; timers that fall due meanwhile fire at
   * the driver's next idle moment, in order (time never runs backwards to meet them).
   */
  advance(ms: number): void;
  /**
   * The system clock (`now`) moves by `ms` (negative: back), as when a person or a time sync sets it; virtual time
   * (`monotonic`) and every timer stay where they were.
   */
  jump(ms: number): void;
  /** How many timers are waiting. */
  readonly size: number;
  /** The timer that fires next, if any. */
  peek(): SimTimer | undefined;
  /** Every timer waiting, earliest first (for error messages). */
  readonly timers: readonly SimTimer[];
  /** Fires the earliest timer, moving time to its due time if that is later; false when there is none. */
  fireNext(): boolean;
  /**
   * The fetch `signal` guarded is over (its body read or the fetch failed): its timeout can no longer change
   * anything, so its timer is dropped instead of moving time on for nothing. Other signals are ignored.
   */
  dropTimeout(signal: AbortSignal): void;
  /** Called whenever a timer is added, removed or fired (the driver counts this as activity). */
  onChange(listener: () => void): void;
}

interface Entry extends SimTimer {
  fire(): void;
}

/** A virtual clock starting at `start` (epoch milliseconds). */
export function createSimClock(start: number): SimClock {
  /** Virtual time: timers are due on it. */
  let current = start;
  /** How far the system clock is off virtual time (moved by `jump`). */
  let offset = 0;
  let seq = 0;
  const queue: Entry[] = [];
  const listeners: Array<() => void> = [];
  const timeouts = new WeakMap<AbortSignal, Entry>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const add = (ms: number, label: string, fire: () => void): Entry => {
    // Like setTimeout: a negative or missing delay means "as soon as possible", not an error.
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const entry: Entry = { due: current + delay, seq: seq++, label, fire };
    // Binary search for the first entry that fires after this one (due, then registration order).
    let lo = 0;
    let hi = queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (queue[mid]!.due <= entry.due) lo = mid + 1;
      else hi = mid;
    }
    queue.splice(lo, 0, entry);
    changed();
    return entry;
  };
  const remove = (entry: Entry): void => {
    const at = queue.indexOf(entry);
    if (at < 0) return;
    queue.splice(at, 1);
    changed();
  };

  return {
    now: () => current + offset,
    monotonic: () => current,
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          remove(entry);
          reject(signal?.reason);
        };
        const entry = add(ms, `sleep ${ms} ms`, () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        });
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    timeout(ms) {
      const controller = new AbortController();
      const entry = add(ms, `timeout ${ms} ms`, () => {
        controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
      });
      timeouts.set(controller.signal, entry);
      return controller.signal;
    },
    advance(ms) {
      // Time never runs backwards: a negative step would hide bugs in window arithmetic.
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
      current += ms;
    },
    jump(ms) {
      if (!Number.isFinite(ms)) throw new RangeError(`cannot move the clock by ${ms} ms`);
      offset += ms;
    },
    get size() {
      return queue.length;
    },
    peek() {
      const next = queue[0];
      return next && { due: next.due, seq: next.seq, label: next.label };
    },
    get timers() {
      return queue.map(({ due, seq: order, label }) => ({ due, seq: order, label }));
    },
    fireNext() {
      const entry = queue.shift();
      if (!entry) return false;
      current = Math.max(current, entry.due);
      entry.fire();
      changed();
      return true;
    },
    dropTimeout(signal) {
      const entry = timeouts.get(signal);
      if (entry) remove(entry);
    },
    onChange(listener) {
      listeners.push(listener);
    },
  };
}
