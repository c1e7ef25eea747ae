/**
 * The limiter over a virtual clock: a slot is stamped when its request leaves, so ScanDock's minute
 * window never ends before VirusTotal's (which counts from arrival), however long the last checks take.
 */
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from '@/tests/emulator/virtual-clock';
import { createQuotaLimiter } from './quota-limiter';
import { MINUTE_MS, parseQuotaState, type QuotaState } from './quota-math';

function limiterOver(clock: ReturnType<typeof createVirtualClock>) {
  let stored: unknown = null;
  const limiter = createQuotaLimiter({
    load: async () => stored,
    save: async (state: QuotaState) => void (stored = structuredClone(state)),
    limits: async () => ({ perMinute: 4, perDay: 500, perMonth: 15_500 }),
    now: clock.now,
    sleep: clock.sleep,
  });
  return { limiter, state: () => parseQuotaState(stored) };
}

describe('quota limiter', () => {
  it('stamps a slot when the request leaves, after the last check, not when the check began', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 10, 25, 12));
    const { limiter, state } = limiterOver(clock);
    const start = clock.now();
    // The last check (is the record still wanted? mark the upload as sent) takes a while: other work
    // moves the clock on meanwhile.
    await limiter.acquire({ stillWanted: async () => (clock.advance(45_000), true) });
    expect(state().recent).toEqual([start + 45_000]);
  });

  it('never lets a fifth request leave within a minute of the first, whatever the checks cost', async () => {
    const clock = createVirtualClock(Date.UTC(2026, 10, 25, 12));
    const { limiter } = limiterOver(clock);
    const sent: number[] = [];
    for (let i = 0; i < 40; i++) {
      const checkCost = [0, 500, 30_000, 45_000, 1_000][i % 5]!;
      await limiter.acquire({ stillWanted: async () => (clock.advance(checkCost), true) });
      sent.push(clock.now());
    }
    for (let i = 4; i < sent.length; i++) expect(sent[i]! - sent[i - 4]!).toBeGreaterThanOrEqual(MINUTE_MS);
  });
});
