import { describe, expect, it } from 'vitest';
import { platform, platformFor } from './browser-platform';

describe('the browser platform', () => {
  it('Firefox: no notification buttons, files are picked in a tab (its popup closes when a picker opens), downloads are never read from disk', () => {
    expect(platformFor('firefox')).toEqual({ name: 'firefox', notificationButtons: false, filePicking: 'tab', readsDownloadsFromDisk: false, dataConsent: true });
  });

  it('Chrome and its kin: notification buttons, files are picked in the popup, downloads are read from disk', () => {
    for (const name of ['chrome', 'edge', 'opera']) expect(platformFor(name)).toEqual({ name: 'chrome', notificationButtons: true, filePicking: 'popup', readsDownloadsFromDisk: true, dataConsent: false });
  });

  it('is chosen at build time from WXT’s browser flag (the unit tests build for Chrome)', () => {
    expect(platform).toBe(platformFor(import.meta.env.BROWSER));
  });
});
