/**
 * What an error row offers the person, from the error's code (utils/ui/remedies.ts): "Scan files…" for the
 * saved file, and "Allow access to file URLs", which opens ScanDock's details page in chrome://extensions.
 */
import { useContext } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { openFileAccessSettings } from '../../utils/permissions/file-access';
import type { Problem } from '../../utils/problems/problem';
import { remediesFor } from '../../utils/ui/remedies';
import { ScanFilesButton } from './ScanFilesButton';
import { ScanFilesContext } from './scan-files-context';

export function ScanRemedy({ error }: { error: Problem | null }) {
  const scanFiles = useContext(ScanFilesContext);
  const remedies = remediesFor(error);
  if (remedies.length === 0) return null;
  return (
    <div class="scan__remedy" data-testid="remedy">
      {remedies.includes('file-access') && (
        <button type="button" data-testid="remedy-file-access" onClick={() => void openFileAccessSettings()}>
          {t('remedyFileAccess')}
        </button>
      )}
      {remedies.includes('scan-files') && scanFiles && (
        <ScanFilesButton onFiles={scanFiles.onFiles} disabled={scanFiles.busy} inPopup={scanFiles.inPopup} testId="remedy-scan-files" inputTestId="remedy-file-input" primary={false} />
      )}
    </div>
  );
}
