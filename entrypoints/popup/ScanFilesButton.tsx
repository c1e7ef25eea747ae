/** "Scan files…": a button that opens the file picker (several files at once). */
import { useRef } from 'preact/hooks';
import { t } from '../../utils/i18n';

interface ScanFilesButtonProps {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
}

export function ScanFilesButton({ onFiles, disabled }: ScanFilesButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" class="primary" disabled={disabled} onClick={() => input.current?.click()}>
        {t('scanFiles')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-label={t('scanFiles')}
        data-testid="file-input"
        onChange={(event) => {
          const target = event.currentTarget;
          const files = Array.from(target.files ?? []);
          // Cleared so that picking the same file again still counts as a change.
          target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
