/**
 * The API key never leaves except as the `x-apikey` header of requests to VirusTotal: a full run
 * (known file, unknown file uploaded, URL fallback, errors whose bodies echo the key back) with a
 * sentinel key, then a search for it in every request sent anywhere, every record (and every version of
 * it the popup was shown), everything else in storage, the console and the history export.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY, ROOMY_VT, fresh, link, unique } from '@/tests/support/engine-test-kit';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes, markedMalwareBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { LOCALES, translateIn } from '@/tests/support/locale-messages';
import { renderProblem } from '@/utils/problems/render-problem';
import { historyToCsv, historyToJson } from '@/utils/ui/export-history';
import { keyStatusItem } from '@/utils/settings/storage-items';
import type { ScanRecord } from './scan-record';
import { sanitizeText } from './scan-failure';

/** 64 characters like a real key, and impossible to mistake for anything else. */
const KEY = `SENTINEL${'0123456789abcdef'.repeat(4).slice(0, 56)}`;

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

interface SentRequest {
  url: string;
  headers: Array<[string, string]>;
  body: string;
}

/** Everything a body can carry, as text (FormData parts included, files by content). */
async function bodyText(body: BodyInit | null | undefined): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof FormData) {
    const parts: string[] = [];
    for (const [name, value] of body.entries()) parts.push(name, typeof value === 'string' ? value : `${value.name}:${await value.text()}`);
    return parts.join('\n');
  }
  if (body instanceof Blob) return body.text();
  return String(body);
}

/** The engine's fetch, recording every request it sends, to any host. */
function recordingFetch(h: Harness, sent: SentRequest[]): typeof fetch {
  return async (input, init) => {
    sent.push({
      url: input instanceof Request ? input.url : String(input),
      headers: [...new Headers(init?.headers).entries()],
      body: await bodyText(init?.body),
    });
    return h.fetch(input, init);
  };
}

