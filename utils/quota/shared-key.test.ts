/**
 * A key another app also uses: VirusTotal answers 429 although ScanDock's own counters had room. Its own count
 * (`overall_quotas`) is read at most once an hour and only after such a 429; ScanDock then counts on from it.
 */
import { describe, expect, it } from 'vitest';
import { PUBLIC_QUOTA } from '../settings/storage-items';
import {
  EMPTY_QUOTA_STATE, HOUR_MS, MINUTE_MS, nextAllowedAt, nextUtcMidnight, parseQuotaState, rateLimited, spend, usageOf, vtCountRead,
} from './quota-math';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);
const QUOTAS = (dayUsed: number, hourUsed = 0) => ({ daily: { used: dayUsed, allowed: 500 }, hourly: { used: hourUsed, allowed: 240 } });

describe('a key shared with other apps', () => {
  it('asks for one read of VirusTotal’s count after a 429, and no second one within the hour', () => {
    const first = rateLimited(EMPTY_QUOTA_STATE, t0);
    expect(first.readVtCount).toBe(true);
    const again = rateLimited(first.state, t0 + 59 * MINUTE_MS);
    expect(again.readVtCount).toBe(false);
    expect(rateLimited(again.state, t0 + HOUR_MS).readVtCount).toBe(true);
  });

  it('says the key is used elsewhere, for a day after the 429', () => {
    const { state } = rateLimited(EMPTY_QUOTA_STATE, t0);
    expect(usageOf(EMPTY_QUOTA_STATE, PUBLIC_QUOTA, t0).sharedKey).toBe(false);
    expect(usageOf(state, PUBLIC_QUOTA, t0 + HOUR_MS).sharedKey).toBe(true);
    expect(usageOf(state, PUBLIC_QUOTA, t0 + 25 * HOUR_MS).sharedKey).toBe(false);
  });

  it('a day VirusTotal counts as used up holds every request until 00:00 UTC, though ours has room', () => {
    const s = vtCountRead(EMPTY_QUOTA_STATE, QUOTAS(500), t0);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + 2 * HOUR_MS)).toEqual({ at: nextUtcMidnight(t0), window: 'day' });
    expect(nextAllowedAt(s, PUBLIC_QUOTA, nextUtcMidnight(t0))).toEqual({ at: nextUtcMidnight(t0), window: null });
    expect(usageOf(s, PUBLIC_QUOTA, t0).day).toMatchObject({ used: 500, allowed: 500 });
  });

  it('counts its own requests on top of VirusTotal’s count: the day runs out where VirusTotal’s does', () => {
    let s = vtCountRead(EMPTY_QUOTA_STATE, QUOTAS(497), t0);
    for (let i = 0; i < 3; i++) {
      const at = t0 + i * 20 * MINUTE_MS;
      expect(nextAllowedAt(s, PUBLIC_QUOTA, at).window).toBeNull();
      s = spend(s, at);
    }
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + HOUR_MS + 1)).toEqual({ at: nextUtcMidnight(t0), window: 'day' });
    expect(s.day.used).toBe(3);
  });

  it('an hour VirusTotal counts as used up holds requests for the rest of that hour', () => {
    const s = vtCountRead(EMPTY_QUOTA_STATE, QUOTAS(10, 240), t0);
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + MINUTE_MS)).toEqual({ at: t0 + HOUR_MS, window: 'hour' });
    expect(nextAllowedAt(s, PUBLIC_QUOTA, t0 + HOUR_MS).window).toBeNull();
  });

  it('survives storage: the count and the time of the read are kept, a bad one is dropped', () => {
    const s = vtCountRead(rateLimited(EMPTY_QUOTA_STATE, t0).state, QUOTAS(120), t0);
    expect(parseQuotaState(JSON.parse(JSON.stringify(s)))).toEqual(s);
    expect(parseQuotaState({ ...s, vtCount: { day: { period: 3 } } }).vtCount).toBeNull();
  });
});
