/**
 * A response body as fetch hands it over: a byte stream (so BYOB readers work, as with Chromium's and Node's
 * fetch) that errors with the request signal's reason if the signal aborts while the body is read, and
 * that says when it is over (read to the end, cancelled or broken).
 */

/** `response` with its body guarded by `signal`; `done` is called once, when the body is over. */
export function guardResponse(response: Response, signal: AbortSignal | null, done: () => void, meta: { url: string; redirected: boolean }): Response {
  const body = response.body === null ? null : guardedBody(response.body, signal, done);
  if (body === null) done();
  const guarded = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  // Set by fetch itself on a real response; a constructed one has '' and false.
  Object.defineProperty(guarded, 'url', { value: meta.url });
  Object.defineProperty(guarded, 'redirected', { value: meta.redirected });
  return guarded;
}

function guardedBody(source: ReadableStream<Uint8Array>, signal: AbortSignal | null, done: () => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let over = false;
  let controller: ReadableByteStreamController | null = null;
  const finish = () => {
    if (over) return;
    over = true;
    signal?.removeEventListener('abort', onAbort);
    done();
  };
  // Like fetch: an abort errors the body at once, even in the middle of a read that waits for data.
  const onAbort = () => {
    if (over) return;
    controller?.error(signal?.reason);
    reader.cancel(signal?.reason).catch(() => undefined);
    finish();
  };
  return new ReadableStream({
    type: 'bytes',
    start(c) {
      controller = c;
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    },
    async pull(c) {
      for (;;) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          finish();
          throw error;
        }
        if (over) return;
        if (result.done) {
          c.close();
          c.byobRequest?.respond(0);
          finish();
          return;
        }
        // A byte stream takes over the chunk's memory: hand it a copy, the server may serve the bytes again.
        if (result.value.byteLength > 0) {
          c.enqueue(result.value.slice());
          return;
        }
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
}
