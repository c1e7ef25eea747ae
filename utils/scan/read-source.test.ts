import { describe, expect, it } from 'vitest';
import { translateIn } from '@/tests/support/locale-messages';
import { createSimClock, type SimClock } from '@/tests/support/sim/sim-clock';
import { createSimulation } from '@/tests/support/sim/sim-driver';
import { createSimNetwork } from '@/tests/support/sim/sim-network';
import { failureOf } from '@/tests/support/scan-failures';
import { renderProblem } from '../problems/render-problem';
import { baseName, blobUrl, decodeDataUrl, fileNameFromDisposition, fileNameFromUrl, readUrl } from './read-source';

const noFetch = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;
const opts = { fetch: noFetch, maxSize: 1000 };
const english = (failure: { problem: Parameters<typeof renderProblem>[1] }) => renderProblem('error', failure.problem, translateIn('en'), 'en');

describe('readUrl', () => {
  it('decodes data: URLs, base64 and percent-encoded', async () => {
    expect(new TextDecoder().decode((await readUrl('data:text/plain;base64,aGVsbG8=', opts)).bytes)).toBe('hello');
    expect(new TextDecoder().decode((await readUrl('data:,a%20b', opts)).bytes)).toBe('a b');
  });

  it.each(['data:text/plain;base64', 'data:;base64,@@@@', 'data:,%E0%A4%A'])('refuses the malformed data: URL %s', (url) => {
    expect(() => decodeDataUrl(url)).toThrow(/^source-malformed /);
  });

  it.each([
    ['blob:https://x/1', 'blob:'],
    ['file:///etc/passwd', 'file:'],
    ['ftp://x/y', 'ftp:'],
    ['javascript:alert(1)', 'javascript:'],
    ['chrome://settings', 'chrome:'],
  ])('refuses %s with a way out', async (url, scheme) => {
    const failure = await failureOf(readUrl(url, opts));
    expect(failure.problem).toEqual({ code: 'source-unsupported', params: { scheme } });
    expect(english(failure)).toMatch(new RegExp(`cannot read “${scheme}” addresses.*Scan files`));
  });

  it('reads a file: address only when it is a download’s saved file, into one buffer of the download’s size', async () => {
    const bytes = new TextEncoder().encode('saved by the browser');
    const requested: string[] = [];
    // As Chrome answers a file: fetch: 200, no Content-Length.
    const disk = (async (url: string) => {
      requested.push(url);
      return new Response(bytes.slice(), { status: 200 });
    }) as typeof fetch;
    expect((await failureOf(readUrl('file:///home/me/a.txt', { ...opts, fetch: disk }))).problem).toEqual({ code: 'source-unsupported', params: { scheme: 'file:' } });
    expect(requested).toEqual([]);
    const read = await readUrl('file:///home/me/a.txt', { ...opts, fetch: disk, disk: true, expectedSize: bytes.byteLength });
    expect(new TextDecoder().decode(read.bytes)).toBe('saved by the browser');
    expect(read.bytes.buffer.byteLength).toBe(bytes.byteLength);
    expect((await failureOf(readUrl('file:///home/me/a.txt', { ...opts, fetch: disk, disk: true, expectedSize: 5 }))).problem).toMatchObject({ code: 'source-size-mismatch', params: { gotBytes: 20, expectedBytes: 5 } });
  });

  it('refuses empty files, files over the limit and length mismatches, saying the sizes', async () => {
    expect((await failureOf(readUrl('data:,', opts))).problem).toEqual({ code: 'source-empty', params: {} });
    expect((await failureOf(readUrl(`data:,${'x'.repeat(1001)}`, opts))).problem).toEqual({ code: 'source-too-large', params: { sizeBytes: 1001, maxBytes: 1000 } });
    const mismatch = await failureOf(readUrl('data:,abc', { ...opts, expectedSize: 4 }));
    expect(mismatch.problem).toEqual({ code: 'source-size-mismatch', params: { gotBytes: 3, expectedBytes: 4 } });
    expect(english(mismatch)).toMatch(/^The server sent 3 B this time, but the download had 4 B/);
  });

  it('says when the server cannot be reached, and which', async () => {
    const failure = await failureOf(readUrl('https://files.example/a.exe', opts));
    expect(failure.problem).toEqual({ code: 'source-unreachable', params: { host: 'files.example' } });
    expect(english(failure)).toMatch(/^Could not fetch the file again from files\.example/);
  });

  it('says which HTTP status the server answered', async () => {
    const fetch403 = (async () => new Response('no', { status: 403 })) as typeof fetch;
    const failure = await failureOf(readUrl('https://files.example/a.exe', { ...opts, fetch: fetch403 }));
    expect(failure).toMatchObject({ problem: { code: 'source-http-status', params: { host: 'files.example', status: 403 } }, httpStatus: 403 });
    expect(english(failure)).toMatch(/^files\.example answered HTTP 403 .*login.*expired/);
  });

  it('says how long a silent server was waited for, and whether it sent nothing or stopped', async () => {
    const silent = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const none = await failureOf(readUrl('https://files.example/a.exe', { ...opts, fetch: silent, timeoutMs: 20 }));
    expect(none.problem).toEqual({ code: 'source-timeout', params: { host: 'files.example', seconds: 0 } });
    // Three bytes, then nothing until the read is given up on (a real fetch's body fails when its signal aborts).
    const stalling = (async (_url: string, init?: RequestInit) =>
      new Response(
        new ReadableStream({
          start(c) {
            c.enqueue(new Uint8Array(3));
            init?.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
          },
        }),
      )) as typeof fetch;
    const stalled = await failureOf(readUrl('https://files.example/a.exe', { ...opts, fetch: stalling, timeoutMs: 20 }));
    expect(stalled.problem).toEqual({ code: 'source-stalled', params: { host: 'files.example', seconds: 0 } });
  });

  it('stops reading a body without a length once it passes the limit', async () => {
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new Uint8Array(400));
      },
    });
    const endless = (async () => new Response(stream)) as typeof fetch;
    expect((await failureOf(readUrl('https://files.example/big', { ...opts, fetch: endless }))).problem.code).toBe('source-too-large');
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
      expect(failure.problem).toEqual({ code: 'source-stalled', params: { host: 'files.example', seconds: 30 } });
      expect(clock.now()).toBe(100_000 + 2 * 20_000 + 30_000);
    } finally {
      sim.stop();
    }
  });
});

