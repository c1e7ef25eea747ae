/**
 * The emulator over real HTTP (global fetch), one behaviour per test, each against
 * /work/shared/virustotal-api.md. (In-process, on the simulation's clock: in-process.test.ts.)
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENGINES } from './engines';
import {
  EICAR_MD5, EICAR_SHA1, EICAR_SHA256, cleanSampleBytes, eicarBytes, markedMalwareBytes, md5Hex, sha256Hex,
} from './fixtures';
import { createSimClock } from '../support/sim/sim-clock';
import {
  DEMO_API_KEY, KNOWN_CLEAN_URL, KNOWN_MALICIOUS_URL, startVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator,
} from './virustotal-emulator';

// Shapes the tests read; the emulator's answers are checked against them, not assumed.
interface ErrorJson { error: { code: string; message: string } }
type Stats = Record<string, number>;
interface EngineJson { category: string; engine_name: string; engine_version: string; engine_update: string; method: string; result: string | null }
interface FileJson {
  data: {
    type: string; id: string; links: { self: string };
    attributes: {
      last_analysis_stats: Stats; last_analysis_results: Record<string, EngineJson>; meaningful_name?: string;
      names: string[]; size: number; type_description: string; type_tag: string; last_analysis_date: number;
      first_submission_date: number; times_submitted: number; reputation: number;
      total_votes: { harmless: number; malicious: number }; tags: string[]; md5: string; sha1: string; sha256: string;
      popular_threat_classification?: { suggested_threat_label: string };
    };
  };
}
interface DescriptorJson { data: { type: string; id: string; links: { self: string } } }
interface AnalysisJson {
  data: { type: string; id: string; attributes: { status: string; date: number; stats: Stats; results: Record<string, { category: string }> } };
  meta: { file_info?: { md5: string; sha1: string; sha256: string; size: number }; url_info?: { id: string; url: string } };
}
interface UrlJson {
  data: {
    type: string; id: string;
    attributes: {
      url: string; last_analysis_stats: Stats; last_analysis_results: Record<string, { category: string }>; last_analysis_date: number;
      last_http_response_code?: number; last_http_response_content_sha256?: string;
    };
  };
}
interface QuotasJson { data: Record<'api_requests_hourly' | 'api_requests_daily' | 'api_requests_monthly', { user: { used: number; allowed: number } }> }

const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
/** Roomy quotas for tests that are not about quotas. */
const ROOMY = { perMinute: 10_000, perDay: 100_000, perMonth: 1_000_000 };

let emulator: VirusTotalEmulator | null = null;
const servers: Server[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  await emulator?.close();
  emulator = null;
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function start(options: EmulatorOptions = {}): Promise<VirusTotalEmulator> {
  emulator = await startVirusTotalEmulator({ quota: ROOMY, ...options });
  return emulator;
}

function current(): VirusTotalEmulator {
  if (emulator === null) throw new Error('start the emulator first');
  return emulator;
}

/** A request to the API with the demo key unless `key` says otherwise (null: no header). */
function api(path: string, init: RequestInit = {}, key: string | null = DEMO_API_KEY): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('x-apikey', key);
  const url = path.startsWith('http') ? path : `${current().baseUrl}${path}`;
  return fetch(url, { ...init, headers });
}

async function json<T>(res: Response): Promise<T> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as T;
}

async function expectError(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = await json<ErrorJson>(res);
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error.message;
}

function fileForm(bytes: Uint8Array<ArrayBuffer>, name = 'sample.bin', field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([bytes]), name);
  return form;
}

async function uploadFile(bytes: Uint8Array<ArrayBuffer>, name = 'sample.bin'): Promise<string> {
  const res = await api('/files', { method: 'POST', body: fileForm(bytes, name) });
  expect(res.status).toBe(200);
  const body = await json<DescriptorJson>(res);
  expect(body.data.type).toBe('analysis');
  return body.data.id;
}

async function poll(id: string): Promise<AnalysisJson> {
  const res = await api(`/analyses/${encodeURIComponent(id)}`);
  expect(res.status).toBe(200);
  return json<AnalysisJson>(res);
}

async function pollUntilCompleted(id: string, maxPolls = 10): Promise<AnalysisJson> {
  for (let i = 0; i < maxPolls; i++) {
    const analysis = await poll(id);
    if (analysis.data.attributes.status === 'completed') return analysis;
  }
  throw new Error(`analysis ${id} not completed after ${maxPolls} polls`);
}

function sum(stats: Stats): number {
  return Object.values(stats).reduce((a, b) => a + b, 0);
}

function expectStatsMatchResults(stats: Stats, results: Record<string, { category: string }>): void {
  const counted: Stats = {};
  for (const r of Object.values(results)) counted[r.category] = (counted[r.category] ?? 0) + 1;
  for (const [category, n] of Object.entries(stats)) expect(n, category).toBe(counted[category] ?? 0);
  expect(sum(stats)).toBe(Object.keys(results).length);
}

const FILE_STAT_KEYS = ['confirmed-timeout', 'failure', 'harmless', 'malicious', 'suspicious', 'timeout', 'type-unsupported', 'undetected'];

/** A local web server for POST /urls to fetch; counts hits per path. */
async function startSite(routes: Record<string, { status?: number; body?: Uint8Array; location?: string }>): Promise<{ origin: string; hits: Map<string, number> }> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route === undefined) return void res.writeHead(404).end('not here');
    res.writeHead(route.status ?? 200, route.location === undefined ? {} : { location: route.location });
    res.end(route.body ?? new Uint8Array());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

