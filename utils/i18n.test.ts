import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { t, type MessageKey } from './i18n';
import { PROBLEM_TEXT } from './problems/problem';

interface Message {
  message: string;
  description?: string;
  placeholders?: Record<string, { content: string; example?: string }>;
}

const LOCALES = ['en', 'ko'] as const;

function readLocale(lang: string): Record<string, Message> {
  const path = fileURLToPath(new URL(`../public/_locales/${lang}/messages.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, Message>;
}

const messages = Object.fromEntries(LOCALES.map((lang) => [lang, readLocale(lang)])) as Record<
  (typeof LOCALES)[number],
  Record<string, Message>
>;

/** What a message substitutes: its `$name$` references (Chrome matches them case-insensitively) and bare `$1`…`$9`. */
function substitutionsOf(m: Message): { named: string[]; positional: string[]; contents: Record<string, string> } {
  const text = m.message.replace(/\$\$/g, '');
  const named = [...new Set([...text.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((x) => x[1]!.toLowerCase()))].sort();
  const positional = [...new Set([...text.replace(/\$[A-Za-z0-9_@]+\$/g, '').matchAll(/\$([1-9])/g)].map((x) => x[1]!))].sort();
  const contents = Object.fromEntries(
    Object.entries(m.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]),
  );
  return { named, positional, contents };
}

describe('the locale files', () => {
  it('have the same keys in English and Korean', () => {
    const en = Object.keys(messages.en).sort();
    const ko = Object.keys(messages.ko).sort();
    expect(en.filter((k) => !ko.includes(k)), 'missing in ko').toEqual([]);
    expect(ko.filter((k) => !en.includes(k)), 'missing in en').toEqual([]);
  });

  it('use only names Chrome accepts and never leave a message empty', () => {
    for (const lang of LOCALES) {
      for (const [key, m] of Object.entries(messages[lang])) {
        expect(key, `${lang}: ${key}`).toMatch(/^[A-Za-z0-9_]+$/);
        expect(typeof m.message, `${lang}: ${key}`).toBe('string');
        expect(m.message.trim(), `${lang}: ${key}`).not.toBe('');
      }
    }
  });

  it('substitute the same placeholders in both languages', () => {
    for (const key of Object.keys(messages.en)) {
      const en = substitutionsOf(messages.en[key]!);
      const ko = substitutionsOf(messages.ko[key]!);
      expect(ko, key).toEqual(en);
    }
  });

  it('define every placeholder a message uses, and use every placeholder it defines', () => {
    for (const lang of LOCALES) {
      for (const [key, m] of Object.entries(messages[lang])) {
        const { named, contents } = substitutionsOf(m);
        expect(Object.keys(contents).sort(), `${lang}: ${key}`).toEqual(named);
        for (const content of Object.values(contents)) expect(content, `${lang}: ${key}`).toMatch(/^\$[1-9]$/);
      }
    }
  });

  it('keep the two keys the manifest uses and the strings the background needs', () => {
    const needed: MessageKey[] = [
      'extensionName',
      'extensionDescription',
      'contextMenuScanFile',
      'contextMenuCheckAddress',
      'notifyMaliciousTitle',
      'notifySuspiciousTitle',
      'notifyBody',
      'notifyOpenReport',
      'notifyDeleteFile',
      'badgeScanning',
    ];
    for (const key of needed) expect(Object.keys(messages.en)).toContain(key);
    expect(substitutionsOf(messages.en.notifyBody!).named).toEqual(['file', 'ratio']);
    // Chrome shows at most four characters on a badge.
    for (const lang of LOCALES) expect(Array.from(messages[lang].badgeScanning!.message).length).toBeLessThanOrEqual(4);
  });

  it('is a real translation: Korean differs from English for most messages', () => {
    const keys = Object.keys(messages.en);
    const same = keys.filter((k) => messages.en[k]!.message === messages.ko[k]!.message);
    // Brand names, "SHA-256" and pure-placeholder messages may stay the same; little else should.
    expect(same.length).toBeLessThan(keys.length * 0.05);
  });
});

describe('the sentences of every problem code', () => {
  /** The placeholder names of a message, in the order of the `$n` each stands for. */
  function placeholderOrder(m: Message): string[] {
    const { named, contents } = substitutionsOf(m);
    return named.sort((a, b) => Number(contents[a]?.slice(1)) - Number(contents[b]?.slice(1)));
  }

  it('has an error sentence for every code, and a notice sentence where it has one, in both languages', () => {
    expect(Object.keys(PROBLEM_TEXT).length).toBeGreaterThan(40);
    for (const [code, text] of Object.entries(PROBLEM_TEXT)) {
      for (const key of 'notice' in text ? [text.error, text.notice] : [text.error]) {
        for (const lang of LOCALES) expect(messages[lang][key]?.message, `${lang}: ${code} → ${key}`).toBeTruthy();
      }
    }
  });

  it("uses exactly the code's params, each as the $n of its place (an error sentence leaves out nextAt: an ended scan has no next try)", () => {
    for (const [code, text] of Object.entries(PROBLEM_TEXT)) {
      const params: readonly string[] = text.params;
      // nextAt comes last, so the error sentence's $1… are the same as the notice sentence's.
      if (params.includes('nextAt')) expect(params.at(-1), code).toBe('nextAt');
      const sentences: Array<[MessageKey, readonly string[]]> = [[text.error, params.filter((p) => p !== 'nextAt')]];
      if ('notice' in text) sentences.push([text.notice, params]);
      for (const [key, expected] of sentences) {
        for (const lang of LOCALES) {
          const m = messages[lang][key]!;
          expect(placeholderOrder(m), `${lang}: ${key} (code ${code})`).toEqual(expected.map((p) => p.toLowerCase()));
          for (const name of expected) {
            expect(substitutionsOf(m).contents[name.toLowerCase()], `${lang}: ${key} $${name}$`).toBe(`$${params.indexOf(name) + 1}`);
          }
          expect(substitutionsOf(m).positional, `${lang}: ${key} uses a bare $n`).toEqual([]);
        }
      }
    }
  });

  it('has a notice sentence for every code that waits until a time', () => {
    for (const [code, text] of Object.entries(PROBLEM_TEXT)) {
      if ((text.params as readonly string[]).includes('nextAt')) expect('notice' in text, code).toBe(true);
    }
  });

  it('is Korean in the Korean file: Hangul, and no English words but names and identifiers', () => {
    const allowed = new Set(['ScanDock', 'VirusTotal', 'Firefox', 'API', 'key', 'HTTP', 'JSON', 'UTC', 'MB', 'data', 'http', 'https', 'blob', 'DeadlineExceededError', 'FailedDependencyError',
      // Chrome's own Korean label of the switch: “파일 URL에 대한 액세스 허용”.
      'URL']);
    const keys = new Set<string>(['errorUnknown', 'noticeUnknown', 'quotaWindowMinute', 'quotaWindowDay', 'quotaWindowMonth', 'quotaWindowRateLimited']);
    for (const text of Object.values(PROBLEM_TEXT)) {
      keys.add(text.error);
      if ('notice' in text) keys.add(text.notice);
    }
    for (const key of keys) {
      const ko = messages.ko[key]!.message;
      expect(ko, key).toMatch(/[\uAC00-\uD7A3]/);
      expect(ko, key).not.toBe(messages.en[key]!.message);
      const words = ko.replace(/\$[A-Za-z0-9_@]+\$/g, '').match(/[A-Za-z]{2,}/g) ?? [];
      expect(words.filter((w) => !allowed.has(w)), key).toEqual([]);
    }
  });
});

describe('t', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('asks the browser for the message with its substitutions', () => {
    const getMessage = vi.fn((name: string, subs?: string | string[]) => `${name}:${JSON.stringify(subs ?? null)}`);
    fakeBrowser.i18n.getMessage = getMessage as typeof fakeBrowser.i18n.getMessage;
    expect(t('quotaUsedOf', ['1', '4'])).toBe('quotaUsedOf:["1","4"]');
    expect(getMessage).toHaveBeenCalledWith('quotaUsedOf', ['1', '4']);
    expect(t('save')).toBe('save:null');
  });

  it('shows the key when the browser has no such message', () => {
    fakeBrowser.i18n.getMessage = (() => '') as typeof fakeBrowser.i18n.getMessage;
    expect(t('save')).toBe('save');
  });
});
