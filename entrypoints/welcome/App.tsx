/**
 * The first-run page, opened once on install (entrypoints/background/first-run.ts) and from the options page:
 * what ScanDock does and what leaves the browser, the API key, the access the browser must give, and a test
 * download whose verdict proves it all works.
 */
import { useState } from 'preact/hooks';
import { ApiKeyForm, type KeyState } from '../../components/ApiKeyForm';
import { FileAccessSection } from '../../components/FileAccessSection';
import { t } from '../../utils/i18n';
import { platform } from '../../utils/platform/browser-platform';
import { askToReopenAfterFileAccess } from '../../utils/first-run/first-run';
import { firstRunItem } from '../../utils/settings/storage-items';
import { privacyDocPath } from '../../utils/ui/privacy-doc';
import { HostAccessSection } from './HostAccessSection';
import { TestFileSection } from './TestFileSection';

const SIGN_UP_PAGE = 'https://www.virustotal.com/gui/join-us';

/** Chrome restarts ScanDock when file access changes, closing this page: ask to be opened again after it. */
const reopenAfterFileAccess = () =>
  askToReopenAfterFileAccess({ read: () => firstRunItem.getValue(), write: (value) => firstRunItem.setValue(value) }, Date.now());

export function App() {
  const [keyState, setKeyState] = useState<KeyState | null>(null);
  const afterFileAccess = new URLSearchParams(location.search).get('after') === 'file-access';
  return (
    <main class="welcome">
      <header class="welcome__header">
        <h1>{t('welcomeTitle')}</h1>
        <p>
          {t('welcomeIntro')}{' '}
          <a href={privacyDocPath()} target="_blank" rel="noopener">
            {t('welcomePrivacyLink')}
          </a>
        </p>
      </header>
      {afterFileAccess && (
        <p class="welcome__note" role="status" data-testid="welcome-after-file-access">
          {t('welcomeAfterFileAccess')}
        </p>
      )}
      <section class="card" aria-labelledby="key-title">
        <h2 id="key-title">{t('welcomeKeyTitle')}</h2>
        <ol class="welcome__steps">
          <li>
            {t('welcomeKeyStepSignUp')}{' '}
            <a href={SIGN_UP_PAGE} target="_blank" rel="noreferrer">
              {t('welcomeKeySignUpLink')}
            </a>
          </li>
          <li>{t('welcomeKeyStepCopy')}</li>
          <li>{t('welcomeKeyStepPaste')}</li>
        </ol>
        <ApiKeyForm onKeyState={setKeyState} />
      </section>
      {platform.readsDownloadsFromDisk && <FileAccessSection onOpenSettings={reopenAfterFileAccess} />}
      <HostAccessSection />
      <TestFileSection ready={!!keyState?.hasKey && keyState.status !== 'rejected'} />
      <p class="field__help">{t('welcomeAgain')}</p>
    </main>
  );
}
