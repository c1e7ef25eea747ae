/**
 * A small multipart/form-data parser (RFC 7578) over a body already in memory. Parts are views into
 * the body, not copies, so a 650 MB upload is held once.
 */

/** One form field; `filename` is null for plain text fields. */
export interface MultipartPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/** A body the parser cannot make sense of. */
export class MultipartError extends Error {
  override name = 'MultipartError';
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary of a `multipart/form-data` content type, or null if it is not one. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return null;
  const params = parseParams(contentType.slice(contentType.indexOf(';') + 1));
  const boundary = params.get('boundary');
  // RFC 2046 caps boundaries at 70 characters.
  return boundary !== undefined && boundary.length > 0 && boundary.length <= 70 ? boundary : null;
}

/** Splits `body` into its parts; throws MultipartError when it is not well-formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const innerDelimiter = Buffer.concat([CRLF, delimiter]);
  // The first delimiter opens the body, or follows a preamble and a CRLF.
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : body.indexOf(innerDelimiter);
  if (at < 0) throw new MultipartError('no multipart boundary in the body');
  if (at > 0) at += CRLF.length;
  const parts: MultipartPart[] = [];
  for (;;) {
    let cursor = at + delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) return parts; // "--": the closing delimiter
    // Transport padding (spaces, tabs) may sit between the delimiter and its CRLF.
    while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor += 1;
    if (!body.subarray(cursor, cursor + 2).equals(CRLF)) throw new MultipartError('malformed boundary line');
    cursor += 2;
    const headerEnd = body.indexOf(HEADER_END, cursor);
    // A part with no headers at all has its blank line right away.
    const noHeaders = body.subarray(cursor, cursor + 2).equals(CRLF);
    if (!noHeaders && headerEnd < 0) throw new MultipartError('part headers never end');
    const headers = noHeaders ? '' : body.subarray(cursor, headerEnd).toString('utf8');
    const dataStart = noHeaders ? cursor + 2 : headerEnd + HEADER_END.length;
    const next = nextDelimiter(body, innerDelimiter, dataStart);
    if (next < 0) throw new MultipartError('the body ends before its closing boundary');
    parts.push({ ...describePart(headers), data: body.subarray(dataStart, next) });
    at = next + CRLF.length;
  }
}

/**
 * The next CRLF + delimiter that really ends a part: followed by "--" or by padding and CRLF.
 * Senders pick boundaries absent from the data, but a look-alike costs nothing to skip.
 */
function nextDelimiter(body: Buffer, innerDelimiter: Buffer, from: number): number {
  for (let at = body.indexOf(innerDelimiter, from); at >= 0; at = body.indexOf(innerDelimiter, at + 1)) {
    let after = at + innerDelimiter.length;
    if (body[after] === 0x2d && body[after + 1] === 0x2d) return at;
    while (body[after] === 0x20 || body[after] === 0x09) after += 1;
    if (body[after] === 0x0d && body[after + 1] === 0x0a) return at;
  }
  return -1;
}

function describePart(headerText: string): Omit<MultipartPart, 'data'> {
  let disposition: Map<string, string> | null = null;
  let contentType: string | null = null;
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === 'content-disposition') {
      if (!/^form-data\s*(;|$)/i.test(value)) throw new MultipartError(`unexpected disposition "${value}"`);
      disposition = parseParams(value.slice(value.indexOf(';') + 1));
    } else if (field === 'content-type') {
      contentType = value;
    }
  }
  const name = disposition?.get('name');
  if (name === undefined) throw new MultipartError('a part has no Content-Disposition name');
  return { name, filename: disposition?.get('filename') ?? null, contentType };
}

/** `a=1; b="x \"y\""` → Map; names lower-cased, quoted values unescaped. */
function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const re = /\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)/gy;
  for (let m = re.exec(text); m !== null && m[0] !== ''; m = re.exec(text)) {
    const key = (m[1] ?? '').toLowerCase();
    const raw = (m[2] ?? '').trim();
    const value = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(["\\])/g, '$1') : raw;
    if (!params.has(key)) params.set(key, value);
  }
  return params;
}