describe('authentication', () => {
  it('answers 401 AuthenticationRequiredError without a key and WrongCredentialsError for an unknown one, uncounted', async () => {
    const emu = await start();
    await expectError(await api(`/files/${EICAR_SHA256}`, {}, null), 401, 'AuthenticationRequiredError');
    await expectError(await api(`/files/${EICAR_SHA256}`, {}, 'f'.repeat(64)), 401, 'WrongCredentialsError');
    expect(emu.requests.map((r) => [r.apiKey, r.status, r.quotaCounted])).toEqual([[null, 401, false], ['f'.repeat(64), 401, false]]);
    expect(emu.quotaUsed()).toEqual({ minute: 0, day: 0, month: 0 });
  });

  it('accepts only the configured keys, and DEMO_API_KEY looks like a real key', async () => {
    expect(DEMO_API_KEY).toMatch(/^[0-9a-f]{64}$/);
    await start({ apiKeys: ['a'.repeat(64)] });
    await expectError(await api(`/files/${EICAR_SHA256}`), 401, 'WrongCredentialsError');
    expect((await api(`/files/${EICAR_SHA256}`, {}, 'a'.repeat(64))).status).toBe(200);
  });
});

describe('file reports', () => {
  it('reports EICAR by SHA-256, SHA-1 or MD5 (any case) with data.id always the SHA-256', async () => {
    await start();
    for (const id of [EICAR_SHA256, EICAR_SHA1, EICAR_MD5.toUpperCase()]) {
      const res = await api(`/files/${id}`);
      expect(res.status).toBe(200);
      const { data } = await json<FileJson>(res);
      expect(data.type).toBe('file');
      expect(data.id).toBe(EICAR_SHA256);
      expect(data.links.self).toBe(`${current().baseUrl}/files/${EICAR_SHA256}`);
    }
  });

  it('gives EICAR its documented facts: 68 bytes, Text, virus.eicar/test, reputation 3658, tag legit, ~65 detections', async () => {
    await start();
    const { data: { attributes: a } } = await json<FileJson>(await api(`/files/${EICAR_SHA256}`));
    expect(a).toMatchObject({ size: 68, type_description: 'Text', reputation: 3658, md5: EICAR_MD5, sha1: EICAR_SHA1, sha256: EICAR_SHA256 });
    expect(a.popular_threat_classification?.suggested_threat_label).toBe('virus.eicar/test');
    expect(a.tags).toContain('legit');
    expect(a.names.length).toBeGreaterThan(0);
    expect(a.meaningful_name).toBe(a.names[0]);
    expect(a.times_submitted).toBeGreaterThan(1000);
    expect(a.first_submission_date).toBeLessThan(a.last_analysis_date);
    expect(Object.keys(a.last_analysis_stats).sort()).toEqual(FILE_STAT_KEYS);
    expect(a.last_analysis_stats.malicious).toBeGreaterThanOrEqual(60);
    expectStatsMatchResults(a.last_analysis_stats, a.last_analysis_results);
    const results = Object.values(a.last_analysis_results);
    expect(results).toHaveLength(ENGINES.length);
    expect(results.filter((r) => r.category === 'undetected').every((r) => r.result === null)).toBe(true);
    expect(results.map((r) => r.result)).toEqual(expect.arrayContaining(['EICAR-Test-File', 'EICAR-Test-File (not a virus)', 'Win.Test.EICAR_HDB-1', 'Eicar test file']));
    expect(a.last_analysis_results.Kaspersky).toEqual({
      category: 'malicious', engine_name: 'Kaspersky', engine_version: expect.any(String) as string,
      engine_update: expect.stringMatching(/^\d{8}$/) as string, method: 'blacklist', result: 'EICAR-Test-File',
    });
  });

  it('knows the clean sample as clean, with no threat label', async () => {
    await start();
    const { data: { attributes: a } } = await json<FileJson>(await api(`/files/${sha256Hex(cleanSampleBytes())}`));
    expect(a.last_analysis_stats.malicious).toBe(0);
    expect(a.last_analysis_stats.suspicious).toBe(0);
    expect(a.popular_threat_classification).toBeUndefined();
  });

  it('answers 404 NotFoundError for an unknown hash, 400 InvalidArgumentError for SHA-512 and junk', async () => {
    await start();
    await expectError(await api(`/files/${'0'.repeat(64)}`), 404, 'NotFoundError');
    await expectError(await api(`/files/${'1'.repeat(32)}`), 404, 'NotFoundError');
    const sha512 = await expectError(await api(`/files/${'a'.repeat(128)}`), 400, 'InvalidArgumentError');
    expect(sha512).toMatch(/SHA-512/);
    await expectError(await api('/files/not-a-hash'), 400, 'InvalidArgumentError');
    await expectError(await api(`/files/${'g'.repeat(64)}`), 400, 'InvalidArgumentError');
  });

  it('addFile makes any bytes known with the given profile and names, with stats matching results', async () => {
    const emu = await start();
    const bytes = markedMalwareBytes('addFile');
    const sha = emu.addFile(bytes, 'suspicious', ['odd.txt']);
    expect(sha).toBe(sha256Hex(bytes));
    expect(emu.files.get(sha)?.profile).toBe('suspicious');
    const { data: { attributes: a } } = await json<FileJson>(await api(`/files/${md5Hex(bytes)}`));
    expect(a.last_analysis_stats).toMatchObject({ malicious: 0, suspicious: 2 });
    expectStatsMatchResults(a.last_analysis_stats, a.last_analysis_results);
    expect(a.names).toEqual(['odd.txt']);
    expect(emu.files.has(EICAR_SHA256)).toBe(true);
  });

  it('knows no file when knownFiles is false', async () => {
    const emu = await start({ knownFiles: false });
    expect(emu.files.size).toBe(0);
    await expectError(await api(`/files/${EICAR_SHA256}`), 404, 'NotFoundError');
  });
});

