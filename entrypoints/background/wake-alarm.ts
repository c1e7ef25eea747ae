/**
 * One alarm wakes the worker for the earliest waiting scan (uBlock Origin's pattern): a wait held in
 * memory dies with the worker, the alarm does not. Alarms fire no sooner than 30 s, so in-memory timers
 * keep the precise schedule and the alarm is the backstop.
 */
import { browser } from 'wxt/browser';

export const WAKE_ALARM = 'scandock-wake';
/** While scans wait, check on them at least this often. */
export const WATCHDOG_MS = 60_000;

/** Make sure the worker is woken by `at` (keeping an earlier alarm if one is set). */
export function scheduleWake(at: number): void {
  void (async () => {
    const existing = await browser.alarms.get(WAKE_ALARM);
    if (existing && existing.scheduledTime <= at && existing.scheduledTime > Date.now()) return;
    await browser.alarms.create(WAKE_ALARM, { when: Math.max(at, Date.now() + 1000) });
  })().catch(() => undefined);
}
