/**
 * Reading request bodies and making VirusTotal-shaped answers, in web terms (`Request` in, `Response` out),
 * so the same code serves in-process requests and, through node-http-adapter.ts, real HTTP.
 */

/** An answer to send: HTTP status and a JSON-serialisable body. */
export interface Reply {
  status: number;
  body: unknown;
}

/** A VirusTotal error (`{"error":{"code","message"}}`) thrown by a route and sent by the server. */
export class ApiError extends Error {
  override name = 'ApiError';

  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The body VirusTotal sends with every error. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** The reply for an ApiError. */
export function errorReply(error: ApiError): Reply {
  return { status: error.status, body: errorBody(error.code, error.message) };
}

/** `text` with a content type and its length, as VirusTotal's front end sends it. */
export function textResponse(status: number, contentType: string, text: string): Response {
  const bytes = new TextEncoder().encode(text);
  return new Response(bytes, { status, headers: { 'content-type': contentType, 'content-length': String(bytes.byteLength) } });
}

/** A JSON reply the way VirusTotal sends it. */
export function jsonResponse(reply: Reply): Response {
  return textResponse(reply.status, 'application/json', JSON.stringify(reply.body));
}

/** A whole body, or why there is none. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole request body, refusing more than `limit` bytes. With a Content-Length the buffer is
 * allocated once and filled, so a large upload is not held twice; a too-large declared length is refused
 * before reading (over HTTP the adapter then discards the rest after the answer).
 */
export async function readBody(request: Request, limit: number): Promise<BodyResult> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return { ok: false, reason: 'too-large' };
  if (request.body === null) return { ok: true, body: Buffer.alloc(0) };
  const fixed = Number.isFinite(declared) ? Buffer.allocUnsafe(declared) : null;
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (size + value.byteLength > (fixed?.length ?? limit)) {
        // Cancelling lets the HTTP adapter drain the rest, so the client can still read our answer.
        await reader.cancel();
        return { ok: false, reason: 'too-large' };
      }
      if (fixed) fixed.set(value, size);
      else chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
      size += value.byteLength;
    }
  } catch {
    return { ok: false, reason: 'aborted' };
  }
  return { ok: true, body: fixed ? fixed.subarray(0, size) : Buffer.concat(chunks, size) };
}