describe('uploads and analyses', () => {
  it('uploads via POST /files: id is base64 of "md5:unixts"; queued, then in-progress with partial results, then completed', async () => {
    const clock = createSimClock(T0);
    const emu = await start({ now: clock.now });
    const bytes = markedMalwareBytes('progress');
    const id = await uploadFile(bytes, 'dropper.txt');
    expect(Buffer.from(id, 'base64').toString()).toBe(`${md5Hex(bytes)}:${T0 / 1000}`);
    expect(emu.uploads).toEqual([{ sha256: sha256Hex(bytes), name: 'dropper.txt', size: bytes.length, via: 'files' }]);

    const queued = await poll(id);
    expect(queued.data).toMatchObject({ type: 'analysis', id, attributes: { status: 'queued', date: T0 / 1000, results: {} } });
    expect(sum(queued.data.attributes.stats)).toBe(0);
    expect(Object.keys(queued.data.attributes.stats).sort()).toEqual(FILE_STAT_KEYS);
    expect(queued.meta.file_info).toEqual({ md5: md5Hex(bytes), sha1: expect.stringMatching(/^[0-9a-f]{40}$/) as string, sha256: sha256Hex(bytes), size: bytes.length });

    const running = await poll(id);
    expect(running.data.attributes.status).toBe('in-progress');
    const partial = Object.keys(running.data.attributes.results).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(ENGINES.length);
    expectStatsMatchResults(running.data.attributes.stats, running.data.attributes.results);

    const done = await poll(id);
    expect(done.data.attributes.status).toBe('completed');
    expect(Object.keys(done.data.attributes.results)).toHaveLength(ENGINES.length);
    expect(done.data.attributes.stats.malicious).toBeGreaterThan(30);
    expectStatsMatchResults(done.data.attributes.stats, done.data.attributes.results);
    expect((await poll(id)).data.attributes.status).toBe('completed');
  });

  it('makes the uploaded file known only once its analysis completes; /item is 404 until then', async () => {
    await start({ analysisPolls: 1 });
    const bytes = markedMalwareBytes('known-later');
    const sha = sha256Hex(bytes);
    const id = await uploadFile(bytes, 'later.txt');
    await expectError(await api(`/files/${sha}`), 404, 'NotFoundError');
    // Unencoded on purpose: the id's base64 '=' padding is path-safe.
    await expectError(await api(`/analyses/${id}/item`), 404, 'NotFoundError');
    expect((await poll(id)).data.attributes.status).toBe('queued');
    await expectError(await api(`/files/${sha}`), 404, 'NotFoundError');
    expect((await poll(id)).data.attributes.status).toBe('completed');
    const report = await json<FileJson>(await api(`/files/${sha}`));
    expect(report.data.attributes.names).toEqual(['later.txt']);
    expect(report.data.attributes.popular_threat_classification?.suggested_threat_label).toMatch(/^trojan\./);
    const item = await json<FileJson>(await api(`/analyses/${encodeURIComponent(id)}/item`));
    expect(item.data.id).toBe(sha);
  });

  it('with analysisCompletesAfterMs, completes an analysis nobody polls once that much time has passed', async () => {
    const clock = createSimClock(T0);
    await start({ now: clock.now, analysisPolls: 5, analysisCompletesAfterMs: 120_000 });
    const bytes = markedMalwareBytes('unpolled');
    const sha = sha256Hex(bytes);
    const id = await uploadFile(bytes, 'unpolled.txt');
    clock.advance(119_000);
    await expectError(await api(`/files/${sha}`), 404, 'NotFoundError');
    clock.advance(1_000);
    expect((await json<FileJson>(await api(`/files/${sha}`))).data.attributes.last_analysis_stats.malicious).toBeGreaterThan(30);
    expect((await poll(id)).data.attributes.status).toBe('completed');
  });

  it('with analysisCompletesAfterMs, a URL analysis polled late is complete, whatever the poll count', async () => {
    const clock = createSimClock(T0);
    await start({ now: clock.now, analysisPolls: 5, analysisCompletesAfterMs: 60_000 });
    const site = await startSite({ '/late.bin': { body: eicarBytes() } });
    const submitted = await api('/urls', { method: 'POST', body: new URLSearchParams({ url: `${site.origin}/late.bin` }) });
    const { data: { id } } = await json<DescriptorJson>(submitted);
    expect((await poll(id)).data.attributes.status).toBe('queued');
    clock.advance(60_000);
    expect((await poll(id)).data.attributes.status).toBe('completed');
  });

  it('completes at once with analysisPolls 0, and takes N+1 polls with analysisPolls N', async () => {
    await start({ analysisPolls: 0 });
    const sha = sha256Hex(cleanSampleBytes().subarray(1));
    const id = await uploadFile(cleanSampleBytes().slice(1), 'c.txt');
    expect((await api(`/files/${sha}`)).status).toBe(200);
    expect((await poll(id)).data.attributes.status).toBe('completed');
    await current().close();

    await start({ analysisPolls: 4 });
    const slow = await uploadFile(markedMalwareBytes('slow'));
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await poll(slow)).data.attributes.status);
    expect(statuses).toEqual(['queued', 'in-progress', 'in-progress', 'in-progress', 'completed']);
  });

  it('decides uploads by default (EICAR → eicar, marker → malicious, else clean) and by setUploadProfile', async () => {
    const emu = await start({ analysisPolls: 0, knownFiles: false });
    const verdict = async (bytes: Uint8Array<ArrayBuffer>): Promise<Stats> => {
      await uploadFile(bytes);
      return (await json<FileJson>(await api(`/files/${sha256Hex(bytes)}`))).data.attributes.last_analysis_stats;
    };
    expect((await verdict(eicarBytes())).malicious).toBeGreaterThanOrEqual(60);
    expect((await verdict(markedMalwareBytes('m'))).malicious).toBeGreaterThan(30);
    expect((await verdict(new TextEncoder().encode('just text'))).malicious).toBe(0);
    const seen: string[] = [];
    emu.setUploadProfile((_bytes, name) => {
      seen.push(name);
      return 'suspicious';
    });
    const form = fileForm(new TextEncoder().encode('odd'), 'odd.js');
    await api('/files', { method: 'POST', body: form });
    expect(seen).toEqual(['odd.js']);
    expect((await json<FileJson>(await api(`/files/${sha256Hex('odd')}`))).data.attributes.last_analysis_stats).toMatchObject({ malicious: 0, suspicious: 2 });
  });

  it('keeps every byte value of an upload, and a quoted UTF-8 filename', async () => {
    const emu = await start();
    const bytes = new Uint8Array(Array.from({ length: 4096 }, (_, i) => (i * 7 + (i >> 8)) % 256));
    bytes.set(new TextEncoder().encode('\r\n------formdata-undici-0\r\n'), 100);
    await uploadFile(bytes, 'résumé "final".pdf');
    expect(emu.uploads[0]?.sha256).toBe(sha256Hex(bytes));
    expect(emu.uploads[0]?.size).toBe(4096);
    expect(emu.uploads[0]?.name).toMatch(/^résumé (%22|")final(%22|")\.pdf$/);
  });

  it('refuses a file over 32 MB with 400 BadRequestError pointing at upload_url, and a body without the file field', async () => {
    const emu = await start();
    const big = new Uint8Array(32 * 1024 * 1024 + 1);
    const message = await expectError(await api('/files', { method: 'POST', body: fileForm(big) }), 400, 'BadRequestError');
    expect(message).toMatch(/upload_url/);
    await expectError(await api('/files', { method: 'POST', body: fileForm(eicarBytes(), 'x', 'attachment') }), 400, 'BadRequestError');
    await expectError(await api('/files', { method: 'POST', body: 'not multipart', headers: { 'content-type': 'text/plain' } }), 400, 'BadRequestError');
    expect(emu.uploads).toHaveLength(0);
  });

  it('re-analyses a known file: new analysis that completes and moves last_analysis_date; unknown → 404', async () => {
    const clock = createSimClock(T0);
    await start({ now: clock.now });
    const before = (await json<FileJson>(await api(`/files/${EICAR_SHA256}`))).data.attributes;
    clock.advance(86_400_000);
    const res = await api(`/files/${EICAR_MD5}/analyse`, { method: 'POST' });
    const { data } = await json<DescriptorJson>(res);
    expect(data.type).toBe('analysis');
    expect(Buffer.from(data.id, 'base64').toString()).toBe(`${EICAR_MD5}:${(T0 + 86_400_000) / 1000}`);
    expect(data.links.self).toBe(`${current().baseUrl}/analyses/${data.id}`);
    const done = await pollUntilCompleted(data.id);
    expect(done.meta.file_info?.sha256).toBe(EICAR_SHA256);
    const after = (await json<FileJson>(await api(`/files/${EICAR_SHA256}`))).data.attributes;
    expect(after.last_analysis_date).toBe((T0 + 86_400_000) / 1000);
    expect(after.last_analysis_date).toBeGreaterThan(before.last_analysis_date);
    expect(after.times_submitted).toBe(before.times_submitted);
    await expectError(await api(`/files/${'0'.repeat(64)}/analyse`, { method: 'POST' }), 404, 'NotFoundError');
  });

  it('answers 404 NotFoundError for an unknown analysis and its item', async () => {
    await start();
    await expectError(await api('/analyses/bm90LWFuLWFuYWx5c2lz'), 404, 'NotFoundError');
    await expectError(await api('/analyses/bm90LWFuLWFuYWx5c2lz/item'), 404, 'NotFoundError');
  });
});

