import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MessageKey } from '../i18n';
import { ERROR_TEXT, NOTICE_TEXT, scanMessage } from './scan-message';

const LOCALES = ['en', 'ko'] as const;
type Locale = (typeof LOCALES)[number];

function readText(relative: string): string {
  return readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
}

const messages = Object.fromEntries(
  LOCALES.map((lang) => [lang, JSON.parse(readText(`../../public/_locales/${lang}/messages.json`)) as Record<string, { message: string }>]),
) as Record<Locale, Record<string, { message: string }>>;

/** `t` as the browser answers it when the messages come from `lang`. */
const translateIn = (lang: Locale) => (key: MessageKey) => messages[lang][key]?.message ?? key;

/**
 * The members of the `ScanErrorCode` union, read from its source. `satisfies Record<ScanErrorCode, MessageKey>`
 * already makes a code without a sentence a type error; this makes it a failing test too (Vitest does not type-check).
 */
function scanErrorCodes(): string[] {
  const source = readText('../scan/scan-record.ts');
  const union = /export type ScanErrorCode =([^;]+);/.exec(source)?.[1];
  if (!union) throw new Error('ScanErrorCode not found in scan-record.ts');
  return [...union.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

describe('a translated sentence for every error code', () => {
  it('covers every ScanErrorCode member, and nothing else', () => {
    const codes = scanErrorCodes();
    expect(codes.length).toBeGreaterThan(20);
    expect(Object.keys(ERROR_TEXT).sort()).toEqual([...codes].sort());
    for (const code of Object.keys(NOTICE_TEXT)) expect(codes).toContain(code);
  });

  it('has each sentence in English and in Korean, and translated', () => {
    for (const key of [...Object.values(ERROR_TEXT), ...Object.values(NOTICE_TEXT)]) {
      for (const lang of LOCALES) {
        const text = messages[lang][key]?.message;
        expect(text, `${lang}: ${key}`).toBeTruthy();
      }
      expect(messages.ko[key]!.message, key).not.toBe(messages.en[key]!.message);
      expect(messages.ko[key]!.message, key).toMatch(/[\uAC00-\uD7A3]/);
    }
  });

  it('names the language of each locale file, so the popup can tell English from a translation', () => {
    for (const lang of LOCALES) expect(messages[lang].messagesLanguage?.message).toBe(lang);
  });
});

describe('scanMessage', () => {
  const quota = { code: 'vt-quota', message: 'Waiting for VirusTotal’s per-minute quota: next request at 10:42:07.' } as const;
  const http = { code: 'source-http-status', message: 'files.example answered HTTP 403 when ScanDock fetched the file again: forbidden.' } as const;

  it('in English shows the record’s own message exactly, with no second line', () => {
    expect(scanMessage('notice', quota, translateIn('en'))).toEqual({ text: quota.message, detail: null });
    expect(scanMessage('error', http, translateIn('en'))).toEqual({ text: http.message, detail: null });
  });

  it('in Korean shows the sentence for the code, and the English message (host, status, time) as the detail', () => {
    expect(scanMessage('notice', quota, translateIn('ko'))).toEqual({ text: messages.ko.notice_vt_quota!.message, detail: quota.message });
    expect(scanMessage('error', http, translateIn('ko'))).toEqual({
      text: messages.ko.error_source_http_status!.message,
      detail: http.message,
    });
  });

  it('says a waiting scan goes on, and an ended one stopped, for the same code', () => {
    const network = { code: 'network', message: 'Could not reach VirusTotal.' } as const;
    expect(scanMessage('notice', network, translateIn('ko')).text).toBe(messages.ko.notice_network!.message);
    expect(scanMessage('error', network, translateIn('ko')).text).toBe(messages.ko.error_network!.message);
  });

  it('uses the error sentence for a notice code that has no notice sentence of its own', () => {
    const info = { code: 'storage', message: 'The browser refused to store more data.' } as const;
    expect(scanMessage('notice', info, translateIn('ko')).text).toBe(messages.ko.error_storage!.message);
  });

  it('falls back to the generic sentence for a missing error or a code this version does not know (old stored data)', () => {
    expect(scanMessage('error', null, translateIn('en'))).toEqual({ text: messages.en.errorUnknown!.message, detail: null });
    expect(scanMessage('error', null, translateIn('ko'))).toEqual({ text: messages.ko.errorUnknown!.message, detail: null });
    const stale = { code: 'gone-code', message: 'Something from an older version.' } as unknown as typeof http;
    expect(scanMessage('error', stale, translateIn('ko'))).toEqual({ text: messages.ko.errorUnknown!.message, detail: stale.message });
    // A prototype name is not a code.
    const proto = { code: 'constructor', message: 'x' } as unknown as typeof http;
    expect(scanMessage('error', proto, translateIn('ko')).text).toBe(messages.ko.errorUnknown!.message);
  });

  it('treats a browser language without messages of its own (English fallback) as English', () => {
    const fallback = (key: MessageKey) => (key === 'messagesLanguage' ? 'en' : translateIn('en')(key));
    expect(scanMessage('error', http, fallback)).toEqual({ text: http.message, detail: null });
  });
});
