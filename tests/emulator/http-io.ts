/** Reading request bodies and writing VirusTotal-shaped answers with plain node:http. */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** Sends `text` with a content type; a no-op once the client has gone. */
export function writeText(res: ServerResponse, status: number, contentType: string, text: string): void {
  if (res.destroyed || res.headersSent) return;
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, { 'content-type': contentType, 'content-length': bytes.length });
  res.end(bytes);
}

/** Sends a JSON reply the way VirusTotal does. */
export function writeJson(res: ServerResponse, reply: Reply): void {
  writeText(res, reply.status, 'application/json', JSON.stringify(reply.body));
}

/** A whole body, or why there is none. */
export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads the whole request body, refusing more than `limit` bytes. With a Content-Length the buffer is
 * allocated once and filled, so a large upload is not held twice; a too-large declared length is refused
 * before reading (node:http then discards the rest after the answer).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const fixed = Number.isFinite(declared) ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      // Keep draining so the connection stays usable and the client can read our answer.
      if (!result.ok) req.resume();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      if (size + chunk.length > (fixed?.length ?? limit)) return finish({ ok: false, reason: 'too-large' });
      if (fixed) chunk.copy(fixed, size);
      else chunks.push(chunk);
      size += chunk.length;
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, body: fixed ? fixed.subarray(0, size) : Buffer.concat(chunks, size) }));
    req.once('close', () => finish({ ok: false, reason: 'aborted' }));
    req.once('error', () => finish({ ok: false, reason: 'aborted' }));
  });
}
