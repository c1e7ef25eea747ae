/**
 * No address ScanDock gives VirusTotal carries a user name or password (`https://user:pw@host/…`), whatever
 * the settings: VirusTotal shows its URL reports to every user. Every path that sends one is covered: an
 * address check (`GET /urls/{id}`, then `POST /urls` with the opt-in or on request), the URL fallback
 * (`POST /urls`, then `GET /urls/{id}` for the file's report), and the client itself for any future caller.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { eicarBytes } from '@/tests/emulator/fixtures';
import { createVirusTotalClient, urlIdentifier } from '@/utils/virustotal/virustotal-client';
import { systemClock } from '@/utils/time/clock';
import { addressForVirusTotal } from './upload-policy';

let h: Harness;
afterEach(async () => h?.close());

/** `url` with `user:pw@` put in front of its host. */
const withUserinfo = (url: string) => url.replace('://', '://alice:hunter2@');

/** Every address VirusTotal saw: the ones submitted, and the ones whose id it was asked about (decoded). */
function addressesSent(): string[] {
  const ids = h.emulator.requests.filter((r) => /^\/api\/v3\/urls\/[^/]+$/.test(r.path)).map((r) => r.path.split('/').pop()!);
  const decoded = ids.map((id) => new TextDecoder().decode(Uint8Array.from(atob(id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
  return [...h.emulator.urlSubmissions, ...decoded];
}

function expectNoUserinfo(sent: string[]): void {
  expect(sent.length).toBeGreaterThan(0);
  for (const address of sent) {
    expect(address).not.toMatch(/alice|hunter2/);
    expect(new URL(address).username).toBe('');
  }
}

describe('addressForVirusTotal', () => {
  it('drops the user name and password always, the query and fragment unless kept', () => {
    expect(addressForVirusTotal('https://alice:hunter2@cdn.example/f.exe?sig=S#x', { keepQuery: false })).toBe('https://cdn.example/f.exe');
    expect(addressForVirusTotal('https://alice:hunter2@cdn.example/f.exe?sig=S#x', { keepQuery: true })).toBe('https://cdn.example/f.exe?sig=S#x');
    expect(addressForVirusTotal('https://alice@cdn.example/', { keepQuery: true })).toBe('https://cdn.example/');
    expect(addressForVirusTotal('https://cdn.example/a@b', { keepQuery: true })).toBe('https://cdn.example/a@b');
    // Not parseable as a URL: the authority's userinfo still goes.
    expect(addressForVirusTotal('https://alice:pw@[bad/x?q', { keepQuery: false })).toBe('https://[bad/x');
  });
});

describe('no address sent to VirusTotal carries a user name or password', () => {
  for (const keepUrlQuery of [false, true]) {
    it(`an address check, looked up and submitted with the opt-in (keepUrlQuery ${keepUrlQuery})`, async () => {
      h = await createHarness({ settings: { urlFallback: true, keepUrlQuery }, emulator: { analysisPolls: 0 } });
      const served = h.files.serve('/fresh.exe', { body: eicarBytes() });
      await h.result(await h.engine.scan({ source: { kind: 'address', url: withUserinfo(`${served}?q=1`) }, fileName: 'x' }));
      expect(h.emulator.urlSubmissions).toHaveLength(1);
      expectNoUserinfo(addressesSent());
      expect(h.emulator.requests[0]!.path).toBe(`/api/v3/urls/${urlIdentifier(keepUrlQuery ? `${served}?q=1` : served)}`);
    });

    it(`an address check submitted because the person asked (keepUrlQuery ${keepUrlQuery})`, async () => {
      h = await createHarness({ settings: { keepUrlQuery }, emulator: { analysisPolls: 0 } });
      const served = h.files.serve('/asked.html', { body: new TextEncoder().encode('<p>hi</p>') });
      const token = await h.engine.scan({ source: { kind: 'address', url: withUserinfo(served) }, fileName: 'x' });
      expect(await h.result(token)).toMatchObject({ verdict: 'unknown' });
      await h.engine.upload(token);
      await h.result(token);
      expect(h.emulator.urlSubmissions).toEqual([served]);
      expectNoUserinfo(addressesSent());
    });

    it(`the URL fallback of a download that could not be read (keepUrlQuery ${keepUrlQuery})`, async () => {
      h = await createHarness({ settings: { urlFallback: true, keepUrlQuery }, emulator: { analysisPolls: 0 } });
      // Refused to ScanDock's re-fetch: VirusTotal is asked to fetch the address itself.
      const served = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
      const record = await h.result(await h.engine.scan({ source: { kind: 'download', url: withUserinfo(served), downloadId: 3, expectedSize: 68 }, fileName: 'once.exe' }));
      expect(record.step).toBe('finished');
      expect(h.emulator.urlSubmissions).toEqual([served]);
      expect(h.emulator.requests.some((r) => r.path.startsWith('/api/v3/urls/'))).toBe(true);
      expectNoUserinfo(addressesSent());
    });
  }

  it('the client itself strips them, whatever a caller passes', async () => {
    const sent: string[] = [];
    const recordingFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(String(input), init?.body ? String(init.body) : '');
      return new Response('{}', { status: 404 });
    }) as typeof fetch;
    const slot = { sending: async () => undefined, unused: async () => undefined, ended: async () => undefined };
    const client = createVirusTotalClient({
      fetch: recordingFetch, baseUrl: 'https://vt.scandock.test/api/v3', apiKey: 'k'.repeat(64), clock: systemClock,
      slots: { take: async () => slot, answered: async () => false, vtCountRead: async () => undefined },
      turn: { place: () => ({ queuedAt: 0, token: '' }), signal: new AbortController().signal },
    });
    await Promise.allSettled([client.getUrlReport('https://alice:hunter2@x.scandock.test/a?q'), client.submitUrl('https://alice:hunter2@x.scandock.test/a?q')]);
    expect(sent).toEqual([
      `https://vt.scandock.test/api/v3/urls/${urlIdentifier('https://x.scandock.test/a?q')}`, '',
      'https://vt.scandock.test/api/v3/urls', `url=${encodeURIComponent('https://x.scandock.test/a?q')}`,
    ]);
  });
});
