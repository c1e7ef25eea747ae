/**
 * "Scan files…": a button that opens the file picker (several files at once). Where the browser closes
 * the popup when a file picker opens (Firefox), the toolbar popup opens ScanDock in a tab to pick there
 * instead (`platform.filePicking`); in that tab the button picks as usual.
 */
import { useRef } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { t } from '../../utils/i18n';
import { platform } from '../../utils/platform/browser-platform';
import { FILES_VIEW_PATH } from './view';

interface ScanFilesButtonProps {
  onFiles: (files: File[]) => void;
  disabled?: boolean;
  /** This page is the toolbar popup (not ScanDock's Scan files tab). */
  inPopup: boolean;
  /** Test hooks of the button and its file input: the toolbar's by default; an error row's remedy has its own. */
  testId?: string;
  inputTestId?: string;
  /** The toolbar's is the page's main button; an error row's is not. Default true. */
  primary?: boolean;
}

/** Opens ScanDock's Scan files tab and closes the popup. */
function openFilesTab(): void {
  void browser.tabs.create({ url: browser.runtime.getURL(FILES_VIEW_PATH) }).then(() => window.close());
}

export function ScanFilesButton({ onFiles, disabled, inPopup, testId = 'scan-files', inputTestId = 'file-input', primary = true }: ScanFilesButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  const pickInTab = inPopup && platform.filePicking === 'tab';
  return (
    <>
      <button
        type="button"
        class={primary ? 'primary' : undefined}
        disabled={disabled}
        data-testid={testId}
        data-picks-in={pickInTab ? 'tab' : 'page'}
        onClick={() => (pickInTab ? openFilesTab() : input.current?.click())}
      >
        {t('scanFiles')}
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-label={t('scanFiles')}
        data-testid={inputTestId}
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
