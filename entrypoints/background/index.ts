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
import { apiKeyItem, downloadsWatermarkItem, firstRunItem, keyStatusItem, readSettings, settingsItem, updateSettings } from '@/utils/settings/storage-items';
import { optInsNeeding, optInsWithoutConsent } from '@/utils/permissions/data-collection';
import { grantedDataCollection, watchDataConsentWithdrawn } from '@/utils/permissions/data-consent';
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
import { addUnseenDetection, clearNotifications, forgetUnseenDetections, notifyAutoDelete, notifyDetection, notifyNotDeleted, notifySecondLookWorse, tokenOfNotification, updateBadge } from './detection-alerts';
import { autoDeleteIfDetected } from './auto-delete';
import { alreadyScanned, deleteScannedDownload } from './download-identity';
import { createDownloadIntake } from './download-intake';
import { rescanUnreadableDownloads } from './file-access-retry';
import { hasFileAccess } from '@/utils/permissions/file-access';
import { downloadScan } from './download-scanner';
import { endPrivateSessionIfOver } from './private-session';
import { getScanService } from './scan-service';
import { WAKE_ALARM } from './wake-alarm';
import { openWelcomeOnInstall, reopenWelcomeAfterFileAccess, type FirstRunDeps } from '@/utils/first-run/first-run';

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

    /**
     * A detection: counted on the badge; its saved file deleted by itself where the person asked for that (a file
     * removed, or left although they asked, is always told); otherwise `notify`, when notifications are on.
     */
    const alertDetection = (record: ScanRecord, notify: (record: ScanRecord) => Promise<void>) =>
      void (async () => {
        await addUnseenDetection(record.token);
        refreshBadge();
        const settings = await readSettings();
        const deleted = await autoDeleteIfDetected(record, { settings: async () => settings, downloads: browser.downloads });
        if (deleted.kind === 'deleted') await notifyAutoDelete(record, deleted);
        else if (deleted.kind === 'failed') await notifyAutoDelete(record, { kind: 'failed', reason: renderProblem('error', deleted.problem, t, uiLocale()) });
        else if (settings.notifications) await notify(record);
      })().catch((error: unknown) => console.warn('ScanDock: could not alert about a detection', error));

    const service = () =>
      getScanService({
        onChange(record: ScanRecord) {
          announceChanged([record.token]);
          refreshBadge();
        },
        onFinished(record: ScanRecord) {
          if (record.verdict !== 'malicious' && record.verdict !== 'suspicious') return;
          alertDetection(record, notifyDetection);
        },
        // A second look found a download detected that was not when it was downloaded: the same rules as any detection.
        onSecondLookWorse(record: ScanRecord) {
          alertDetection(record, (worse) => notifySecondLookWorse(worse, Date.now()));
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

    // The last private window closed (or closed while the worker was stopped): its downloads' scans go.
    const endPrivateSession = () =>
      void service()
        .then(({ engine, store }) =>
          endPrivateSessionIfOver({
            windows: () => browser.windows.getAll(),
            endPrivateSession: () => store.endPrivateSession(),
            async forget(token) {
              await engine.remove(token);
              await clearNotifications(token);
              await forgetUnseenDetections([token]);
            },
          }),
        )
        .then((tokens) => {
          if (tokens.length === 0) return;
          announceChanged(tokens);
          refreshBadge();
        })
        .catch((error: unknown) => console.warn('ScanDock: could not end the private session', error));
    browser.windows.onRemoved.addListener(() => endPrivateSession());

    const firstRun: FirstRunDeps = {
      read: () => firstRunItem.getValue(),
      write: (value) => firstRunItem.setValue(value),
      open: (path) => browser.tabs.create({ url: browser.runtime.getURL(path) }),
    };
    browser.runtime.onInstalled.addListener(({ reason }) => {
      createScanMenus({ scanFile: t('contextMenuScanFile'), checkAddress: t('contextMenuCheckAddress') });
      openWelcomeOnInstall(reason, firstRun).catch((error: unknown) => console.warn('ScanDock: could not open the first-run page', error));
    });

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

    type MenuClick = Parameters<Parameters<typeof browser.contextMenus.onClicked.addListener>[0]>;
    const onMenuClick = (info: MenuClick[0], tab?: MenuClick[1]) => {
      const scan = menuClickScan(info, tab);
      if (!scan) return Promise.resolve(null);
      return service().then(({ engine }) => engine.scan(scan));
    };
    browser.contextMenus.onClicked.addListener((info, tab) => {
      onMenuClick(info, tab).catch((error: unknown) => console.warn('ScanDock: could not scan the link', error));
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
    // Firefox: a data consent withdrawn in about:addons (now, or while ScanDock was not running, or an opt-in from
    // before ScanDock asked for consent) turns off the opt-ins that send that data.
    const turnOff = (optIns: string[]) => {
      if (optIns.length === 0) return;
      updateSettings(Object.fromEntries(optIns.map((key) => [key, false]))).catch((error: unknown) =>
        console.warn('ScanDock: could not turn off an opt-in whose consent was withdrawn', error),
      );
    };
    watchDataConsentWithdrawn((types) => turnOff(optInsNeeding(types)));
    void Promise.all([readSettings(), grantedDataCollection()])
      .then(([settings, granted]) => granted && turnOff(optInsWithoutConsent(settings, granted)))
      .catch((error: unknown) => console.warn('ScanDock: could not read the data consent', error));
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
    endPrivateSession();
    // Chrome restarts ScanDock when "Allow access to file URLs" changes: downloads that needed it go on now.
    void service()
      .then(({ engine, store }) => rescanUnreadableDownloads({ fileAccess: hasFileAccess, store, engine }))
      .catch((error: unknown) => console.warn('ScanDock: could not rescan downloads that needed file access', error));
    // The first-run page was waiting for file access, and this restart is Chrome's answer to the switch.
    reopenWelcomeAfterFileAccess({ ...firstRun, fileAccess: hasFileAccess, now: Date.now }).catch((error: unknown) =>
      console.warn('ScanDock: could not reopen the first-run page', error),
    );
  },
});
