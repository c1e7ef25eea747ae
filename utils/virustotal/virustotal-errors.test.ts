import { describe, expect, it } from 'vitest';
import { failureFromResponse, unreadableResponse } from './virustotal-errors';

const body = (code: string, message = 'details') => ({ error: { code, message } });

describe('failureFromResponse', () => {
  it.each([
    [401, 'WrongCredentialsError', 'vt-wrong-key', 'pause', /rejected the API key/],
    [401, 'AuthenticationRequiredError', 'vt-wrong-key', 'pause', /rejected the API key/],
    [401, 'UserNotActiveError', 'vt-wrong-key', 'pause', /not active/],
    [403, 'ForbiddenError', 'vt-forbidden', 'pause', /refused this request/],
    [404, 'NotFoundError', 'vt-not-found', 'final', /does not know/],
    [409, 'AlreadyExistsError', 'vt-already-exists', 'final', /already exists/],
    [424, 'FailedDependencyError', 'vt-failed-dependency', 'final', /could not complete/],
    [503, 'TransientError', 'vt-transient', 'retry', /temporarily unavailable/],
    [504, 'DeadlineExceededError', 'vt-deadline', 'retry', /took too long/],
    [400, 'InvalidArgumentError', 'vt-bad-request', 'final', /invalid/],
    [400, 'BadRequestError', 'vt-bad-request', 'final', /invalid/],
    [400, 'NotAvailableYet', 'vt-transient', 'retry', /not finished preparing/],
    [400, 'UnselectiveContentQueryError', 'vt-bad-request', 'final', /invalid/],
    [400, 'UnsupportedContentQueryError', 'vt-bad-request', 'final', /invalid/],
    [500, 'InternalError', 'vt-transient', 'retry', /server error/],
    [418, 'Teapot', 'vt-unexpected', 'final', /HTTP 418/],
  ])('HTTP %i %s → %s (%s)', (status, code, expected, kind, message) => {
    const failure = failureFromResponse(status, body(code));
    expect(failure.code).toBe(expected);
    expect(failure.kind).toBe(kind);
    expect(failure.message).toMatch(message);
  });

  it('never repeats the API key that a hostile answer echoes back', () => {
    const key = 'a'.repeat(64);
    const failure = failureFromResponse(400, body('BadRequestError', `bad key ${key} <script>`), [key]);
    expect(failure.message).not.toContain(key);
    expect(failure.message).toContain('[redacted]');
  });

  it('strips control and bidi characters and caps the length of what VirusTotal says', () => {
    const failure = failureFromResponse(400, body('BadRequestError', `x\u202Eexe.txt\u0000${'y'.repeat(1000)}`));
    expect(failure.message).not.toMatch(/[\u202E\u0000]/);
    expect(failure.message.length).toBeLessThanOrEqual(300);
  });

  it('says a non-JSON body is unreadable, and retries it when it may pass', () => {
    expect(unreadableResponse(502).message).toMatch(/unreadable response/);
    expect(unreadableResponse(502).kind).toBe('retry');
    expect(unreadableResponse(200).kind).toBe('retry');
    expect(unreadableResponse(400).kind).toBe('final');
  });
});
