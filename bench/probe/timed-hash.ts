/**
 * The product's hash of bytes already in memory, timed: WebCrypto below the streaming threshold, else the
 * streamed hash in pieces of up to 2 MiB (what Chromium's fetch hands the worker). The "hash only" reference.
 */
import { hashesWhileReading } from '../../utils/scan/hash-source';
import { sha256Hex } from '../../utils/scan/sha256';
import { Sha256Stream } from '../../utils/scan/sha256-stream';

export interface HashTiming {
  ms: number;
  sha256: string;
  size: number;
  /** For the streamed hash: whether it matched WebCrypto's digest of the same bytes (checked untimed). */
  matchesWebCrypto?: boolean;
}

export async function timedHash(bytes: Uint8Array<ArrayBuffer>): Promise<HashTiming> {
  const size = bytes.byteLength;
  const started = performance.now();
  if (!hashesWhileReading(size)) {
    const sha256 = await sha256Hex(bytes);
    return { ms: performance.now() - started, sha256, size };
  }
  const hash = new Sha256Stream();
  for (let offset = 0; offset < size; offset += 2_097_152) hash.update(bytes.subarray(offset, offset + 2_097_152));
  const sha256 = hash.hex();
  const ms = performance.now() - started;
  return { ms, sha256, size, matchesWebCrypto: sha256 === (await sha256Hex(bytes)) };
}
