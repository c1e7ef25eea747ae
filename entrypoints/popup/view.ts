/**
 * The popup's page also serves as ScanDock's Scan files tab (`popup.html?view=files`), where Firefox
 * picks files: the same list, rows and messages, in a tab the file picker does not close.
 */

/** The Scan files tab, relative to the extension's root. */
export const FILES_VIEW_PATH = '/popup.html?view=files';

/** Which of the two this page is. */
export type PopupView = 'popup' | 'files';

/** The view a page address asks for. */
export function viewOf(search: string): PopupView {
  return new URLSearchParams(search).get('view') === 'files' ? 'files' : 'popup';
}
