/**
 * A whole-number setting. The value is saved when the person leaves the field or presses Enter, and only
 * if it is in range: an out-of-range number is explained instead of silently replaced by a default.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { t } from '../../utils/i18n';

interface NumberFieldProps {
  label: string;
  help: string;
  value: number;
  min: number;
  max: number;
  /** Shown after the input, e.g. "MB". */
  unit?: string;
  disabled?: boolean;
  onCommit: (value: number) => void;
  testId?: string;
}

export function NumberField({ label, help, value, min, max, unit, disabled, onCommit, testId }: NumberFieldProps) {
  const id = useId();
  const [draft, setDraft] = useState(String(value));
  const [invalid, setInvalid] = useState(false);

  // A saved (possibly normalised) value replaces what was typed.
  useEffect(() => {
    setDraft(String(value));
    setInvalid(false);
  }, [value]);

  const commit = (text: string) => {
    const n = Number(text.trim());
    if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    if (n !== value) onCommit(n);
  };

  return (
    <div class="field field--number">
      <label for={id}>{label}</label>
      <div class="field__control">
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={max}
          step={1}
          value={draft}
          disabled={disabled}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-help ${id}-error` : `${id}-help`}
          data-testid={testId}
          onInput={(event) => setDraft(event.currentTarget.value)}
          onChange={(event) => commit(event.currentTarget.value)}
        />
        {unit && <span class="field__unit">{unit}</span>}
      </div>
      <p id={`${id}-help`} class="field__help">
        {help}
      </p>
      {invalid && (
        <p id={`${id}-error`} class="field__error" role="alert">
          {t('numberOutOfRange', [String(min), String(max)])}
        </p>
      )}
    </div>
  );
}