describe('the API key never leaks', () => {
  it('a full run with errors that echo the key: it appears only in x-apikey headers to VirusTotal', async () => {
    h = await createHarness({
      apiKey: KEY,
      settings: { ...ROOMY, uploadUnknown: true, urlFallback: true },
      emulator: { apiKeys: [KEY], quota: ROOMY_VT, analysisPolls: 1 },
    });
    const console = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((level) => vi.spyOn(globalThis.console, level));
    const sent: SentRequest[] = [];
    const shown: ScanRecord[] = [];
    h.engine = h.newEngine({ fetch: recordingFetch(h, sent), onChange: (r) => shown.push(structuredClone(r)) });

    // VirusTotal answers that quote the key back, whole or cut short: a bad request, a raw server error.
    const echoes = [
      { kind: 'status' as const, status: 400, code: 'BadRequestError', message: `Bad request for key ${KEY}`, match: { path: new RegExp(sha256Hex(cleanSampleBytes())) } },
      { kind: 'status' as const, status: 400, code: 'InvalidArgumentError', message: `key=${KEY.slice(0, 40)}… is not allowed here`, match: { path: /\/urls$/ } },
      { kind: 'status' as const, status: 500, body: `Internal error while serving ${KEY}`, match: { path: new RegExp(EICAR_SHA256) } },
    ];
    for (const fault of echoes) h.emulator.injectFault(fault);

    const tokens = [
      await h.engine.scan(link(h, '/eicar.com', eicarBytes())), // known, after a 500 that echoes the key
      await h.engine.scan(link(h, '/clean.txt', cleanSampleBytes())), // 400 that echoes the key
      await h.engine.scan(link(h, '/dropper.exe', markedMalwareBytes(fresh('malware')))), // unknown → upload → poll
      await h.engine.scan({ source: { kind: 'download', url: h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } }), downloadId: 4 }, fileName: 'once.exe' }), // URL fallback: 400 echo, then error
      await h.engine.scan({ source: { kind: 'download', url: `${h.files.serve('/later.exe', { body: unique('later'), refuse: { status: 403, times: 1 } })}?session=abc`, downloadId: 5 }, fileName: 'later.exe' }), // URL fallback that works
    ];
    await h.engine.settled();

    // Last, a 401 and a 403 whose messages echo the key (the queue pauses on them).
    h.emulator.injectFault({ kind: 'status', status: 401, code: 'WrongCredentialsError', message: `Wrong API key ${KEY}` });
    tokens.push(await h.engine.scan(link(h, '/paused-1.bin', unique('p1'))));
    await h.engine.settled();
    await keyStatusItem.setValue('unchecked');
    // Refused for every request: the confirming lookup too.
    h.emulator.injectFault({ kind: 'status', status: 403, code: 'ForbiddenError', message: `Key ${KEY} may not do this`, times: 2 });
    tokens.push(await h.engine.scan(link(h, '/paused-2.bin', unique('p2'))));
    await h.engine.settled();

    const records = await h.db.getAll('scans');
    // The run really went through every path.
    const byToken = new Map(records.map((r) => [r.token, r]));
    expect(byToken.get(tokens[0]!)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(byToken.get(tokens[1]!)).toMatchObject({ status: 'error', error: { code: 'vt-bad-request' } });
    // What VirusTotal said is kept only as the detail, with the key redacted.
    expect(byToken.get(tokens[1]!)!.error!.params.detail).toContain('[redacted]');
    expect(byToken.get(tokens[2]!)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(byToken.get(tokens[3]!)).toMatchObject({ status: 'error', error: { code: 'vt-bad-request' } });
    expect(byToken.get(tokens[4]!)).toMatchObject({ status: 'done' });
    expect(byToken.get(tokens[5]!)).toMatchObject({ status: 'ready', notice: { code: 'vt-wrong-key' } });
    expect(byToken.get(tokens[6]!)).toMatchObject({ status: 'ready', notice: { code: 'vt-forbidden' } });
    expect(h.emulator.uploads.length).toBeGreaterThanOrEqual(1);
    expect(h.emulator.requests.filter((r) => r.path.endsWith('/urls'))).toHaveLength(2);
    expect(h.emulator.requests.filter((r) => [400, 401, 403, 500].includes(r.status))).toHaveLength(6);

    // Requests: the key only as the x-apikey header, only to VirusTotal.
    expect(sent.length).toBeGreaterThan(10);
    for (const request of sent) {
      expect(request.url).not.toContain(KEY);
      expect(request.body).not.toContain(KEY);
      for (const [name, value] of request.headers) {
        if (name === 'x-apikey' && request.url.startsWith(`${h.emulator.baseUrl}/`)) continue;
        expect(`${name}: ${value}`, `a header to ${request.url}`).not.toContain(KEY);
      }
    }
    const toFileServer = sent.filter((r) => r.url.startsWith(h.files.origin));
    expect(toFileServer.length).toBeGreaterThan(0);
    for (const request of toFileServer) expect(request.headers.map(([name]) => name)).not.toContain('x-apikey');
    // What the emulator received: the header, and the key nowhere in a path.
    for (const request of h.emulator.requests) {
      expect(request.apiKey).toBe(KEY);
      expect(request.path).not.toContain(KEY);
    }

    // Records (as stored, and every version shown), the rest of storage, the export, the console.
    const notKey = (text: string, where: string) => {
      expect(text, where).not.toContain(KEY);
      // Not even a 16-character piece of it.
      for (let i = 0; i + 16 <= KEY.length; i++) expect(text, where).not.toContain(KEY.slice(i, i + 16));
    };
    notKey(JSON.stringify(records), 'the stored records');
    notKey(JSON.stringify(shown), 'the records the popup was shown');
    const { apiKey: _key, ...rest } = (await fakeBrowser.storage.local.get(null)) as Record<string, unknown>;
    expect(Object.keys(rest).length).toBeGreaterThan(0);
    notKey(JSON.stringify(rest), 'storage besides the key itself');
    for (const lang of LOCALES) {
      const language = { translate: translateIn(lang), locale: lang };
      notKey(historyToJson(records, language), `the JSON export (${lang})`);
      notKey(historyToCsv(records, language), `the CSV export (${lang})`);
      for (const record of [...records, ...shown]) {
        notKey(renderProblem('error', record.error, language.translate, lang), `a rendered error (${lang})`);
        notKey(renderProblem('notice', record.notice, language.translate, lang), `a rendered notice (${lang})`);
      }
    }
    notKey(JSON.stringify(console.flatMap((spy) => spy.mock.calls).map((args) => args.map(String))), 'the console');
  });

  it('an upload URL that points away from VirusTotal is refused: neither the key nor the file goes there', async () => {
    h = await createHarness({ apiKey: KEY, settings: { uploadUnknown: true }, emulator: { apiKeys: [KEY], analysisPolls: 0 } });
    // Another site on the simulated network, ready to take the upload if it came.
    const seen: Headers[] = [];
    const elsewhere = 'http://127.0.0.1:40666';
    h.route(elsewhere, (request) => {
      seen.push(request.headers);
      return new Response('{"data":{"type":"analysis","id":"stolen"}}', { headers: { 'content-type': 'application/json' } });
    });
    h.emulator.injectFault({ kind: 'status', status: 200, body: JSON.stringify({ data: `${elsewhere}/_upload/x` }), match: { path: /\/files\/upload_url$/ } });
    // Above the 30 MB direct-upload limit, so the client asks for an upload URL.
    const big = new Uint8Array(31 * 1024 * 1024);
    big.set(unique('big'));
    const record = await h.result(await h.engine.scan(link(h, '/big.bin', big)));
    expect(record).toMatchObject({ status: 'error', error: { code: 'vt-unexpected' } });
    expect(record.error?.params.detail).toMatch(/upload_url/);
    expect(seen).toEqual([]);
    expect(h.emulator.uploads).toEqual([]);
  });
});

