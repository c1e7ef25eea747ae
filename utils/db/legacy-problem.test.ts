import { describe, expect, it } from 'vitest';
import { problem } from '../problems/problem';
import { legacyProblem, upgradeToProblems } from './legacy-problem';

describe('legacyProblem', () => {
  it('keeps the old code, and the old English words only as the detail', () => {
    expect(legacyProblem({ code: 'network', message: 'Could not reach VirusTotal.\u202E' })).toEqual({
      code: 'legacy',
      params: { code: 'network', detail: 'Could not reach VirusTotal.' },
    });
  });

  it('leaves null, and a value that already is a problem, as they are', () => {
    expect(legacyProblem(null)).toBeNull();
    expect(legacyProblem(undefined)).toBeNull();
    const current = problem('source-empty');
    expect(legacyProblem(current)).toBe(current);
  });

  it('makes something readable of a damaged value', () => {
    expect(legacyProblem({ message: 'no code' })).toEqual({ code: 'legacy', params: { code: '?', detail: 'no code' } });
    expect(legacyProblem('storage')).toEqual({ code: 'legacy', params: { code: 'storage' } });
    expect(legacyProblem(42)).toEqual({ code: 'legacy', params: { code: '?' } });
  });
});

describe('upgradeToProblems', () => {
  it('says when a record needs no change', () => {
    expect(upgradeToProblems({ error: null, notice: null })).toBeNull();
    expect(upgradeToProblems({ error: problem('internal'), notice: null })).toBeNull();
    expect(upgradeToProblems({ error: { code: 'internal', message: 'x' }, notice: null })).toEqual({
      error: { code: 'legacy', params: { code: 'internal', detail: 'x' } },
      notice: null,
    });
  });
});
