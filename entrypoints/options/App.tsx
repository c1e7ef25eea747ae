/** The options page: the API key, the scanning settings, and the history; a link back to the first-run page. */
import { HostAccessBanner } from '../../components/HostAccessBanner';
import { t } from '../../utils/i18n';
import { privacyDocPath } from '../../utils/ui/privacy-doc';
import { ApiKeyForm } from '../../components/ApiKeyForm';
import { FileAccessSection } from '../../components/FileAccessSection';
import { HistorySection } from './HistorySection';
import { SettingsForm } from './SettingsForm';

export function App() {
  return (
    <main class="options">
      <header class="options__header">
        <h1>{t('optionsTitle')}</h1>
        <p class="muted">{t('extensionDescription')}</p>
        <p>
          <a href={privacyDocPath()} target="_blank" rel="noreferrer" data-testid="privacy-link">
            {t('privacyPolicyLink')}
          </a>
        </p>
        <p>
          <a href="welcome.html" target="_blank" rel="noopener" data-testid="open-welcome">
            {t('optionsOpenWelcome')}
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
