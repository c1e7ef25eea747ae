/**
 * The ledger when the system clock is moved while the worker runs: it measures the change against time itself
 * (Clock.monotonic) and moves the kept times with it, so the quota neither lets more requests go than
 * VirusTotal's minute allows nor holds them back longer than it needs.
 */
import { describe, expect, it } from 'vitest';
import { createSimClock } from '@/tests/support/sim/sim-clock';
import { PUBLIC_QUOTA } from '../settings/storage-items';
import { createQuotaLedger } from './quota-ledger';
import { MINUTE_MS, WINDOW_SAFETY_MS, type QuotaState } from './quota-math';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const HOUR = 3_600_000;

function ledgerOnSimClock() {
  const clock = createSimClock(t0);
  let stored: unknown = null;
  const ledger = createQuotaLedger({
    load: async () => stored,
    save: async (state: QuotaState) => void (stored = state),
    limits: async () => PUBLIC_QUOTA,
    clock,
  });
  const takeFour = async () => {
    for (let i = 0; i < 4; i++) expect((await ledger.take()).taken).toBe(true);
  };
  return { clock, ledger, takeFour, state: () => stored as QuotaState };
}

describe('the quota ledger when the system clock is moved', () => {
  it('set forward an hour: the minute\'s four requests still hold their slots, until the minute VirusTotal counts ends', async () => {
    const { clock, ledger, takeFour } = ledgerOnSimClock();
    await takeFour();
    clock.advance(10_000);
    clock.jump(HOUR);
    expect(await ledger.take()).toEqual({ taken: false, at: clock.now() + MINUTE_MS + WINDOW_SAFETY_MS - 10_000, window: 'minute' });
  });

  it('set back an hour: the slots free when the minute ends, not an hour and a minute later', async () => {
    const { clock, ledger, takeFour } = ledgerOnSimClock();
    await takeFour();
    clock.advance(30_000);
    clock.jump(-HOUR);
    expect(await ledger.take()).toEqual({ taken: false, at: clock.now() + MINUTE_MS + WINDOW_SAFETY_MS - 30_000, window: 'minute' });
  });

  it('a 429 backoff set before the clock was set back ends when it would have', async () => {
    const { clock, ledger } = ledgerOnSimClock();
    await ledger.rateLimited();
    clock.advance(20_000);
    clock.jump(-HOUR);
    expect(await ledger.nextAllowedAt()).toBe(clock.now() + 40_000);
  });

  it('a slot spent before the clock moved is still given back (its day and month too)', async () => {
    const { clock, ledger, state } = ledgerOnSimClock();
    const spentAt = t0;
    expect(await ledger.take()).toEqual({ taken: true, at: spentAt });
    clock.advance(1_000);
    clock.jump(-HOUR);
    await ledger.usage();
    await ledger.refund(spentAt);
    expect(state()).toMatchObject({ recent: [], day: { used: 0 }, month: { used: 0 } });
  });
});
