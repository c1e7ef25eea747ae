/**
 * Host access on the first-run page: whether ScanDock may reach VirusTotal and the sites downloads come from,
 * kept current (`permissions.onAdded`/`onRemoved`), and, where it is missing (Firefox before 127, or withdrawn),
 * the host-access banner whose button asks for it straight from the click.
 */
import { HostAccessBanner } from '../../components/HostAccessBanner';
import { useHostAccess } from '../../components/use-host-access';
import { t } from '../../utils/i18n';

export function HostAccessSection() {
  const granted = useHostAccess();
  return (
    <section class="card" aria-labelledby="host-access-title" data-testid="welcome-host-access" data-granted={granted === null ? undefined : String(granted)}>
      <h2 id="host-access-title">{t('welcomeHostAccessTitle')}</h2>
      <p class="field__help">{t('welcomeHostAccessWhy')}</p>
      <p aria-live="polite" data-testid="host-access-state">
        {granted === true ? t('welcomeHostAccessOn') : ''}
      </p>
      <HostAccessBanner />
    </section>
  );
}
