/**
 * The Debian packages the browser lanes need, checked before a browser starts, so a machine that lacks one fails
 * with a sentence naming it (and `.ci/run`, which installs the same list) instead of an assertion far from the
 * cause: Debian's `chromium` runs in English only (`chrome.i18n.getUILanguage()` stays `en-US` under `--lang=ko`)
 * until `chromium-l10n` is installed.
 */
import { execFileSync } from 'node:child_process';

/** What each lane needs from Debian; `.ci/run` installs the same names when missing. */
export const LANE_PACKAGES = {
  chromium: ['chromium'],
  /** The Korean UI: Chromium's other locales, and Korean glyphs for the screenshots. */
  chromiumKorean: ['chromium-l10n', 'fonts-noto-cjk'],
  firefox: ['firefox-esr'],
  /** The idle lane's Chromium on a clock a test moves (the day's quota turning). */
  movableClock: ['libfaketime'],
} as const satisfies Record<string, readonly string[]>;

/** Answers `dpkg-query`'s question for one package: installed or not; `undefined` where there is no dpkg (not Debian). */
export type PackageQuery = (name: string) => boolean | undefined;

/** Asks dpkg whether `name` is installed (`${Status}` is "install ok installed" only then). */
export const queryDpkg: PackageQuery = (name) => {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim() === 'install ok installed';
  } catch (error) {
    // dpkg-query itself missing: not a Debian machine, nothing to say. Otherwise it exits 1 for an unknown package.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return false;
  }
};

/** The packages of `names` that are not installed (none where dpkg is not there to ask). */
export function missingPackages(names: readonly string[], query: PackageQuery = queryDpkg): string[] {
  return names.filter((name) => query(name) === false);
}

/**
 * Throws, naming the packages and the install command, when any of `names` is missing. `forWhat` says what needs
 * them. A browser binary given by `CHROMIUM_PATH`/`FIREFOX_PATH` is not Debian's: the caller skips the check then.
 */
export function requirePackages(names: readonly string[], forWhat: string, query: PackageQuery = queryDpkg): void {
  const missing = missingPackages(names, query);
  if (missing.length === 0) return;
  throw new Error(
    `${forWhat} needs the Debian package${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, not installed on this machine: ` +
      `apt-get install -y ${missing.join(' ')} (bash .ci/run installs it).`,
  );
}
