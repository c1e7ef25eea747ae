/**
 * The popup: quota, key state, the newest scans and what can be done with them. It reads records from
 * IndexedDB and never writes them; everything it changes goes to the background as a message.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { ConfirmButton } from '../../components/ConfirmButton';
import { HostAccessBanner } from '../../components/HostAccessBanner';
import { QuotaMeter } from '../../components/QuotaMeter';
import { useNow } from '../../components/use-now';
import { t, uiLocale } from '../../utils/i18n';
import { sendMessage } from '../../utils/messaging/messenger';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { errorText } from '../../utils/ui/error-text';
import { displayFileName } from '../../utils/ui/format';
import { STATUS_LABEL, VERDICT_LABEL } from '../../utils/ui/labels';
import { changedRecords, seenStateOf, type SeenState } from '../../utils/ui/scan-changes';
import { stageAndScan } from '../../utils/ui/stage-files';
import { KeyBanner } from './KeyBanner';
import { getPopupDb } from './popup-db';
import { ScanFilesButton } from './ScanFilesButton';
import { ScanFilesContext, type ScanFilesHandle } from './scan-files-context';
import { ScanRow } from './ScanRow';
import { useBackgroundState } from './use-background-state';
import { useFileDrop } from './use-file-drop';
import { useScanList } from './use-scan-list';
import type { PopupView } from './view';

/** Ages say "2 min ago": a tick every 30 s keeps them right to the minute. */
const AGE_TICK_MS = 30_000;

/** One sentence for the live region: "setup.exe: Malicious" / "report.pdf: Scanning". */
function announcementFor(record: ScanRecord): string {
  const name = displayFileName(record.fileName, 40).text || t('unnamedFile');
  const state = record.status === 'done' && record.verdict ? t(VERDICT_LABEL[record.verdict]) : t(STATUS_LABEL[record.status]);
  return t('announceStatus', [name, state]);
}

