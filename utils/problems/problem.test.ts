import { describe, expect, it } from 'vitest';
import { ProblemError, toProblem } from './problem-error';
import { isProblem, problem, problemLogLine, PROBLEM_TEXT, withNextAt } from './problem';

const KEY = `SENTINEL${'0123456789abcdef'.repeat(4).slice(0, 56)}`;

describe('problem()', () => {
  it('keeps the code and its params as plain data', () => {
    expect(problem('source-empty')).toEqual({ code: 'source-empty', params: {} });
    expect(problem('source-http-status', { host: 'files.example', status: 403 })).toEqual({
      code: 'source-http-status',
      params: { host: 'files.example', status: 403 },
    });
    // Plain data: what IndexedDB and runtime messages copy is the same value.
    const made = problem('vt-quota', { window: 'day', nextAt: 1_700_000_000_000 });
    expect(structuredClone(made)).toEqual(made);
  });

  it('drops control and bidi characters from text params, collapses whitespace and caps them', () => {
    const made = problem('source-unreachable', { host: ' evil\u202E.example\n\u0000x  y ' });
    expect(made.params.host).toBe('evil .example x y');
    expect(String(problem('source-unreachable', { host: 'h'.repeat(1000) }).params.host).length).toBeLessThanOrEqual(120);
    expect(String(problem('internal', { detail: 'd'.repeat(1000) }).params.detail).length).toBeLessThanOrEqual(300);
  });

  it('redacts the secrets the caller passes, whole or in pieces', () => {
    const made = problem('vt-bad-request', { vtCode: 'BadRequestError', detail: `Bad request for key ${KEY.slice(0, 30)}` }, [KEY]);
    expect(made.params.detail).toContain('[redacted]');
    expect(JSON.stringify(made)).not.toContain(KEY.slice(8, 20));
  });

  it('leaves out a param given as undefined', () => {
    expect(problem('internal', { detail: undefined })).toEqual({ code: 'internal', params: {} });
  });
});

describe('withNextAt()', () => {
  it('adds the time a waiting scan goes on, only to codes whose notice shows one', () => {
    expect(withNextAt(problem('vt-timeout'), 5)).toEqual({ code: 'vt-timeout', params: { nextAt: 5 } });
    expect(withNextAt(problem('vt-transient', { vtCode: 'TransientError' }), 5).params).toEqual({ vtCode: 'TransientError', nextAt: 5 });
    expect(withNextAt(problem('vt-wrong-key'), 5)).toEqual({ code: 'vt-wrong-key', params: {} });
  });
});

describe('isProblem()', () => {
  it('accepts what problem() makes, for every code', () => {
    const sample: Record<string, string | number> = {
      host: 'h', scheme: 'blob:', vtCode: 'X', code: 'network', window: 'minute', status: 500, seconds: 30, minutes: 20,
      nextAt: 1, sentAt: 6, sizeBytes: 2, maxBytes: 3, gotBytes: 4, expectedBytes: 5,
    };
    for (const [code, text] of Object.entries(PROBLEM_TEXT)) {
      const params = Object.fromEntries(text.params.map((name) => [name, sample[name]!]));
      expect(isProblem({ code, params }), code).toBe(true);
      // Without nextAt too: the problem of an ended scan has none.
      const { nextAt: _nextAt, ...ended } = params;
      expect(isProblem({ code, params: ended }), code).toBe(true);
    }
  });

  it.each([
    ['nothing', null],
    ['a string', 'vt-quota'],
    ['an array', []],
    ['a record of version 2', { code: 'vt-quota', message: 'Waiting for VirusTotal’s per-minute quota.' }],
    ['an unknown code', { code: 'gone-code', params: {} }],
    ['a prototype name as the code', { code: 'constructor', params: {} }],
    ['params that are not an object', { code: 'source-empty', params: 'x' }],
    ['a missing param', { code: 'source-http-status', params: { host: 'h' } }],
    ['a time as text', { code: 'vt-timeout', params: { nextAt: '14:03' } }],
    ['a size that is not a number', { code: 'source-too-large', params: { sizeBytes: NaN, maxBytes: 1 } }],
    ['a status as text', { code: 'url-http-status', params: { status: '404' } }],
    ['a quota window this version does not know', { code: 'vt-quota', params: { window: 'fortnight' } }],
    ['an object as a param', { code: 'internal', params: { detail: { nested: true } } }],
  ])('refuses %s', (_what, value) => {
    expect(isProblem(value)).toBe(false);
  });
});

describe('toProblem()', () => {
  it('gives a ProblemError’s own problem, with secrets redacted again', () => {
    const error = new ProblemError(problem('internal', { detail: `echo ${KEY}` }));
    expect(toProblem(error)).toEqual(error.problem);
    expect(toProblem(error, [KEY]).params.detail).toBe('echo [redacted]');
  });

  it('says a full disk is storage, and anything else is internal with the exception only as the detail', () => {
    expect(toProblem(new DOMException('full', 'QuotaExceededError'))).toEqual({ code: 'storage', params: {} });
    expect(toProblem(new TypeError(`cannot read ${KEY}`), [KEY])).toEqual({ code: 'internal', params: { detail: 'TypeError: cannot read [redacted]' } });
    expect(toProblem('thrown text')).toEqual({ code: 'internal', params: { detail: 'thrown text' } });
  });

  it("makes an Error's message a log line, not a sentence", () => {
    const made = problem('source-http-status', { host: 'files.example', status: 404 });
    expect(new ProblemError(made).message).toBe('source-http-status {"host":"files.example","status":404}');
    expect(problemLogLine(made)).toBe(new ProblemError(made).message);
  });
});
