import { describe, expect, it } from 'vitest';
import {
  EMPTY_QUOTA_STATE, MINUTE_MS, WINDOW_SAFETY_MS, nextAllowedAt, nextUtcMidnight, nextUtcMonthStart,
  parseQuotaState, rateLimited, spend, usageOf, accepted,
} from './quota-math';
import { PUBLIC_QUOTA } from '../settings/storage-items';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function spendN(n: number, at: (i: number) => number, state = EMPTY_QUOTA_STATE) {
  let s = state;
  for (let i = 0; i < n; i++) s = spend(s, at(i));
  return s;
}

describe('quota arithmetic', () => {
  it('allows four requests a minute, then holds the fifth until the first leaves the window', () => {
    const s = spendN(4, (i) => t0 + i * 1000);
    expect(nextAllowedAt(spendN(3, (i) => t0 + i * 1000), PUBLIC_QUOTA, t0 + 3000)).toEqual({ at: t0 + 3000, window: null });
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + 4000)).toEqual({ at: t0 + MINUTE_MS + WINDOW_SAFETY_MS, window: 'minute' });
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + MINUTE_MS + WINDOW_SAFETY_MS + 1).window).toBeNull();
  });

  it('stops at the daily quota until 00:00 UTC and starts the new day from zero', () => {
    const s = { ...EMPTY_QUOTA_STATE, day: { period: '2026-11-25', used: 500 }, month: { period: '2026-11', used: 500 } };
    const late = Date.UTC(2026, 10, 25, 23, 59, 0);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, late)).toEqual({ at: Date.UTC(2026, 10, 26), window: 'day' });
    const nextDay = Date.UTC(2026, 10, 26, 0, 0, 1);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, nextDay).window).toBeNull();
    expect(spend(s, nextDay).day).toEqual({ period: '2026-11-26', used: 1 });
    expect(spend(s, nextDay).month.used).toBe(501);
  });

  it('stops at the monthly quota until the 1st, 00:00 UTC, across a year end', () => {
    const dec = Date.UTC(2026, 11, 31, 22, 0, 0);
    const s = { ...EMPTY_QUOTA_STATE, month: { period: '2026-12', used: 15_500 } };
    expect(nextAllowedAt(s, PUBLIC_QUOTA, dec)).toEqual({ at: Date.UTC(2027, 0, 1), window: 'month' });
    expect(nextUtcMonthStart(dec)).toBe(Date.UTC(2027, 0, 1));
    expect(nextUtcMidnight(Date.UTC(2028, 1, 28, 5))).toBe(Date.UTC(2028, 1, 29));
    expect(spend(s, Date.UTC(2027, 0, 1, 0, 0, 1)).month).toEqual({ period: '2027-01', used: 1 });
  });

  it('backs off after an unexpected 429, doubling up to a cap, and starts over after a success', () => {
    let s = rateLimited(EMPTY_QUOTA_STATE, t0);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0)).toEqual({ at: t0 + MINUTE_MS, window: 'rate-limited' });
    s = rateLimited(s, t0 + MINUTE_MS);
    expect(s.blockedUntil).toBe(t0 + 3 * MINUTE_MS);
    for (let i = 0; i < 10; i++) s = rateLimited(s, t0);
    expect(s.blockedUntil).toBeLessThanOrEqual(t0 + 30 * MINUTE_MS + 3 * MINUTE_MS);
    expect(accepted(s).rateLimitedInARow).toBe(0);
  });

  it('reports usage per window', () => {
    const s = spendN(3, (i) => t0 + i);
    const u = usageOf(s, PUBLIC_QUOTA, t0 + 10);
    expect(u.minute).toEqual({ used: 3, allowed: 4 });
    expect(u.day.used).toBe(3);
    expect(u.nextAt).toBeNull();
  });

  it('distrusts a malformed stored state', () => {
    expect(parseQuotaState('garbage')).toEqual(EMPTY_QUOTA_STATE);
    const parsed = parseQuotaState({ recent: [3, 'x', -1, 1], day: { period: 5 }, blockedUntil: NaN });
    expect(parsed.recent).toEqual([1, 3]);
    expect(parsed.day).toEqual(EMPTY_QUOTA_STATE.day);
    expect(parsed.blockedUntil).toBe(0);
  });
});