export function App({ view = 'popup' }: { view?: PopupView }) {
  const locale = useMemo(uiLocale, []);
  const now = useNow(AGE_TICK_MS);
  const list = useScanList();
  const { keyState, quota } = useBackgroundState();
  const [announcement, setAnnouncement] = useState('');
  const [scanError, setScanError] = useState<string | null>(null);
  const [staging, setStaging] = useState(false);
  const [clearError, setClearError] = useState<string | null>(null);
  const seen = useRef<Map<string, SeenState> | null>(null);
  const markedSeen = useRef(new Set<string>());

  const openOptions = useCallback(() => {
    void browser.runtime.openOptionsPage().then(() => window.close());
  }, []);

  // Opening the popup is looking at the detections: clear the badge, and again for any that arrive.
  useEffect(() => {
    void sendMessage('markAllSeen').catch(() => undefined);
  }, []);
  useEffect(() => {
    const unseen = list.records.filter((r) => r.detected && !r.seen && !markedSeen.current.has(r.token));
    if (unseen.length === 0) return;
    for (const r of unseen) markedSeen.current.add(r.token);
    void sendMessage('markAllSeen').catch(() => undefined);
  }, [list.records]);

  // Announce status changes (not the first read: that is just what the popup shows on opening).
  useEffect(() => {
    if (!list.loaded) return;
    if (seen.current) {
      const changed = changedRecords(seen.current, list.records);
      if (changed.length > 0) {
        const shown = changed.slice(0, 3).map(announcementFor);
        if (changed.length > 3) shown.push(t('announceMore', String(changed.length - 3)));
        setAnnouncement(shown.join(' '));
      }
    }
    seen.current = seenStateOf(list.records);
  }, [list.records, list.loaded]);

  const scanFiles = useCallback(
    async (files: File[]) => {
      setScanError(null);
      setStaging(true);
      try {
        await stageAndScan(await getPopupDb(), files, (ids) => sendMessage('scanStagedFiles', ids));
        setAnnouncement(t('announceFilesQueued', String(files.length)));
      } catch (error) {
        setScanError(t('scanFilesFailed', errorText(error)));
      } finally {
        setStaging(false);
        list.refresh();
      }
    },
    [list.refresh],
  );

  const drop = useFileDrop((files) => void scanFiles(files));
  const scanFilesHandle = useMemo<ScanFilesHandle>(() => ({ onFiles: (files) => void scanFiles(files), inPopup: view === 'popup', busy: staging }), [scanFiles, view, staging]);

  const clearHistory = async () => {
    setClearError(null);
    try {
      await sendMessage('clearHistory');
      setAnnouncement(t('historyCleared'));
    } catch (error) {
      setClearError(t('actionFailed', errorText(error)));
    } finally {
      list.refresh();
    }
  };

  return (
    <ScanFilesContext.Provider value={scanFilesHandle}>
    <div class={`popup popup--${view}${drop.dragging ? ' is-dragging' : ''}`} data-view={view} {...drop.handlers}>
      <header class="popup__header">
        <div class="popup__titlebar">
          <h1>{t('extensionName')}</h1>
          <button type="button" class="icon-button" aria-label={t('openOptions')} title={t('openOptions')} onClick={openOptions}>
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
              <path
                fill="currentColor"
                d="M19.4 13a7.5 7.5 0 0 0 0-2l2.1-1.6-2-3.5-2.5 1a7.6 7.6 0 0 0-1.7-1L15 3.3h-4l-.4 2.6a7.6 7.6 0 0 0-1.7 1l-2.5-1-2 3.5L6.6 11a7.5 7.5 0 0 0 0 2l-2.1 1.6 2 3.5 2.5-1a7.6 7.6 0 0 0 1.7 1l.4 2.6h4l.4-2.6a7.6 7.6 0 0 0 1.7-1l2.5 1 2-3.5L19.4 13ZM13 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7Z"
                transform="translate(-1 0)"
              />
            </svg>
          </button>
        </div>
        <QuotaMeter usage={quota} locale={locale} />
      </header>

      <KeyBanner keyState={keyState} onOpenOptions={openOptions} />
      <HostAccessBanner />

      {view === 'files' && (
        <section class="files-intro" aria-labelledby="files-title">
          <h2 id="files-title">{t('scanFilesTabTitle')}</h2>
          <p class="muted">{t('scanFilesTabIntro')}</p>
        </section>
      )}

      {/* A landmark of its own, like the header and the list: nothing on the page is outside one (axe "region"). */}
      <section class="toolbar-region" aria-label={t('scanFiles')}>
        <div class="toolbar">
          <ScanFilesButton onFiles={(files) => void scanFiles(files)} disabled={staging} inPopup={view === 'popup'} />
          <span class="muted toolbar__hint">{t('dropHint')}</span>
        </div>
        {scanError && (
          <p class="popup__error error-text" role="alert" data-testid="scan-files-error">
            {scanError}
          </p>
        )}
      </section>

      <main class="popup__list" aria-labelledby="scans-title">
        <h2 id="scans-title" class="sr-only">
          {t('scansTitle')}
        </h2>
        {list.error && (
          <p class="popup__error error-text" role="alert" data-testid="history-error">
            {t('historyReadFailed', list.error)}
          </p>
        )}
        {list.loaded && list.records.length === 0 && !list.error && (
          <div class="empty" data-testid="empty">
            <p class="empty__title">{t('emptyTitle')}</p>
            <p class="muted">{t('emptyBody')}</p>
          </div>
        )}
        {list.records.length > 0 && (
          <ul class="scans" data-testid="scan-list">
            {list.records.map((record) => (
              <ScanRow key={record.token} record={record} now={now} locale={locale} onChanged={list.refresh} />
            ))}
          </ul>
        )}
        {list.hasMore && (
          <button type="button" class="show-more" data-testid="show-more" onClick={list.showMore}>
            {t('showMore')}
          </button>
        )}
      </main>

      {list.records.length > 0 && (
        <footer class="popup__footer">
          <ConfirmButton
            label={t('clearHistory')}
            message={t('clearHistoryConfirmMessage')}
            confirmLabel={t('clearHistoryConfirmButton')}
            danger
            onConfirm={() => void clearHistory()}
          />
          {clearError && (
            <p class="error-text" role="alert" data-testid="clear-error">
              {clearError}
            </p>
          )}
        </footer>
      )}

      <div class="sr-only" aria-live="polite" data-testid="live">
        {announcement}
      </div>
      {drop.dragging && (
        <div class="drop-overlay" aria-hidden="true">
          {t('dropOverlay')}
        </div>
      )}
    </div>
    </ScanFilesContext.Provider>
  );
}