describe('upload_url', () => {
  it('hands out a single-use URL on the emulator; POSTing there uploads (over 32 MB too), a second use is refused', async () => {
    const emu = await start();
    const res = await api('/files/upload_url');
    const { data: uploadUrl } = await json<{ data: string }>(res);
    expect(uploadUrl.startsWith(`${emu.origin}/_upload/`)).toBe(true);
    const big = new Uint8Array(40 * 1024 * 1024);
    big.set(markedMalwareBytes('big'), 1000);
    const posted = await api(uploadUrl, { method: 'POST', body: fileForm(big, 'big.iso') });
    expect(posted.status).toBe(200);
    const { data } = await json<DescriptorJson>(posted);
    expect(Buffer.from(data.id, 'base64').toString()).toMatch(new RegExp(`^${md5Hex(big)}:\\d+$`));
    expect(emu.uploads).toEqual([{ sha256: sha256Hex(big), name: 'big.iso', size: big.length, via: 'upload_url' }]);
    expect((await pollUntilCompleted(data.id)).data.attributes.stats.malicious).toBeGreaterThan(30);
    await expectError(await api(uploadUrl, { method: 'POST', body: fileForm(eicarBytes()) }), 400, 'BadRequestError');
    expect(emu.uploads).toHaveLength(1);
  });

  it('requires the key on the upload URL and counts both calls against the quota', async () => {
    const emu = await start();
    const { data: uploadUrl } = await json<{ data: string }>(await api('/files/upload_url'));
    await expectError(await api(uploadUrl, { method: 'POST', body: fileForm(eicarBytes()) }, null), 401, 'AuthenticationRequiredError');
    expect((await api(uploadUrl, { method: 'POST', body: fileForm(eicarBytes()) })).status).toBe(200);
    expect(emu.quotaUsed().day).toBe(2);
    await expectError(await api(`${emu.origin}/_upload/never-issued`, { method: 'POST', body: fileForm(eicarBytes()) }), 404, 'NotFoundError');
  });

  it('accepts a chunked upload streamed without Content-Length', async () => {
    const emu = await start();
    const { data: uploadUrl } = await json<{ data: string }>(await api('/files/upload_url'));
    const file = Buffer.alloc(5 * 1024 * 1024, 0x0a);
    file.write('chunked upload', 0);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(uploadUrl, {
        method: 'POST', headers: { 'x-apikey': DEMO_API_KEY, 'content-type': 'multipart/form-data; boundary=b' },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="stream.bin"\r\n\r\n');
      for (let at = 0; at < file.length; at += 65_536) req.write(file.subarray(at, at + 65_536));
      req.end('\r\n--b--\r\n');
    });
    expect(status).toBe(200);
    expect(emu.uploads).toEqual([{ sha256: sha256Hex(file), name: 'stream.bin', size: file.length, via: 'upload_url' }]);
  });

  it('refuses a declared body over 650 MB at once, without reading it', async () => {
    const emu = await start();
    const { data: uploadUrl } = await json<{ data: string }>(await api('/files/upload_url'));
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(uploadUrl, {
        method: 'POST',
        headers: { 'x-apikey': DEMO_API_KEY, 'content-type': 'multipart/form-data; boundary=b', 'content-length': 700 * 1024 * 1024 },
      }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: text });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.write('--b\r\nContent-Disposition: form-data; name="file"; filename="huge.iso"\r\n\r\n');
    });
    expect(status).toBe(400);
    expect((JSON.parse(body) as ErrorJson).error.code).toBe('BadRequestError');
    expect(emu.uploads).toHaveLength(0);
  });
});

