/**
 * Checks the store packages `npm run zip` wrote, the way the stores look at them: the manifest fields the Chrome
 * Web Store requires (and the Firefox add-on id and data consent), every permission justified in
 * docs/permissions.md, no remote code (no script from another origin, no eval), nothing that is not the extension
 * (source maps, tests, sources, dot-files), and the package's size. The Firefox package is also unpacked and run
 * through `web-ext lint`. `npm run check:package` (zips first); exits 1 on any problem.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { zipEntries } from './zip-entries';

export type StoreBrowser = 'chrome' | 'firefox';

interface Manifest {
  manifest_version?: number;
  name?: string;
  version?: string;
  description?: string;
  default_locale?: string;
  icons?: Record<string, string>;
  action?: { default_popup?: string; default_icon?: Record<string, string> };
  options_ui?: { page?: string };
  background?: { service_worker?: string; scripts?: string[] };
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: { extension_pages?: string };
  browser_specific_settings?: { gecko?: { id?: string; data_collection_permissions?: { required?: string[] } } };
}

/** The Chrome Web Store's limits on the listing's fields taken from the manifest. */
const NAME_MAX = 75;
const DESCRIPTION_MAX = 132;

/** Files a store package has no business carrying. */
const NOT_THE_EXTENSION: Array<[RegExp, string]> = [
  [/\.map$/, 'a source map'],
  [/(^|\/)(tests?|__tests__|e2e)\//, 'a test folder'],
  [/\.(test|spec|e2e)\.[cm]?[jt]sx?$/, 'a test file'],
  [/\.tsx?$/, 'TypeScript source'],
  [/(^|\/)\.[^/]+$/, 'a dot-file'],
];

/** Code that runs what it did not ship with. */
const REMOTE_CODE: Array<[RegExp, string]> = [
  [/(?<![\w$.])eval\s*\(/, 'eval('],
  [/\bnew\s+Function\s*\(/, 'new Function('],
  [/\bimportScripts\s*\(\s*["'`](https?:)?\/\//, 'importScripts() of a remote script'],
  [/\bimport\s*\(\s*["'`](https?:)?\/\//, 'import() of a remote module'],
  [/\b(from|import)\s*["'`](https?:)?\/\//, 'a static import of a remote module'],
  [/\bsourceMappingURL=/, 'a source map reference'],
];
const REMOTE_SCRIPT_TAG = /<script\b[^>]*\bsrc\s*=\s*["']?(https?:)?\/\//i;

/** `__MSG_key__` resolved in the default locale's messages (or the text as it is). */
function resolveMessage(text: string | undefined, messages: Record<string, { message: string }> | undefined): string | undefined {
  const key = /^__MSG_(\w+)__$/.exec(text ?? '')?.[1];
  if (!key) return text;
  return messages?.[key]?.message;
}

/** Problems with the manifest as a store reads it. */
function manifestProblems(manifest: Manifest, files: Map<string, Buffer>, browser: StoreBrowser, justified: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  if (manifest.manifest_version !== 3) problems.push(`manifest_version is ${manifest.manifest_version}, not 3`);
  const localeFile = manifest.default_locale && files.get(`_locales/${manifest.default_locale}/messages.json`);
  if (!localeFile) problems.push(`default_locale ${manifest.default_locale ?? '(missing)'} has no _locales/…/messages.json`);
  const messages = localeFile ? (JSON.parse(localeFile.toString('utf8')) as Record<string, { message: string }>) : undefined;
  const name = resolveMessage(manifest.name, messages);
  if (!name) problems.push('the manifest has no name (or its message is missing)');
  else if (name.length > NAME_MAX) problems.push(`the name is ${name.length} characters; the store takes ${NAME_MAX}`);
  const description = resolveMessage(manifest.description, messages);
  if (!description) problems.push('the manifest has no description (or its message is missing)');
  else if (description.length > DESCRIPTION_MAX) problems.push(`the description is ${description.length} characters; the store takes ${DESCRIPTION_MAX}`);
  if (!/^\d{1,5}(\.\d{1,5}){0,3}$/.test(manifest.version ?? '') || manifest.version!.split('.').some((n) => Number(n) > 65_535)) {
    problems.push(`version ${manifest.version ?? '(missing)'} is not 1–4 dot-separated integers up to 65535`);
  }
  if (!manifest.icons?.['128']) problems.push('no 128 px icon (icons["128"]), which the store requires');
  const referenced = [
    ...Object.values(manifest.icons ?? {}),
    ...Object.values(manifest.action?.default_icon ?? {}),
    manifest.action?.default_popup,
    manifest.options_ui?.page,
    manifest.background?.service_worker,
    ...(manifest.background?.scripts ?? []),
  ].filter((file): file is string => typeof file === 'string');
  for (const file of referenced) if (!files.has(file.replace(/^\//, ''))) problems.push(`the manifest names ${file}, which is not in the package`);
  const csp = manifest.content_security_policy?.extension_pages ?? '';
  const scriptSrc = /script-src([^;]*)/.exec(csp)?.[1] ?? '';
  if (/https?:|\*|'unsafe-eval'|'unsafe-inline'/.test(scriptSrc)) problems.push(`the content security policy lets scripts come from elsewhere: script-src${scriptSrc}`);
  const permissions = [...(manifest.permissions ?? []), ...(manifest.optional_permissions ?? []), ...(manifest.host_permissions ?? []), ...(manifest.optional_host_permissions ?? [])];
  for (const permission of permissions) if (!justified.has(permission)) problems.push(`permission ${permission} has no justification in docs/permissions.md`);
  if (browser === 'firefox') {
    const gecko = manifest.browser_specific_settings?.gecko;
    if (!gecko?.id) problems.push('no browser_specific_settings.gecko.id');
    if (!gecko?.data_collection_permissions?.required?.length) problems.push('no browser_specific_settings.gecko.data_collection_permissions.required');
  }
  return problems;
}

/** Problems with a store package's files (`files` by path), for `browser`'s store. */
export function checkPackage(files: Map<string, Buffer>, browser: StoreBrowser, justified: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const manifestFile = files.get('manifest.json');
  if (!manifestFile) return ['no manifest.json at the top of the package'];
  problems.push(...manifestProblems(JSON.parse(manifestFile.toString('utf8')) as Manifest, files, browser, justified));
  for (const [file, bytes] of files) {
    for (const [pattern, what] of NOT_THE_EXTENSION) if (pattern.test(file)) problems.push(`${file} is ${what}`);
    if (/\.[cm]?js$/.test(file)) {
      const text = bytes.toString('utf8');
      for (const [pattern, what] of REMOTE_CODE) if (pattern.test(text)) problems.push(`${file} has ${what}`);
    }
    if (/\.html?$/.test(file) && REMOTE_SCRIPT_TAG.test(bytes.toString('utf8'))) problems.push(`${file} loads a script from another origin`);
  }
  return problems;
}

/** The permission names docs/permissions.md justifies: each `name` in its table's first column. */
export function justifiedPermissions(markdown: string): Set<string> {
  const names = new Set<string>();
  for (const line of markdown.split('\n')) {
    const first = /^\|([^|]+)\|/.exec(line)?.[1] ?? '';
    for (const [, name] of first.matchAll(/`([^`]+)`/g)) names.add(name!);
  }
  return names;
}

/** "93.7 kB" */
const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

function main(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const justified = justifiedPermissions(readFileSync(path.join(root, 'docs', 'permissions.md'), 'utf8'));
  let failed = false;
  for (const browser of ['chrome', 'firefox'] as const) {
    const zipPath = path.join(root, '.output', `scandock-${version}-${browser}.zip`);
    const zip = readFileSync(zipPath);
    const files = zipEntries(zip);
    const unpacked = [...files.values()].reduce((sum, bytes) => sum + bytes.length, 0);
    const largest = [...files].sort((a, b) => b[1].length - a[1].length).slice(0, 3);
    console.log(`${path.relative(root, zipPath)}: ${kilobytes(zip.length)} packed, ${kilobytes(unpacked)} unpacked, ${files.size} files; largest ${largest.map(([f, b]) => `${f} ${kilobytes(b.length)}`).join(', ')}`);
    const problems = checkPackage(files, browser, justified);
    if (browser === 'firefox') problems.push(...webExtLint(root, files));
    for (const problem of problems) console.log(`  ✗ ${problem}`);
    if (problems.length === 0) console.log(`  ✓ ${browser === 'chrome' ? 'Chrome Web Store' : 'addons.mozilla.org (web-ext lint too)'} checks pass`);
    failed ||= problems.length > 0;
  }
  process.exitCode = failed ? 1 : 0;
}

/** Unpacks the Firefox package and runs `web-ext lint` on it, as AMO's validator does; its errors are problems. */
function webExtLint(root: string, files: Map<string, Buffer>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'scandock-firefox-package-'));
  try {
    for (const [file, bytes] of files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), bytes);
    }
    execFileSync(path.join(root, 'node_modules', '.bin', 'web-ext'), ['lint', '--source-dir', dir, '--self-hosted'], { stdio: 'inherit' });
    return [];
  } catch {
    return ['web-ext lint reports errors (above)'];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
