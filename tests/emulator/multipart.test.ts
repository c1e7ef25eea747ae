import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartError, parseMultipart } from './multipart';

const CRLF = '\r\n';

function body(boundary: string, ...parts: Array<{ headers: string[]; data: Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}${CRLF}${p.headers.join(CRLF)}${CRLF}${CRLF}`), p.data, Buffer.from(CRLF));
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return Buffer.concat(chunks);
}

describe('multipart parser', () => {
  it('reads the boundary, quoted or not, only from multipart/form-data', () => {
    expect(boundaryOf('multipart/form-data; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary="a b:c"')).toBe('a b:c');
    expect(boundaryOf('application/json')).toBeNull();
    expect(boundaryOf('multipart/form-data')).toBeNull();
    expect(boundaryOf(undefined)).toBeNull();
  });

  it('keeps binary data intact, CRLFs and boundary look-alikes included', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const tricky = Buffer.concat([all, Buffer.from(`\r\n--XYZ not a boundary\r\n--XY\r\n`), all]);
    const parsed = parseMultipart(body('XYZ',
      { headers: ['Content-Disposition: form-data; name="note"'], data: Buffer.from('hello') },
      { headers: ['Content-Disposition: form-data; name="file"; filename="a \\"q\\" ü.bin"', 'Content-Type: application/octet-stream'], data: tricky },
    ), 'XYZ');
    expect(parsed.map((p) => p.name)).toEqual(['note', 'file']);
    expect(parsed[0]?.filename).toBeNull();
    expect(parsed[0]?.data.toString()).toBe('hello');
    expect(parsed[1]?.filename).toBe('a "q" ü.bin');
    expect(parsed[1]?.contentType).toBe('application/octet-stream');
    expect(parsed[1]?.data.equals(tricky)).toBe(true);
  });

  it('accepts a preamble and an empty file', () => {
    const raw = Buffer.concat([Buffer.from(`preamble${CRLF}`), body('b', { headers: ['content-disposition: form-data; name=file; filename=e.txt'], data: Buffer.alloc(0) })]);
    const [part] = parseMultipart(raw, 'b');
    expect(part?.filename).toBe('e.txt');
    expect(part?.data.length).toBe(0);
  });

  it('refuses bodies without boundary, without closing delimiter, or parts without a name', () => {
    expect(() => parseMultipart(Buffer.from('nothing here'), 'b')).toThrow(MultipartError);
    const unterminated = body('b', { headers: ['Content-Disposition: form-data; name="file"'], data: Buffer.from('x') }).subarray(0, -8);
    expect(() => parseMultipart(unterminated, 'b')).toThrow(/closing boundary/);
    expect(() => parseMultipart(body('b', { headers: ['Content-Type: text/plain'], data: Buffer.from('x') }), 'b')).toThrow(/name/);
  });
});
