/**
 * The privacy policy's claims that can be checked against the code: the settings it names exist with the defaults
 * it says, every VirusTotal endpoint the client calls is disclosed, Firefox's data consent is declared as it says,
 * and the Korean policy names the same things as the English one.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPT_IN_DATA_COLLECTION, OPTIONAL_DATA_COLLECTION, REQUIRED_DATA_COLLECTION } from '../../utils/permissions/data-collection';
import { DEFAULT_SETTINGS, type Settings } from '../../utils/settings/storage-items';
import { DIRECT_UPLOAD_LIMIT } from '../../utils/virustotal/virustotal-client';

const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8');

const POLICIES = { en: read('PRIVACY.md'), ko: read('PRIVACY.ko.md') };
/** How each policy names a setting: "setting `key`" / "설정 `key`". */
const SETTING = { en: /setting\s+`(\w+)`/g, ko: /설정\s*`(\w+)`/g };

/** The settings that change what leaves the browser: each must be in the policy. */
const SENDING_SETTINGS: Array<keyof Settings> = ['autoScan', 'uploadUnknown', 'uploadDocuments', 'urlFallback', 'keepUrlQuery', 'linkCookies'];

/** "METHOD /path/{…}" with each placeholder written `{}`. */
const endpoint = (method: string, path: string) => `${method} ${path.replace(/\$\{.*?\}(?=\/|$)|\{[^}]*\}/g, '{}')}`;

/** Every VirusTotal request the client makes, from its source: `request('GET', `/files/${…}`)`, and the upload's target. */
function clientEndpoints(): Set<string> {
  const source = read('utils/virustotal/virustotal-client.ts');
  const found = [...source.matchAll(/request\('(GET|POST)', (['`])([^'`]*)\2/g)].map(([, method, , path]) => endpoint(method!, path!));
  const uploadTarget = /let target = '([^']+)'/.exec(source)?.[1];
  if (uploadTarget) found.push(endpoint('POST', uploadTarget));
  return new Set(found);
}

/** The endpoints a policy names: `GET /files/{hash}`. */
const policyEndpoints = (text: string) => new Set([...text.matchAll(/`(GET|POST) (\/[^`\s]+)`/g)].map(([, method, path]) => endpoint(method!, path!)));

describe.each(Object.entries(POLICIES))('PRIVACY (%s)', (language, text) => {
  const named = [...text.matchAll(SETTING[language as keyof typeof SETTING])].map(([, key]) => key!);

  it('names only settings that exist', () => {
    expect(named.filter((key) => !(key in DEFAULT_SETTINGS))).toEqual([]);
  });

  it('names every setting that changes what leaves the browser', () => {
    expect(SENDING_SETTINGS.filter((key) => !named.includes(key))).toEqual([]);
  });

  it('gives each on/off setting the default the code has', () => {
    const stated = language === 'en' ? /setting\s+`(\w+)`\s+\((on|off)\b/g : /설정\s*`(\w+)`\(([^)]*)\)/g;
    const defaults = [...text.matchAll(stated)]
      .filter(([, key]) => typeof DEFAULT_SETTINGS[key as keyof Settings] === 'boolean')
      .map(([, key, said]) => [key, /^on$|켜짐/.test(said!)]);
    expect(defaults.length).toBeGreaterThanOrEqual(SENDING_SETTINGS.length);
    for (const [key, on] of defaults) expect(on, `${key}'s default`).toBe(DEFAULT_SETTINGS[key as keyof Settings]);
  });

  it('states the history size, cache lifetime and upload limit the code has', () => {
    expect(text).toContain(language === 'en' ? `(${DEFAULT_SETTINGS.historyLimit} by default)` : `(기본 ${DEFAULT_SETTINGS.historyLimit})`);
    expect(text).toContain(language === 'en' ? `(${DEFAULT_SETTINGS.cacheHours} hours by default)` : `(기본 ${DEFAULT_SETTINGS.cacheHours}시간)`);
    expect(text).toContain(`${DIRECT_UPLOAD_LIMIT / 1024 / 1024} MB`);
  });

  it('discloses every VirusTotal endpoint ScanDock calls, and names none it does not', () => {
    const client = clientEndpoints();
    const disclosed = policyEndpoints(text);
    expect([...client].filter((e) => !disclosed.has(e))).toEqual([]);
    expect([...disclosed].filter((e) => !client.has(e))).toEqual([]);
  });

  it("declares Firefox's data consent as the manifest does, each optional type with the setting that asks for it", () => {
    const section = text.slice(text.indexOf('## 4.'), text.indexOf('## 5.'));
    const required = language === 'en' ? /\*\*required\*\* `(\w+)`/ : /\*\*필수\*\* `(\w+)`/;
    expect([required.exec(section)?.[1]]).toEqual([...REQUIRED_DATA_COLLECTION]);
    const pairs = language === 'en' ? /`(\w+)` \([^)]*setting `(\w+)`/g : /`(\w+)`\([^)]*설정 `(\w+)`/g;
    const optional = Object.fromEntries([...section.matchAll(pairs)].map(([, type, setting]) => [setting, type]));
    expect(optional).toEqual(OPT_IN_DATA_COLLECTION);
    expect(Object.values(optional).sort()).toEqual([...OPTIONAL_DATA_COLLECTION].sort());
  });
});

describe('the two policies', () => {
  it('name the same settings, endpoints, data types and addresses', () => {
    const tokens = (text: string) => new Set([...text.matchAll(/`([^`]+)`/g)].map(([, token]) => token));
    expect(tokens(POLICIES.ko)).toEqual(tokens(POLICIES.en));
  });

  it('are the files the package ships and the options page links to', () => {
    const config = read('wxt.config.ts');
    expect(config).toContain("['PRIVACY.md', 'privacy.txt']");
    expect(config).toContain("['PRIVACY.ko.md', 'privacy.ko.txt']");
    const file = (language: string) => (JSON.parse(read(`public/_locales/${language}/messages.json`)) as Record<string, { message: string }>).privacyPolicyFile?.message;
    expect([file('en'), file('ko')]).toEqual(['privacy.txt', 'privacy.ko.txt']);
  });
});
