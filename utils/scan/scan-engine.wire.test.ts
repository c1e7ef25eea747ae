/**
 * The engine over real HTTP (`transport: 'http'`), for what the in-process simulation does not exercise:
 * sockets, Node's own fetch encoding the requests (headers, multipart uploads, form bodies) and the
 * emulator's node:http adapter decoding them, and VirusTotal's visit of a URL going over the wire. Virtual
 * time still drives the waits; each request is tracked until its body is read, so none travels while the
 * clock jumps.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { fresh } from '@/tests/support/engine-test-kit';
import { DEMO_API_KEY } from '@/tests/emulator/virustotal-emulator';
import { EICAR_SHA256, eicarBytes, markedMalwareBytes, sha256Hex } from '@/tests/emulator/fixtures';
import { POLL_INTERVAL_MS } from './scan-engine';

let h: Harness;
afterEach(async () => h?.close());

describe('over real HTTP', () => {
  it('a known file: one lookup, the key in its x-apikey header, the verdict', async () => {
    h = await createHarness({ transport: 'http' });
    expect(h.emulator.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const record = await h.result(await h.download('/eicar.com', eicarBytes()));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
    expect(h.emulator.requests).toMatchObject([{ method: 'GET', path: `/api/v3/files/${EICAR_SHA256}`, apiKey: DEMO_API_KEY, status: 200 }]);
  });

  it('an unknown file: a multipart upload Node’s fetch encoded, polls 15 s apart on the virtual clock', async () => {
    h = await createHarness({ transport: 'http', settings: { uploadUnknown: true }, emulator: { analysisPolls: 1 } });
    const bytes = markedMalwareBytes(fresh('wire'));
    const record = await h.result(await h.download('/dropper.exe', bytes, 'dröpper "1".exe'));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(h.emulator.uploads).toEqual([{ sha256: sha256Hex(bytes), name: 'dr_pper _1_.exe', size: bytes.byteLength, via: 'files' }]);
    const polls = h.emulator.requests.filter((r) => r.path.includes('/analyses/'));
    expect(polls).toHaveLength(2);
    expect(polls[1]!.at - polls[0]!.at).toBeGreaterThanOrEqual(POLL_INTERVAL_MS);
  });

  it('the URL fallback: a form-encoded submission, and VirusTotal’s visit reaches the site over HTTP', async () => {
    h = await createHarness({ transport: 'http', settings: { urlFallback: true }, emulator: { analysisPolls: 0 } });
    const url = h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } });
    const record = await h.result(await h.engine.scan({ source: { kind: 'download', url, downloadId: 3, expectedSize: 68 }, fileName: 'once.exe' }));
    expect(record).toMatchObject({ status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 });
    expect(h.emulator.urlSubmissions).toEqual([url]);
    expect(h.files.hits('/once.exe')).toBe(2);
  });

  it('refuses a hang fault: over HTTP its virtual timeout could never fire', async () => {
    h = await createHarness({ transport: 'http' });
    expect(() => h.emulator.injectFault({ kind: 'hang' })).toThrow(/in-process transport/);
  });
});
