/**
 * Notifications for detections, in Chrome and in Firefox. Firefox has no notification buttons: its
 * `notifications.create` refuses an options object that has them ("Type error for parameter options
 * (Property "buttons" is unsupported by Firefox)", thrown by the schema check, see
 * https://github.com/mdn/webextensions-examples/issues/340), so ScanDock notifies again without them and
 * a click on the notification itself opens the report.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MessageKey } from '@/utils/i18n';
import { scanRecordFixture } from '@/utils/ui/scan-record-fixture';
import { unseenDetectionsItem } from '@/utils/settings/storage-items';
import { addUnseenDetection, forgetUnseenDetections, notifyDetection, notifySecondLookWorse, tokenOfNotification } from './detection-alerts';

type CreateOptions = Browser.notifications.NotificationCreateOptions;

const FIREFOX_REFUSAL = 'Type error for parameter options (Property "buttons" is unsupported by Firefox) for notifications.create.';

const malicious = scanRecordFixture({
  token: 'b'.repeat(64),
  verdict: 'malicious',
  detected: true,
  fileName: 'setup.exe',
  stats: { malicious: 3, suspicious: 0, undetected: 60, harmless: 0, timeout: 0, 'confirmed-timeout': 0, 'type-unsupported': 8, failure: 0 },
});

/** What the fake browser shows, by notification id. */
function shown(): Record<string, CreateOptions> {
  return fakeBrowser.notifications.getAllCreateOptions();
}

beforeEach(() => {
  fakeBrowser.reset();
  // fake-browser leaves i18n unmocked: answer with the key and its substitutions, so the test sees which message is used.
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((key: MessageKey, subs?: string | string[]) =>
    subs === undefined ? key : `${key}(${[subs].flat().join('|')})`) as typeof fakeBrowser.i18n.getMessage);
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('notifyDetection in Chrome (buttons supported)', () => {
  it('shows a malicious download with "Open report" and "Delete file", its name and detection ratio', async () => {
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await notifyDetection(malicious);
    expect(create).toHaveBeenCalledTimes(1);
    expect(shown()).toEqual({
      [`scandock:${malicious.token}`]: expect.objectContaining({
        type: 'basic',
        title: 'notifyMaliciousTitle',
        // 3 of the 63 engines that answered (type-unsupported ones did not).
        message: 'notifyBody(setup.exe|3/63)',
        iconUrl: expect.stringMatching(/\/icon\/128\.png$/),
        buttons: [{ title: 'notifyOpenReport' }, { title: 'notifyDeleteFile' }],
      }),
    });
    expect(tokenOfNotification(`scandock:${malicious.token}`)).toBe(malicious.token);
  });

  it('offers no "Delete file" for a link, which was never saved to disk', async () => {
    await notifyDetection({ ...malicious, verdict: 'suspicious', source: { kind: 'link', url: 'https://example.com/a.exe' } });
    const [options] = Object.values(shown());
    expect(options).toMatchObject({ title: 'notifySuspiciousTitle', buttons: [{ title: 'notifyOpenReport' }] });
  });

  it('calls an address verdict an address, never a file', async () => {
    await notifyDetection({ ...malicious, verdictFor: 'address', fileName: 'malware.example/dropper.exe', source: { kind: 'address', url: 'https://malware.example/dropper.exe' } });
    const [options] = Object.values(shown());
    expect(options).toMatchObject({ title: 'notifyMaliciousAddressTitle', message: 'notifyAddressBody(malware.example/dropper.exe|3/63)', buttons: [{ title: 'notifyOpenReport' }] });
  });

  it('stays quiet for clean and unknown verdicts', async () => {
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await notifyDetection({ ...malicious, verdict: 'clean', detected: false });
    await notifyDetection({ ...malicious, verdict: 'unknown', detected: false });
    expect(create).not.toHaveBeenCalled();
  });
});

describe('notifyDetection in Firefox (no notification buttons)', () => {
  /** `notifications.create` as Firefox behaves: options with `buttons` fail the schema check. */
  function behaveLikeFirefox(refuse: 'throw' | 'reject') {
    const realCreate = fakeBrowser.notifications.create.bind(fakeBrowser.notifications);
    const create = (id: string, options: CreateOptions): Promise<string> => {
      if ('buttons' in options) {
        if (refuse === 'throw') throw new Error(FIREFOX_REFUSAL);
        return Promise.reject(new Error(FIREFOX_REFUSAL));
      }
      return realCreate(id, options);
    };
    return vi.spyOn(fakeBrowser.notifications, 'create').mockImplementation(create as typeof fakeBrowser.notifications.create);
  }

  it.each(['throw', 'reject'] as const)('notifies again without buttons when create refuses them (%s)', async (refuse) => {
    const create = behaveLikeFirefox(refuse);
    await notifyDetection(malicious);
    expect(create).toHaveBeenCalledTimes(2);
    const notifications = shown();
    expect(Object.keys(notifications)).toEqual([`scandock:${malicious.token}`]);
    const options = notifications[`scandock:${malicious.token}`]!;
    expect(options).not.toHaveProperty('buttons');
    // Everything but the buttons is the same: the person still reads what was found and where.
    expect(options).toMatchObject({ type: 'basic', title: 'notifyMaliciousTitle', message: 'notifyBody(setup.exe|3/63)' });
  });

  it('where the platform has no notification buttons, notifies once without them', async () => {
    const create = vi.spyOn(fakeBrowser.notifications, 'create');
    await notifyDetection(malicious, false);
    expect(create).toHaveBeenCalledTimes(1);
    expect(shown()[`scandock:${malicious.token}`]).not.toHaveProperty('buttons');
  });

  it('lets a failure that is not about buttons reach the caller (it logs it) instead of hiding it', async () => {
    vi.spyOn(fakeBrowser.notifications, 'create').mockRejectedValue(new Error('notifications are blocked'));
    await expect(notifyDetection(malicious)).rejects.toThrow('notifications are blocked');
  });
});

describe('the unseen detections behind the badge', () => {
  it('keeps every detection when several scans finish together, and a forget in between loses none of the others', async () => {
    const tokens = ['1', '2', '3', '4', '5', '6'].map((c) => c.repeat(64));
    await Promise.all([
      ...tokens.slice(0, 3).map((token) => addUnseenDetection(token)),
      forgetUnseenDetections([tokens[0]!]),
      ...tokens.slice(3).map((token) => addUnseenDetection(token)),
    ]);
    expect(await unseenDetectionsItem.getValue()).toEqual(tokens.slice(1));
  });
});

describe('notifySecondLookWorse', () => {
  it('says the file was downloaded N days ago and is now detected, with "Open report" and "Delete file"', async () => {
    const record = { ...malicious, createdAt: Date.UTC(2026, 10, 25, 12), secondLook: { looks: 2, lastLookAt: null, first: { verdict: 'clean' as const, malicious: 0, at: 0 }, ended: 'worse' as const } };
    await notifySecondLookWorse(record, Date.UTC(2026, 10, 28, 13), true);
    expect(shown()).toEqual({
      [`scandock:${record.token}`]: expect.objectContaining({
        title: 'notifySecondLookTitle',
        message: 'notifySecondLookBody(setup.exe|3|3/63)',
        buttons: [{ title: 'notifyOpenReport' }, { title: 'notifyDeleteFile' }],
      }),
    });
  });
});
