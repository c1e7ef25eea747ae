import { describe, expect, it } from 'vitest';
import { LOCALES, readLocale, translateIn } from '@/tests/support/locale-messages';
import { problem, PROBLEM_TEXT, withNextAt, type Problem, type ProblemCode } from './problem';
import { clockTime, renderProblem } from './render-problem';

const en = translateIn('en');
const ko = translateIn('ko');
const messages = { en: readLocale('en'), ko: readLocale('ko') };

/** 14:03:07 on the machine's own clock, whatever its time zone. */
const AT = new Date(2026, 0, 5, 14, 3, 7).getTime();

/** A value for each param name, to render every code. */
const SAMPLE: Record<string, string | number> = {
  host: 'files.example.com', scheme: 'blob:', vtCode: 'NotAvailableYet', code: 'vt-timeout', window: 'minute',
  status: 503, seconds: 30, minutes: 20, nextAt: AT, sizeBytes: 812 * 1024 * 1024, maxBytes: 650 * 1024 * 1024,
  gotBytes: 68, expectedBytes: 5000, sentAt: AT - 600_000,
};

function sampleOf(code: ProblemCode): Problem {
  const params = Object.fromEntries(PROBLEM_TEXT[code].params.map((name) => [name, SAMPLE[name]!]));
  // An English detail, as an exception would leave it: it must never reach the sentence.
  return { code, params: { ...params, detail: 'Error: something broke in English' } };
}

const codes = Object.keys(PROBLEM_TEXT) as ProblemCode[];

