/**
 * A download site that misbehaves in ways the plain file server cannot: it never answers, stops halfway
 * through a body, declares a size it never sends (700 MB without allocating it), or streams without a
 * length. In-process, on the simulation's network (`Harness.hostile()`): its bodies come as fast as the
 * reader pulls, and a silence lasts until the reader's timeout fires on the virtual clock.
 */

export type HostileBehaviour =
  /** Accepts the request and never answers. */
  | { kind: 'hang' }
  /** Sends headers and the first `sent` of `declared` bytes, then goes silent. */
  | { kind: 'stall'; declared: number; sent: number }
  /** Declares `declared` bytes and sends zeros as they are read, until the client gives up (nothing big is allocated). */
  | { kind: 'huge'; declared: number }
  /** No Content-Length: sends `chunk`-byte pieces as they are read, until `total` bytes or until the client gives up. */
  | { kind: 'endless'; chunk: number; total: number };

export interface HostileServer {
  origin: string;
  /** Serve `behaviour` at `path`; returns its full URL. */
  serve(path: string, behaviour: HostileBehaviour): string;
  /** Requests that reached `path`. */
  hits(path: string): number;
  /** Bytes of `path`'s answers handed to the reader so far. */
  bytesSent(path: string): number;
  /** Answers one request in-process. */
  handle(request: Request): Promise<Response>;
}

const PIECE = 64 * 1024;

/** A hostile site pretending to live at `origin`. */
export function createHostileServer(origin = 'http://127.0.0.1:40003'): HostileServer {
  const base = new URL(origin).origin;
  const routes = new Map<string, HostileBehaviour>();
  const hits = new Map<string, number>();
  const sent = new Map<string, number>();
  const count = (path: string, bytes: number) => sent.set(path, (sent.get(path) ?? 0) + bytes);

  /** A body of `limit` zero bytes in `chunk`-byte pieces, each made only when the reader asks for it. */
  const lazyZeros = (path: string, chunk: number, limit: number) => {
    let written = 0;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (written >= limit) return controller.close();
        const size = Math.min(chunk, limit - written);
        written += size;
        count(path, size);
        controller.enqueue(new Uint8Array(size));
      },
    });
  };

  const answer = (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const behaviour = routes.get(path);
    if (!behaviour) return Promise.resolve(new Response(null, { status: 404 }));
    const octets = { 'content-type': 'application/octet-stream' };
    switch (behaviour.kind) {
      case 'hang':
        // Nothing, until the client gives up.
        return new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));
      case 'stall': {
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            count(path, behaviour.sent);
            controller.enqueue(new Uint8Array(behaviour.sent));
          },
          pull: () => new Promise(() => undefined), // silent for ever
        });
        return Promise.resolve(new Response(body, { headers: { ...octets, 'content-length': String(behaviour.declared) } }));
      }
      case 'huge':
        return Promise.resolve(new Response(lazyZeros(path, PIECE, behaviour.declared), { headers: { ...octets, 'content-length': String(behaviour.declared) } }));
      case 'endless':
        return Promise.resolve(new Response(lazyZeros(path, behaviour.chunk, behaviour.total), { headers: octets }));
    }
  };

  return {
    origin: base,
    serve(path, behaviour) {
      routes.set(path, behaviour);
      return base + path;
    },
    hits: (path) => hits.get(path) ?? 0,
    bytesSent: (path) => sent.get(path) ?? 0,
    handle: answer,
  };
}
