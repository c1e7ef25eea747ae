/**
 * One alarm wakes the worker for the scheduler's earliest need (uBlock Origin's pattern): a wait held in
 * memory dies with the worker, the alarm does not. The scheduler says when (a timed wait, or a watchdog
 * while work runs) and clears it when only finished or paused scans are left, so a paused queue lets the
 * worker rest. Alarms fire no sooner than 30 s, so in-memory timers keep the precise schedule.
 */
import { browser } from 'wxt/browser';

export const WAKE_ALARM = 'scandock-wake';

/** Wake the worker at `at` (replacing the alarm set before), or never when `at` is null. */
export function setWakeAlarm(at: number | null): void {
  const done = at === null
    ? browser.alarms.clear(WAKE_ALARM)
    : browser.alarms.create(WAKE_ALARM, { when: Math.max(at, Date.now() + 1000) });
  void Promise.resolve(done).catch(() => undefined);
}
