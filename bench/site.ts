/**
 * The download site for the bench: files of random bytes written to a temporary folder and served from disk
 * over 127.0.0.1 with their Content-Length, like a static web server. The same files are what `sha256sum`
 * and `openssl` hash, so every reference reads exactly the bytes the extension reads. It can be throttled to
 * a link speed (figure 10: a download over ~50 Mbit/s, and fetching it again over the same link).
 */
import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface BenchFile {
  name: string;
  /** Absolute path on disk. */
  path: string;
  url: string;
  size: number;
  /** The bytes, while the caller needs them (e.g. to make the emulator know the file); may be dropped. */
  bytes: Buffer;
}

export interface BenchSite {
  origin: string;
  /** Writes `size` random bytes to a new file named `<stem>-<n>.bin` and serves it. */
  addFile(stem: string, size: number): Promise<BenchFile>;
  /** The same, with these bytes (a repeat of a file under another name). */
  addFileWithBytes(stem: string, bytes: Buffer): Promise<BenchFile>;
  /** Deletes a file from disk (it is then no longer served). */
  removeFile(file: BenchFile): Promise<void>;
  /** Serves every response from now on at most this fast (bytes per second), or at full speed (null). */
  throttle(bytesPerSecond: number | null): void;
  close(): Promise<void>;
}

/** Random bytes, filled in 64 MiB pieces (randomFillSync refuses more than 2 GiB at once). */
export function randomBytesOf(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  for (let offset = 0; offset < size; offset += 64 * 1_048_576) randomFillSync(bytes, offset, Math.min(64 * 1_048_576, size - offset));
  return bytes;
}

export async function startBenchSite(): Promise<BenchSite> {
  const dir = await mkdtemp(path.join(tmpdir(), 'scandock-bench-site-'));
  let counter = 0;
  let rate: number | null = null;
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const file = path.join(dir, path.basename(name));
    stat(file).then(
      (info) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(info.size) });
        if (rate === null) createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
        else void paced(file, res, rate).catch(() => res.destroy());
      },
      () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const addFileWithBytes = async (stem: string, bytes: Buffer): Promise<BenchFile> => {
    const name = `${stem}-${++counter}.bin`;
    const filePath = path.join(dir, name);
    await writeFile(filePath, bytes);
    return { name, path: filePath, url: `${origin}/${encodeURIComponent(name)}`, size: bytes.byteLength, bytes };
  };
  return {
    origin,
    addFile: (stem, size) => addFileWithBytes(stem, randomBytesOf(size)),
    addFileWithBytes,
    removeFile: (file) => rm(file.path, { force: true }),
    throttle(bytesPerSecond) {
      rate = bytesPerSecond;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when `res` can take more, or is gone (its listeners removed either way). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Sends `file` no faster than `rate` bytes per second, in 64 KiB pieces, each when the link would have carried it. */
async function paced(file: string, res: ServerResponse, rate: number): Promise<void> {
  const started = performance.now();
  let sent = 0;
  for await (const piece of createReadStream(file, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    if (res.destroyed) return;
    sent += piece.byteLength;
    const due = started + (sent / rate) * 1000 - performance.now();
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
    if (!res.write(piece)) await drained(res);
  }
  res.end();
}
