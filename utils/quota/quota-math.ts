/**
 * Quota arithmetic, pure: a sliding one-minute window, a UTC day and a UTC month.
 * VirusTotal's daily quota resets at 00:00 UTC and the monthly one at 00:00 UTC on the 1st.
 *
 * The times come from the system clock, which a person (or a time sync) may set back or forward. VirusTotal
 * keeps its own time, so a change of ours must never let more requests go than its counters allow, nor hold
 * a request back much longer than they need: what the state says is read as of `now` by `rollOver`, and a
 * jump the ledger measured is undone by `shiftClock`.
 */
import type { QuotaLimits } from '../settings/storage-items';

export const MINUTE_MS = 60_000;
/**
 * Our request timestamps are taken before sending, VirusTotal's on arrival: a slot is held this much
 * longer than a minute so our window never ends before VirusTotal's does.
 */
export const WINDOW_SAFETY_MS = 750;
/** After a 429 we did not expect, wait this long, doubling per repeat, up to the cap. */
export const RATE_LIMIT_BACKOFF_MS = MINUTE_MS;
export const RATE_LIMIT_BACKOFF_CAP_MS = 30 * MINUTE_MS;
export const HOUR_MS = 60 * MINUTE_MS;
/** VirusTotal's own count for the key (`overall_quotas`) is read at most this often, and only after a 429 we did not expect. */
export const VT_COUNT_READ_INTERVAL_MS = HOUR_MS;
/** The popup says the key is also used elsewhere for this long after such a 429. */
export const SHARED_KEY_NOTICE_MS = 24 * HOUR_MS;

/**
 * VirusTotal's own count of the key's requests (`GET /users/{key}/overall_quotas`), which includes other apps
 * using the same key: the UTC day it was read in, and the hour from the read. ScanDock adds its own requests
 * to it until the day (or hour) is over. The monthly figure is not kept: it is not reliable for free keys.
 */
export interface VirusTotalCount {
  day: { period: string; used: number; allowed: number };
  hour: { until: number; used: number; allowed: number };
}

/** What `overall_quotas` says of the day and the hour. */
export interface OverallQuotas {
  daily: { used: number; allowed: number };
  hourly: { used: number; allowed: number };
}

/** What the quota ledger keeps in chrome.storage. */
export interface QuotaState {
  /** Send times of the requests in the last minute, oldest first. */
  recent: number[];
  /** UTC day ("2026-11-25") and requests spent in it. */
  day: { period: string; used: number };
  /** UTC month ("2026-11") and requests spent in it. */
  month: { period: string; used: number };
  /** No request before this time (after a 429 VirusTotal sent despite our counters). */
  blockedUntil: number;
  /** 429s in a row, for the backoff. */
  rateLimitedInARow: number;
  /** The last 429 VirusTotal sent although our counters had room: another app uses the key (0: never). */
  sharedAt: number;
  /** When VirusTotal's own count was last read, or claimed for reading (0: never). */
  vtCountReadAt: number;
  /** VirusTotal's own count from that read, while its day or hour lasts. */
  vtCount: VirusTotalCount | null;
}

export type QuotaWindow = 'minute' | 'hour' | 'day' | 'month' | 'rate-limited';

export const EMPTY_QUOTA_STATE: QuotaState = {
  recent: [],
  day: { period: '', used: 0 },
  month: { period: '', used: 0 },
  blockedUntil: 0,
  rateLimitedInARow: 0,
  sharedAt: 0,
  vtCountReadAt: 0,
  vtCount: null,
};

/** "2026-11-25" for the UTC day holding `now`. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** "2026-11" for the UTC month holding `now`. */
export function utcMonth(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}

