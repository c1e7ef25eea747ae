/**
 * Getting the bytes of a URL from the background: fetched (http/https, GET only; with the person's cookies
 * only when the caller says so), decoded (data:), or — for a finished download whose saved file ScanDock may
 * read — read from disk (file:, only when the caller says the address is that file: see `ReadOptions.disk`).
 * Every way this can fail is a ScanFailure that says what the person can do instead.
 */
import { problem, type ProblemCode } from '../problems/problem';
import { systemClock, type Clock } from '../time/clock';
import { ScanFailure } from './scan-failure';

/** Bytes backed by a plain ArrayBuffer (what WebCrypto and Blob take). */
export type Bytes = Uint8Array<ArrayBuffer>;

export interface ReadOptions {
  fetch: typeof fetch;
  /**
   * Whether the fetch carries the person's cookies (default 'omit'): a download's re-fetch repeats the
   * request the person made, with them; a right-clicked link is fetched without them unless allowed, so
   * scanning it cannot act as the person.
   */
  credentials?: 'omit' | 'include';
  /** The size the browser reported for the download; a different length means different content. */
  expectedSize?: number;
  /** Refuse (before reading, where the server says the length) anything larger. */
  maxSize: number;
  /** Give up when the server sends nothing for this long: no answer, or a body that stops (default 30 s). */
  timeoutMs?: number;
  /** Where that wait is timed (default the system clock). */
  clock?: Clock;
  /**
   * Called with each piece of the bytes as it arrives, in order (to hash them while they are read). A piece
   * is valid only during the call: its memory may be reused for the next one.
   */
  onData?: (piece: Uint8Array) => void;
  /**
   * The address is a download's saved file (`file:///…`), handed over by the background's download files
   * port. Only then is `file:` read: an address from a page or a server never is.
   */
  disk?: boolean;
}

/** A download site silent this long is given up on (a worker waiting on it would be stopped anyway). */
export const READ_SILENCE_TIMEOUT_MS = 30_000;

/** The ways a server can fail to give the bytes again: offline they mean "wait", else the URL fallback may help. */
export const UNREACHABLE_CODES: readonly ProblemCode[] = ['source-unreachable', 'source-timeout', 'source-stalled', 'source-interrupted'];

/** The bytes, and the name the server suggested for them if any. */
export interface SourceBytes {
  bytes: Bytes;
  suggestedName: string | null;
}

/** True for URLs VirusTotal could fetch itself (the URL fallback). */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/** Read the bytes behind `url`. */
export async function readUrl(url: string, options: ReadOptions): Promise<SourceBytes> {
  const scheme = schemeOf(url);
  let result: SourceBytes;
  if (scheme === 'data') {
    result = { bytes: decodeDataUrl(url), suggestedName: null };
    options.onData?.(result.bytes);
  } else if (fetched(scheme, options)) {
    const { value, suggestedName } = await fetchBody(url, options, (response, declared, host, onProgress) =>
      readBody(response, declared ?? expectedLength(options), options.maxSize, host, onProgress, options.onData));
    result = { bytes: value, suggestedName };
  } else throw unsupportedScheme(scheme, url);
  checkBytes(result.bytes.byteLength, options);
  return result;
}

/**
 * Like `readUrl`, but keeps nothing: each piece goes to `onData` as it arrives and is then let go, so a
 * file of any size costs no more memory than one piece. Resolves with the size once all of it went by.
 */
export async function streamUrl(url: string, options: ReadOptions & { onData: (piece: Uint8Array) => void }): Promise<{ size: number; suggestedName: string | null }> {
  const scheme = schemeOf(url);
  let result: { size: number; suggestedName: string | null };
  if (scheme === 'data') {
    const bytes = decodeDataUrl(url);
    options.onData(bytes);
    result = { size: bytes.byteLength, suggestedName: null };
  } else if (fetched(scheme, options)) {
    const { value, suggestedName } = await fetchBody(url, options, (response, _declared, host, onProgress) =>
      drainBody(response, options.maxSize, host, onProgress, { write: (piece) => options.onData(piece) }));
    result = { size: value, suggestedName };
  } else throw unsupportedScheme(scheme, url);
  checkBytes(result.size, options);
  return result;
}