describe('blobUrl: a download’s saved file as a Blob for its upload', () => {
  const saved = new TextEncoder().encode('the saved file, as the browser wrote it');
  const FILE = 'file:///home/me/Downloads/setup.exe';

  /** As Chrome answers a file: fetch (200, no Content-Length); counts the bodies taken whole by `Response.blob()`. */
  function diskOf(bytes: Uint8Array, blob: () => Promise<Blob> = async () => new Blob([bytes.slice()])) {
    const taken = { whole: 0 };
    const fetch = (async (_url: string, init?: RequestInit) => {
      const response = new Response(bytes.slice(), { status: 200 });
      // As a browser's: aborting the fetch breaks off reading its body.
      response.blob = () => {
        taken.whole++;
        const aborted = new Promise<never>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
        return Promise.race([blob(), aborted]);
      };
      return response;
    }) as typeof globalThis.fetch;
    return { fetch, taken };
  }

  const collect = () => {
    const pieces: Uint8Array[] = [];
    return { pieces, onData: (piece: Uint8Array) => void pieces.push(piece.slice()), all: () => new Uint8Array(pieces.flatMap((p) => [...p])) };
  };

  it('lets the browser fill the Blob, then hands its bytes to onData (to hash them)', async () => {
    const disk = diskOf(saved);
    const seen = collect();
    const result = await blobUrl(FILE, { ...opts, fetch: disk.fetch, disk: true, expectedSize: saved.byteLength, onData: seen.onData });
    expect(disk.taken.whole).toBe(1);
    expect(result.size).toBe(saved.byteLength);
    expect(new Uint8Array(await result.blob.arrayBuffer())).toEqual(saved);
    expect(seen.all()).toEqual(saved);
  });

  it('streams a server’s body into the Blob as it arrives (only a stream shows a silent server)', async () => {
    const disk = diskOf(saved);
    const seen = collect();
    const result = await blobUrl('https://files.example/setup.exe', { ...opts, fetch: disk.fetch, expectedSize: saved.byteLength, onData: seen.onData });
    expect(disk.taken.whole).toBe(0);
    expect(new Uint8Array(await result.blob.arrayBuffer())).toEqual(saved);
    expect(seen.all()).toEqual(saved);
  });

  it('refuses a saved file of another size, or over the limit, before a byte goes to onData', async () => {
    const seen = collect();
    const mismatch = await failureOf(blobUrl(FILE, { ...opts, fetch: diskOf(saved).fetch, disk: true, expectedSize: 5, onData: seen.onData }));
    expect(mismatch.problem).toEqual({ code: 'source-size-mismatch', params: { gotBytes: saved.byteLength, expectedBytes: 5 } });
    const tooLarge = await failureOf(blobUrl(FILE, { ...opts, maxSize: 10, fetch: diskOf(saved).fetch, disk: true, onData: seen.onData }));
    expect(tooLarge.problem).toEqual({ code: 'source-too-large', params: { sizeBytes: saved.byteLength, maxBytes: 10 } });
    expect(seen.pieces).toEqual([]);
  });

  it('reads file: only for a download’s saved file, and says when the read broke off', async () => {
    expect((await failureOf(blobUrl(FILE, { ...opts, fetch: diskOf(saved).fetch, onData: () => undefined }))).problem).toEqual({ code: 'source-unsupported', params: { scheme: 'file:' } });
    const broken = diskOf(saved, () => Promise.reject(new TypeError('Failed to fetch')));
    expect((await failureOf(blobUrl(FILE, { ...opts, fetch: broken.fetch, disk: true, expectedSize: saved.byteLength, onData: () => undefined }))).problem.code).toBe('source-interrupted');
  });

  it('gives `Response.blob()`, which reports no progress, time for the file’s size; a read that never ends still ends', async () => {
    const sim = createSimulation({ clock: createSimClock(0) });
    try {
      const { clock } = sim;
      const size = 200 * 1024; // at the slowest disk speed allowed (1 MiB/s): 200 ms
      const bytes = new Uint8Array(size);
      // The blob comes 30.1 s in: past the 30 s silence, within it plus the size's allowance (200 ms).
      const slow = diskOf(bytes, async () => {
        await clock.sleep(30_100);
        return new Blob([bytes]);
      });
      const big = { ...opts, maxSize: 1e9, clock, timeoutMs: 30_000, disk: true, expectedSize: size, onData: () => undefined };
      const read = await sim.run(blobUrl(FILE, { ...big, fetch: slow.fetch }));
      expect(read.size).toBe(size);
      expect(clock.now()).toBe(30_100);

      const never = diskOf(bytes, () => new Promise<Blob>(() => undefined));
      const failure = await sim.run(failureOf(blobUrl(FILE, { ...big, fetch: never.fetch })));
      expect(failure.problem).toEqual({ code: 'source-stalled', params: { host: FILE, seconds: 30 } });
      expect(clock.now()).toBe(30_100 + 30_000 + 200);
    } finally {
      sim.stop();
    }
  });
});
