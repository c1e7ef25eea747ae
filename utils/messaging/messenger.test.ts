/**
 * A page's request and the background's answer, over the same runtime messaging the extension uses (the
 * fake browser's listener, with each message and reply cloned as the wire would): a handler's failure
 * reaches the page as a ProblemError with the problem the page renders.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { inEnglish } from '@/tests/support/locale-messages';
import { problem } from '../problems/problem';
import { ScanFailure } from '../scan/scan-failure';
import { onMessages, ProblemError, sendMessage, type MessageHandlers } from './messenger';
import type { MessageReply } from './protocol';

/** Every reply that went over the wire. */
let replies: unknown[] = [];

/** Delivers a page's message to the background's listener as Chrome would, from `senderUrl`. */
function wire(senderUrl = fakeBrowser.runtime.getURL('/popup.html'), senderId = fakeBrowser.runtime.id): void {
  fakeBrowser.runtime.sendMessage = (async (message: unknown) => {
    const answers = await fakeBrowser.runtime.onMessage.trigger(structuredClone(message), { id: senderId, url: senderUrl }, () => undefined);
    const reply: unknown = structuredClone(answers.find((answer) => answer !== undefined));
    replies.push(reply);
    return reply;
  }) as typeof fakeBrowser.runtime.sendMessage;
}

/** Handlers that all fail with `error`, but for getKeyState which answers. */
function failingWith(error: unknown): MessageHandlers {
  const fail = () => Promise.reject(error);
  return {
    scanStagedFiles: fail, scanUrl: fail, rescan: fail, upload: fail, removeScan: fail, clearHistory: fail,
    deleteDownloadedFile: fail, markAllSeen: fail, saveApiKey: fail, getQuotaUsage: fail,
    getKeyState: () => ({ hasKey: true, status: 'valid' }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<ProblemError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ProblemError);
  return error as ProblemError;
}

beforeEach(() => {
  fakeBrowser.reset();
  replies = [];
});

describe('a ProblemError thrown in a handler', () => {
  it('travels as { ok: false, problem } and rejects the page’s call with the same problem', async () => {
    onMessages(failingWith(new ProblemError(problem('scan-gone'))));
    wire();
    const error = await rejection(sendMessage('rescan', 'a'.repeat(64)));
    expect(replies).toEqual([{ ok: false, problem: { code: 'scan-gone', params: {} } } satisfies MessageReply<never>]);
    expect(error.problem).toEqual({ code: 'scan-gone', params: {} });
    expect(inEnglish('error', error.problem)).toBe('That scan is no longer in the history.');
  });

  it('keeps a ScanFailure’s problem and params (a full disk while starting a scan)', async () => {
    onMessages(failingWith(new ScanFailure(problem('source-http-status', { host: 'files.example', status: 403 }))));
    wire();
    const error = await rejection(sendMessage('scanUrl', 'https://files.example/a.exe'));
    expect(error.problem).toEqual({ code: 'source-http-status', params: { host: 'files.example', status: 403 } });
  });

  it('turns any other error into internal, with its words only as the detail', async () => {
    onMessages(failingWith(new TypeError('downloads.removeFile: file is gone')));
    wire();
    const error = await rejection(sendMessage('deleteDownloadedFile', 'a'.repeat(64)));
    expect(error.problem).toEqual({ code: 'internal', params: { detail: 'TypeError: downloads.removeFile: file is gone' } });
    expect(inEnglish('error', error.problem)).not.toMatch(/removeFile/);
  });

  it('answers with the value when the handler succeeds', async () => {
    onMessages(failingWith(new Error('unused')));
    wire();
    expect(await sendMessage('getKeyState')).toEqual({ hasKey: true, status: 'valid' });
  });
});

describe('what the page cannot get an answer from', () => {
  it('a message from another extension or a web page is refused with not-own-page', async () => {
    onMessages(failingWith(new Error('unused')));
    wire('https://evil.example/page.html');
    expect((await rejection(sendMessage('getKeyState'))).problem).toEqual({ code: 'not-own-page', params: {} });
  });

  it('no answer at all, or no listener, is no-answer', async () => {
    fakeBrowser.runtime.sendMessage = (async () => undefined) as typeof fakeBrowser.runtime.sendMessage;
    expect((await rejection(sendMessage('getKeyState'))).problem).toEqual({ code: 'no-answer', params: {} });
    fakeBrowser.runtime.sendMessage = (async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    }) as typeof fakeBrowser.runtime.sendMessage;
    const error = await rejection(sendMessage('getKeyState'));
    expect(error.problem.code).toBe('no-answer');
    expect(inEnglish('error', error.problem)).toBe('The ScanDock background did not answer.');
  });

  it('a reply whose problem this page cannot read is internal, not trusted as is', async () => {
    fakeBrowser.runtime.sendMessage = (async () => ({ ok: false, error: 'That scan is gone (an older background).' })) as typeof fakeBrowser.runtime.sendMessage;
    expect((await rejection(sendMessage('getKeyState'))).problem.code).toBe('internal');
  });
});
