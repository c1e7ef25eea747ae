/**
 * The emulator's quota book: per API key, a sliding window of `minuteMs`, a UTC day and a UTC month,
 * like VirusTotal's public API ("4 requests of any nature in any given 1 minute time frame").
 */

/** Limits the emulator enforces. */
export interface QuotaLimits {
  perMinute: number;
  perDay: number;
  perMonth: number;
  /** Length of the sliding "minute"; shorter in soak tests. */
  minuteMs: number;
}

/** The quota a 429 names. */
export type QuotaName = 'minute' | 'day' | 'month';

/** Requests counted for one key. `hour` is the sliding window of 60 "minutes" that overall_quotas shows. */
export interface QuotaUsage {
  minute: number;
  hour: number;
  day: number;
  month: number;
}

interface KeyBook {
  /** Times of the requests in the last 60 "minutes", oldest first. */
  recent: number[];
  day: { period: string; used: number };
  month: { period: string; used: number };
}

/** Default quotas of a public key. */
export const PUBLIC_LIMITS: QuotaLimits = { perMinute: 4, perDay: 500, perMonth: 15_500, minuteMs: 60_000 };

/** Counts requests per API key and says which quota, if any, a new request would exceed. */
export class QuotaBook {
  private readonly books = new Map<string, KeyBook>();

  constructor(readonly limits: QuotaLimits) {}

  /** Requests spent by `key` as of `now`. */
  usage(key: string, now: number): QuotaUsage {
    const book = this.rolled(key, now);
    return {
      minute: book.recent.filter((t) => t > now - this.limits.minuteMs).length,
      hour: book.recent.length,
      day: book.day.used,
      month: book.month.used,
    };
  }

  /** The quota one more request at `now` would exceed; the longest one first, as it is the one to wait for. */
  exceeded(key: string, now: number): QuotaName | null {
    const used = this.usage(key, now);
    if (used.month >= this.limits.perMonth) return 'month';
    if (used.day >= this.limits.perDay) return 'day';
    if (used.minute >= this.limits.perMinute) return 'minute';
    return null;
  }

  /** Counts one request by `key` at `now`. */
  spend(key: string, now: number): void {
    const book = this.rolled(key, now);
    book.recent.push(now);
    book.day.used += 1;
    book.month.used += 1;
  }

  /** Forgets every count. */
  reset(): void {
    this.books.clear();
  }

  private rolled(key: string, now: number): KeyBook {
    const day = new Date(now).toISOString().slice(0, 10);
    const month = day.slice(0, 7);
    const book = this.books.get(key) ?? { recent: [], day: { period: day, used: 0 }, month: { period: month, used: 0 } };
    const hourStart = now - 60 * this.limits.minuteMs;
    book.recent = book.recent.filter((t) => t > hourStart);
    if (book.day.period !== day) book.day = { period: day, used: 0 };
    if (book.month.period !== month) book.month = { period: month, used: 0 };
    this.books.set(key, book);
    return book;
  }
}

/** The 429 message naming the quota that ran out. */
export function quotaMessage(name: QuotaName, limits: QuotaLimits): string {
  switch (name) {
    case 'minute':
      return `Quota exceeded: minute quota of ${limits.perMinute} requests per ${limits.minuteMs / 1000} s used up`;
    case 'day':
      return `Quota exceeded: daily quota of ${limits.perDay} requests used up (resets at 00:00 UTC)`;
    case 'month':
      return `Quota exceeded: monthly quota of ${limits.perMonth} requests used up (resets on the 1st, 00:00 UTC)`;
  }
}
