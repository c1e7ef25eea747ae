/**
 * File access: Chrome's "Allow access to file URLs" for ScanDock, which lets it read a finished download
 * from disk (`fetch('file:///…')`) instead of fetching it again. Only the person can switch it, on the
 * extension's details page (chrome://extensions/?id=…), and Chrome restarts the extension when it changes.
 * It is on for an extension loaded unpacked, off for one installed from the store. Firefox has no such switch.
 */
import { browser } from 'wxt/browser';
import { platform } from '../platform/browser-platform';

/** Whether ScanDock may read downloads from disk now (always false in Firefox). */
export async function hasFileAccess(): Promise<boolean> {
  if (!platform.readsDownloadsFromDisk) return false;
  try {
    return await browser.extension.isAllowedFileSchemeAccess();
  } catch {
    return false;
  }
}

/** ScanDock's details page in Chrome, where "Allow access to file URLs" is switched. */
export function fileAccessSettingsUrl(extensionId: string = browser.runtime.id): string {
  return `chrome://extensions/?id=${encodeURIComponent(extensionId)}`;
}

/** Opens ScanDock's details page in a new tab (extensions may open chrome://extensions; a page's link may not). */
export async function openFileAccessSettings(): Promise<void> {
  await browser.tabs.create({ url: fileAccessSettingsUrl() });
}