describe('renderProblem', () => {
  it('fills the params into the sentence, in English and in Korean', () => {
    const http = problem('source-http-status', { host: 'files.example', status: 403 });
    expect(renderProblem('error', http, en, 'en')).toBe(
      'files.example answered HTTP 403 when ScanDock fetched the file again: it may need a login, the link may have expired or the file is gone. Scan the saved file with “Scan files…”.',
    );
    const inKorean = renderProblem('error', http, ko, 'ko');
    expect(inKorean).toContain('files.example');
    expect(inKorean).toContain('HTTP 403');
    expect(inKorean).toMatch(/[\uAC00-\uD7A3]/);
    expect(inKorean).not.toMatch(/\$/);
  });

  it('shows a time as the local clock time HH:MM:SS, in the page’s locale', () => {
    const notice = withNextAt(problem('vt-timeout'), AT);
    expect(renderProblem('notice', notice, en, 'en')).toBe('VirusTotal did not answer in time. ScanDock tries again at 14:03:07.');
    expect(renderProblem('notice', notice, ko, 'ko')).toBe('VirusTotal이 제때 응답하지 않았습니다. ScanDock이 14:03:07에 다시 시도합니다.');
    expect(clockTime(new Date(2026, 0, 5, 4, 3, 7).getTime(), 'ko')).toBe('04:03:07');
    expect(clockTime(new Date(2026, 0, 5, 23, 59, 0).getTime(), 'en-US')).toBe('23:59:00');
  });

  it('shows the quota window in the reader’s words, and when the next request goes', () => {
    const wait = problem('vt-quota', { window: 'day', nextAt: AT });
    expect(renderProblem('notice', wait, en, 'en')).toBe('Waiting for VirusTotal’s daily quota, reset at 00:00 UTC: next request at 14:03:07.');
    expect(renderProblem('notice', wait, ko, 'ko')).toBe('VirusTotal 한도를 기다리는 중입니다(일일 한도, UTC 00:00에 초기화). 다음 요청은 14:03:07에 보냅니다.');
    expect(renderProblem('notice', problem('vt-quota', { window: 'minute', nextAt: AT }), en, 'en')).toMatch(/per-minute quota/);
  });

  it('shows sizes like the popup does, and counts as plain numbers', () => {
    const big = problem('source-too-large', { sizeBytes: 812 * 1024 * 1024, maxBytes: 650 * 1024 * 1024 });
    expect(renderProblem('error', big, en, 'en')).toMatch(/^The file is 812 MB, above the largest size ScanDock scans \(650 MB,/);
    expect(renderProblem('error', problem('source-size-mismatch', { gotBytes: 68, expectedBytes: 5000 }), ko, 'ko')).toMatch(/68 B.*4\.9 KB/);
    expect(renderProblem('error', problem('analysis-timeout', { minutes: 20 }), ko, 'ko')).toContain('20분');
  });

  it('says a waiting scan goes on, and an ended one stopped, for the same code', () => {
    const network = problem('network');
    expect(renderProblem('notice', withNextAt(network, AT), en, 'en')).toMatch(/tries again at 14:03:07/);
    expect(renderProblem('error', withNextAt(network, AT), en, 'en')).toBe('Could not reach VirusTotal (network error or offline). Check the connection, then use “Rescan”.');
  });

  it('uses the error sentence for a code that has no notice sentence of its own', () => {
    expect(renderProblem('notice', problem('storage'), ko, 'ko')).toBe(messages.ko.error_storage!.message);
  });

  it('falls back to a generic sentence for a missing, old or damaged value', () => {
    expect(renderProblem('error', null, en, 'en')).toBe('The scan failed.');
    expect(renderProblem('error', null, ko, 'ko')).toBe(messages.ko.errorUnknown!.message);
    const old = { code: 'vt-quota', message: 'Waiting for VirusTotal’s per-minute quota.' } as unknown as Problem;
    expect(renderProblem('error', old, ko, 'ko')).toBe(messages.ko.errorUnknown!.message);
    expect(renderProblem('error', { code: 'constructor', params: {} } as unknown as Problem, en, 'en')).toBe('The scan failed.');
    // A waiting row must not say the scan failed.
    expect(renderProblem('notice', old, en, 'en')).toBe('This scan is waiting.');
    expect(renderProblem('notice', problem('vt-timeout'), en, 'en')).toBe('This scan is waiting.');
  });

  it('never shows the detail, and leaves no placeholder unfilled, for any code in either language', () => {
    for (const lang of LOCALES) {
      const translate = translateIn(lang);
      for (const code of codes) {
        for (const kind of ['error', 'notice'] as const) {
          const text = renderProblem(kind, sampleOf(code), translate, lang);
          expect(text, `${lang} ${kind} ${code}`).not.toContain('something broke');
          expect(text, `${lang} ${kind} ${code}`).not.toMatch(/\$/);
          expect(text.length, `${lang} ${kind} ${code}`).toBeGreaterThan(10);
        }
      }
    }
  });

  it('shows no English in Korean: nothing but names and identifiers once the params are taken out', () => {
    const allowed = new Set(['ScanDock', 'VirusTotal', 'Firefox', 'API', 'key', 'HTTP', 'JSON', 'UTC', 'MB', 'KB', 'data', 'http', 'https', 'blob', 'DeadlineExceededError', 'FailedDependencyError',
      // Chrome's own Korean label of the switch: “파일 URL에 대한 액세스 허용”.
      'URL']);
    for (const code of codes) {
      for (const kind of ['error', 'notice'] as const) {
        const sample = sampleOf(code);
        let text = renderProblem(kind, sample, ko, 'ko');
        for (const value of Object.values(sample.params)) text = text.split(String(value)).join('');
        expect((text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !allowed.has(w)), `${kind} ${code}: ${text}`).toEqual([]);
      }
    }
  });
});

describe('final error sentences never promise a retry', () => {
  it.each(codes)('%s', (code) => {
    const text = renderProblem('error', sampleOf(code), en, 'en');
    expect(text).not.toMatch(/retr|tries again|try again later|goes on|will be tried/i);
  });

  it('while the notice sentences of the codes the engine retries do say when it goes on', () => {
    for (const code of codes) {
      const text = PROBLEM_TEXT[code];
      if (!(text.params as readonly string[]).includes('nextAt')) continue;
      expect(renderProblem('notice', sampleOf(code), en, 'en'), code).toContain('14:03:07');
    }
  });
});
