import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { failureOf } from '@/tests/support/scan-failures';
import { STREAM_HASH_FROM_BYTES, blobOfUrl, hashBlob, hashUrl, hashesWhileReading } from './hash-source';

const hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A fetch that answers `body` in pieces of `piece` bytes, with or without a Content-Length. */
function fetchOf(body: Uint8Array, { piece = 1000, length = true } = {}): typeof fetch {
  return (async () => {
    let offset = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (offset >= body.byteLength) return controller.close();
        controller.enqueue(body.slice(offset, offset + piece));
        offset += piece;
      },
    });
    return new Response(stream, { headers: length ? { 'content-length': String(body.byteLength) } : {} });
  }) as typeof fetch;
}


const URL_ = 'https://files.example/setup.exe';
const body = randomBytes(10_007);

describe('hashesWhileReading', () => {
  it('streams large files and files of unknown size, and leaves the rest to WebCrypto', () => {
    expect(hashesWhileReading(undefined)).toBe(true);
    expect(hashesWhileReading(0)).toBe(true);
    expect(hashesWhileReading(STREAM_HASH_FROM_BYTES)).toBe(true);
    expect(hashesWhileReading(STREAM_HASH_FROM_BYTES - 1)).toBe(false);
    expect(hashesWhileReading(1)).toBe(false);
  });
});

describe('hashUrl', () => {
  it('hashes a file of known size with WebCrypto, and keeps nothing', async () => {
    const options = { fetch: fetchOf(body), expectedSize: body.byteLength, maxSize: 1e9 };
    expect(await hashUrl(URL_, options)).toEqual({ sha256: hex(body), size: body.byteLength });
  });

  it('hashes a file of unknown size piece by piece as it arrives', async () => {
    for (const piece of [1, 63, 64, 65, 4096]) {
      const options = { fetch: fetchOf(body, { piece, length: false }), maxSize: 1e9 };
      expect(await hashUrl(URL_, options)).toEqual({ sha256: hex(body), size: body.byteLength });
    }
  });

  it('hashes data: URLs either way', async () => {
    const expected = hex(new TextEncoder().encode('hello'));
    expect((await hashUrl('data:text/plain;base64,aGVsbG8=', { fetch, maxSize: 100 })).sha256).toBe(expected);
    expect((await hashUrl('data:text/plain;base64,aGVsbG8=', { fetch, maxSize: 100, expectedSize: 5 })).sha256).toBe(expected);
  });

  it('keeps the size rules when streaming: the limit, the expected size, empty files', async () => {
    expect((await failureOf(hashUrl(URL_, { fetch: fetchOf(body, { length: false }), maxSize: 5000 }))).problem.code).toBe('source-too-large');
    expect((await failureOf(hashUrl(URL_, { fetch: fetchOf(body), maxSize: 1e12, expectedSize: STREAM_HASH_FROM_BYTES }))).problem.code).toBe('source-size-mismatch');
    expect((await failureOf(hashUrl(URL_, { fetch: fetchOf(new Uint8Array(0), { length: false }), maxSize: 100 }))).problem.code).toBe('source-empty');
  });
});

describe('hashBlob', () => {
  it('hashes a small picked file with WebCrypto', async () => {
    expect(await hashBlob(new Blob([body]))).toEqual({ sha256: hex(body), size: body.byteLength });
  });

  it('streams a picked file from the threshold on', async () => {
    const piece = randomBytes(1_048_576);
    const parts = Array.from({ length: STREAM_HASH_FROM_BYTES / piece.byteLength }, () => piece);
    const whole = createHash('sha256');
    for (const part of parts) whole.update(part);
    const streamed = await hashBlob(new Blob(parts));
    expect(streamed).toEqual({ sha256: whole.digest('hex'), size: STREAM_HASH_FROM_BYTES });
  });
});

describe('reading a byte stream (Chromium’s fetch bodies), into buffers ScanDock owns', () => {
  /** A fetch whose body is a byte stream answering each read with at most `piece` bytes. */
  function byteFetchOf(body: Uint8Array, { piece = 1000, declare = body.byteLength as number | null } = {}): typeof fetch {
    return (async () => {
      let offset = 0;
      const stream = new ReadableStream({
        type: 'bytes',
        pull(controller) {
          if (offset >= body.byteLength) {
            controller.close();
            controller.byobRequest?.respond(0);
            return;
          }
          const request = controller.byobRequest;
          if (request?.view) {
            const view = new Uint8Array(request.view.buffer, request.view.byteOffset, request.view.byteLength);
            const n = Math.min(piece, view.byteLength, body.byteLength - offset);
            view.set(body.subarray(offset, offset + n));
            offset += n;
            request.respond(n);
          } else {
            controller.enqueue(body.slice(offset, offset + piece));
            offset += piece;
          }
        },
      });
      return new Response(stream, { headers: declare === null ? {} : { 'content-length': String(declare) } });
    }) as typeof fetch;
  }

  it('reads the exact bytes into a Blob for an upload, whether the length is declared, missing, short or exceeded', async () => {
    for (const [declare, piece] of [[body.byteLength, 1000], [null, 333], [body.byteLength, 7], [4000, 1000], [null, 1 << 20]] as const) {
      const expectedSize = declare === null ? undefined : body.byteLength;
      const read = await blobOfUrl(URL_, { fetch: byteFetchOf(body, { piece, declare }), maxSize: 1e9, ...(expectedSize ? { expectedSize } : {}) });
      expect(read).toMatchObject({ sha256: hex(body), size: body.byteLength });
      expect(Buffer.from(await read.blob.arrayBuffer()).equals(body)).toBe(true);
    }
  });

  it('streams without keeping, and a body shorter than the download is a mismatch, not a crash', async () => {
    expect(await hashUrl(URL_, { fetch: byteFetchOf(body, { piece: 4096, declare: null }), maxSize: 1e9 })).toEqual({ sha256: hex(body), size: body.byteLength });
    const short = await failureOf(blobOfUrl(URL_, { fetch: byteFetchOf(body, { declare: body.byteLength + 100 }), maxSize: 1e9, expectedSize: body.byteLength + 100 }));
    expect(short.problem.code).toBe('source-size-mismatch');
    expect((await failureOf(hashUrl(URL_, { fetch: byteFetchOf(body, { declare: null }), maxSize: 5000 }))).problem.code).toBe('source-too-large');
  });
});
