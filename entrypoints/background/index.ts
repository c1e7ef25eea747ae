/**
 * The background service worker: wires browser events to the scan service. Every listener is added
 * synchronously here, at start-up, so an event that wakes the worker finds its listener; all state that
 * matters is in IndexedDB and chrome.storage, none only in memory.
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { onMessages, ProblemError } from '@/utils/messaging/messenger';
import { problem } from '@/utils/problems/problem';
import { createScansChangedAnnouncer } from '@/utils/messaging/scan-changes-channel';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { apiKeyItem, downloadsWatermarkItem, keyStatusItem, readSettings, settingsItem } from '@/utils/settings/storage-items';
import { systemClock } from '@/utils/time/clock';
import { vtApiUrl } from '@/utils/virustotal/api-url';
import { t, uiLocale } from '@/utils/i18n';
import { renderProblem } from '@/utils/problems/render-problem';
import { toProblem } from '@/utils/problems/problem-error';
import { saveApiKey } from './api-key';
import { fileNameFromUrl } from '@/utils/scan/read-source';
import { createScanMenus, menuClickScan } from './context-menu';
import { hasHostAccess } from '@/utils/permissions/host-access';
import { platform } from '@/utils/platform/browser-platform';
import { addUnseenDetection, forgetUnseenDetections, notifyDetection, notifySecondLookWorse, notifyNotDeleted, tokenOfNotification, updateBadge } from './detection-alerts';
import { alreadyScanned, deleteScannedDownload } from './download-identity';
import { createDownloadIntake } from './download-intake';
import { rescanUnreadableDownloads } from './file-access-retry';
import { hasFileAccess } from '@/utils/permissions/file-access';
import { downloadScan } from './download-scanner';
import { getScanService } from './scan-service';
import { WAKE_ALARM } from './wake-alarm';

export default defineBackground({
  type: 'module',
  main() {
    const announceChanged = createScansChangedAnnouncer();
    let badgeTimer: ReturnType<typeof setTimeout> | undefined;

    function refreshBadge(): void {
      clearTimeout(badgeTimer);
      badgeTimer = setTimeout(() => {
        void service()
          .then(async ({ store }) => updateBadge(await store.queueState()))
          .catch(() => undefined);
      }, 100);
    }

    const service = () =>
      getScanService({
        onChange(record: ScanRecord) {
          announceChanged([record.token]);
          refreshBadge();
        },
        onFinished(record: ScanRecord) {
          if (record.verdict !== 'malicious' && record.verdict !== 'suspicious') return;
          void (async () => {
            await addUnseenDetection(record.token);
            refreshBadge();
            if ((await readSettings()).notifications) await notifyDetection(record);
          })().catch((error: unknown) => console.warn('ScanDock: could not alert about a detection', error));
        },
        onSecondLookWorse(record: ScanRecord) {
          void (async () => {
            await addUnseenDetection(record.token);
            refreshBadge();
            if ((await readSettings()).notifications) await notifySecondLookWorse(record, Date.now());
          })().catch((error: unknown) => console.warn('ScanDock: could not alert about a second look', error));
        },
      });

    // The scheduler sets (and clears) the wake-up alarm itself; resuming restarts only what is not running.
    const resume = () =>
      void service()
        .then(async ({ engine }) => {
          await engine.resume();
          refreshBadge();
        })
        .catch((error: unknown) => console.warn('ScanDock: could not resume scans', error));

    browser.runtime.onInstalled.addListener(() => createScanMenus({ scanFile: t('contextMenuScanFile'), checkAddress: t('contextMenuCheckAddress') }));

    const downloads = createDownloadIntake({
      search: (query) => browser.downloads.search(query),
      getWatermark: () => downloadsWatermarkItem.getValue(),
      setWatermark: (at) => downloadsWatermarkItem.setValue(at),
      async scanIfNew(item) {
        const [settings, apiKey, { engine, store }] = await Promise.all([readSettings(), apiKeyItem.getValue(), service()]);
        // `item` is what the browser calls this id now: a record for the id is this download only if it matches.
        if (alreadyScanned(await store.withDownloadId(item.id), item)) return;
        const scan = downloadScan(item, settings, apiKey.trim() !== '', { id: browser.runtime.id, origin: browser.runtime.getURL('/') });
        if (scan) await engine.scan(scan);
      },
      now: Date.now,
      onError: (error) => console.warn('ScanDock: could not start a download scan', error),
    });
    browser.downloads.onChanged.addListener((delta) => {
      if (delta.state?.current === 'complete') void downloads.completed(delta.id);
    });

    const onMenuClick = (info: Parameters<Parameters<typeof browser.contextMenus.onClicked.addListener>[0]>[0]) => {
      const scan = menuClickScan(info);
      if (!scan) return Promise.resolve(null);
      return service().then(({ engine }) => engine.scan(scan));
    };
    browser.contextMenus.onClicked.addListener((info) => {
      onMenuClick(info).catch((error: unknown) => console.warn('ScanDock: could not scan the link', error));
    });
    // Headless browsers cannot right-click; the end-to-end tests call the same handler from here.
    (globalThis as { scandockContextMenuClick?: typeof onMenuClick }).scandockContextMenuClick = onMenuClick;

    // Only where notifications have buttons: Firefox logs an "unimplemented" warning for this listener.
    if (platform.notificationButtons) {
      browser.notifications.onButtonClicked.addListener((notificationId, buttonIndex) => {
        const token = tokenOfNotification(notificationId);
        if (!token) return;
        void service()
          .then(async ({ store }) => {
            const record = await store.get(token);
            if (!record) return;
            if (buttonIndex === 0 && record.reportUrl) await browser.tabs.create({ url: record.reportUrl });
            if (buttonIndex === 1 && record.source.kind === 'download') {
              try {
                await deleteScannedDownload(record.source, browser.downloads);
              } catch (error) {
                await notifyNotDeleted(notificationId, renderProblem('error', toProblem(error), t, uiLocale()));
              }
            }
            await browser.notifications.clear(notificationId);
          })
          .catch((error: unknown) => console.warn('ScanDock: could not act on the notification', error));
      });
    }
    browser.notifications.onClicked.addListener((notificationId) => {
      const token = tokenOfNotification(notificationId);
      if (!token) return;
      void service()
        .then(async ({ store }) => {
          const record = await store.get(token);
          if (record?.reportUrl) await browser.tabs.create({ url: record.reportUrl });
          await browser.notifications.clear(notificationId);
        })
        .catch((error: unknown) => console.warn('ScanDock: could not open the report', error));
    });

    browser.alarms.onAlarm.addListener((alarm) => {
      if (alarm.name === WAKE_ALARM) resume();
    });

    // The browser started: without this listener a browser that starts the background only for an event
    // (Firefox's event page) would leave queued scans and downloads finished meanwhile until some other event.
    browser.runtime.onStartup.addListener(() => {
      resume();
      void downloads.catchUp();
    });
    // Host access given back: scans that waited for it go on.
    browser.permissions.onAdded.addListener(() => resume());
    // A new key: the queue paused on a rejected or missing key may go on.
    // New quota limits in the options: the queue looks again.
    settingsItem.watch(() => resume());
    apiKeyItem.watch(() => resume());
    keyStatusItem.watch((status) => {
      if (status !== 'rejected') resume();
    });

    onMessages({
      scanStagedFiles: async (ids) => {
        const { engine, store } = await service();
        const tokens: string[] = [];
        for (const id of ids) {
          const staged = await store.stagedFile(id);
          if (!staged) throw new ProblemError(problem('staged-file-missing'));
          tokens.push(await engine.scan({ source: { kind: 'file', stagedFileId: id }, fileName: staged.name, size: staged.size }));
        }
        return tokens;
      },
      scanUrl: async (url) => (await service()).engine.scan({ source: { kind: 'link', url }, fileName: fileNameFromUrl(url) }),
      rescan: async (token) => (await service()).engine.rescan(token),
      upload: async (token) => (await service()).engine.upload(token),
      removeScan: async (token) => {
        await (await service()).engine.remove(token);
        announceChanged([token]);
        await forgetUnseenDetections([token]);
        refreshBadge();
      },
      clearHistory: async () => {
        await (await service()).engine.clearHistory();
        announceChanged([]);
        await forgetUnseenDetections();
        refreshBadge();
      },
      deleteDownloadedFile: async (token) => {
        const record = await (await service()).store.get(token);
        if (!record || record.source.kind !== 'download') throw new ProblemError(problem('not-a-download'));
        await deleteScannedDownload(record.source, browser.downloads);
      },
      markAllSeen: async () => {
        const { store } = await service();
        for (const token of await forgetUnseenDetections()) await store.patch(token, { seen: true });
        refreshBadge();
      },
      saveApiKey: async (raw) => {
        const { engine, ledger } = await service();
        return saveApiKey(raw, { ledger, slots: engine.slots, baseUrl: vtApiUrl(), clock: systemClock, hostAccess: hasHostAccess });
      },
      getKeyState: async () => ({
        hasKey: (await apiKeyItem.getValue()).trim() !== '',
        status: await keyStatusItem.getValue(),
      }),
      getQuotaUsage: async () => (await service()).ledger.usage(),
    });

    resume();
    void downloads.catchUp();
    // Chrome restarts ScanDock when "Allow access to file URLs" changes: downloads that needed it go on now.
    void service()
      .then(({ engine, store }) => rescanUnreadableDownloads({ fileAccess: hasFileAccess, store, engine }))
      .catch((error: unknown) => console.warn('ScanDock: could not rescan downloads that needed file access', error));
  },
});
