/**
 * A download site that misbehaves in ways the plain file server cannot: it never answers, stops halfway
 * through a body, declares a size it never sends (700 MB without allocating it), streams without a length,
 * or redirects for ever. For the engine's bad-input and timeout tests.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type HostileBehaviour =
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Sends headers and the first `sent` of `declared` bytes, then goes silent. */
  | { kind: 'stall'; declared: number; sent: number }
  /** Declares `declared` bytes and streams zeros slowly until the client gives up (nothing big is allocated). */
  | { kind: 'huge'; declared: number }
  /** No Content-Length: streams `chunk`-byte pieces until `total` bytes or until the client gives up. */
  | { kind: 'endless'; chunk: number; total: number };

export interface HostileServer {
  origin: string;
  /** Serve `behaviour` at `path`; returns its full URL. */
  serve(path: string, behaviour: HostileBehaviour): string;
  /** Requests that reached `path`. */
  hits(path: string): number;
  /** Bytes written to `path`'s answers so far. */
  bytesSent(path: string): number;
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const routes = new Map<string, HostileBehaviour>();
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const write = (path: string, res: ServerResponse, bytes: number): boolean => {
    sent.set(path, (sent.get(path) ?? 0) + bytes);
    return res.write(Buffer.alloc(bytes));
  };

  /** Writes `chunk` bytes every few ms until `limit` or the connection closes. */
  const trickle = (path: string, res: ServerResponse, chunk: number, limit: number) => {
    let written = 0;
    const tick = () => {
      if (res.destroyed || written >= limit) {
        if (!res.destroyed) res.end();
        return;
      }
      const size = Math.min(chunk, limit - written);
      written += size;
      write(path, res, size);
      const timer = setTimeout(() => {
        timers.delete(timer);
        tick();
      }, 2);
      timers.add(timer);
    };
    tick();
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const behaviour = routes.get(path);
    if (!behaviour) {
      res.writeHead(404).end();
      return;
    }
    switch (behaviour.kind) {
      case 'hang':
        return;
      case 'stall':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(behaviour.declared) });
        write(path, res, behaviour.sent);
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(behaviour.declared) });
        trickle(path, res, 64 * 1024, behaviour.declared);
        return;
      case 'endless':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        trickle(path, res, behaviour.chunk, behaviour.total);
        return;
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, behaviour) {
      routes.set(path, behaviour);
      return origin + path;
    },
    hits: (path) => hits.get(path) ?? 0,
    bytesSent: (path) => sent.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
