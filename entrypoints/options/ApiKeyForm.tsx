/**
 * Entering the VirusTotal API key. The background checks it with VirusTotal before keeping it; this page
 * never reads the stored key back, and clears the field once the key is saved.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';
import { sendMessage } from '../../utils/messaging/messenger';
import type { MessageReturn } from '../../utils/messaging/protocol';
import { displayText } from '../../utils/ui/format';
import { messagesAreEnglish } from '../../utils/ui/scan-message';

type KeyState = MessageReturn<'getKeyState'>;
/** `detail`: the background's English wording, shown under `text` when the page is not in English. */
type Outcome = { kind: 'ok' | 'error' | 'pending'; text: string; detail?: string };

const API_KEY_PAGE = 'https://www.virustotal.com/gui/my-apikey';

/**
 * The background explains a refused or unchecked key in English. In English that explanation is the text;
 * otherwise a translated sentence comes first and the explanation follows as the detail.
 */
function backgroundOutcome(kind: 'ok' | 'error', sentence: string, english: string): Outcome {
  const said = displayText(english, 300);
  if (!said) return { kind, text: sentence };
  return messagesAreEnglish(t) ? { kind, text: said } : { kind, text: sentence, detail: said };
}

function keyStateText(state: KeyState | null): string {
  if (!state) return '';
  if (!state.hasKey) return t('keyStateNone');
  if (state.status === 'valid') return t('keyStateValid');
  if (state.status === 'rejected') return t('keyStateRejected');
  return t('keyStateUnchecked');
}

export function ApiKeyForm() {
  const [key, setKey] = useState('');
  const [shown, setShown] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [keyState, setKeyState] = useState<KeyState | null>(null);

  const loadKeyState = () =>
    sendMessage('getKeyState').then(setKeyState, () => setKeyState(null));

  useEffect(() => {
    void loadKeyState();
  }, []);

  const save = async (event: Event) => {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setOutcome({ kind: 'error', text: t('keyEmpty') });
      return;
    }
    setSaving(true);
    setOutcome({ kind: 'pending', text: t('keyChecking') });
    try {
      const check = await sendMessage('saveApiKey', trimmed);
      if (check.ok) {
        // A note means the key was kept without a check: "accepted" would not be true.
        if (check.hostAccessMissing) setOutcome({ kind: 'ok', text: t('keySavedNoHostAccess') });
        else setOutcome(check.quotaNote ? backgroundOutcome('ok', t('keySavedUnchecked'), check.quotaNote) : { kind: 'ok', text: t('keySaved') });
        setKey('');
        setShown(false);
      } else {
        setOutcome(backgroundOutcome('error', t('keyRefused'), check.message));
      }
    } catch (e) {
      setOutcome({ kind: 'error', text: t('actionFailed', displayText(e instanceof Error ? e.message : String(e), 300)) });
    } finally {
      setSaving(false);
      void loadKeyState();
    }
  };

  const keyInputProps = {
    id: 'api-key',
    name: 'api-key',
    value: key,
    autocomplete: 'off',
    spellcheck: false,
    autoCapitalize: 'off',
    'aria-describedby': 'api-key-state api-key-help',
    'data-testid': 'api-key',
    onInput: (event: Event) => setKey((event.currentTarget as HTMLInputElement).value),
  } as const;

  return (
    <form class="api-key" onSubmit={save} noValidate>
      <label for="api-key" class="field__label">
        {t('apiKeyLabel')}
      </label>
      <div class="api-key__row">
        {/* Two literal types, not `type={…}`: Preact's input typings need to know which one it is. */}
        {shown ? <input type="text" {...keyInputProps} /> : <input type="password" {...keyInputProps} />}
        <button type="button" aria-pressed={shown} aria-controls="api-key" onClick={() => setShown((s) => !s)}>
          {t('apiKeyShow')}
        </button>
        <button type="submit" class="primary" disabled={saving}>
          {t('save')}
        </button>
      </div>
      <p id="api-key-state" class="field__help" data-testid="key-state" data-has-key={keyState ? String(keyState.hasKey) : undefined} data-key-status={keyState?.status}>
        {keyStateText(keyState)}
      </p>
      <p id="api-key-help" class="field__help">
        {t('apiKeyHelp')}{' '}
        <a href={API_KEY_PAGE} target="_blank" rel="noreferrer">
          {t('apiKeyHelpLink')}
        </a>
      </p>
      <p
        role="status"
        class={outcome?.kind === 'error' ? 'api-key__outcome error-text' : outcome?.kind === 'ok' ? 'api-key__outcome ok-text' : 'api-key__outcome'}
        data-testid="key-outcome"
        data-outcome={outcome?.kind}
      >
        {outcome?.text}
        {outcome?.detail && (
          <span class="api-key__detail" lang="en" dir="ltr">
            {outcome.detail}
          </span>
        )}
      </p>
    </form>
  );
}
