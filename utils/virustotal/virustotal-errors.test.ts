import { describe, expect, it } from 'vitest';
import { translateIn } from '@/tests/support/locale-messages';
import { renderProblem } from '../problems/render-problem';
import { failureFromResponse, KEY_REFUSED_CODES, unreadableResponse } from './virustotal-errors';

const body = (code: string, message = 'details') => ({ error: { code, message } });
const en = translateIn('en');

describe('failureFromResponse', () => {
  it.each([
    [401, 'WrongCredentialsError', 'vt-wrong-key', 'pause', {}, /rejected the API key/],
    [401, 'AuthenticationRequiredError', 'vt-wrong-key', 'pause', {}, /rejected the API key/],
    [401, 'UserNotActiveError', 'vt-account-inactive', 'pause', {}, /not active/],
    [403, 'ForbiddenError', 'vt-forbidden', 'pause', {}, /refused this request/],
    [404, 'NotFoundError', 'vt-not-found', 'final', {}, /does not know/],
    [409, 'AlreadyExistsError', 'vt-already-exists', 'final', {}, /already exists/],
    [424, 'FailedDependencyError', 'vt-failed-dependency', 'final', {}, /could not complete/],
    [503, 'TransientError', 'vt-transient', 'retry', { vtCode: 'TransientError' }, /temporarily unavailable \(TransientError\)/],
    [504, 'DeadlineExceededError', 'vt-deadline', 'retry', {}, /took too long/],
    [400, 'InvalidArgumentError', 'vt-bad-request', 'final', { vtCode: 'InvalidArgumentError' }, /invalid \(InvalidArgumentError\)/],
    [400, 'BadRequestError', 'vt-bad-request', 'final', { vtCode: 'BadRequestError' }, /invalid/],
    [400, 'NotAvailableYet', 'vt-transient', 'retry', { vtCode: 'NotAvailableYet' }, /\(NotAvailableYet\)/],
    [400, 'UnselectiveContentQueryError', 'vt-bad-request', 'final', { vtCode: 'UnselectiveContentQueryError' }, /invalid/],
    [400, 'UnsupportedContentQueryError', 'vt-bad-request', 'final', { vtCode: 'UnsupportedContentQueryError' }, /invalid/],
    [500, 'InternalError', 'vt-transient', 'retry', { vtCode: 'InternalError' }, /temporarily unavailable/],
    [418, 'Teapot', 'vt-unexpected-status', 'final', { vtCode: 'Teapot', detail: 'HTTP 418 Teapot: details' }, /answered with Teapot/],
  ])('HTTP %i %s → %s (%s)', (status, code, expected, kind, params, sentence) => {
    const failure = failureFromResponse(status, body(code));
    expect(failure.problem).toMatchObject({ code: expected, params });
    expect(failure.kind).toBe(kind);
    expect(failure.httpStatus).toBe(status);
    expect(renderProblem('error', failure.problem, en, 'en')).toMatch(sentence);
  });

  it('names the status when VirusTotal sends no error identifier', () => {
    expect(failureFromResponse(502, null).problem).toEqual({ code: 'vt-transient', params: { vtCode: 'HTTP 502' } });
    expect(failureFromResponse(400, { unexpected: true }).problem).toEqual({ code: 'vt-bad-request', params: { vtCode: 'HTTP 400' } });
  });

  it('keeps what VirusTotal said only as the detail, never in the sentence', () => {
    const failure = failureFromResponse(400, body('BadRequestError', 'the hash is malformed'));
    expect(failure.problem.params.detail).toBe('BadRequestError: the hash is malformed');
    expect(renderProblem('error', failure.problem, en, 'en')).toBe('VirusTotal refused the request as invalid (BadRequestError).');
  });

  it('never repeats the API key that a hostile answer echoes back', () => {
    const key = 'a'.repeat(64);
    const failure = failureFromResponse(400, body('BadRequestError', `bad key ${key} <script>`), [key]);
    expect(JSON.stringify(failure.problem)).not.toContain(key);
    expect(failure.message).not.toContain(key);
    expect(failure.problem.params.detail).toContain('[redacted]');
  });

  it('strips control and bidi characters and caps the length of what VirusTotal says', () => {
    const failure = failureFromResponse(400, body(`Bad\u202ERequest`, `x\u202Eexe.txt\u0000${'y'.repeat(1000)}`));
    expect(JSON.stringify(failure.problem)).not.toMatch(/[\u202E\u0000]/);
    expect(String(failure.problem.params.detail).length).toBeLessThanOrEqual(300);
    expect(String(failure.problem.params.vtCode).length).toBeLessThanOrEqual(120);
  });

  it('says a non-JSON body is unreadable, with its status, and retries it when it may pass', () => {
    expect(unreadableResponse(502).problem).toEqual({ code: 'vt-unreadable', params: { status: 502 } });
    expect(renderProblem('error', unreadableResponse(502).problem, en, 'en')).toMatch(/could not be read \(HTTP 502\)/);
    expect(unreadableResponse(502).kind).toBe('retry');
    expect(unreadableResponse(200).kind).toBe('retry');
    expect(unreadableResponse(400).kind).toBe('final');
  });
});

describe('only VirusTotal’s own errors judge the key', () => {
  it.each([
    [401, 'WrongCredentialsError', 'vt-wrong-key'],
    [401, 'AuthenticationRequiredError', 'vt-wrong-key'],
    [401, 'UserNotActiveError', 'vt-account-inactive'],
    [403, 'ForbiddenError', 'vt-forbidden'],
  ])('HTTP %i with VirusTotal’s %s refuses the key (%s): the queue pauses', (status, code, expected) => {
    const failure = failureFromResponse(status, body(code));
    expect(failure.problem.code).toBe(expected);
    expect(failure.kind).toBe('pause');
    expect(KEY_REFUSED_CODES).toContain(expected);
  });

  it.each<[number, unknown, string]>([
    [403, null, 'a proxy’s block page (not JSON)'],
    [401, null, 'a bare 401'],
    [407, null, 'a proxy asking for its own sign-in'],
    [403, { message: 'Access denied by policy' }, 'a firewall’s own JSON'],
    [401, { error: { code: 'SomeGatewayError', message: 'no' } }, 'a gateway’s error code that is not VirusTotal’s'],
  ])('HTTP %i (%j) from %s → vt-blocked, retried, naming the status, never a pause', (status, answer) => {
    const failure = failureFromResponse(status, answer);
    expect(failure.problem.code).toBe('vt-blocked');
    expect(failure.problem.params.status).toBe(status);
    expect(failure.kind).toBe('retry');
    expect(KEY_REFUSED_CODES).not.toContain(failure.problem.code);
    expect(renderProblem('error', failure.problem, en, 'en')).toMatch(
      new RegExp(`^Something between you and VirusTotal refused the request with HTTP ${status}: a proxy, a firewall or a network sign-in page, not VirusTotal\\. Your API key was not the reason\\.`),
    );
  });
});
