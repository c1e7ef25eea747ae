/**
 * The limiter over the simulation's clock: a slot is stamped when its request leaves, so ScanDock's minute
 * window never ends before VirusTotal's (which counts from arrival), however long the last checks take.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimClock } from '@/tests/support/sim/sim-clock';
import { createSimulation, type Simulation } from '@/tests/support/sim/sim-driver';
import { createQuotaLimiter } from './quota-limiter';
import { MINUTE_MS, parseQuotaState, type QuotaState } from './quota-math';

let sim: Simulation | undefined;
afterEach(() => sim?.stop());

function limiterInSimulation() {
  sim = createSimulation({ clock: createSimClock(Date.UTC(2026, 10, 25, 12)) });
  let stored: unknown = null;
  const limiter = createQuotaLimiter({
    load: async () => stored,
    save: async (state: QuotaState) => void (stored = structuredClone(state)),
    limits: async () => ({ perMinute: 4, perDay: 500, perMonth: 15_500 }),
    clock: sim.clock,
  });
  return { sim, clock: sim.clock, limiter, state: () => parseQuotaState(stored) };
}

describe('quota limiter', () => {
  it('stamps a slot when the request leaves, after the last check, not when the check began', async () => {
    const { sim: s, clock, limiter, state } = limiterInSimulation();
    const start = clock.now();
    // The last check (is the record still wanted? mark the upload as sent) takes a while: other work
    // moves the clock on meanwhile.
    await s.run(limiter.acquire({ stillWanted: async () => (clock.advance(45_000), true) }));
    expect(state().recent).toEqual([start + 45_000]);
  });

  it('never lets a fifth request leave within a minute of the first, whatever the checks cost', async () => {
    const { sim: s, clock, limiter } = limiterInSimulation();
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) {
      const checkCost = [0, 500, 30_000, 45_000, 1_000][i % 5]!;
      await s.run(limiter.acquire({ stillWanted: async () => (clock.advance(checkCost), true) }));
      sent.push(clock.now());
    }
    expect(sent.at(-1)! - sent[0]!).toBeGreaterThan(9 * MINUTE_MS);
    for (let i = 4; i < sent.length; i++) expect(sent[i]! - sent[i - 4]!).toBeGreaterThanOrEqual(MINUTE_MS);
  });
});
