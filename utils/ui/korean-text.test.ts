/**
 * What a Korean reader sees is Korean: every problem code rendered as an error and as a notice, every Chrome
 * danger type, and the name of a file that has none, have no English word but names (ScanDock, VirusTotal, a
 * host, an identifier VirusTotal sent).
 */
import { describe, expect, it } from 'vitest';
import { translateIn } from '@/tests/support/locale-messages';
import { PROBLEM_TEXT, type Problem, type ProblemCode } from '../problems/problem';
import { renderProblem } from '../problems/render-problem';
import { fileNameFromUrl } from '../scan/read-source';
import { BROWSER_DANGER_LABEL, browserDangerLabel } from './labels';

const ko = translateIn('ko');

/** Names and identifiers, not English. */
const NAMES = new Set(['ScanDock', 'VirusTotal', 'Firefox', 'Chrome', 'API', 'HTTP', 'JSON', 'UTC', 'URL', 'KB', 'MB', 'GB', 'data', 'http', 'https', 'blob', 'key',
  'DeadlineExceededError', 'FailedDependencyError']);

/** A value for each param; the ones that are names a server or VirusTotal gave are taken out before the check. */
const SAMPLE: Record<string, string | number> = {
  host: 'files.example.com', scheme: 'blob:', vtCode: 'NotAvailableYet', code: 'vt-timeout', window: 'minute',
  status: 503, seconds: 30, minutes: 20, nextAt: Date.UTC(2026, 0, 5, 14, 3, 7), sizeBytes: 812 * 1024 * 1024, maxBytes: 650 * 1024 * 1024,
  gotBytes: 68, expectedBytes: 5000, sentAt: Date.UTC(2026, 0, 5, 13, 53, 7),
};
// A problem code in parentheses (legacy, key-check-failed) is an identifier to search for, like VirusTotal's own codes.
const GIVEN_NAMES = ['files.example.com', 'NotAvailableYet', 'blob:', 'vt-timeout'];

/** The English words left in `text` once names are set aside. */
function englishWords(text: string): string[] {
  let rest = text;
  for (const name of GIVEN_NAMES) rest = rest.split(name).join(' ');
  return (rest.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !NAMES.has(w));
}

function sampleOf(code: ProblemCode): Problem {
  const params = Object.fromEntries(PROBLEM_TEXT[code].params.map((name) => [name, SAMPLE[name]!]));
  return { code, params: { ...params, detail: 'Error: something broke in English' } };
}

describe('the Korean UI', () => {
  it.each(Object.keys(PROBLEM_TEXT) as ProblemCode[])('renders problem %s in Korean, as an error and as a notice', (code) => {
    for (const kind of ['error', 'notice'] as const) {
      const text = renderProblem(kind, sampleOf(code), ko, 'ko');
      expect(text, `${kind} ${code}`).toMatch(/[\uAC00-\uD7A3]/);
      expect(englishWords(text), `${kind} ${code}: ${text}`).toEqual([]);
    }
  });

  it.each(Object.keys(BROWSER_DANGER_LABEL))('names Chrome’s danger type %s in Korean', (danger) => {
    const text = ko(browserDangerLabel(danger));
    expect(text).toMatch(/[\uAC00-\uD7A3]/);
    expect(englishWords(text), text).toEqual([]);
  });

  it('names a danger type Chrome adds later in Korean too, not by its identifier', () => {
    const text = ko(browserDangerLabel('someFutureDangerType'));
    expect(text).toMatch(/[\uAC00-\uD7A3]/);
    expect(text).not.toContain('someFutureDangerType');
  });

  it('gives a file without a name no English name: the page shows the Korean label', () => {
    for (const url of ['data:application/octet-stream;base64,AAAA', 'not a url']) expect(fileNameFromUrl(url)).toBe('');
    expect(englishWords(ko('unnamedFile'))).toEqual([]);
  });
});
