/**
 * What differs between the browsers ScanDock runs in, in one place. Code asks `platform` what the
 * browser can do instead of testing which browser it is; the choice is made at build time from WXT's
 * browser flag (`wxt build -b firefox` sets `import.meta.env.FIREFOX`), so each build carries one answer.
 */

/** The abilities that make ScanDock behave differently in one browser. */
export interface BrowserPlatform {
  name: 'chrome' | 'firefox';
  /**
   * Notifications can carry buttons ("Open report", "Delete file"). Firefox has none: `notifications.create`
   * refuses them, and merely adding an `onButtonClicked` listener logs "attempting to use listener
   * "notifications.onButtonClicked", which is unimplemented" on every background start.
   */
  notificationButtons: boolean;
  /**
   * Where "Scan files…" opens the file picker. Firefox closes an extension popup as soon as a file picker
   * opens, so the picked files never arrive: there the popup opens a ScanDock tab that picks instead.
   */
  filePicking: 'popup' | 'tab';
  /**
   * A finished download can be read from its file on disk (`fetch('file:///…')`) once the person allows
   * ScanDock "Allow access to file URLs". Firefox gives extensions no file:// access: there a download is
   * always fetched again from its address.
   */
  readsDownloadsFromDisk: boolean;
  /**
   * The browser asks the person for data collection consent (`permissions.request({ data_collection })`, Firefox
   * 140+). Chrome has none: its store listing's privacy disclosure covers what is sent.
   */
  dataConsent: boolean;
}

const CHROME: BrowserPlatform = { name: 'chrome', notificationButtons: true, filePicking: 'popup', readsDownloadsFromDisk: true, dataConsent: false };

const FIREFOX: BrowserPlatform = { name: 'firefox', notificationButtons: false, filePicking: 'tab', readsDownloadsFromDisk: false, dataConsent: true };

/** The platform for a browser name as WXT spells it (`chrome`, `firefox`, `edge`, …). */
export function platformFor(browserName: string): BrowserPlatform {
  return browserName === 'firefox' ? FIREFOX : CHROME;
}

/** This build's browser. */
export const platform: BrowserPlatform = import.meta.env.FIREFOX ? FIREFOX : CHROME;
