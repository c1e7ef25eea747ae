/**
 * A source's SHA-256, holding as little of the file in memory as the scan allows. WebCrypto's digest is
 * one-shot and copies its input, so a file read for it sits in memory twice: for a 500 MiB download the
 * browser grew by 2.5× the file size (bench, figure 4). From STREAM_HASH_FROM_BYTES on, or when the size is
 * not known ahead, the bytes are hashed piece by piece as they arrive (Sha256Stream, slower than WebCrypto);
 * below it, WebCrypto's speed is worth the short-lived copy. Nothing is kept after hashing: an upload reads
 * the source again when it is due (`blobOfUrl`), so a scan that waits holds no bytes.
 */
import { readUrl, streamUrl, type ReadOptions } from './read-source';
import { sha256Hex } from './sha256';
import { Sha256Stream } from './sha256-stream';

/** Files this large or larger are hashed as they are read (and files of unknown size). */
export const STREAM_HASH_FROM_BYTES = 128 * 1024 * 1024;

/** A source's hash and size. */
export interface HashedSource {
  sha256: string;
  size: number;
}

/** A source's bytes as a Blob, with their hash and size (for an upload). */
export interface HashedBlob extends HashedSource {
  blob: Blob;
}

/** True when a source of this size (undefined or 0: not known) is hashed as it is read. */
export function hashesWhileReading(size: number | undefined): boolean {
  return size === undefined || size <= 0 || size >= STREAM_HASH_FROM_BYTES;
}

/** The hash of the bytes behind `url`. Nothing of them is kept. */
export async function hashUrl(url: string, options: ReadOptions): Promise<HashedSource> {
  if (!hashesWhileReading(options.expectedSize)) {
    const { bytes } = await readUrl(url, options);
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength };
  }
  const hash = new Sha256Stream();
  const { size } = await streamUrl(url, { ...options, onData: (piece) => void hash.update(piece) });
  return { sha256: hash.hex(), size };
}

/**
 * The bytes behind `url` as a Blob, for an upload that is due now. A large file goes into the Blob piece
 * by piece as it arrives (the browser keeps a Blob's bytes outside the worker's heap, on disk when they
 * are many), so the worker never holds all of it.
 */
export async function blobOfUrl(url: string, options: ReadOptions): Promise<HashedBlob> {
  if (!hashesWhileReading(options.expectedSize)) {
    const { bytes } = await readUrl(url, options);
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength, blob: new Blob([bytes]) };
  }
  const hash = new Sha256Stream();
  const blob = createBlobBuilder();
  const { size } = await streamUrl(url, {
    ...options,
    onData: (piece) => {
      hash.update(piece);
      blob.append(piece);
    },
  });
  return { sha256: hash.hex(), size, blob: blob.finish() };
}

/** The hash of a picked file, streamed from the threshold on (WebCrypto would copy it whole). */
export async function hashBlob(blob: Blob): Promise<HashedSource> {
  if (!hashesWhileReading(blob.size)) {
    return { sha256: await sha256Hex(new Uint8Array(await blob.arrayBuffer())), size: blob.size };
  }
  const hash = new Sha256Stream();
  let size = 0;
  const reader = blob.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    size += value.byteLength;
  }
  return { sha256: hash.hex(), size };
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
