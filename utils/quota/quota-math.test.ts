import { describe, expect, it } from 'vitest';
import {
  EMPTY_QUOTA_STATE, MINUTE_MS, WINDOW_SAFETY_MS, nextAllowedAt, nextUtcMidnight, nextUtcMonthStart,
  parseQuotaState, rateLimited, spend, usageOf, accepted, restamp, refund, forecast, shiftClock, type QuotaState,
} from './quota-math';
import { PUBLIC_QUOTA } from '../settings/storage-items';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

function spendN(n: number, at: (i: number) => number, state = EMPTY_QUOTA_STATE) {
  let s = state;
  for (let i = 0; i < n; i++) s = spend(s, at(i));
  return s;
}

/** The state after an unexpected 429 (the claim of a read of VirusTotal's count left aside). */
const limited = (state: QuotaState, now: number) => rateLimited(state, now).state;

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
    let s = rateLimited(EMPTY_QUOTA_STATE, t0).state;
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0)).toEqual({ at: t0 + MINUTE_MS, window: 'rate-limited' });
    s = rateLimited(s, t0 + MINUTE_MS).state;
    expect(s.blockedUntil).toBe(t0 + 3 * MINUTE_MS);
    for (let i = 0; i < 10; i++) s = rateLimited(s, t0).state;
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

describe('restamping, refunding and forecasting slots', () => {
  it('moves a slot to when its request left, so the window frees later, never earlier', () => {
    const s = spendN(4, (i) => t0 + i * 1000);
    const moved = restamp(s, t0, t0 + 30_000);
    expect(moved.recent).toEqual([t0 + 1000, t0 + 2000, t0 + 3000, t0 + 30_000]);
    expect(moved.day.used).toBe(4);
    // A minute after the slot was spent, it would have freed; stamped when it left, it has not yet.
    const justAfter = t0 + MINUTE_MS + WINDOW_SAFETY_MS + 1;
    expect(nextAllowedAt(s, PUBLIC_QUOTA, justAfter).window).toBeNull();
    expect(nextAllowedAt(moved, PUBLIC_QUOTA, justAfter)).toEqual({ at: t0 + 1000 + MINUTE_MS + WINDOW_SAFETY_MS, window: 'minute' });
    // Never backwards.
    expect(restamp(s, t0 + 1000, t0)).toBe(s);
  });

  it('counts a request that outlasted the minute again from when it ended (its entry had left the minute)', () => {
    const s = spendN(2, (i) => t0 + i * 1000);
    const ended = restamp(s, t0 - 2 * MINUTE_MS, t0 + 5000);
    expect(ended.recent).toEqual([t0, t0 + 1000, t0 + 5000]);
    expect(ended.day.used).toBe(2);
  });

  it('gives a slot back whose request never left', () => {
    const s = spendN(2, (i) => t0 + i * 1000);
    const back = refund(s, t0 + 1000);
    expect(back.recent).toEqual([t0]);
    expect(back.day.used).toBe(1);
    expect(back.month.used).toBe(1);
    expect(refund(s, t0 + 5)).toBe(s);
  });

  it('forecasts each queued request\'s turn at 4 a minute: four now, then four a minute later', () => {
    const turns = forecast(EMPTY_QUOTA_STATE, PUBLIC_QUOTA, t0, 10);
    const next = t0 + MINUTE_MS + WINDOW_SAFETY_MS;
    expect(turns.map((t) => t.at)).toEqual([t0, t0, t0, t0, next, next, next, next, next + MINUTE_MS + WINDOW_SAFETY_MS, next + MINUTE_MS + WINDOW_SAFETY_MS]);
    expect(turns[4]!.window).toBe('minute');
  });
});