describe('URLs', () => {
  it('submits a URL (urlencoded), fetches it from this machine when the analysis runs, and reports it by both ids', async () => {
    const clock = createSimClock(T0);
    const emu = await start({ now: clock.now, knownFiles: false });
    const payload = markedMalwareBytes('via-url');
    const site = await startSite({ '/dl/setup.exe': { body: payload } });
    const url = `${site.origin}/dl/setup.exe`;
    const res = await api('/urls', { method: 'POST', body: new URLSearchParams({ url }) });
    const { data } = await json<DescriptorJson>(res);
    const urlSha = sha256Hex(url);
    expect(data.id).toBe(`u-${urlSha}-${T0 / 1000}`);
    expect(emu.urlSubmissions).toEqual([url]);
    expect(site.hits.size).toBe(0);

    const queued = await poll(data.id);
    expect(queued.data.attributes.status).toBe('queued');
    expect(queued.meta.url_info).toEqual({ id: urlSha, url });
    await expectError(await api(`/urls/${urlSha}`), 404, 'NotFoundError');
    const done = await pollUntilCompleted(data.id);
    expect(Object.keys(done.data.attributes.stats).sort()).toEqual(['harmless', 'malicious', 'suspicious', 'timeout', 'undetected']);
    expect(site.hits.get('/dl/setup.exe')).toBe(1);

    for (const id of [urlSha, Buffer.from(url).toString('base64url')]) {
      const report = await json<UrlJson>(await api(`/urls/${id}`));
      expect(report.data).toMatchObject({ type: 'url', id: urlSha, attributes: { url, last_http_response_code: 200, last_analysis_date: T0 / 1000 } });
      expect(report.data.attributes.last_http_response_content_sha256).toBe(sha256Hex(payload));
      const stats = report.data.attributes.last_analysis_stats;
      expect(stats.malicious).toBeGreaterThan(0);
      expect(stats.harmless).toBeGreaterThan(stats.malicious ?? Infinity);
    }
    const item = await json<UrlJson>(await api(`/analyses/${data.id}/item`));
    expect(item.data.id).toBe(urlSha);
    // The fetched content became a known file, judged by the upload profile.
    const file = await json<FileJson>(await api(`/files/${sha256Hex(payload)}`));
    expect(file.data.attributes.last_analysis_stats.malicious).toBeGreaterThan(30);
    expect(file.data.attributes.names).toEqual(['setup.exe']);
  });

  it('accepts a multipart url field and reports a clean page as harmless', async () => {
    const emu = await start({ analysisPolls: 0 });
    const site = await startSite({ '/': { body: new TextEncoder().encode('<h1>hello</h1>') } });
    const form = new FormData();
    form.append('url', `${site.origin}/`);
    const { data } = await json<DescriptorJson>(await api('/urls', { method: 'POST', body: form }));
    expect(data.id).toMatch(/^u-[0-9a-f]{64}-\d+$/);
    const report = await json<UrlJson>(await api(`/urls/${sha256Hex(`${site.origin}/`)}`));
    expect(report.data.attributes.last_analysis_stats.malicious).toBe(0);
    expect(report.data.attributes.last_http_response_content_sha256).toBe(sha256Hex('<h1>hello</h1>'));
    expect(emu.urlSubmissions).toEqual([`${site.origin}/`]);
  });

  it('never fetches other hosts, even as a redirect target: no content hash in the report', async () => {
    await start({ analysisPolls: 0 });
    const spy = vi.spyOn(globalThis, 'fetch');
    const site = await startSite({ '/away': { status: 302, location: 'http://example.com/payload.exe' } });
    for (const url of ['http://example.com/payload.exe', `${site.origin}/away`]) {
      const { data } = await json<DescriptorJson>(await api('/urls', { method: 'POST', body: new URLSearchParams({ url }) }));
      expect((await poll(data.id)).data.attributes.status).toBe('completed');
      const report = await json<UrlJson>(await api(`/urls/${sha256Hex(url)}`));
      expect(report.data.attributes.last_http_response_content_sha256).toBeUndefined();
      expect(report.data.attributes.last_http_response_code).toBeUndefined();
    }
    expect(site.hits.get('/away')).toBe(1);
    const fetched = spy.mock.calls.map(([input]) => String(input instanceof Request ? input.url : input));
    expect(fetched.some((u) => u.includes('example.com'))).toBe(false);
  });

  it('records the HTTP status of a page that answers with an error', async () => {
    await start({ analysisPolls: 0 });
    const site = await startSite({});
    const url = `${site.origin}/missing`;
    await api('/urls', { method: 'POST', body: new URLSearchParams({ url }) });
    const report = await json<UrlJson>(await api(`/urls/${sha256Hex(url)}`));
    expect(report.data.attributes.last_http_response_code).toBe(404);
    expect(report.data.attributes.last_http_response_content_sha256).toBe(sha256Hex('not here'));
  });

  it('answers 404 for an unknown URL, 400 for a missing or invalid url field', async () => {
    const emu = await start();
    await expectError(await api(`/urls/${sha256Hex('http://nowhere.test/')}`), 404, 'NotFoundError');
    await expectError(await api(`/urls/${Buffer.from('http://nowhere.test/').toString('base64url')}`), 404, 'NotFoundError');
    await expectError(await api('/urls', { method: 'POST', body: new URLSearchParams({ link: 'x' }) }), 400, 'BadRequestError');
    await expectError(await api('/urls', { method: 'POST', body: new URLSearchParams({ url: 'javascript:alert(1)' }) }), 400, 'InvalidArgumentError');
    expect(emu.urlSubmissions).toEqual([]);
  });
});