/** The next 00:00 UTC after `now`. */
export function nextUtcMidnight(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** 00:00 UTC on the 1st of the month after `now`. */
export function nextUtcMonthStart(now: number): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/**
 * The state as of `now`: old minute entries dropped, a new day or month starting from zero. A clock set back
 * since leaves entries "from the future": they were sent by now, so they count as sent now (they hold their
 * slots a minute from now, never longer); a day or month never starts over backwards (the later one's count
 * stays until that one has passed); and a 429 backoff lasts at most its own length from now.
 */
export function rollOver(state: QuotaState, now: number): QuotaState {
  const windowStart = now - MINUTE_MS - WINDOW_SAFETY_MS;
  const day = utcDay(now);
  const month = utcMonth(now);
  return {
    recent: state.recent.filter((t) => t > windowStart).map((t) => Math.min(t, now)).sort((a, b) => a - b),
    day: state.day.period >= day ? state.day : { period: day, used: 0 },
    month: state.month.period >= month ? state.month : { period: month, used: 0 },
    blockedUntil: Math.min(state.blockedUntil, now + lastBackoff(state.rateLimitedInARow)),
    rateLimitedInARow: state.rateLimitedInARow,
    // Set back since, a read "in the future" counts as made now: the next one is an hour from now, never sooner.
    sharedAt: Math.min(state.sharedAt, now),
    vtCountReadAt: Math.min(state.vtCountReadAt, now),
    vtCount: currentVtCount(state.vtCount, now),
  };
}

/**
 * The state once the system clock moved by `ms` (measured: the wall clock went on by that much more, or less,
 * than time itself): the times kept move with it, so they stay as far from now as they were.
 */
export function shiftClock(state: QuotaState, ms: number): QuotaState {
  if (ms === 0) return state;
  return {
    ...state,
    recent: state.recent.map((t) => Math.max(0, t + ms)),
    blockedUntil: state.blockedUntil > 0 ? Math.max(0, state.blockedUntil + ms) : 0,
    sharedAt: state.sharedAt > 0 ? Math.max(1, state.sharedAt + ms) : 0,
    vtCountReadAt: state.vtCountReadAt > 0 ? Math.max(1, state.vtCountReadAt + ms) : 0,
    vtCount: state.vtCount && { ...state.vtCount, hour: { ...state.vtCount.hour, until: state.vtCount.hour.until + ms } },
  };
}

/** VirusTotal's count as of `now`: a past day no longer holds anything back (a later one, after the clock was set back, still does). */
function currentVtCount(count: VirusTotalCount | null, now: number): VirusTotalCount | null {
  if (!count || count.day.period < utcDay(now)) return null;
  return count;
}

/** The hour of VirusTotal's count, while it lasts (never longer than an hour from now). */
function currentHour(count: VirusTotalCount | null, now: number): VirusTotalCount['hour'] | null {
  return count && count.hour.until > now ? { ...count.hour, until: Math.min(count.hour.until, now + HOUR_MS) } : null;
}

/** When the next request may be sent (`now` if at once), and which quota holds it back. */
export function nextAllowedAt(
  state: QuotaState,
  limits: QuotaLimits,
  now: number,
): { at: number; window: QuotaWindow | null } {
  const s = rollOver(state, now);
  if (s.month.used >= limits.perMonth) return { at: nextUtcMonthStart(now), window: 'month' };
  if (s.day.used >= limits.perDay) return { at: nextUtcMidnight(now), window: 'day' };
  // VirusTotal's own count (other apps on the key included), once read: nothing goes until its day or hour allows.
  if (s.vtCount && s.vtCount.day.used >= s.vtCount.day.allowed) return { at: nextUtcMidnight(now), window: 'day' };
  const hour = currentHour(s.vtCount, now);
  if (hour && hour.used >= hour.allowed) return { at: hour.until, window: 'hour' };
  if (s.blockedUntil > now) return { at: s.blockedUntil, window: 'rate-limited' };
  if (s.recent.length >= limits.perMinute) {
    // The slot frees when the oldest request that keeps us at the limit leaves the window.
    const oldest = s.recent[s.recent.length - limits.perMinute] ?? now;
    return { at: oldest + MINUTE_MS + WINDOW_SAFETY_MS, window: 'minute' };
  }
  return { at: now, window: null };
}

/** The state after spending one request at `now`. */
export function spend(state: QuotaState, now: number): QuotaState {
  const s = rollOver(state, now);
  return {
    ...s,
    recent: [...s.recent, now],
    day: { period: s.day.period, used: s.day.used + 1 },
    month: { period: s.month.period, used: s.month.used + 1 },
    vtCount: s.vtCount && {
      day: { ...s.vtCount.day, used: s.vtCount.day.used + 1 },
      hour: s.vtCount.hour.until > now ? { ...s.vtCount.hour, used: s.vtCount.hour.used + 1 } : s.vtCount.hour,
    },
  };
}

/**
 * The state after a slot spent at `from` counts only from `to` (≥ from: it was sent, or it ended, then): its
 * minute entry moves to `to`, so our window never ends before VirusTotal's, which counts from arrival. An
 * entry already out of the minute (a request that took longer than that) comes back at `to`. The day and
 * month counts stay.
 */
export function restamp(state: QuotaState, from: number, to: number): QuotaState {
  if (to <= from) return state;
  const i = state.recent.lastIndexOf(from);
  const recent = [...state.recent];
  if (i >= 0) recent[i] = to;
  else recent.push(to);
  return { ...state, recent: recent.sort((a, b) => a - b) };
}

/** The state after a slot spent at `at` was not used after all (its request never left). */
export function refund(state: QuotaState, at: number): QuotaState {
  const i = state.recent.lastIndexOf(at);
  if (i < 0) return state;
  const recent = [...state.recent];
  recent.splice(i, 1);
  const back = (p: { period: string; used: number }) => ({ period: p.period, used: Math.max(0, p.used - 1) });
  return { ...state, recent, day: back(state.day), month: back(state.month) };
}

/**
 * When each of the next `count` requests could go, in order, if every one before it goes at its turn:
 * the turn a scan that is n-th in the queue can expect, and which quota holds it back (null: at once).
 */
export function forecast(state: QuotaState, limits: QuotaLimits, now: number, count: number): Array<{ at: number; window: QuotaWindow | null }> {
  const turns: Array<{ at: number; window: QuotaWindow | null }> = [];
  let s = state;
  let at = now;
  for (let i = 0; i < count; i++) {
    const next = nextAllowedAt(s, limits, at);
    turns.push(next);
    at = next.at;
    s = spend(s, at);
  }
  return turns;
}

/** The backoff after the `inARow`-th 429 in a row (1, 2, …): a minute, doubling, at most the cap. */
function backoffAfter(inARow: number): number {
  return Math.min(RATE_LIMIT_BACKOFF_MS * 2 ** Math.max(0, inARow - 1), RATE_LIMIT_BACKOFF_CAP_MS);
}

/**
 * The longest a backoff set before can still need from now: the one after the last 429 (after an answer went
 * through, the first one's: VirusTotal was taking requests again).
 */
function lastBackoff(inARow: number): number {
  return backoffAfter(Math.max(1, inARow));
}

/**
 * The state after VirusTotal answered 429 although our counters allowed the request: another app uses the key.
 * Back off; and `readVtCount` when VirusTotal's own count is due to be read (at most once an hour), the read
 * being claimed in the state so that no other request reads it too.
 */
export function rateLimited(state: QuotaState, now: number): { state: QuotaState; readVtCount: boolean } {
  const s = rollOver(state, now);
  const inARow = s.rateLimitedInARow + 1;
  const readVtCount = s.vtCountReadAt === 0 || now - s.vtCountReadAt >= VT_COUNT_READ_INTERVAL_MS;
  return {
    state: {
      ...s,
      blockedUntil: Math.max(s.blockedUntil, now + backoffAfter(inARow)),
      rateLimitedInARow: inARow,
      sharedAt: now,
      ...(readVtCount ? { vtCountReadAt: now } : {}),
    },
    readVtCount,
  };
}

/** The state once VirusTotal's own count was read at `now`: from here on, ScanDock counts on from it. */
export function vtCountRead(state: QuotaState, quotas: OverallQuotas, now: number): QuotaState {
  return {
    ...rollOver(state, now),
    vtCount: {
      day: { period: utcDay(now), ...quotas.daily },
      hour: { until: now + HOUR_MS, ...quotas.hourly },
    },
  };
}

/** The state after a request went through: the 429 backoff starts over. */
export function accepted(state: QuotaState): QuotaState {
  return state.rateLimitedInARow === 0 ? state : { ...state, rateLimitedInARow: 0 };
}

/** Used and allowed per window, for the popup's meter. */
export interface QuotaUsage {
  minute: { used: number; allowed: number };
  day: { used: number; allowed: number; resetsAt: number };
  month: { used: number; allowed: number; resetsAt: number };
  /** When the next request may be sent, if not now. */
  nextAt: number | null;
  heldBy: QuotaWindow | null;
  /** VirusTotal refused a request our counters allowed, lately: another app or browser uses the same key. */
  sharedKey: boolean;
}

/** The usage as of `now`. */
export function usageOf(state: QuotaState, limits: QuotaLimits, now: number): QuotaUsage {
  const s = rollOver(state, now);
  const next = nextAllowedAt(s, limits, now);
  return {
    minute: { used: s.recent.filter((t) => t > now - MINUTE_MS).length, allowed: limits.perMinute },
    // Once VirusTotal's own count is known, the day shows it (other apps included) where it is the tighter one.
    day: {
      used: Math.max(s.day.used, s.vtCount?.day.used ?? 0),
      allowed: Math.min(limits.perDay, s.vtCount?.day.allowed ?? limits.perDay),
      resetsAt: nextUtcMidnight(now),
    },
    month: { used: s.month.used, allowed: limits.perMonth, resetsAt: nextUtcMonthStart(now) },
    nextAt: next.window ? next.at : null,
    heldBy: next.window,
    sharedKey: s.sharedAt > 0 && now - s.sharedAt < SHARED_KEY_NOTICE_MS,
  };
}

/** Accepts only a well-formed stored state; anything else starts from empty (and is not trusted). */
export function parseQuotaState(value: unknown): QuotaState {
  if (!value || typeof value !== 'object') return EMPTY_QUOTA_STATE;
  const v = value as Partial<QuotaState>;
  const num = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const period = (p: unknown): p is { period: string; used: number } =>
    !!p && typeof p === 'object' && typeof (p as { period: unknown }).period === 'string' && num((p as { used: unknown }).used);
  return {
    recent: Array.isArray(v.recent) ? v.recent.filter(num).sort((a, b) => a - b) : [],
    day: period(v.day) ? v.day : EMPTY_QUOTA_STATE.day,
    month: period(v.month) ? v.month : EMPTY_QUOTA_STATE.month,
    blockedUntil: num(v.blockedUntil) ? v.blockedUntil : 0,
    rateLimitedInARow: num(v.rateLimitedInARow) ? v.rateLimitedInARow : 0,
    sharedAt: num(v.sharedAt) ? v.sharedAt : 0,
    vtCountReadAt: num(v.vtCountReadAt) ? v.vtCountReadAt : 0,
    vtCount: parseVtCount(v.vtCount, num),
  };
}

function parseVtCount(value: unknown, num: (x: unknown) => x is number): VirusTotalCount | null {
  if (!value || typeof value !== 'object') return null;
  const { day, hour } = value as Partial<VirusTotalCount>;
  if (!day || typeof day.period !== 'string' || !num(day.used) || !num(day.allowed)) return null;
  if (!hour || !num(hour.until) || !num(hour.used) || !num(hour.allowed)) return null;
  return { day: { period: day.period, used: day.used, allowed: day.allowed }, hour: { until: hour.until, used: hour.used, allowed: hour.allowed } };
}
