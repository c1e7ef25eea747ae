/** Exporting the scan history (JSON or CSV) and clearing it. */
import { useState } from 'preact/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { t, uiLocale } from '../../utils/i18n';
import { sendMessage } from '../../utils/messaging/messenger';
import { openScanDb } from '../../utils/db/scan-db';
import { exportBlob, exportFileName, type ExportFormat } from '../../utils/ui/export-history';
import { errorText } from '../../utils/ui/error-text';
import { readAllScans } from '../../utils/ui/scan-list';

type Outcome = { ok: boolean; text: string };

/** Hands a Blob to the browser's download through an `<a download>`; the URL is released afterwards. */
function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click is handled; a minute is generous.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function HistorySection() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Not saved: a path goes into an export only when the person asks for it this time.
  const [includePaths, setIncludePaths] = useState(false);

  const fail = (e: unknown) => setOutcome({ ok: false, text: t('actionFailed', errorText(e)) });

  const exportAs = async (format: ExportFormat) => {
    setBusy(true);
    setOutcome(null);
    try {
      const db = await openScanDb();
      try {
        const records = await readAllScans(db);
        saveBlob(exportBlob(records, format, { translate: t, locale: uiLocale() }, { includePaths }), exportFileName(format, Date.now()));
        setOutcome({ ok: true, text: t('exportDone', String(records.length)) });
      } finally {
        db.close();
      }
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const clear = async () => {
    setBusy(true);
    setOutcome(null);
    try {
      await sendMessage('clearHistory');
      setOutcome({ ok: true, text: t('historyCleared') });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">{t('sectionHistory')}</h2>
      <p class="field__help">{t('historyHelp')}</p>
      <div class="field field--toggle">
        <input id="export-include-paths" type="checkbox" checked={includePaths} disabled={busy} onChange={(e) => setIncludePaths(e.currentTarget.checked)} />
        <label for="export-include-paths">{t('exportIncludePaths')}</label>
      </div>
      <div class="button-row">
        <button type="button" disabled={busy} onClick={() => exportAs('json')}>
          {t('exportJson')}
        </button>
        <button type="button" disabled={busy} onClick={() => exportAs('csv')}>
          {t('exportCsv')}
        </button>
        <ConfirmButton
          label={t('clearHistory')}
          message={t('clearHistoryConfirmMessage')}
          confirmLabel={t('clearHistoryConfirmButton')}
          danger
          disabled={busy}
          onConfirm={() => void clear()}
        />
      </div>
      <p role="status" class={outcome ? (outcome.ok ? 'ok-text' : 'error-text') : undefined} data-testid="history-outcome">
        {outcome?.text}
      </p>
    </section>
  );
}
