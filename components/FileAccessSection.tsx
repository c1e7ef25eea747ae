/**
 * Reading downloads from disk: whether Chrome's "Allow access to file URLs" is on for ScanDock (read live), what
 * it buys, and a button to ScanDock's details page where the person switches it (an extension cannot). Chrome
 * restarts ScanDock when it changes, which closes this page; `onOpenSettings` lets the first-run page ask to be
 * opened again then. Firefox has no such switch.
 */
import { t } from '../utils/i18n';
import { openFileAccessSettings } from '../utils/permissions/file-access';
import { platform } from '../utils/platform/browser-platform';
import { useFileAccess } from './use-file-access';

export function FileAccessSection({ onOpenSettings }: { onOpenSettings?: () => Promise<void> } = {}) {
  const on = useFileAccess();
  const open = () =>
    void (async () => {
      await onOpenSettings?.();
      await openFileAccessSettings();
    })();

  return (
    <section class="card" aria-labelledby="file-access-title" data-testid="file-access">
      <h2 id="file-access-title">{t('fileAccessTitle')}</h2>
      {platform.readsDownloadsFromDisk ? (
        <>
          {on !== null && (
            <p data-testid="file-access-state" data-on={String(on)} aria-live="polite">
              {t(on ? 'fileAccessOn' : 'fileAccessOff')}
            </p>
          )}
          <p class="field__help">{t('fileAccessReloads')}</p>
          <div>
            <button type="button" data-testid="file-access-button" onClick={open}>
              {t('fileAccessButton')}
            </button>
          </div>
        </>
      ) : (
        <p data-testid="file-access-state" data-on="false">
          {t('fileAccessFirefox')}
        </p>
      )}
    </section>
  );
}