describe('known addresses', () => {
  it('knows a malicious and a clean address: five-key URL stats that match the scanners’ results', async () => {
    await start();
    const malicious = await json<UrlJson>(await api(`/urls/${Buffer.from(KNOWN_MALICIOUS_URL).toString('base64url')}`));
    expect(malicious.data.type).toBe('url');
    expect(malicious.data.id).toBe(sha256Hex(KNOWN_MALICIOUS_URL));
    expect(Object.keys(malicious.data.attributes.last_analysis_stats).sort()).toEqual(['harmless', 'malicious', 'suspicious', 'timeout', 'undetected']);
    expect(malicious.data.attributes.last_analysis_stats.malicious).toBeGreaterThan(0);
    expectStatsMatchResults(malicious.data.attributes.last_analysis_stats, malicious.data.attributes.last_analysis_results);
    // Only scanned, never fetched: no content hash.
    expect(malicious.data.attributes.last_http_response_content_sha256).toBeUndefined();
    const clean = await json<UrlJson>(await api(`/urls/${sha256Hex(KNOWN_CLEAN_URL)}`));
    expect(clean.data.attributes.last_analysis_stats).toMatchObject({ malicious: 0, suspicious: 0 });
  });

  it('knows none with knownUrls false; addUrl makes one known', async () => {
    const emu = await start({ knownUrls: false });
    await expectError(await api(`/urls/${sha256Hex(KNOWN_MALICIOUS_URL)}`), 404, 'NotFoundError');
    const id = emu.addUrl('https://listed.example/x', 'malicious');
    expect((await json<UrlJson>(await api(`/urls/${id}`))).data.attributes.last_analysis_stats.malicious).toBeGreaterThan(0);
  });

  it('a listed address stays flagged when submitted again, whatever it serves now', async () => {
    const emu = await start({ analysisPolls: 0 });
    const site = await startSite({ '/page': { body: new TextEncoder().encode('harmless now') } });
    const url = `${site.origin}/page`;
    emu.addUrl(url, 'malicious');
    const res = await api('/urls', { method: 'POST', body: new URLSearchParams({ url }) });
    const analysis = await poll((await json<DescriptorJson>(res)).data.id);
    expect(analysis.data.attributes.stats.malicious).toBeGreaterThan(0);
    expect((await json<UrlJson>(await api(`/urls/${sha256Hex(url)}`))).data.attributes.last_analysis_stats.malicious).toBeGreaterThan(0);
  });

  it('with fileReportsFromUrls false, the URL report names the content’s hash but the file has no report', async () => {
    await start({ analysisPolls: 0, fileReportsFromUrls: false });
    const bytes = markedMalwareBytes('no-file-report');
    const site = await startSite({ '/f.exe': { body: bytes } });
    const url = `${site.origin}/f.exe`;
    await poll((await json<DescriptorJson>(await api('/urls', { method: 'POST', body: new URLSearchParams({ url }) }))).data.id);
    const report = await json<UrlJson>(await api(`/urls/${sha256Hex(url)}`));
    expect(report.data.attributes.last_http_response_content_sha256).toBe(sha256Hex(bytes));
    expect(report.data.attributes.last_analysis_stats.malicious).toBeGreaterThan(0);
    await expectError(await api(`/files/${sha256Hex(bytes)}`), 404, 'NotFoundError');
  });
});

describe('quota', () => {
  it('allows perMinute requests in a sliding window, then 429 QuotaExceededError naming the minute, uncounted and unprocessed', async () => {
    const clock = createSimClock(T0);
    const emu = await start({ now: clock.now, quota: { perMinute: 4, perDay: 500 } });
    for (let i = 0; i < 4; i++) {
      expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
      clock.advance(1000);
    }
    const message = await expectError(await api('/files', { method: 'POST', body: fileForm(markedMalwareBytes('q')) }), 429, 'QuotaExceededError');
    expect(message).toMatch(/minute/);
    expect(emu.uploads).toHaveLength(0);
    expect(emu.requests.at(-1)).toMatchObject({ status: 429, quotaCounted: false, at: T0 + 4000 });
    expect(emu.quotaUsed()).toEqual({ minute: 4, day: 4, month: 4 });
    clock.advance(60_000 - 4000 - 1);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(429);
    clock.advance(1);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
  });

  it('scales the window with minuteMs', async () => {
    const clock = createSimClock(T0);
    await start({ now: clock.now, quota: { perMinute: 2, perDay: 500, minuteMs: 1000 } });
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(429);
    clock.advance(1000);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
  });

  it('stops at the daily quota until 00:00 UTC, and at the monthly one until the 1st', async () => {
    const clock = createSimClock(Date.UTC(2026, 10, 30, 23, 0));
    const emu = await start({ now: clock.now, quota: { perMinute: 100, perDay: 3, perMonth: 5 } });
    for (let i = 0; i < 3; i++) expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect(await expectError(await api(`/files/${EICAR_SHA256}`), 429, 'QuotaExceededError')).toMatch(/daily/);
    clock.advance(59 * 60_000);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(429);
    clock.advance(60_000); // 00:00 UTC on the 1st: new day and new month
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect(emu.quotaUsed()).toEqual({ minute: 1, day: 1, month: 1 });

    await current().close();
    const clock2 = createSimClock(Date.UTC(2026, 10, 28, 12, 0));
    await start({ now: clock2.now, quota: { perMinute: 100, perDay: 3, perMonth: 5 } });
    for (let day = 0; day < 2; day++) {
      for (let i = 0; i < 3 && day * 3 + i < 5; i++) expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
      clock2.advance(86_400_000);
    }
    expect(await expectError(await api(`/files/${EICAR_SHA256}`), 429, 'QuotaExceededError')).toMatch(/monthly/);
    clock2.advance(86_400_000); // 1 December
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
  });

  it('counts every kind of call per key, including analysis polls and overall_quotas', async () => {
    const other = 'b'.repeat(64);
    const emu = await start({ apiKeys: [DEMO_API_KEY, other], analysisPolls: 1 });
    const id = await uploadFile(markedMalwareBytes('count'));
    await poll(id);
    await poll(id);
    await api(`/analyses/${encodeURIComponent(id)}/item`);
    await api('/files/upload_url');
    await api(`/users/${DEMO_API_KEY}/overall_quotas`);
    await api(`/files/${'0'.repeat(64)}`); // a 404 still costs a request
    await api(`/files/${EICAR_SHA256}`, {}, other);
    expect(emu.quotaUsed()).toEqual({ minute: 7, day: 7, month: 7 });
    expect(emu.quotaUsed(other)).toEqual({ minute: 1, day: 1, month: 1 });
    expect(emu.requests.every((r) => r.quotaCounted)).toBe(true);
    emu.resetQuota();
    expect(emu.quotaUsed()).toEqual({ minute: 0, day: 0, month: 0 });
  });

  it('with enforceQuota false, never refuses but still counts', async () => {
    const emu = await start({ enforceQuota: false, quota: { perMinute: 1, perDay: 1 } });
    for (let i = 0; i < 3; i++) expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect(emu.quotaUsed().day).toBe(3);
  });
});