/**
 * The bytes behind `url` as a Blob, for an upload: like `streamUrl`, each piece goes to `onData` (to hash
 * it), and the worker never holds the whole file. A download's saved file goes into the Blob by the
 * browser itself (`Response.blob()`: Chromium drains the body into its blob store, the bytes never pass
 * through the worker), and `onData` then sees the Blob's bytes, read back piece by piece; building the
 * Blob from the worker's pieces instead took the browser to ~1.7× the file for a moment (README, figure 8).
 * Fetched from a server, the body is streamed into the Blob in batches instead: only a stream shows a
 * silent server (`timeoutMs`) and a body past `maxSize` while it arrives.
 */
export async function blobUrl(url: string, options: ReadOptions & { onData: (piece: Uint8Array) => void }): Promise<{ blob: Blob; size: number; suggestedName: string | null }> {
  if (schemeOf(url) === 'file' && options.disk === true) {
    const { value: blob, suggestedName } = await fetchBody(url, options, async (response, _declared, host, onProgress) => {
      const blob = await wholeBody(response, host, options.expectedSize, onProgress);
      // Refused before a byte is hashed: a file that is not the download's size is not the download.
      checkBytes(blob.size, options);
      await drainBody(new Response(blob), options.maxSize, host, onProgress, { write: (piece) => options.onData(piece) });
      return blob;
    });
    return { blob, size: blob.size, suggestedName };
  }
  const builder = createBlobBuilder();
  const { size, suggestedName } = await streamUrl(url, {
    ...options,
    onData(piece) {
      options.onData(piece);
      builder.append(piece);
    },
  });
  return { blob: builder.finish(), size, suggestedName };
}

/**
 * A local file's reading speed floor, for how long `Response.blob()` may take: it reports no progress, so
 * the silence timeout alone would give up on a large file read from a slow disk. A bound against a read
 * that never ends, far below any disk's speed; not a guess at this one's.
 */
const SLOWEST_DISK_BYTES_PER_MS = 1024; // 1 MiB/s

/** A body as a Blob the browser fills itself; a failure on the way is an interrupted read. */
async function wholeBody(response: Response, host: string, expectedSize: number | undefined, onProgress: (allowMs?: number) => void): Promise<Blob> {
  onProgress(expectedSize !== undefined && expectedSize > 0 ? Math.ceil(expectedSize / SLOWEST_DISK_BYTES_PER_MS) : 0);
  try {
    return await response.blob();
  } catch {
    throw new ScanFailure(problem('source-interrupted', { host }));
  }
}

/** Copies gathered before they are folded into the Blob: the most the worker holds of a streamed file. */
const BLOB_BATCH_BYTES = 8 * 1024 * 1024;

/** Builds a Blob from pieces whose memory is reused by the reader, holding at most one batch of copies. */
function createBlobBuilder(): { append(piece: Uint8Array): void; finish(): Blob } {
  let blob = new Blob([]);
  let batch: Uint8Array<ArrayBuffer>[] = [];
  let batchBytes = 0;
  const fold = () => {
    if (batch.length === 0) return;
    blob = new Blob([blob, ...batch]);
    batch = [];
    batchBytes = 0;
  };
  return {
    append(piece) {
      batch.push(piece.slice());
      batchBytes += piece.byteLength;
      if (batchBytes >= BLOB_BATCH_BYTES) fold();
    },
    finish() {
      fold();
      return blob;
    },
  };
}

/** Addresses read with `fetch`: the web, and a download's saved file when the caller says it is one. */
function fetched(scheme: string | undefined, options: Pick<ReadOptions, 'disk'>): boolean {
  return scheme === 'http' || scheme === 'https' || (scheme === 'file' && options.disk === true);
}

/**
 * The length to make room for when the response does not say (a file: response has no Content-Length): the
 * download's size, which the bytes must match anyway. 100 MiB read from disk into a buffer grown by doubling
 * copied ~200 MiB more than reading it into one of the right size.
 */
function expectedLength({ expectedSize, maxSize }: Pick<ReadOptions, 'expectedSize' | 'maxSize'>): number | null {
  return expectedSize !== undefined && expectedSize > 0 ? Math.min(expectedSize, maxSize) : null;
}

function schemeOf(url: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
}

/** Size rules shared by every source. */
export function checkBytes(length: number, options: Pick<ReadOptions, 'expectedSize' | 'maxSize'>): void {
  if (length > options.maxSize) throw tooLarge(length, options.maxSize);
  if (options.expectedSize !== undefined && options.expectedSize > 0 && length !== options.expectedSize) {
    throw new ScanFailure(problem('source-size-mismatch', { gotBytes: length, expectedBytes: options.expectedSize }));
  }
  if (length === 0) throw new ScanFailure(problem('source-empty'));
}

