/** The options page: the API key, the scanning settings, and the history. */
import { HostAccessBanner } from '../../components/HostAccessBanner';
import { t } from '../../utils/i18n';
import { ApiKeyForm } from './ApiKeyForm';
import { FileAccessSection } from './FileAccessSection';
import { HistorySection } from './HistorySection';
import { SettingsForm } from './SettingsForm';

export function App() {
  return (
    <main class="options">
      <header class="options__header">
        <h1>{t('optionsTitle')}</h1>
        <p class="muted">{t('extensionDescription')}</p>
        <p>
          {/* The policy ships in the package (PRIVACY.md, PRIVACY.ko.md: wxt.config.ts copies them). */}
          <a href={`/${t('privacyPolicyFile')}`} target="_blank" rel="noreferrer" data-testid="privacy-link">
            {t('privacyPolicyLink')}
          </a>
        </p>
      </header>
      <HostAccessBanner />
      <section class="card" aria-labelledby="key-title">
        <h2 id="key-title">{t('sectionApiKey')}</h2>
        <ApiKeyForm />
      </section>
      <FileAccessSection />
      <SettingsForm />
      <HistorySection />
    </main>
  );
}
