/**
 * Reading downloads from disk: whether Chrome's "Allow access to file URLs" is on for ScanDock, what it
 * buys, and a button to ScanDock's details page where the person switches it (an extension cannot). Chrome
 * restarts ScanDock when it changes, closing this page, so the state is read once. Firefox has no such switch.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { hasFileAccess, openFileAccessSettings } from '../../utils/permissions/file-access';
import { platform } from '../../utils/platform/browser-platform';

export function FileAccessSection() {
  const [on, setOn] = useState<boolean | null>(null);
  useEffect(() => {
    void hasFileAccess().then(setOn);
  }, []);

  return (
    <section class="card" aria-labelledby="file-access-title" data-testid="file-access">
      <h2 id="file-access-title">{t('fileAccessTitle')}</h2>
      {platform.readsDownloadsFromDisk ? (
        <>
          {on !== null && (
            <p data-testid="file-access-state" data-on={String(on)}>
              {t(on ? 'fileAccessOn' : 'fileAccessOff')}
            </p>
          )}
          <p class="field__help">{t('fileAccessReloads')}</p>
          <div>
            <button type="button" data-testid="file-access-button" onClick={() => void openFileAccessSettings()}>
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
