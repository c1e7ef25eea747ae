import { describe, expect, it } from 'vitest';
import { readLocale } from '@/tests/support/locale-messages';
import { PROBLEM_TEXT, problem, type ProblemCode } from '../problems/problem';
import { remediesFor } from './remedies';

const en = readLocale('en');
const codes = Object.keys(PROBLEM_TEXT) as ProblemCode[];

describe('the remedies on an error row', () => {
  it('offer “Scan files…” exactly where the sentence tells the person to use it', () => {
    for (const code of codes) {
      const says = en[PROBLEM_TEXT[code].error]!.message.includes('“Scan files…”');
      expect(remediesFor({ code, params: {} }).includes('scan-files'), code).toBe(says);
    }
  });

  it('offer file access only where reading the saved file would have given a verdict', () => {
    expect(codes.filter((code) => remediesFor({ code, params: {} }).includes('file-access'))).toEqual(['download-needs-file-access']);
    expect(en[PROBLEM_TEXT['download-needs-file-access'].error]!.message).toMatch(/“Allow access to file URLs”/);
  });

  it('offer nothing without an error', () => {
    expect(remediesFor(null)).toEqual([]);
    expect(remediesFor(problem('vt-not-found'))).toEqual([]);
  });
});
