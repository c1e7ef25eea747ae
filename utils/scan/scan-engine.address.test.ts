/**
 * "Check this address on VirusTotal", against the emulator's URL objects and URL analyses: the verdict is
 * the URL scanners' on the address (`verdictFor: 'address'`), from `GET /urls/{id}`; ScanDock fetches
 * nothing from the address; an address VirusTotal does not know is submitted only with the opt-in (or
 * when the person asks), without its query string unless that is allowed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { eicarBytes } from '@/tests/emulator/fixtures';
import { KNOWN_CLEAN_URL, KNOWN_MALICIOUS_URL } from '@/tests/emulator/virustotal-emulator';
import { URL_SCANNER_COUNT } from '@/tests/emulator/url-scanners';
import { urlIdentifier } from '@/utils/virustotal/virustotal-client';
import type { NewScan } from './scan-engine';

let h: Harness;
afterEach(async () => h?.close());

const check = (url: string): NewScan => ({ source: { kind: 'address', url }, fileName: new URL(url).host });
/** The emulator's id of an address: the SHA-256 of its canonical form. */
const urlIdOf = (url: string) => [...h.emulator.urls.values()].find((u) => u.url === new URL(url).href)?.id;

describe('checking an address', () => {
  it('a known malicious address: the URL scanners’ verdict, their table and the URL report, from one request', async () => {
    h = await createHarness();
    const record = await h.result(await h.engine.scan(check(KNOWN_MALICIOUS_URL)));
    expect(record).toMatchObject({
      status: 'done', verdict: 'malicious', verdictFor: 'address', detected: true, sha256: null, error: null,
      reportUrl: `https://www.virustotal.com/gui/url/${urlIdOf(KNOWN_MALICIOUS_URL)}/detection`,
    });
    expect(record.stats).toMatchObject({ malicious: 4, harmless: expect.any(Number), undetected: expect.any(Number) });
    expect(record.detail).toHaveLength(URL_SCANNER_COUNT);
    expect(record.detail[0]).toMatchObject({ category: 'malicious' });
    expect(h.emulator.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /api/v3/urls/${urlIdentifier(KNOWN_MALICIOUS_URL)}`]);
  });

  it('a known clean address: clean, on the address', async () => {
    h = await createHarness();
    const record = await h.result(await h.engine.scan(check(KNOWN_CLEAN_URL)));
    expect(record).toMatchObject({ status: 'done', verdict: 'clean', verdictFor: 'address', detected: false, seen: true });
    expect(record.stats).toMatchObject({ malicious: 0, suspicious: 0 });
    expect(h.count('all')).toBe(1);
  });

  it('fetches nothing from the address itself', async () => {
    h = await createHarness();
    const url = h.files.serve('/listed.exe', { body: eicarBytes() });
    h.emulator.addUrl(url, 'malicious');
    expect(await h.result(await h.engine.scan(check(url)))).toMatchObject({ verdict: 'malicious', verdictFor: 'address' });
    expect(h.files.hits('/listed.exe')).toBe(0);
  });

  it('an unknown address without the opt-in: "unknown" after one lookup, nothing submitted', async () => {
    h = await createHarness();
    const record = await h.result(await h.engine.scan(check('https://never-seen.scandock.test/a?token=secret')));
    expect(record).toMatchObject({ status: 'done', verdict: 'unknown', verdictFor: 'address', stats: null, reportUrl: null });
    expect(h.emulator.urlSubmissions).toEqual([]);
    // Asked about without its query string: VirusTotal keeps every address it is asked about.
    expect(h.emulator.requests.map((r) => r.path)).toEqual([`/api/v3/urls/${urlIdentifier('https://never-seen.scandock.test/a')}`]);
  });

  it('an unknown address with the opt-in: submitted without its query string, analysed, the scanners’ verdict', async () => {
    h = await createHarness({ settings: { urlFallback: true }, emulator: { analysisPolls: 1 } });
    const served = h.files.serve('/fresh.exe', { body: eicarBytes() });
    const record = await h.result(await h.engine.scan(check(`${served}?session=abc#frag`)));
    expect(h.emulator.urlSubmissions).toEqual([served]);
    // The emulator's scanners flag an address whose content is malware.
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', verdictFor: 'address', reportUrl: `https://www.virustotal.com/gui/url/${urlIdOf(served)}/detection` });
    expect(record.detail).toHaveLength(URL_SCANNER_COUNT);
    expect(h.emulator.requests.map((r) => `${r.method} ${r.path.replace(/\/analyses\/.*/, '/analyses/…')}`)).toEqual([
      `GET /api/v3/urls/${urlIdentifier(served)}`, 'POST /api/v3/urls', 'GET /api/v3/analyses/…', 'GET /api/v3/analyses/…',
    ]);
  });

  it('keeps the query string only when the person allowed it', async () => {
    h = await createHarness({ settings: { urlFallback: true, keepUrlQuery: true }, emulator: { analysisPolls: 0 } });
    const url = `${h.files.serve('/page', { body: new TextEncoder().encode('<p>hello</p>') })}?id=7`;
    const record = await h.result(await h.engine.scan(check(url)));
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(h.emulator.requests[0]!.path).toBe(`/api/v3/urls/${urlIdentifier(url)}`);
    expect(record).toMatchObject({ verdict: 'clean', verdictFor: 'address' });
  });

  it('"Submit to VirusTotal" on an unknown address submits it once, without the opt-in', async () => {
    h = await createHarness({ emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/asked.html', { body: new TextEncoder().encode('<p>hi</p>') });
    const token = await h.engine.scan(check(url));
    expect(await h.result(token)).toMatchObject({ verdict: 'unknown', verdictFor: 'address' });
    await h.engine.upload(token);
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean', verdictFor: 'address' });
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(h.emulator.uploads).toEqual([]);
  });

  it('a rescan asks VirusTotal again (the address may have been listed since)', async () => {
    h = await createHarness();
    const url = 'https://later-listed.scandock.test/x';
    const token = await h.engine.scan(check(url));
    expect(await h.result(token)).toMatchObject({ verdict: 'unknown' });
    h.emulator.addUrl(url, 'malicious');
    await h.engine.rescan(token);
    expect(await h.result(token)).toMatchObject({ verdict: 'malicious', verdictFor: 'address' });
    expect(h.count('url')).toBe(2);
  });

  it('two checks of one address at once share one request', async () => {
    h = await createHarness();
    const [a, b] = await Promise.all([h.engine.scan(check(KNOWN_MALICIOUS_URL)), h.engine.scan(check(KNOWN_MALICIOUS_URL))]);
    expect(await h.result(a)).toMatchObject({ verdict: 'malicious' });
    expect(await h.result(b)).toMatchObject({ verdict: 'malicious' });
    expect(h.count('all')).toBe(1);
  });

  it('a non-web address is refused without a request', async () => {
    h = await createHarness();
    const record = await h.result(await h.engine.scan(check('mailto:someone@example.com')));
    expect(record).toMatchObject({ status: 'error', error: { code: 'source-unsupported', params: { scheme: 'mailto:' } } });
    expect(h.emulator.requests).toEqual([]);
  });
});