describe('overall_quotas', () => {
  it('reports hourly, daily and monthly use and allowance from the emulator counters, this call included', async () => {
    await start({ quota: { perMinute: 4, perDay: 500, perMonth: 15_500 } });
    await api(`/files/${EICAR_SHA256}`);
    const { data } = await json<QuotasJson>(await api(`/users/${DEMO_API_KEY}/overall_quotas`));
    expect(data.api_requests_hourly.user).toEqual({ used: 2, allowed: 240 });
    expect(data.api_requests_daily.user).toEqual({ used: 2, allowed: 500 });
    expect(data.api_requests_monthly.user).toEqual({ used: 2, allowed: 15_500 });
  });

  it('with freeQuotaReads, answers once the day is used up and counts nothing', async () => {
    const emu = await start({ quota: { perMinute: 100, perDay: 2 }, freeQuotaReads: true });
    await api(`/files/${EICAR_SHA256}`);
    await api(`/files/${EICAR_SHA256}`);
    await expectError(await api(`/files/${EICAR_SHA256}`), 429, 'QuotaExceededError');
    const { data } = await json<QuotasJson>(await api(`/users/${DEMO_API_KEY}/overall_quotas`));
    expect(data.api_requests_daily.user).toEqual({ used: 2, allowed: 2 });
    expect(emu.quotaUsed().day).toBe(2);
  });

  it('answers 403 ForbiddenError about another key', async () => {
    await start();
    await expectError(await api(`/users/${'c'.repeat(64)}/overall_quotas`), 403, 'ForbiddenError');
  });
});

describe('routing', () => {
  it('answers 404 NotFoundError for unknown routes and 400 BadRequestError for a wrong method', async () => {
    await start();
    await expectError(await api('/comments'), 404, 'NotFoundError');
    await expectError(await api('/nothing/here'), 404, 'NotFoundError');
    await expectError(await api(`${current().origin}/favicon.ico`), 404, 'NotFoundError');
    await expectError(await api(`/files/${EICAR_SHA256}`, { method: 'DELETE' }), 400, 'BadRequestError');
    await expectError(await api('/files', { method: 'GET' }), 400, 'BadRequestError');
    await expectError(await api('/files/upload_url', { method: 'POST' }), 400, 'BadRequestError');
  });

  it('logs every request with method, path, key, status and the clock time', async () => {
    const clock = createSimClock(T0);
    const emu = await start({ now: clock.now });
    await api(`/files/${EICAR_SHA256}?relationships=none`);
    clock.advance(5000);
    await api('/nothing', {}, null);
    expect(emu.requests).toEqual([
      { method: 'GET', path: `/api/v3/files/${EICAR_SHA256}`, apiKey: DEMO_API_KEY, status: 200, at: T0, answeredAt: T0, quotaCounted: true },
      { method: 'GET', path: '/api/v3/nothing', apiKey: null, status: 401, at: T0 + 5000, answeredAt: T0 + 5000, quotaCounted: false },
    ]);
  });

  it('stamps answeredAt when the answer left over the wire, by the clock; null when it never did', async () => {
    const clock = createSimClock(T0);
    const emu = await start({ now: clock.now });
    // With `now`, the latency fault waits in real time: move the emulator's clock on while it does.
    emu.injectFault({ kind: 'latency', ms: 200 });
    const slow = api(`/files/${EICAR_SHA256}`);
    while (emu.requests.length < 1) await new Promise((r) => setTimeout(r, 5));
    clock.advance(7000);
    expect((await slow).status).toBe(200);
    emu.injectFault({ kind: 'reset' });
    await expect(api(`/files/${EICAR_SHA256}`)).rejects.toThrow(TypeError);
    expect(emu.requests.map((r) => [r.at - T0, r.answeredAt === null ? null : r.answeredAt - T0])).toEqual([[0, 7000], [7000, null]]);
  });
});

