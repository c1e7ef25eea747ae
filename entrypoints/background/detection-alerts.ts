/**
 * What a person sees outside the popup: the action badge (unseen detections, or that scans are running)
 * and a notification for each malicious or suspicious verdict, with "Open report" and "Delete file".
 */
import { browser } from 'wxt/browser';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { enginesThatAnswered } from '@/utils/scan/verdict';
import { unseenDetectionsItem } from '@/utils/settings/storage-items';
import { t, type MessageKey } from '@/utils/i18n';
import type { ProblemCode } from '@/utils/problems/problem';
import type { QueueState } from '@/utils/scan/scan-store';
import { platform } from '@/utils/platform/browser-platform';

const NOTIFICATION_PREFIX = 'scandock:';

/**
 * Show the badge: the number of unseen detections in red; else "!" in amber while every unfinished scan
 * waits for the person (the tooltip says for what); else "…" while scans run.
 */
export async function updateBadge(queue: QueueState): Promise<void> {
  const unseen = (await unseenDetectionsItem.getValue()).length;
  const allPaused = queue.paused > 0 && queue.paused === queue.unfinished;
  const text = unseen > 0 ? String(Math.min(unseen, 999)) : allPaused ? t('badgePaused') : queue.unfinished > 0 ? t('badgeScanning') : '';
  await browser.action.setBadgeBackgroundColor({ color: unseen > 0 ? '#c62828' : allPaused ? '#b26a00' : '#5f6368' });
  await browser.action.setBadgeText({ text });
  await browser.action.setTitle({ title: queue.pausedOn ? t(PAUSED_TITLE[queue.pausedOn] ?? 'badgeTitleKeyRejected', String(queue.paused)) : t('extensionName') });
}

/** The toolbar tooltip while scans wait for the person, by what they wait for. */
const PAUSED_TITLE: Partial<Record<ProblemCode, MessageKey>> = {
  'no-api-key': 'badgeTitleNoKey',
  'no-host-access': 'badgeTitleNoHostAccess',
};

/**
 * Changes to the unseen detections, one at a time: each is a read-modify-write of one storage item, and
 * several scans finishing together would otherwise overwrite each other's detection.
 */
let unseenChanges: Promise<unknown> = Promise.resolve();
function changeUnseen<T>(change: (unseen: string[]) => { next: string[] | null; result: T }): Promise<T> {
  const run = unseenChanges.then(async () => {
    const { next, result } = change(await unseenDetectionsItem.getValue());
    if (next) await unseenDetectionsItem.setValue(next);
    return result;
  });
  unseenChanges = run.catch(() => undefined);
  return run;
}

/** Remember a detection for the badge until the person opens the popup. */
export function addUnseenDetection(token: string): Promise<void> {
  return changeUnseen((unseen) => ({ next: unseen.includes(token) ? null : [...unseen, token], result: undefined }));
}

/** Forget some (or all) unseen detections; returns the tokens forgotten. */
export function forgetUnseenDetections(tokens?: string[]): Promise<string[]> {
  return changeUnseen((unseen) => ({
    next: tokens ? unseen.filter((t) => !tokens.includes(t)) : [],
    result: tokens ? unseen.filter((t) => tokens.includes(t)) : unseen,
  }));
}

/**
 * Notify about a malicious or suspicious verdict. `withButtons`: the browser shows notification buttons
 * (not Firefox, where a click on the notification itself opens the report).
 */
export async function notifyDetection(record: ScanRecord, withButtons = platform.notificationButtons): Promise<void> {
  if (record.verdict !== 'malicious' && record.verdict !== 'suspicious') return;
  // An address verdict is the URL scanners' on an address: never called a file.
  const title = t(record.verdictFor === 'address'
    ? record.verdict === 'malicious' ? 'notifyMaliciousAddressTitle' : 'notifySuspiciousAddressTitle'
    : record.verdict === 'malicious' ? 'notifyMaliciousTitle' : 'notifySuspiciousTitle');
  await notify(record, title, t(record.verdictFor === 'address' ? 'notifyAddressBody' : 'notifyBody', [record.fileName || t('unnamedFile'), ratioOf(record)]), withButtons);
}

/**
 * Notify that a second look found a download detected that was not when it was downloaded `now - createdAt`
 * ago, with the same "Open report" and "Delete file" as any detection.
 */
export async function notifySecondLookWorse(record: ScanRecord, now: number, withButtons = platform.notificationButtons): Promise<void> {
  const days = String(Math.max(0, Math.floor((now - record.createdAt) / 86_400_000)));
  await notify(record, t('notifySecondLookTitle'), t('notifySecondLookBody', [record.fileName || t('unnamedFile'), days, ratioOf(record)]), withButtons);
}

/** "3/63": engines calling it malicious, of those that answered. */
function ratioOf(record: ScanRecord): string {
  return record.stats ? `${record.stats.malicious}/${enginesThatAnswered(record.stats)}` : '';
}

/** Show a record's notification: "Open report", and "Delete file" for a download, where buttons exist. */
async function notify(record: ScanRecord, title: string, message: string, withButtons: boolean): Promise<void> {
  const options = { type: 'basic' as const, iconUrl: browser.runtime.getURL('/icon/128.png'), title, message, priority: 2 };
  const buttons = [{ title: t('notifyOpenReport') }];
  if (record.source.kind === 'download') buttons.push({ title: t('notifyDeleteFile') });
  const id = NOTIFICATION_PREFIX + record.token;
  if (!withButtons) {
    await browser.notifications.create(id, options);
    return;
  }
  try {
    await browser.notifications.create(id, { ...options, buttons });
  } catch {
    // Firefox has no notification buttons: a click on the notification opens the report instead.
    await browser.notifications.create(id, options);
  }
}

/** Clears the notifications about one scan (its detection, and why "Delete file" left the file alone). */
export async function clearNotifications(token: string): Promise<void> {
  const id = NOTIFICATION_PREFIX + token;
  await Promise.all([browser.notifications.clear(id), browser.notifications.clear(`${id}:not-deleted`)]);
}

/** The scan token behind one of our notifications. */
export function tokenOfNotification(notificationId: string): string | null {
  return notificationId.startsWith(NOTIFICATION_PREFIX) ? notificationId.slice(NOTIFICATION_PREFIX.length) : null;
}

/** Says in a notification why "Delete file" left the file alone. */
export async function notifyNotDeleted(notificationId: string, message: string): Promise<void> {
  await browser.notifications.create(`${notificationId}:not-deleted`, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: t('extensionName'),
    message,
  });
}

/**
 * Says that a detected download's file was deleted by itself, and why (its engines, the person's threshold),
 * or why it was left on disk. Replaces the detection's own notification, so the "Delete file" button is gone.
 */
export async function notifyAutoDelete(record: ScanRecord, outcome: { kind: 'deleted'; malicious: number; minEngines: number } | { kind: 'failed'; reason: string }): Promise<void> {
  await browser.notifications.create(NOTIFICATION_PREFIX + record.token, {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title: t(outcome.kind === 'deleted' ? 'notifyAutoDeletedTitle' : 'notifyAutoDeleteFailedTitle'),
    message: outcome.kind === 'deleted'
      ? t('notifyAutoDeletedBody', [record.fileName || t('unnamedFile'), String(outcome.malicious), String(outcome.minEngines)])
      : t('notifyAutoDeleteFailedBody', [record.fileName || t('unnamedFile'), outcome.reason]),
    priority: 2,
  });
}