describe('quota arithmetic when the system clock is moved', () => {
  const HOUR = 3_600_000;

  it('set back: the minute\'s requests "from the future" still hold their slots, for a minute from now', () => {
    const s = spendN(4, (i) => t0 + i * 1000);
    const now = t0 - 10 * 60_000;
    expect(nextAllowedAt(s, PUBLIC_QUOTA, now)).toEqual({ at: now + MINUTE_MS + WINDOW_SAFETY_MS, window: 'minute' });
    expect(usageOf(s, PUBLIC_QUOTA, now).minute.used).toBe(4);
    // Never longer than that: a minute later they are gone, although the clock has not reached them yet.
    expect(nextAllowedAt(spend(s, now), PUBLIC_QUOTA, now + MINUTE_MS + WINDOW_SAFETY_MS + 1).window).toBeNull();
  });

  it('set back across 00:00 UTC: the day\'s count is never started over backwards', () => {
    const s = { ...EMPTY_QUOTA_STATE, day: { period: '2026-11-26', used: 500 }, month: { period: '2026-11', used: 900 } };
    const backInTheDayBefore = Date.UTC(2026, 10, 25, 23, 30);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, backInTheDayBefore)).toMatchObject({ window: 'day' });
    const roomy = { ...PUBLIC_QUOTA, perDay: 1000 };
    expect(spend(s, backInTheDayBefore).day).toEqual({ period: '2026-11-26', used: 501 });
    expect(nextAllowedAt(s, roomy, backInTheDayBefore).window).toBeNull();
    // The same for the month, set back across the 1st.
    const nextMonth = { ...EMPTY_QUOTA_STATE, day: { period: '2026-12-01', used: 3 }, month: { period: '2026-12', used: 15_500 } };
    expect(nextAllowedAt(nextMonth, PUBLIC_QUOTA, Date.UTC(2026, 10, 30, 23, 0))).toMatchObject({ window: 'month' });
  });

  it('a 429 backoff set while the clock was an hour ahead lasts no longer than its own length once the clock is right', () => {
    const ahead = t0 + HOUR;
    const once = limited(EMPTY_QUOTA_STATE, ahead);
    expect(nextAllowedAt(once, PUBLIC_QUOTA, ahead)).toEqual({ at: ahead + 60_000, window: 'rate-limited' });
    expect(nextAllowedAt(once, PUBLIC_QUOTA, t0)).toEqual({ at: t0 + 60_000, window: 'rate-limited' });
    const thrice = limited(limited(once, ahead + 60_000), ahead + 180_000);
    expect(nextAllowedAt(thrice, PUBLIC_QUOTA, t0).at).toBe(t0 + 240_000);
    // Unmoved, a backoff is its full length.
    expect(nextAllowedAt(thrice, PUBLIC_QUOTA, ahead + 180_000).at).toBe(ahead + 180_000 + 240_000);
  });

  it('reads VirusTotal\'s count at most once an hour however the clock moves', () => {
    const first = rateLimited(EMPTY_QUOTA_STATE, t0);
    expect(first.readVtCount).toBe(true);
    // Set back two hours (not measured): the read "in the future" counts as made now.
    expect(rateLimited(first.state, t0 - 2 * HOUR).readVtCount).toBe(false);
    expect(rateLimited(first.state, t0 - 2 * HOUR + 30 * MINUTE_MS).readVtCount).toBe(false);
    // Measured, the read moves with the clock: still an hour after it, in the clock's new time.
    const moved = shiftClock(first.state, -2 * HOUR);
    expect(rateLimited(moved, t0 - 2 * HOUR + 59 * MINUTE_MS).readVtCount).toBe(false);
    expect(rateLimited(moved, t0 - HOUR).readVtCount).toBe(true);
    expect(rateLimited(first.state, t0 + HOUR).readVtCount).toBe(true);
  });

  it('a measured change of the clock moves the kept times with it', () => {
    const s = limited(spendN(2, (i) => t0 + i * 1000), t0 + 2000);
    const back = shiftClock(s, -HOUR);
    expect(back.recent).toEqual([t0 - HOUR, t0 + 1000 - HOUR]);
    expect(back.blockedUntil).toBe(s.blockedUntil - HOUR);
    expect(back.day).toEqual(s.day);
    expect(shiftClock(EMPTY_QUOTA_STATE, HOUR).blockedUntil).toBe(0);
  });
});
