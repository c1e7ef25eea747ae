/**
 * What a person can do with one scan: rescan, upload an unknown file, delete a download, forget the record.
 * Each goes to the background as a message; its error is shown right here.
 */
import { useState } from 'preact/hooks';
import { ConfirmButton } from '../../components/ConfirmButton';
import { t } from '../../utils/i18n';
import { sendMessage } from '../../utils/messaging/messenger';
import { isFinished, type ScanRecord } from '../../utils/scan/scan-record';
import { offersUploadAgain } from '../../utils/scan/upload-policy';
import { errorText } from '../../utils/ui/error-text';
import { displayFileName } from '../../utils/ui/format';

interface ScanActionsProps {
  record: ScanRecord;
  /** Re-read the list now instead of at the next poll. */
  onChanged: () => void;
}

export function ScanActions({ record, onChanged }: ScanActionsProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const run = async (action: () => Promise<unknown>, doneNote: string | null = null) => {
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      await action();
      setNote(doneNote);
    } catch (e) {
      setError(t('actionFailed', errorText(e)));
    } finally {
      setBusy(false);
      onChanged();
    }
  };

  const { token } = record;
  const name = displayFileName(record.fileName, 48).text || t('unnamedFile');
  const finished = isFinished(record);
  // An unknown file may be uploaded; one whose answers were lost twice today may be sent again, on request.
  const uploadLost = offersUploadAgain(record);
  // An address VirusTotal does not know may be submitted instead.
  const unknown = record.status === 'done' && record.verdict === 'unknown';
  const isAddress = record.source.kind === 'address';
  const unknownAddress = unknown && isAddress;
  const mayUpload = (unknown || uploadLost) && !isAddress;

  return (
    <div class="actions">
      <div class="actions__buttons">
        {finished && (
          <button type="button" disabled={busy} onClick={() => run(() => sendMessage('rescan', token))}>
            {/* A verdict is looked at afresh; an error is scanned again. */}
            {t(record.status === 'done' ? 'actionLookAgainNow' : 'actionRescan')}
          </button>
        )}
        {unknownAddress && (
          <ConfirmButton
            label={t('actionSubmitAddress')}
            message={t('submitAddressConfirmMessage')}
            confirmLabel={t('submitAddressConfirmButton')}
            disabled={busy}
            onConfirm={() => run(() => sendMessage('upload', token), t('submitAddressRequested'))}
          />
        )}
        {mayUpload && (
          <ConfirmButton
            label={t(uploadLost ? 'actionUploadAgain' : 'actionUpload')}
            message={t('uploadConfirmMessage')}
            confirmLabel={t('uploadConfirmButton')}
            disabled={busy}
            onConfirm={() => run(() => sendMessage('upload', token), t('uploadRequested'))}
          />
        )}
        {record.source.kind === 'download' && (
          <ConfirmButton
            label={t('actionDeleteFile')}
            message={t('deleteFileConfirmMessage', name)}
            confirmLabel={t('deleteFileConfirmButton')}
            danger
            disabled={busy}
            onConfirm={() => run(() => sendMessage('deleteDownloadedFile', token), t('fileDeleted'))}
          />
        )}
        <button type="button" disabled={busy} onClick={() => run(() => sendMessage('removeScan', token))}>
          {t('actionRemove')}
        </button>
      </div>
      {error && (
        <p class="actions__error error-text" role="alert" data-testid="action-error">
          {error}
        </p>
      )}
      {note && (
        <p class="actions__note ok-text" role="status" data-testid="action-note">
          {note}
        </p>
      )}
    </div>
  );
}