/** `url` is shown only when it has no scheme at all (then its start says what it is). */
function unsupportedScheme(scheme: string | undefined, url: string): ScanFailure {
  return new ScanFailure(problem('source-unsupported', { scheme: scheme ? `${scheme}:` : url.slice(0, 40) }));
}

/** The failure for a source of `size` bytes above the limit `max`. */
export function tooLarge(size: number, max: number): ScanFailure {
  return new ScanFailure(problem('source-too-large', { sizeBytes: size, maxBytes: max }));
}

/** Decode `data:[<mediatype>][;base64],<data>`. */
export function decodeDataUrl(url: string): Bytes {
  const comma = url.indexOf(',');
  const malformed = () => new ScanFailure(problem('source-malformed'));
  if (!/^data:/i.test(url) || comma < 0) throw malformed();
  const header = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if (/;base64$/i.test(header)) {
    const clean = decodeURIComponentSafe(payload, malformed).replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw malformed();
    let binary: string;
    try {
      binary = atob(clean);
    } catch {
      throw malformed();
    }
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  return new TextEncoder().encode(decodeURIComponentSafe(payload, malformed));
}

function decodeURIComponentSafe(text: string, onError: () => ScanFailure): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw onError();
  }
}

/** What reads a body once the response is known good: its declared length (if any), and a progress callback. */
type BodyReader<T> = (response: Response, declared: number | null, host: string, onProgress: (allowMs?: number) => void) => Promise<T>;

/** Fetch `url` again and hand its body to `read`; every way this can fail is a ScanFailure. */
async function fetchBody<T>(url: string, options: ReadOptions, read: BodyReader<T>): Promise<{ value: T; suggestedName: string | null }> {
  const host = safeHost(url);
  const silence = options.timeoutMs ?? READ_SILENCE_TIMEOUT_MS;
  const clock = options.clock ?? systemClock;
  const controller = new AbortController();
  let silent = false;
  let lastProgress = clock.now();
  // `allowMs`: a read about to report nothing for a while (see wholeBody) says how much longer to allow.
  const rearm = (allowMs = 0) => {
    lastProgress = clock.now() + allowMs;
  };
  const silentFailure = (code: 'source-timeout' | 'source-stalled') =>
    new ScanFailure(problem(code, { host, seconds: Math.round(silence / 1000) }));
  // One watcher for the whole read, on the clock: it sleeps until `silence` after the last piece and gives up
  // if nothing came meanwhile, so a silent server is given up on and a slow but steady one is not.
  const readOver = new AbortController();
  void (async () => {
    for (;;) {
      const left = lastProgress + silence - clock.now();
      if (left <= 0) {
        silent = true;
        controller.abort();
        return;
      }
      await clock.sleep(left, readOver.signal);
    }
  })().catch(() => undefined);
  try {
    let response: Response;
    try {
      response = await options.fetch(url, { method: 'GET', credentials: options.credentials ?? 'omit', redirect: 'follow', cache: 'no-store', signal: controller.signal });
    } catch {
      if (silent) throw silentFailure('source-timeout');
      throw new ScanFailure(problem('source-unreachable', { host }));
    }
    if (!response.ok) {
      void response.body?.cancel().catch(() => undefined);
      throw new ScanFailure(problem('source-http-status', { host, status: response.status }), 'final', response.status);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > options.maxSize) {
      void response.body?.cancel().catch(() => undefined);
      throw tooLarge(declared, options.maxSize);
    }
    try {
      const value = await read(response, Number.isFinite(declared) ? declared : null, host, rearm);
      return { value, suggestedName: fileNameFromDisposition(response.headers.get('content-disposition')) };
    } catch (error) {
      if (silent) throw silentFailure('source-stalled');
      throw error;
    }
  } finally {
    readOver.abort();
  }
}

/** Largest piece read at once (Chromium's fetch hands over up to 2 MiB at a time). */
const PIECE_BYTES = 2 * 1024 * 1024;

