/**
 * The simulation's network: a `fetch` that hands each request, as a web `Request`, to the in-process server
 * of its origin (the VirusTotal emulator, the file server, a hostile site) and returns that server's
 * `Response`. No socket, no real time: a request reaches its server in the same turn it is sent, so requests
 * sent together arrive in the order they were sent, every run.
 *
 * It keeps the parts of fetch the product relies on: `redirect` ('follow' up to 20 hops, then a TypeError;
 * 'error'; 'manual' returns the 3xx itself, as Node's fetch does), `signal` (an abort rejects the fetch, or
 * errors the body being read, with the signal's reason), request bodies (anything `Request` takes: FormData,
 * URLSearchParams, Blob) and response bodies as byte streams. An origin nobody serves fails like a network
 * error. `credentials`, `cache` and `mode` are accepted and ignored (there are no cookies or caches here).
 */
import { guardResponse } from './guarded-body';
import type { SimClock } from './sim-clock';

/** An in-process server: answers a request, or rejects as the network would (reset, hang then abort). */
export type RequestHandler = (request: Request) => Response | Promise<Response>;

export interface SimNetwork {
  fetch: typeof fetch;
  /** Serve `origin` (e.g. http://127.0.0.1:40001) with `handler`. */
  route(origin: string, handler: RequestHandler): void;
}

const MAX_REDIRECTS = 20;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Node's fetch says "fetch failed" for every network-level failure, with the reason as the cause. */
const networkError = (why: string) => new TypeError('fetch failed', { cause: new Error(why) });

/** A network over `clock`: a timeout signal whose fetch is over has its timer dropped (see SimClock.dropTimeout). */
export function createSimNetwork(clock: SimClock): SimNetwork {
  const routes = new Map<string, RequestHandler>();
  /** Fetches under way per signal: a timeout is dropped only once none of them needs it. */
  const using = new Map<AbortSignal, number>();

  const hold = (signal: AbortSignal | null) => {
    if (signal) using.set(signal, (using.get(signal) ?? 0) + 1);
  };
  const release = (signal: AbortSignal | null) => {
    if (!signal) return;
    const left = (using.get(signal) ?? 1) - 1;
    if (left > 0) {
      using.set(signal, left);
      return;
    }
    using.delete(signal);
    clock.dropTimeout(signal);
  };

  /** One hop: the server's answer, or the signal's reason if it aborts first. */
  function send(request: Request, signal: AbortSignal | null): Promise<Response> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const handler = routes.get(new URL(request.url).origin);
    if (!handler) return Promise.reject(networkError(`nothing serves ${new URL(request.url).origin} in the simulation`));
    let answer: Promise<Response>;
    try {
      answer = Promise.resolve(handler(request));
    } catch (error) {
      answer = Promise.reject(error);
    }
    if (!signal) return answer;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        // The answer may still come: nobody reads it.
        answer.then((late) => late.body?.cancel().catch(() => undefined), () => undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      answer.then(
        (response) => {
          signal.removeEventListener('abort', onAbort);
          resolve(response);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  async function follow(first: Request, signal: AbortSignal | null): Promise<Response> {
    let request = first;
    for (let hop = 0; ; hop++) {
      // A 307/308 sends the body again: keep a copy before the server reads it.
      const spare = request.redirect === 'follow' && request.body !== null ? request.clone() : null;
      const response = await send(request, signal);
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null || request.redirect === 'manual') {
        return guardResponse(response, signal, () => release(signal), { url: request.url, redirected: hop > 0 });
      }
      await response.body?.cancel();
      if (request.redirect === 'error') throw networkError('unexpected redirect');
      if (hop >= MAX_REDIRECTS) throw networkError('redirect count exceeded');
      const next = new URL(location, request.url).href;
      // As fetch does: 303, and 301/302 after a POST, become a GET without a body.
      const asGet = response.status === 303 ? request.method !== 'HEAD' : (response.status === 301 || response.status === 302) && request.method === 'POST';
      const keepBody = !asGet && spare !== null;
      const init: RequestInit & { duplex?: 'half' } = {
        method: asGet ? 'GET' : request.method,
        headers: request.headers,
        redirect: request.redirect,
        signal,
        body: keepBody ? spare.body : null,
        ...(keepBody ? { duplex: 'half' as const } : {}),
      };
      if (asGet) {
        const headers = new Headers(request.headers);
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
        init.headers = headers;
      }
      request = new Request(next, init);
    }
  }

  const simFetch: typeof fetch = async (input, init) => {
    const signal = init?.signal ?? (input instanceof Request ? input.signal : null);
    hold(signal);
    try {
      // The server sees the signal too (a hanging one gives up when it aborts).
      return await follow(new Request(input, init), signal);
    } catch (error) {
      release(signal);
      throw error;
    }
  };

  return {
    fetch: simFetch,
    route(origin, handler) {
      routes.set(new URL(origin).origin, handler);
    },
  };
}
