import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { hostPatternFor } from './utils/permissions/host-pattern';
import { OPTIONAL_DATA_COLLECTION, REQUIRED_DATA_COLLECTION } from './utils/permissions/data-collection';

/** The VirusTotal API base the build talks to; tests, the demo and the benchmark point it at the emulator. */
const vtApiUrl = process.env.WXT_VT_API_URL ?? 'https://www.virustotal.com/api/v3';

/** The privacy policy in each language, and its name in the package. */
const PRIVACY_POLICY_FILES = [
  ['PRIVACY.md', 'privacy.txt'],
  ['PRIVACY.ko.md', 'privacy.ko.txt'],
] as const;

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  zip: {
    // The sources package Firefox's reviewers rebuild from (`npm ci && npm run build:firefox`). WXT already
    // leaves out node_modules, .output, dot-folders and *.test.ts; these are outputs of tests, the benchmark
    // and the demo, not sources.
    excludeSources: ['tests/artifacts/**', 'bench/results/**', 'bench/tmp/**', 'docs/**', 'stats.html', '**/*.log', '.env*'],
  },
  imports: false,
  hooks: {
    // The privacy policy ships in the package, linked from the options page (privacyPolicyFile in _locales).
    // Plain text with a byte-order mark, so the browser shows the Korean one as UTF-8.
    'build:publicAssets': (wxt, files) => {
      for (const [source, dest] of PRIVACY_POLICY_FILES) {
        files.push({ relativeDest: dest, contents: `\uFEFF${readFileSync(path.resolve(wxt.config.root, source), 'utf8')}` });
      }
    },
  },
  vite: () => ({
    plugins: [preact()],
    define: { 'import.meta.env.WXT_VT_API_URL': JSON.stringify(vtApiUrl) },
  }),
  manifest: ({ browser }) => ({
    name: '__MSG_extensionName__',
    description: '__MSG_extensionDescription__',
    default_locale: 'en',
    permissions: ['downloads', 'contextMenus', 'notifications', 'storage', 'unlimitedStorage', 'alarms'],
    // Re-fetching a finished download needs to read it from wherever it came from. The same list is
    // checked at run time (utils/permissions/host-access.ts): a person can withdraw it. Chrome also reads a
    // finished download from disk (file:///), once the person allows "Allow access to file URLs"; Firefox
    // gives extensions no file access, and `web-ext lint` would flag the pattern.
    host_permissions: [hostPatternFor(vtApiUrl), '<all_urls>', ...(browser === 'firefox' ? [] : ['file:///*'])],
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'scandock@scandock.dev',
              strict_min_version: '142.0',
              // What is sent to VirusTotal, in Mozilla's taxonomy: utils/permissions/data-collection.ts says why.
              data_collection_permissions: { required: [...REQUIRED_DATA_COLLECTION], optional: [...OPTIONAL_DATA_COLLECTION] },
            },
          },
        }
      : {}),
  }),
});
