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

/** Remember a detection for the badge until the person opens the popup. */
export async function addUnseenDetection(token: string): Promise<void> {
  const unseen = await unseenDetectionsItem.getValue();
  if (!unseen.includes(token)) await unseenDetectionsItem.setValue([...unseen, token]);
}

/** Forget some (or all) unseen detections; returns the tokens forgotten. */
export async function forgetUnseenDetections(tokens?: string[]): Promise<string[]> {
  const unseen = await unseenDetectionsItem.getValue();
  const forgotten = tokens ? unseen.filter((t) => tokens.includes(t)) : unseen;
  await unseenDetectionsItem.setValue(tokens ? unseen.filter((t) => !tokens.includes(t)) : []);
  return forgotten;
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
  await notify(record, title, t(record.verdictFor === 'address' ? 'notifyAddressBody' : 'notifyBody', [record.fileName, ratioOf(record)]), withButtons);
}

/**
 * Notify that a second look found a download detected that was not when it was downloaded `now - createdAt`
 * ago, with the same "Open report" and "Delete file" as any detection.
 */
export async function notifySecondLookWorse(record: ScanRecord, now: number, withButtons = platform.notificationButtons): Promise<void> {
  const days = String(Math.max(0, Math.floor((now - record.createdAt) / 86_400_000)));
  await notify(record, t('notifySecondLookTitle'), t('notifySecondLookBody', [record.fileName, days, ratioOf(record)]), withButtons);
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
