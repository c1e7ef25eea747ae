/**
 * A button that asks first: pressing it shows the explanation with Cancel and a confirm button in place,
 * Cancel focused (the safe choice), Escape cancels. Used for what cannot be undone.
 */
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { t } from '../utils/i18n';

interface ConfirmButtonProps {
  /** The button's text, e.g. "Delete file". */
  label: string;
  /** What will happen, in plain words. */
  message: string;
  /** The confirming button's text, e.g. "Delete the file". */
  confirmLabel: string;
  onConfirm: () => void;
  danger?: boolean;
  disabled?: boolean;
  class?: string;
}

export function ConfirmButton({ label, message, confirmLabel, onConfirm, danger, disabled, class: className }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const messageId = useId();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // Where focus goes after the question opens or closes; null means leave it alone (first render).
  const focusNext = useRef<'cancel' | 'trigger' | null>(null);

  useEffect(() => {
    if (focusNext.current === 'cancel') cancelRef.current?.focus();
    if (focusNext.current === 'trigger') triggerRef.current?.focus();
    focusNext.current = null;
  }, [asking]);

  const close = () => {
    focusNext.current = 'trigger';
    setAsking(false);
  };

  if (!asking) {
    return (
      <button
        type="button"
        ref={triggerRef}
        class={[className, danger ? 'danger' : ''].filter(Boolean).join(' ') || undefined}
        disabled={disabled}
        onClick={() => {
          focusNext.current = 'cancel';
          setAsking(true);
        }}
      >
        {label}
      </button>
    );
  }

  return (
    <div
      class="confirm"
      role="group"
      aria-labelledby={messageId}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          close();
        }
      }}
    >
      <p id={messageId}>{message}</p>
      <div class="confirm__buttons">
        <button type="button" ref={cancelRef} onClick={close}>
          {t('cancel')}
        </button>
        <button
          type="button"
          class={danger ? 'primary danger' : 'primary'}
          disabled={disabled}
          onClick={() => {
            close();
            onConfirm();
          }}
        >
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
