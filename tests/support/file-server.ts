/**
 * A tiny HTTP server on 127.0.0.1 that stands in for the sites downloads come from: each path serves
 * fixed bytes, and can refuse a number of times first (expired links, logins) or lie about its length.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Uint8Array;
  /** Answer this status this many times before serving the body. */
  refuse?: { status: number; times: number };
  contentType?: string;
  /** Send a different body after the first request (content that changes between fetches). */
  thenBody?: Uint8Array;
  /** A redirect to this path instead of a body. */
  redirectTo?: string;
}

export interface FileServer {
  origin: string;
  /** Serve `file` at `path`; returns its full URL. */
  serve(path: string, file: ServedFile): string;
  /** How many requests reached `path`. */
  hits(path: string): number;
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const files = new Map<string, ServedFile>();
  const hits = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (file.redirectTo) {
      res.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    if (file.refuse && count <= file.refuse.times) {
      res.writeHead(file.refuse.status, { 'content-type': 'text/html' }).end('<h1>Please log in</h1>');
      return;
    }
    const body = count > 1 && file.thenBody ? file.thenBody : file.body;
    res.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': String(body.byteLength) });
    res.end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, file) {
      files.set(path, file);
      return origin + path;
    },
    hits: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