describe('faults', () => {
  it('status: answers the given status with a default code per status, `times` requests, then normally; uncounted', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'status', status: 503, times: 2 });
    await expectError(await api(`/files/${EICAR_SHA256}`), 503, 'TransientError');
    await expectError(await api(`/files/${EICAR_SHA256}`), 503, 'TransientError');
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    emu.injectFault({ kind: 'status', status: 504 });
    await expectError(await api(`/files/${EICAR_SHA256}`), 504, 'DeadlineExceededError');
    emu.injectFault({ kind: 'status', status: 429 });
    await expectError(await api(`/files/${EICAR_SHA256}`), 429, 'QuotaExceededError');
    emu.injectFault({ kind: 'status', status: 500, code: 'WeirdError', message: 'boom' });
    expect((await json<ErrorJson>(await api(`/files/${EICAR_SHA256}`))).error).toEqual({ code: 'WeirdError', message: 'boom' });
    emu.injectFault({ kind: 'status', status: 500, body: 'Internal Server Error' });
    const raw = await api(`/files/${EICAR_SHA256}`);
    expect([raw.status, await raw.text()]).toEqual([500, 'Internal Server Error']);
    expect(emu.requests.map((r) => [r.status, r.fault ?? null, r.quotaCounted])).toEqual([
      [503, 'status', false], [503, 'status', false], [200, null, true], [504, 'status', false],
      [429, 'status', false], [500, 'status', false], [500, 'status', false],
    ]);
  });

  it('matches faults by method and path, in order, and clearFaults drops them', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'status', status: 503, match: { method: 'POST', path: /\/files$/ } });
    emu.injectFault({ kind: 'status', status: 504, match: { path: /\/analyses\// }, times: Infinity });
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
    expect((await api('/files', { method: 'POST', body: fileForm(eicarBytes()) })).status).toBe(503);
    const id = await uploadFile(eicarBytes());
    expect((await api(`/analyses/${encodeURIComponent(id)}`)).status).toBe(504);
    expect((await api(`/analyses/${encodeURIComponent(id)}`)).status).toBe(504);
    emu.clearFaults();
    expect((await api(`/analyses/${encodeURIComponent(id)}`)).status).toBe(200);
  });

  it('never applies to requests that fail authentication', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'status', status: 503 });
    expect((await api(`/files/${EICAR_SHA256}`, {}, null)).status).toBe(401);
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(503);
  });

  it('malformed-json: 200 with a JSON content type and a body that does not parse; uncounted', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'malformed-json' });
    const res = await api(`/files/${EICAR_SHA256}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/json/);
    const text = await res.text();
    expect(text.startsWith('{"data": {')).toBe(true);
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(emu.quotaUsed().day).toBe(0);
  });

  it('truncated-json: a prefix of the real answer that does not parse; the request was processed and counted', async () => {
    const emu = await start();
    const full = await (await api(`/files/${EICAR_SHA256}`)).text();
    emu.injectFault({ kind: 'truncated-json', match: { method: 'POST' } });
    const res = await api('/files', { method: 'POST', body: fileForm(markedMalwareBytes('t')) });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(text.startsWith('{"data":{"type":"analysis"')).toBe(true);
    expect(emu.uploads).toHaveLength(1);
    emu.injectFault({ kind: 'truncated-json' });
    const cut = await (await api(`/files/${EICAR_SHA256}`)).text();
    expect(cut.length).toBeLessThan(full.length);
    expect(full.startsWith(cut)).toBe(true);
    expect(emu.requests.slice(1).map((r) => r.quotaCounted)).toEqual([true, true]);
  });

  it('html: an HTML proxy page with text/html, 502 by default or the given status; uncounted', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'html' });
    emu.injectFault({ kind: 'html', status: 200 });
    for (const status of [502, 200]) {
      const res = await api(`/files/${EICAR_SHA256}`);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toMatch(/^<html>/);
    }
    expect(emu.quotaUsed().day).toBe(0);
  });

  it('redirect: a 302 elsewhere (a captive portal), 307 if asked; uncounted', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'redirect', location: 'http://127.0.0.1:9/portal' });
    emu.injectFault({ kind: 'redirect', status: 307 });
    const first = await api(`/files/${EICAR_SHA256}`, { redirect: 'manual' });
    expect([first.status, first.headers.get('location')]).toEqual([302, 'http://127.0.0.1:9/portal']);
    expect((await api(`/files/${EICAR_SHA256}`, { redirect: 'manual' })).status).toBe(307);
    expect(emu.requests.map((r) => r.fault)).toEqual(['redirect', 'redirect']);
    expect(emu.quotaUsed().day).toBe(0);
  });

  it('latency: answers normally after the delay, and counts (the delay itself: in-process.test.ts)', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'latency', ms: 50 });
    const res = await api(`/files/${EICAR_SHA256}`);
    expect(res.status).toBe(200);
    expect((await json<FileJson>(res)).data.id).toBe(EICAR_SHA256);
    expect(emu.requests[0]).toMatchObject({ fault: 'latency', status: 200, quotaCounted: true });
  });

  it('reset: destroys the connection; the client sees a network error; uncounted', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'reset' });
    await expect(api(`/files/${EICAR_SHA256}`)).rejects.toThrow(TypeError);
    expect(emu.requests[0]).toMatchObject({ fault: 'reset', status: 0, quotaCounted: false });
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200);
  });

  it('hang: never answers, until close() ends it', async () => {
    const emu = await start();
    emu.injectFault({ kind: 'hang' });
    const pending = api(`/files/${EICAR_SHA256}`);
    const outcome = await Promise.race([pending.then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('waiting'), 300))]);
    expect(outcome).toBe('waiting');
    expect(emu.requests[0]).toMatchObject({ fault: 'hang', status: 0, quotaCounted: false });
    await emu.close();
    await expect(pending).rejects.toThrow(TypeError);
  });
});

describe('lifecycle', () => {
  it('close() resolves with keep-alive connections open, stops a latency fault, and frees the port', async () => {
    const emu = await start();
    expect((await api(`/files/${EICAR_SHA256}`)).status).toBe(200); // leaves a keep-alive socket
    emu.injectFault({ kind: 'latency', ms: 60_000 });
    const slow = api(`/files/${EICAR_SHA256}`);
    // Once the slow request has arrived, close() must end its minute-long wait (or the test times out).
    while (emu.requests.length < 2) await new Promise((r) => setTimeout(r, 5));
    await emu.close();
    await expect(slow).rejects.toThrow(TypeError);
    await expect(fetch(`${emu.baseUrl}/files/${EICAR_SHA256}`)).rejects.toThrow(TypeError);
    await emu.close(); // idempotent
  });

  it('gives each emulator its own port and state', async () => {
    const a = await startVirusTotalEmulator();
    const b = await startVirusTotalEmulator();
    try {
      expect(a.origin).not.toBe(b.origin);
      expect(a.baseUrl).toBe(`${a.origin}/api/v3`);
      a.addFile(markedMalwareBytes('only-a'), 'malicious');
      expect(a.files.size).toBe(b.files.size + 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
