import { describe, expect, it } from 'vitest';
import { createSimClock, type SimClock } from '@/tests/support/sim/sim-clock';
import { createSimulation } from '@/tests/support/sim/sim-driver';
import { createSimNetwork } from '@/tests/support/sim/sim-network';
import { failureOf } from '@/tests/support/scan-failures';
import { baseName, decodeDataUrl, fileNameFromDisposition, fileNameFromUrl, readUrl } from './read-source';

const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;
const opts = { fetch: noFetch, maxSize: 1000 };

describe('readUrl', () => {
  it('decodes data: URLs, base64 and percent-encoded', async () => {
    expect(new TextDecoder().decode((await readUrl('data:text/plain;base64,aGVsbG8=', opts)).bytes)).toBe('hello');
    expect(new TextDecoder().decode((await readUrl('data:,a%20b', opts)).bytes)).toBe('a b');
  });

  it.each(['data:text/plain;base64', 'data:;base64,@@@@', 'data:,%E0%A4%A'])('refuses the malformed data: URL %s', (url) => {
    expect(() => decodeDataUrl(url)).toThrow(/malformed/);
  });

  it.each(['blob:https://x/1', 'file:///etc/passwd', 'ftp://x/y', 'javascript:alert(1)', 'chrome://settings'])(
    'refuses %s with a way out',
    async (url) => {
      const failure = await failureOf(readUrl(url, opts));
      expect(failure.code).toBe('source-unsupported');
      expect(failure.message).toMatch(/Scan files/);
    },
  );

  it('refuses empty files, files over the limit and length mismatches', async () => {
    expect((await failureOf(readUrl('data:,', opts))).code).toBe('source-empty');
    expect((await failureOf(readUrl(`data:,${'x'.repeat(1001)}`, opts))).code).toBe('source-too-large');
    expect((await failureOf(readUrl('data:,abc', { ...opts, expectedSize: 4 }))).code).toBe('source-size-mismatch');
  });

  it('says when the server cannot be reached', async () => {
    const failure = await failureOf(readUrl('https://files.example/a.exe', opts));
    expect(failure.code).toBe('source-unreachable');
    expect(failure.message).toContain('files.example');
  });

  it('says which HTTP status the server answered', async () => {
    const fetch403 = (async () => new Response('no', { status: 403 })) as typeof fetch;
    const failure = await failureOf(readUrl('https://files.example/a.exe', { ...opts, fetch: fetch403 }));
    expect(failure).toMatchObject({ code: 'source-http-status', httpStatus: 403 });
    expect(failure.message).toMatch(/login|expired/);
  });

  it('stops reading a body without a length once it passes the limit', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(400));
      },
    });
    const endless = (async () => new Response(stream)) as typeof fetch;
    expect((await failureOf(readUrl('https://files.example/big', { ...opts, fetch: endless }))).code).toBe('source-too-large');
  });
});

describe('file names', () => {
  it('come from Content-Disposition, the URL, or the path on disk', () => {
    expect(fileNameFromDisposition('attachment; filename="setup.exe"')).toBe('setup.exe');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''%ED%8C%8C%EC%9D%BC.zip")).toBe('파일.zip');
    expect(fileNameFromUrl('https://x.example/a/b%20c.zip?token=1')).toBe('b c.zip');
    expect(fileNameFromUrl('https://x.example/')).toBe('x.example');
    expect(baseName('C:\\Users\\me\\Downloads\\a.exe')).toBe('a.exe');
    expect(baseName('/home/me/Downloads/b.exe')).toBe('b.exe');
  });
});

describe('a download site that goes silent (timed on the clock it is given)', () => {
  /** A site on a simulated network sending `pieces` pieces of 100 bytes, `gapMs` apart on the virtual clock, then nothing. */
  function slowSite(clock: SimClock, pieces: number, gapMs: number, declared: number): typeof fetch {
    const net = createSimNetwork(clock);
    net.route('https://files.example', () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === pieces) return new Promise<void>(() => undefined);
          await clock.sleep(gapMs);
          sent++;
          controller.enqueue(new Uint8Array(100));
          if (sent * 100 === declared) controller.close();
        },
      });
      return new Response(body, { headers: { 'content-length': String(declared) } });
    });
    return net.fetch;
  }

  it('a slow but steady body is read to the end; a body that stops is given up on `timeoutMs` after its last piece', async () => {
    const sim = createSimulation({ clock: createSimClock(0) });
    try {
      const { clock } = sim;
      const steady = readUrl('https://files.example/slow.bin', { ...opts, clock, timeoutMs: 30_000, fetch: slowSite(clock, 5, 20_000, 500) });
      expect((await sim.run(steady)).bytes).toHaveLength(500);
      expect(clock.now()).toBe(100_000);

      const stopping = failureOf(readUrl('https://files.example/stops.bin', { ...opts, clock, timeoutMs: 30_000, fetch: slowSite(clock, 2, 20_000, 500) }));
      const failure = await sim.run(stopping);
      expect(failure.code).toBe('source-unreachable');
      expect(failure.message).toMatch(/stopped sending for 30 s/);
      expect(clock.now()).toBe(100_000 + 2 * 20_000 + 30_000);
    } finally {
      sim.stop();
    }
  });
});
