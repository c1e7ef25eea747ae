/**
 * A tiny server that stands in for the sites downloads come from: each path serves fixed bytes, and can
 * refuse a number of times first (expired links, logins), serve only a number of times (one-time links),
 * answer only a POST (a form's download), or redirect; a path may also be a page (HTML) to click in. Its core answers a web `Request`
 * in-process (`createFileServer().handle`, for the simulation); `startFileServer()` serves it over node:http
 * on 127.0.0.1 (the end-to-end tests and the demo).
 */
import { serveOverHttp } from '../emulator/node-http-adapter';

export interface ServedFile {
  body: Uint8Array;
  /** Answer this status this many times before serving the body. */
  refuse?: { status: number; times: number };
  contentType?: string;
  /** Send a different body after the first request (content that changes between fetches). */
  thenBody?: Uint8Array;
  /** A redirect to this path instead of a body. */
  redirectTo?: string;
  /** Serve the body only to a request whose Cookie header has this `name=value` (a file behind a sign-in); else 403. */
  requireCookie?: string;
  /** Serve the body this many times, then answer 410 Gone (a one-time link: 1). */
  serveTimes?: number;
  /** Answer only this method (a form's target: 'POST'); any other gets 405. */
  method?: string;
  /** More response headers, e.g. `content-disposition`. */
  headers?: Record<string, string>;
}

export interface FileServer {
  origin: string;
  /** Serve `file` at `path`; returns its full URL. */
  serve(path: string, file: ServedFile): string;
  /** How many requests reached `path`. */
  hits(path: string): number;
  /** The Cookie header of each request that reached `path`, in order (null: none sent). */
  cookies(path: string): Array<string | null>;
  /** Answers one request in-process, as the HTTP server would. */
  handle(request: Request): Promise<Response>;
  close(): Promise<void>;
}

/** A page whose script builds a Blob of `bytes` and offers it as `<a id="save" download="name">`, as web apps do. */
export function blobDownloadPage(name: string, bytes: Uint8Array): ServedFile {
  const base64 = Buffer.from(bytes).toString('base64');
  return page(
    `<!doctype html><a id="save" download="${name}">Save</a><script>` +
      `const bytes = Uint8Array.from(atob('${base64}'), (c) => c.charCodeAt(0));` +
      `document.getElementById('save').href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));</script>`,
  );
}

/** A page with a form that POSTs to `action` when `#save` is pressed (its answer is a download). */
export function formDownloadPage(action: string): ServedFile {
  return page(`<!doctype html><form method="post" action="${action}"><input name="report" value="1"><button id="save">Download</button></form>`);
}

function page(html: string): ServedFile {
  return { body: new TextEncoder().encode(html), contentType: 'text/html' };
}

/** A file server answering in-process, pretending to live at `origin` (default http://127.0.0.1:40002). */
export function createFileServer(origin = 'http://127.0.0.1:40002'): FileServer {
  const base = new URL(origin).origin;
  const files = new Map<string, ServedFile>();
  const hits = new Map<string, number>();
  const cookies = new Map<string, Array<string | null>>();
  const answer = (request: Request): Response => {
    const path = new URL(request.url).pathname;
    const count = (hits.get(path) ?? 0) + 1;
    hits.set(path, count);
    const cookie = request.headers.get('cookie');
    cookies.set(path, [...(cookies.get(path) ?? []), cookie]);
    const file = files.get(path);
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    if (file.redirectTo) return new Response(null, { status: 302, headers: { location: file.redirectTo } });
    if (file.method && request.method !== file.method) return new Response('method not allowed', { status: 405, headers: { allow: file.method } });
    if (file.requireCookie && !(cookie ?? '').split(/;\s*/).includes(file.requireCookie)) {
      return new Response('<h1>Please sign in</h1>', { status: 403, headers: { 'content-type': 'text/html' } });
    }
    if (file.refuse && count <= file.refuse.times) {
      return new Response('<h1>Please log in</h1>', { status: file.refuse.status, headers: { 'content-type': 'text/html' } });
    }
    const served = count - (file.refuse?.times ?? 0);
    if (file.serveTimes !== undefined && served > file.serveTimes) return new Response('this link has expired', { status: 410, headers: { 'content-type': 'text/plain' } });
    const body = count > 1 && file.thenBody ? file.thenBody : file.body;
    return new Response(body.slice(), {
      status: 200,
      headers: { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': String(body.byteLength), ...file.headers },
    });
  };
  return {
    origin: base,
    serve(path, file) {
      files.set(path, file);
      return base + path;
    },
    hits: (path) => hits.get(path) ?? 0,
    cookies: (path) => cookies.get(path) ?? [],
    handle: async (request) => answer(request),
    close: async () => undefined,
  };
}

/** The file server over HTTP on a free port of 127.0.0.1. */
export async function startFileServer(): Promise<FileServer> {
  let core: FileServer | null = null;
  const http = await serveOverHttp((request) => core!.handle(request), { name: 'file-server' });
  core = createFileServer(http.origin);
  return { ...core, close: () => http.close() };
}
