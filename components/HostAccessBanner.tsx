/**
 * Says in plain words that ScanDock lost its host access, with a button that asks for it again. The
 * request runs straight from the click: browsers grant permissions only while they handle the person's input.
 */
import { useState } from 'preact/hooks';
import { t } from '../utils/i18n';
import { requestHostAccess } from '../utils/permissions/host-access';
import { useHostAccess } from './use-host-access';

export function HostAccessBanner() {
  const granted = useHostAccess();
  const [refused, setRefused] = useState(false);
  if (granted !== false) return null;

  const ask = () => {
    setRefused(false);
    requestHostAccess().then(
      (given) => setRefused(!given),
      () => setRefused(true),
    );
  };

  return (
    <section class="banner banner--error banner--wrap" data-testid="host-access-banner" aria-labelledby="host-access-text">
      <p id="host-access-text">{t('hostAccessMissing')}</p>
      <button type="button" class="primary" data-testid="host-access-button" onClick={ask}>
        {t('hostAccessButton')}
      </button>
      {refused && (
        <p class="banner__note" role="alert" data-testid="host-access-refused">
          {t('hostAccessRefused')}
        </p>
      )}
    </section>
  );
}
