/**
 * Serves a `(Request) => Promise<Response>` handler over node:http on 127.0.0.1: the thin layer that turns
 * the in-process VirusTotal emulator (and the test file server) into real servers for the end-to-end tests,
 * `npm run emulator`, the demo and the benchmark.
 *
 * A handler that rejects means "no HTTP answer": the connection is destroyed (a reset, or a hang that was
 * given up on). The request's signal aborts when the client goes away before the answer is sent.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Answers one request, or rejects to drop the connection. */
export type HttpHandler = (request: Request) => Promise<Response>;

export interface HttpServing {
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

export interface ServeOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Names the server in logged errors. */
  name?: string;
  /**
   * Told once for each request the handler answered: `written` true just before the answer's last piece is
   * handed to the socket (`res.end()`; not on 'finish', which a busy event loop may emit after the client
   * already read the answer), false when the connection closed before that.
   */
  onAnswered?(request: Request, written: boolean): void;
}

/** Listens on 127.0.0.1 (`port` 0: a free one) and hands each request to `handle`. */
export async function serveOverHttp(handle: HttpHandler, options: ServeOptions = {}): Promise<HttpServing> {
  const sockets = new Set<Socket>();
  let origin = '';
  const server = createServer((req, res) => {
    const gone = new AbortController();
    const request = toRequest(req, origin, gone.signal);
    let answered = false;
    let told = false;
    const tell = (written: boolean) => {
      if (told) return;
      told = true;
      options.onAnswered?.(request, written);
    };
    // 'close' before the answer was sent: the client went away.
    res.once('close', () => {
      if (res.writableFinished) return;
      gone.abort(new DOMException('The client went away', 'AbortError'));
      if (answered) tell(false);
    });
    handle(request).then(
      (response) => {
        answered = true;
        return send(response, req, res, () => tell(!res.destroyed));
      },
      () => {
        // No answer: the connection goes, as when a proxy resets it.
        res.socket?.destroy();
      },
    ).catch((error: unknown) => {
      console.error(`[${options.name ?? 'server'}]`, error);
      res.socket?.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closing: Promise<void> | null = null;
  return {
    origin,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive and hanging connections would keep server.close() waiting for ever.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * The incoming message as a web Request. Its body is read on demand; cancelling it (a body refused as too
 * large) drains the rest instead of destroying the connection, so the client still gets the answer.
 */
function toRequest(req: IncomingMessage, origin: string, signal: AbortSignal): Request {
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody
    ? new ReadableStream<Uint8Array>({
      start(controller) {
        req.pause();
        req.on('data', (chunk: Buffer) => {
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once('end', () => controller.close());
        req.once('error', (error) => controller.error(error));
        // Closed before the end: the client gave up halfway through its body.
        req.once('close', () => {
          if (!req.complete) controller.error(new Error('the request body ended early'));
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        req.removeAllListeners('data');
        req.resume();
      },
    })
    : null;
  const init: RequestInit & { duplex?: 'half' } = { method, headers, signal, ...(body ? { body, duplex: 'half' } : {}) };
  return new Request(new URL(req.url ?? '/', origin), init);
}

/** Writes `response` to `res` (`ended` just before its last piece goes to the socket), then lets any request body nobody read drain. */
async function send(response: Response, req: IncomingMessage, res: ServerResponse, ended: () => void): Promise<void> {
  if (res.destroyed) return ended();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  res.writeHead(response.status, headers);
  // One piece is held back until the next is read, so the last one leaves with res.end(): no byte of the
  // answer reaches the client before `ended` is told (a busy event loop may take a while to read "done").
  let last: Uint8Array | undefined;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        break;
      }
      if (last) res.write(last);
      last = value;
    }
  }
  // Told just before the last piece leaves, never after: a pause of this process (GC, a busy loop) between
  // writing and telling could otherwise put the stamp after the client already had the whole answer.
  ended();
  res.end(res.destroyed ? undefined : last);
  if (!req.complete) req.resume();
}
