/**
 * Something between the browser and VirusTotal: a corporate proxy's or firewall's 403/407 page, or a captive
 * portal's redirect. None of them says anything about the key: the scan waits with a sentence that names
 * what happened and tries again; the key is never marked rejected and no other scan pauses. A redirected
 * API call is never followed (the key would go along), over the simulation and over real HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { saveApiKey } from '@/entrypoints/background/api-key';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { noticesOf, unique } from '@/tests/support/engine-test-kit';
import { inEnglish } from '@/tests/support/locale-messages';
import { EICAR_SHA256, eicarBytes, cleanSampleBytes } from '@/tests/emulator/fixtures';
import { DEMO_API_KEY, type Fault } from '@/tests/emulator/virustotal-emulator';
import { keyStatusItem } from '@/utils/settings/storage-items';
import { MAX_ATTEMPTS } from './scheduler/retry-policy';

let h: Harness;
afterEach(async () => h?.close());

const lookup = { method: 'GET', path: /\/files\/[0-9a-f]{64}$/ };

describe('a refusal from something on the way', () => {
  it.each<[string, Fault]>([
    ['a proxy’s HTML 403 page', { kind: 'html', status: 403, match: lookup }],
    ['a firewall’s plain-text 403', { kind: 'status', status: 403, body: 'Access denied by your organisation', match: lookup }],
    ['a proxy asking for its own sign-in (407)', { kind: 'html', status: 407, match: lookup }],
  ])('%s: the scan waits with "something between you and VirusTotal", retries and finishes; the key stays', async (_what, fault) => {
    h = await createHarness();
    const notices = noticesOf(h);
    h.emulator.injectFault({ ...fault, times: 2 });
    const token = await h.download('/eicar.com', eicarBytes());
    const record = await h.result(token);
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
    const status = fault.status!;
    expect(notices(token).filter((n) => n.startsWith(`Something between you and VirusTotal refused the request with HTTP ${status}:`)).length).toBeGreaterThan(0);
    expect(h.emulator.requests.map((r) => [r.status, r.fault])).toEqual([[status, fault.kind], [status, fault.kind], [200, undefined]]);
    expect(notices(token).some((n) => /rejected|API key\. Scans wait/.test(n))).toBe(false);
    expect(await keyStatusItem.getValue()).not.toBe('rejected');
  });

  it('never pauses the other scans, and a proxy that keeps refusing ends the scan with that sentence, not a key problem', async () => {
    h = await createHarness();
    h.emulator.injectFault({ kind: 'html', status: 403, match: { path: new RegExp(EICAR_SHA256) }, times: Infinity });
    const blocked = await h.download('/eicar.com', eicarBytes());
    const other = await h.download('/clean.txt', cleanSampleBytes());
    expect(await h.result(other)).toMatchObject({ status: 'done', verdict: 'clean', notice: null });
    const record = await h.result(blocked);
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-blocked', params: { status: 403 } } });
    expect(inEnglish('error', record.error)).toMatch(/^Something between you and VirusTotal refused the request with HTTP 403/);
    expect(h.emulator.requests.filter((r) => r.fault === 'html')).toHaveLength(MAX_ATTEMPTS);
    expect(await keyStatusItem.getValue()).not.toBe('rejected');
  });

  it('VirusTotal’s own ForbiddenError still refuses the key once a plain lookup confirms it: the scan pauses', async () => {
    h = await createHarness();
    // The scan's lookup, then the lookup that confirms the key itself is refused.
    h.emulator.injectFault({ kind: 'status', status: 403, code: 'ForbiddenError', match: lookup, times: 2 });
    const token = await h.download('/eicar.com', eicarBytes());
    // A paused scan is not running: the harness reads it once nothing runs.
    expect(await h.result(token)).toMatchObject({ status: 'ready', notice: { code: 'vt-forbidden' } });
    expect(await keyStatusItem.getValue()).toBe('rejected');
    expect(h.emulator.requests.map((r) => r.status)).toEqual([403, 403]);
  });
});

describe('a ForbiddenError for one operation (the key may look files up, not upload them)', () => {
  it('fails only that scan, with a sentence that says so, once a plain lookup shows the key works; the other scans go on', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    h.emulator.injectFault({ kind: 'status', status: 403, code: 'ForbiddenError', times: 1_000, match: { method: 'POST', path: /\/files$/ } });
    const upload = await h.download('/new.exe', unique('forbidden upload'));
    const known = await h.download('/eicar.com', eicarBytes());
    const record = await h.result(upload);
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-operation-forbidden' } });
    expect(inEnglish('error', record.error)).toMatch(/^VirusTotal refused this operation for your API key/);
    expect(await h.result(known)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await keyStatusItem.getValue()).not.toBe('rejected');
    // One confirming lookup of the EICAR test file, no more.
    expect(h.emulator.requests.filter((r) => r.path.endsWith(EICAR_SHA256))).toHaveLength(2);
  });
});

describe('saving a key behind a proxy', () => {
  it('a proxy’s 403 keeps the key unchecked and says who refused, never "rejected"', async () => {
    h = await createHarness({ apiKey: '' });
    h.emulator.injectFault({ kind: 'html', status: 403 });
    const result = await saveApiKey(DEMO_API_KEY, { ledger: h.ledger, slots: h.engine.slots, baseUrl: h.emulator.baseUrl, clock: h.clock, fetch: h.fetch });
    expect(result).toMatchObject({ ok: true, quotaNote: { code: 'key-check-blocked', params: { status: 403 } } });
    expect(inEnglish('error', result.ok ? result.quotaNote ?? null : null)).toMatch(/^Key saved, but not checked: something between you and VirusTotal .* refused the request with HTTP 403/);
    expect(await keyStatusItem.getValue()).toBe('unchecked');
  });

  it('VirusTotal’s own WrongCredentialsError still answers "rejected"', async () => {
    h = await createHarness({ apiKey: '' });
    const result = await saveApiKey('f'.repeat(64), { ledger: h.ledger, slots: h.engine.slots, baseUrl: h.emulator.baseUrl, clock: h.clock, fetch: h.fetch });
    expect(result).toMatchObject({ ok: false, problem: { code: 'key-rejected' } });
  });
});

describe('a redirected API call', () => {
  it.each(['sim', 'http'] as const)('over %s: not followed (the key goes nowhere else), a clear notice, then the scan goes on', async (transport) => {
    h = await createHarness({ transport });
    const notices = noticesOf(h);
    const portal = h.files.serve('/portal', { body: new TextEncoder().encode('<h1>Sign in to the Wi-Fi</h1>') });
    h.emulator.injectFault({ kind: 'redirect', location: portal, match: lookup });
    const token = await h.download('/eicar.com', eicarBytes());
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.files.hits('/portal')).toBe(0);
    expect(notices(token)[0]).toMatch(/^VirusTotal’s address answered with a redirect, which ScanDock does not follow \(your API key would go along\)/);
    expect(h.emulator.requests.map((r) => [r.status, r.fault])).toEqual([[302, 'redirect'], [200, undefined]]);
  });
});
