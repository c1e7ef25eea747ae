import { describe, expect, it } from 'vitest';
import { LANE_PACKAGES, missingPackages, queryDpkg, requirePackages, type PackageQuery } from './browser-packages';

/** A machine with `installed` and dpkg to ask. */
const machineWith = (...installed: string[]): PackageQuery => (name) => installed.includes(name);

describe('the browser lanes name the Debian package they miss', () => {
  it('a machine with chromium but not chromium-l10n fails the Korean lane naming chromium-l10n', () => {
    const query = machineWith('chromium', 'fonts-noto-cjk', 'firefox-esr');
    expect(() => requirePackages(LANE_PACKAGES.chromium, 'The Chromium lane', query)).not.toThrow();
    expect(() => requirePackages(LANE_PACKAGES.chromiumKorean, 'Korean', query)).toThrow(/chromium-l10n, not installed.*apt-get install -y chromium-l10n/);
  });

  it('names every missing package, and only those', () => {
    expect(missingPackages(['chromium', 'chromium-l10n', 'fonts-noto-cjk'], machineWith('chromium'))).toEqual(['chromium-l10n', 'fonts-noto-cjk']);
  });

  it('says nothing where there is no dpkg to ask', () => {
    expect(() => requirePackages(LANE_PACKAGES.firefox, 'The Firefox lane', () => undefined)).not.toThrow();
  });
});

describe('dpkg-query', () => {
  it.skipIf(queryDpkg('dpkg') === undefined)('says installed for dpkg itself and not for a package that does not exist', () => {
    expect(queryDpkg('dpkg')).toBe(true);
    expect(queryDpkg('scandock-no-such-package')).toBe(false);
  });
});
