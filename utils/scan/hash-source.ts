/**
 * A source's SHA-256, holding as little of the file in memory as the scan allows. WebCrypto's digest is
 * one-shot and copies its input, so a file read for it sits in memory twice: for a 500 MiB download the
 * browser grew by 2.5× the file size (bench, figure 4). From STREAM_HASH_FROM_BYTES on, or when the size is
 * not known ahead, the bytes are hashed piece by piece as they arrive (Sha256Stream, slower than WebCrypto)
 * and kept only if an upload may need them; below it, WebCrypto's speed is worth the short-lived copy.
 */
import { readUrl, streamUrl, type Bytes, type ReadOptions } from './read-source';
import { sha256Hex } from './sha256';
import { Sha256Stream } from './sha256-stream';

/** Files this large or larger are hashed as they are read (and files of unknown size). */
export const STREAM_HASH_FROM_BYTES = 128 * 1024 * 1024;

/** A source's hash and size, with its bytes when the caller asked to keep them. */
export interface HashedSource<B extends Bytes | null = Bytes | null> {
  sha256: string;
  size: number;
  bytes: B;
}

/** True when a source of this size (undefined or 0: not known) is hashed as it is read. */
export function hashesWhileReading(size: number | undefined): boolean {
  return size === undefined || size <= 0 || size >= STREAM_HASH_FROM_BYTES;
}

/** The hash of the bytes behind `url`; `keepBytes` keeps them for an upload. */
export function hashUrl(url: string, options: ReadOptions, keepBytes: true): Promise<HashedSource<Bytes>>;
export function hashUrl(url: string, options: ReadOptions, keepBytes: boolean): Promise<HashedSource>;
export async function hashUrl(url: string, options: ReadOptions, keepBytes: boolean): Promise<HashedSource> {
  if (!hashesWhileReading(options.expectedSize)) {
    const { bytes } = await readUrl(url, options);
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength, bytes: keepBytes ? bytes : null };
  }
  const hash = new Sha256Stream();
  const onData = (piece: Uint8Array) => void hash.update(piece);
  if (keepBytes) {
    const { bytes } = await readUrl(url, { ...options, onData });
    return { sha256: hash.hex(), size: bytes.byteLength, bytes };
  }
  const { size } = await streamUrl(url, { ...options, onData });
  return { sha256: hash.hex(), size, bytes: null };
}

/** The hash of a picked file; `keepBytes` keeps its bytes for an upload. */
export function hashBlob(blob: Blob, keepBytes: true): Promise<HashedSource<Bytes>>;
export function hashBlob(blob: Blob, keepBytes: boolean): Promise<HashedSource>;
export async function hashBlob(blob: Blob, keepBytes: boolean): Promise<HashedSource> {
  if (!hashesWhileReading(blob.size)) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength, bytes: keepBytes ? bytes : null };
  }
  const hash = new Sha256Stream();
  const bytes = keepBytes ? new Uint8Array(blob.size) : null;
  let size = 0;
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    bytes?.set(value, size);
    size += value.byteLength;
  }
  return { sha256: hash.hex(), size, bytes };
}
