/** A checkbox setting with its label and a short help text (and an optional warning). */
import { useId } from 'preact/hooks';

interface ToggleFieldProps {
  label: string;
  help: string;
  warning?: string;
  checked: boolean;
  disabled?: boolean;
  onToggle: (checked: boolean) => void;
  testId?: string;
}

export function ToggleField({ label, help, warning, checked, disabled, onToggle, testId }: ToggleFieldProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const warningId = `${id}-warning`;
  return (
    <div class={disabled ? 'field field--toggle is-disabled' : 'field field--toggle'}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        disabled={disabled}
        aria-describedby={warning ? `${helpId} ${warningId}` : helpId}
        data-testid={testId}
        onChange={(event) => onToggle(event.currentTarget.checked)}
      />
      <div class="field__text">
        <label for={id}>{label}</label>
        <p id={helpId} class="field__help">
          {help}
        </p>
        {warning && (
          <p id={warningId} class="field__warning">
            {warning}
          </p>
        )}
      </div>
    </div>
  );
}
