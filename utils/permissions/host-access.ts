/**
 * Host access: ScanDock's right to reach other sites. It needs the VirusTotal API (without it the
 * `x-apikey` request becomes a CORS preflight that VirusTotal answers 401) and every site downloads come
 * from (a download is fetched again to hash it). Both are granted at install, and a person can withdraw them:
 * Chrome's site access "on click" or "on specific sites", Firefox's permissions in about:addons.
 */
import { browser } from 'wxt/browser';
import { vtApiUrl } from '../virustotal/api-url';
import { hostPatternFor } from './host-pattern';

/** The host permissions ScanDock needs, as in the manifest (wxt.config.ts). */
export function hostAccessOrigins(): string[] {
  return [hostPatternFor(vtApiUrl()), '<all_urls>'];
}

/** Whether ScanDock may reach VirusTotal and the sites downloads come from. */
export async function hasHostAccess(): Promise<boolean> {
  try {
    return await browser.permissions.contains({ origins: hostAccessOrigins() });
  } catch {
    // A browser that cannot answer has not withdrawn anything we know of: let the scan say what fails.
    return true;
  }
}

/**
 * Asks the person to give host access back. Call it straight from a click handler, before any `await`:
 * browsers grant permissions only while they handle the person's input.
 */
export function requestHostAccess(): Promise<boolean> {
  return browser.permissions.request({ origins: hostAccessOrigins() });
}

/** Calls `onChange` whenever permissions are granted or withdrawn; returns a function that stops listening. */
export function watchHostAccess(onChange: () => void): () => void {
  const listener = () => onChange();
  browser.permissions.onAdded.addListener(listener);
  browser.permissions.onRemoved.addListener(listener);
  return () => {
    browser.permissions.onAdded.removeListener(listener);
    browser.permissions.onRemoved.removeListener(listener);
  };
}
