/**
 * An API key pasted with spaces or line breaks (copied from a web page or a mail, wrapped): saving
 * cleans it (cleanApiKey), the check and every scan send exactly the 64 characters, and a key that is
 * stored with whitespace anyway (an older version, a sync) still works rather than failing as "network".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanApiKey, saveApiKey } from '@/entrypoints/background/api-key';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { link } from '@/tests/support/engine-test-kit';
import { eicarBytes } from '@/tests/emulator/fixtures';
import { DEMO_API_KEY } from '@/tests/emulator/virustotal-emulator';
import { inEnglish } from '@/tests/support/locale-messages';
import { apiKeyItem, keyStatusItem } from '@/utils/settings/storage-items';

let h: Harness;
afterEach(async () => h?.close());

const KEY = DEMO_API_KEY;

describe('cleanApiKey', () => {
  it.each([
    ['spaces around it', `   ${KEY}  `],
    ['a trailing newline', `${KEY}\n`],
    ['Windows line ends and tabs', `\t${KEY}\r\n`],
    ['wrapped in the middle', `${KEY.slice(0, 32)}\n${KEY.slice(32)}`],
    ['spaces inside', `${KEY.slice(0, 16)} ${KEY.slice(16, 48)}  ${KEY.slice(48)}`],
    ['non-breaking and other Unicode spaces', `\u00a0${KEY}\u2003\u3000`],
  ])('%s → the bare key', (_what, pasted) => {
    expect(cleanApiKey(pasted)).toBe(KEY);
  });
});

describe('saving a pasted key', () => {
  const deps = (h: Harness) => ({ ledger: h.ledger, slots: h.engine.slots, baseUrl: h.emulator.baseUrl, clock: h.clock, fetch: h.fetch });

  it.each([
    ['with spaces and a newline around it', ` ${KEY} \n`],
    ['wrapped over two lines', `${KEY.slice(0, 40)}\r\n${KEY.slice(40)}`],
  ])('%s: checked with the clean key, stored clean, marked valid', async (_what, pasted) => {
    h = await createHarness({ apiKey: '' });
    expect(await saveApiKey(pasted, deps(h))).toEqual({ ok: true });
    expect(await apiKeyItem.getValue()).toBe(KEY);
    expect(await keyStatusItem.getValue()).toBe('valid');
    expect(h.emulator.requests.map((r) => [r.apiKey, r.status])).toEqual([[KEY, 200]]);
  });

  it.each([
    ['a key in another alphabet', 'ключ'.repeat(16)],
    ['far too short', 'abc 123'],
    ['a pasted sentence', 'My VirusTotal key is in the email from last Tuesday, look there'],
    ['63 hex characters', 'a'.repeat(63)],
  ])('%s: refused with a clear message, nothing sent, the old key kept', async (_what, pasted) => {
    h = await createHarness();
    const result = await saveApiKey(pasted, deps(h));
    expect(result).toEqual({ ok: false, problem: { code: 'key-malformed', params: {} } });
    expect(inEnglish('error', result.ok ? null : result.problem)).toMatch(/^That does not look like a VirusTotal API key/);
    expect(h.emulator.requests).toHaveLength(0);
    expect(await apiKeyItem.getValue()).toBe(KEY);
  });

  it('a key VirusTotal rejects is not saved', async () => {
    h = await createHarness();
    const result = await saveApiKey(` ${'f'.repeat(64)}\n`, deps(h));
    expect(result).toEqual({ ok: false, problem: { code: 'key-rejected', params: { detail: 'vt-wrong-key' } } });
    expect(inEnglish('error', result.ok ? null : result.problem)).toMatch(/^VirusTotal rejected this API key\..*The key was not saved\.$/);
    expect(await apiKeyItem.getValue()).toBe(KEY);
    expect(h.emulator.requests.map((r) => r.apiKey)).toEqual(['f'.repeat(64)]);
  });
});

describe('a key stored with whitespace anyway', () => {
  it.each([
    ['around it', `  ${KEY}\n`],
    ['inside it', `${KEY.slice(0, 32)}\n${KEY.slice(32)}`],
  ])('%s: scans send the clean key and finish', async (_what, stored) => {
    h = await createHarness({ apiKey: stored });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.emulator.requests.map((r) => r.apiKey)).toEqual([KEY]);
  });
});
