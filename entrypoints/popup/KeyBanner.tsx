/** Tells the person why nothing will be scanned when the API key is missing or was refused. */
import { t } from '../../utils/i18n';
import type { KeyState } from './use-background-state';

interface KeyBannerProps {
  keyState: KeyState | null;
  onOpenOptions: () => void;
}

export function KeyBanner({ keyState, onOpenOptions }: KeyBannerProps) {
  if (!keyState) return null;
  if (!keyState.hasKey) {
    return (
      <section class="banner banner--action" data-testid="key-banner" data-key-state="missing" aria-labelledby="key-banner-text">
        <p id="key-banner-text">{t('keyMissing')}</p>
        <button type="button" class="primary" onClick={onOpenOptions}>
          {t('keyMissingButton')}
        </button>
      </section>
    );
  }
  if (keyState.status === 'rejected') {
    return (
      <section class="banner banner--error" data-testid="key-banner" data-key-state="rejected" aria-labelledby="key-banner-text">
        <p id="key-banner-text">{t('keyRejected')}</p>
        <button type="button" onClick={onOpenOptions}>
          {t('keyRejectedButton')}
        </button>
      </section>
    );
  }
  return null;
}