/** Read a body into one buffer, refusing past `maxSize` (the server may not say the length). */
async function readBody(response: Response, declared: number | null, maxSize: number, host: string, onProgress: () => void, onData?: (piece: Uint8Array) => void): Promise<Bytes> {
  // With a known length, read straight into one buffer: no second copy.
  let buffer = new Uint8Array(declared !== null && declared > 0 ? declared : 1 << 16);
  const length = await drainBody(response, maxSize, host, onProgress, {
    // Where the stream allows, the bytes are read into `buffer` itself (see drainBody).
    into: (offset) => (offset < buffer.byteLength ? buffer.subarray(offset, Math.min(buffer.byteLength, offset + PIECE_BYTES)) : null),
    write(piece, offset, inPlace) {
      if (inPlace) {
        // The read moved `buffer`'s memory into `piece.buffer` (the old one is detached): adopt it.
        buffer = new Uint8Array(piece.buffer as ArrayBuffer);
      } else {
        if (offset + piece.byteLength > buffer.byteLength) {
          const grown = new Uint8Array(Math.min(Math.max(buffer.byteLength * 2, offset + piece.byteLength), maxSize));
          grown.set(buffer.subarray(0, offset));
          buffer = grown;
        }
        buffer.set(piece, offset);
      }
      onData?.(piece);
    },
  });
  return length === buffer.byteLength ? buffer : buffer.subarray(0, length);
}

/** Where `drainBody` puts the pieces of a body. */
interface BodySink {
  /** A part of the caller's own buffer to read the bytes at `offset` into, or null for none. */
  into?(offset: number): Uint8Array | null;
  /**
   * One piece, in order. `inPlace`: it was read into the view `into` gave, whose memory it now holds (the
   * view's buffer is detached). Otherwise it is valid only until `write` returns: its memory is reused.
   */
  write(piece: Uint8Array, offset: number, inPlace: boolean): void;
}

/**
 * Pass a body piece by piece to `sink`, refusing past `maxSize` (the server may not say the length);
 * resolves with its length. Where the body is a byte stream (Chromium's fetch), the reads go into the
 * caller's buffer or one reused scratch buffer instead of a fresh buffer per piece: 100 MiB read ~12%
 * faster in the bench's worker (463 against 527 ms), and a streamed file leaves no piece garbage behind.
 */
async function drainBody(response: Response, maxSize: number, host: string, onProgress: () => void, sink: BodySink): Promise<number> {
  if (!response.body) {
    const all = new Uint8Array(await response.arrayBuffer());
    sink.write(all, 0, false);
    return all.byteLength;
  }
  const body = response.body;
  let byob: ReadableStreamBYOBReader | null = null;
  try {
    byob = body.getReader({ mode: 'byob' });
  } catch {
    // Not a byte stream: pieces come in buffers of the stream's own.
  }
  const reader = byob ?? body.getReader();
  let scratch: ArrayBuffer | null = null;
  let length = 0;
  try {
    for (;;) {
      let inPlace = false;
      let result: ReadableStreamReadResult<Uint8Array>;
      if (byob) {
        const target = sink.into?.(length) ?? null;
        inPlace = target !== null;
        scratch ??= new ArrayBuffer(PIECE_BYTES);
        result = await byob.read(target ?? new Uint8Array(scratch));
      } else {
        result = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      }
      const { done, value } = result;
      if (done) {
        // The last read took the caller's buffer even though nothing came: hand its memory back.
        if (inPlace && value) sink.write(value, length, true);
        break;
      }
      if (byob && !inPlace) scratch = value.buffer as ArrayBuffer;
      onProgress();
      if (length + value.byteLength > maxSize) {
        await reader.cancel();
        throw tooLarge(length + value.byteLength, maxSize);
      }
      sink.write(value, length, inPlace);
      length += value.byteLength;
    }
  } catch (error) {
    if (error instanceof ScanFailure) throw error;
    throw new ScanFailure(problem('source-interrupted', { host }));
  }
  return length;
}

/** The host a person recognises; the address's start when it has none (problem() cleans and caps it). */
function safeHost(url: string): string {
  try {
    return new URL(url).host || url.slice(0, 60);
  } catch {
    return url.slice(0, 60);
  }
}

/** `attachment; filename="a.exe"` → "a.exe" (filename* preferred). */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
  return (plain?.[1] ?? plain?.[2])?.trim() || null;
}

/**
 * The last path segment of a URL, decoded ("report.pdf"), or the host when there is none; '' when neither
 * (a data: address): the pages then show "(unnamed file)" in the reader's language.
 */
export function fileNameFromUrl(url: string): string {
  if (/^data:/i.test(url)) return '';
  try {
    const parsed = new URL(url);
    const last = parsed.pathname.split('/').filter(Boolean).pop();
    if (last) {
      try {
        return decodeURIComponent(last);
      } catch {
        return last;
      }
    }
    return parsed.hostname;
  } catch {
    return '';
  }
}

/** A download's path on disk → its file name. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
