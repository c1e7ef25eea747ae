/**
 * The download site for the bench: files of random bytes written to a temporary folder and served from disk
 * over 127.0.0.1 with their Content-Length, like a static web server. The same files are what `sha256sum`
 * and `openssl` hash, so every reference reads exactly the bytes the extension reads.
 */
import { randomFillSync } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
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
  const server = createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    const file = path.join(dir, path.basename(name));
    stat(file).then(
      (info) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(info.size) });
        createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
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
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
