/**
 * Entering the VirusTotal API key, on the options page and the first-run page. The background checks it with
 * VirusTotal before keeping it; the page never reads the stored key back, and clears the field once the key is
 * saved.
 */
import { useEffect, useState } from 'preact/hooks';
import { t, uiLocale } from '../utils/i18n';
import { sendMessage } from '../utils/messaging/messenger';
import type { MessageReturn } from '../utils/messaging/protocol';
import type { Problem } from '../utils/problems/problem';
import { renderProblem } from '../utils/problems/render-problem';
import { errorText } from '../utils/ui/error-text';
import { displayText } from '../utils/ui/format';

/** Whether a key is saved and what VirusTotal said of it. */
export type KeyState = MessageReturn<'getKeyState'>;
type Outcome = { kind: 'ok' | 'error' | 'pending'; text: string };

const API_KEY_PAGE = 'https://www.virustotal.com/gui/my-apikey';

/** What the background found out about the key, in the page's language. */
function problemOutcome(kind: 'ok' | 'error', problem: Problem): Outcome {
  return { kind, text: displayText(renderProblem('error', problem, t, uiLocale()), 400) };
}

function keyStateText(state: KeyState | null): string {
  if (!state) return '';
  if (!state.hasKey) return t('keyStateNone');
  if (state.status === 'valid') return t('keyStateValid');
  if (state.status === 'rejected') return t('keyStateRejected');
  return t('keyStateUnchecked');
}

/** `onKeyState` hears the key's state each time it is read (on load and after every save). */
export function ApiKeyForm({ onKeyState }: { onKeyState?: (state: KeyState) => void } = {}) {
  const [key, setKey] = useState('');
  const [shown, setShown] = useState(false);
  const [saving, setSaving] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [keyState, setKeyState] = useState<KeyState | null>(null);

  const loadKeyState = () =>
    sendMessage('getKeyState').then(
      (state) => {
        setKeyState(state);
        onKeyState?.(state);
      },
      () => setKeyState(null),
    );

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
        else setOutcome(check.quotaNote ? problemOutcome('ok', check.quotaNote) : { kind: 'ok', text: t('keySaved') });
        setKey('');
        setShown(false);
      } else {
        setOutcome(problemOutcome('error', check.problem));
      }
    } catch (e) {
      setOutcome({ kind: 'error', text: t('actionFailed', errorText(e)) });
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
      </p>
    </form>
  );
}
