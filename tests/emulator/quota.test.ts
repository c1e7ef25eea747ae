import { describe, expect, it } from 'vitest';
import { QuotaBook, quotaMessage } from './quota';

const t0 = Date.UTC(2026, 10, 25, 12, 0, 0);

describe('emulator quota book', () => {
  it('holds the fifth request of a minute until the first leaves the sliding window', () => {
    const book = new QuotaBook({ perMinute: 4, perDay: 500, perMonth: 15_500, minuteMs: 60_000 });
    for (let i = 0; i < 4; i++) book.spend('k', t0 + i * 1000);
    expect(book.exceeded('k', t0 + 4000)).toBe('minute');
    expect(book.exceeded('k', t0 + 59_999)).toBe('minute');
    expect(book.exceeded('k', t0 + 60_000)).toBeNull();
    expect(book.exceeded('other', t0 + 4000)).toBeNull();
    expect(book.usage('k', t0 + 4000)).toEqual({ minute: 4, hour: 4, day: 4, month: 4 });
  });

  it('resets the day at 00:00 UTC and the month on the 1st', () => {
    const book = new QuotaBook({ perMinute: 100, perDay: 2, perMonth: 3, minuteMs: 1000 });
    book.spend('k', Date.UTC(2026, 10, 30, 23, 0));
    book.spend('k', Date.UTC(2026, 10, 30, 23, 59, 59));
    expect(book.exceeded('k', Date.UTC(2026, 10, 30, 23, 59, 59, 999))).toBe('day');
    book.spend('k', Date.UTC(2026, 11, 1, 0, 0, 0));
    expect(book.usage('k', Date.UTC(2026, 11, 1, 0, 0, 1))).toMatchObject({ day: 1, month: 1 });
    const month = new QuotaBook({ perMinute: 100, perDay: 100, perMonth: 2, minuteMs: 1000 });
    month.spend('k', Date.UTC(2026, 10, 3));
    month.spend('k', Date.UTC(2026, 10, 20));
    expect(month.exceeded('k', Date.UTC(2026, 10, 30))).toBe('month');
    expect(month.exceeded('k', Date.UTC(2026, 11, 1))).toBeNull();
  });

  it('names the quota in its message', () => {
    const limits = { perMinute: 4, perDay: 500, perMonth: 15_500, minuteMs: 60_000 };
    expect(quotaMessage('minute', limits)).toMatch(/minute/);
    expect(quotaMessage('day', limits)).toMatch(/daily/);
    expect(quotaMessage('month', limits)).toMatch(/monthly/);
  });
});
