/** A clock that only moves when told to, shared by the code under test and the emulator. */

/** A virtual clock: `now()` in epoch milliseconds, moved by `advance` or `sleep`. */
export interface VirtualClock {
  now(): number;
  /** Moves the clock forward by `ms`. */
  advance(ms: number): void;
  /** Moves the clock forward by `ms`, then resolves on the next macrotask so pending work can run. */
  sleep(ms: number): Promise<void>;
}

/** Creates a virtual clock starting at `start` (default: the real time now). */
export function createVirtualClock(start: number = Date.now()): VirtualClock {
  let current = start;
  const advance = (ms: number): void => {
    // Time never runs backwards: a negative step would hide bugs in window arithmetic.
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    current += ms;
  };
  return {
    now: () => current,
    advance,
    sleep: (ms) => {
      advance(ms);
      return new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}