describe('the key in the path of VirusTotal’s count of it (a key shared with another app)', () => {
  it('goes only in that one read, to the VirusTotal base, and an answer that echoes it leaves no trace', async () => {
    h = await createHarness({ apiKey: KEY, emulator: { apiKeys: [KEY] } });
    const console = (['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((level) => vi.spyOn(globalThis.console, level));
    const sent: SentRequest[] = [];
    const shown: ScanRecord[] = [];
    h.engine = h.newEngine({ fetch: recordingFetch(h, sent), onChange: (r) => shown.push(structuredClone(r)) });
    // Another app spent the minute: a 429 ScanDock's counters did not expect; the read answers with the key in its words.
    h.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', match: { path: /\/files\// } });
    h.emulator.injectFault({ kind: 'status', status: 403, code: 'ForbiddenError', message: `User ${KEY} may not read quotas`, match: { path: /overall_quotas$/ } });
    const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });

    const carrying = sent.filter((r) => r.url.includes(KEY));
    expect(carrying.map((r) => r.url)).toEqual([`${h.emulator.baseUrl}/users/${KEY}/overall_quotas`]);
    for (const request of sent) expect(request.body).not.toContain(KEY);
    const records = await h.db.getAll('scans');
    expect(JSON.stringify(records)).not.toContain(KEY);
    expect(JSON.stringify(shown)).not.toContain(KEY);
    const { apiKey: _key, ...rest } = (await fakeBrowser.storage.local.get(null)) as Record<string, unknown>;
    expect(JSON.stringify(rest)).not.toContain(KEY);
    for (const lang of LOCALES) {
      const language = { translate: translateIn(lang), locale: lang };
      expect(historyToJson(records, language)).not.toContain(KEY);
      expect(historyToCsv(records, language)).not.toContain(KEY);
    }
    expect(JSON.stringify(console.flatMap((spy) => spy.mock.calls).map((args) => args.map(String)))).not.toContain(KEY);
  });

  it('is never sent in a path to a VirusTotal base that is not HTTPS (nor this machine)', async () => {
    const { createVirusTotalClient } = await import('../virustotal/virustotal-client');
    const urls: string[] = [];
    const answers = [new Response('{"error":{"code":"QuotaExceededError","message":"x"}}', { status: 429 }), new Response('{"data":{}}', { status: 200 })];
    const slot = { sending: async () => undefined, unused: async () => undefined, ended: async () => undefined };
    const client = createVirusTotalClient({
      fetch: async (input) => {
        urls.push(String(input));
        return answers.shift() ?? new Response('{"data":{}}');
      },
      baseUrl: 'http://vt.example/api/v3',
      apiKey: KEY,
      slots: { take: async () => slot, answered: async (status) => status === 429, vtCountRead: async () => undefined },
      clock: { now: () => 0, monotonic: () => 0, sleep: async () => undefined, timeout: () => new AbortController().signal },
      turn: { place: () => ({ queuedAt: 0, token: 'a' }), signal: new AbortController().signal },
    });
    await client.getFile(EICAR_SHA256).catch(() => undefined);
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) expect(url).not.toContain(KEY);
  });
});

describe('redacting the key from text VirusTotal sends back', () => {
  it.each([
    ['whole', `bad key ${KEY}!`],
    ['in another case', `bad key ${KEY.toUpperCase()}`],
    ['cut short', `key ${KEY.slice(0, 24)}… refused`],
    ['its end', `key …${KEY.slice(-20)} refused`],
    ['glued to other text', `apikey=${KEY.slice(8, 40)}&x=1`],
  ])('the key %s becomes [redacted]', (_what, text) => {
    const clean = sanitizeText(text, [KEY]);
    expect(clean).toContain('[redacted]');
    for (let i = 0; i + 12 <= KEY.length; i++) expect(clean.toLowerCase()).not.toContain(KEY.slice(i, i + 12).toLowerCase());
  });

  it('leaves text that merely looks like a key alone', () => {
    const sha = EICAR_SHA256;
    expect(sanitizeText(`file ${sha} is known`, [KEY])).toBe(`file ${sha} is known`);
    expect(sanitizeText('SENTINEL values are fine', [KEY])).toBe('SENTINEL values are fine');
  });
});
