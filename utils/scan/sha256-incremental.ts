/**
 * The SHA-256 that hashes a file piece by piece as it is read (files from STREAM_HASH_FROM_BYTES on, see
 * hash-source.ts). WebAssembly (hash-wasm's SHA-256, bundled: no remote code) where the runtime allows it:
 * ~1.4× the TypeScript Sha256Stream in V8 (bench/tools/disk-read-variants.ts). The extension pages' CSP
 * allows it with 'wasm-unsafe-eval' (wxt.config.ts); where WebAssembly is missing or refused, Sha256Stream.
 */
import { createSHA256 } from 'hash-wasm';
import { Sha256Stream } from './sha256-stream';

/** An incremental SHA-256: `update` any number of times, then `hex()` once. */
export interface IncrementalSha256 {
  update(data: Uint8Array): void;
  /** The digest as 64 lowercase hex characters. The hasher cannot be used afterwards. */
  hex(): string;
}

/** Makes a WebAssembly hasher; rejects where WebAssembly is missing or the CSP refuses it. */
export type WasmSha256Loader = () => Promise<IncrementalSha256>;

/** hash-wasm's SHA-256 (it caches the compiled module: only the first hasher compiles it). */
export const loadHashWasmSha256: WasmSha256Loader = async () => {
  const hasher = await createSHA256();
  hasher.init();
  let finished = false;
  return {
    update(data) {
      if (finished) throw new Error('SHA-256: update after the digest was taken');
      hasher.update(data);
    },
    hex() {
      if (finished) throw new Error('SHA-256: the digest was already taken');
      finished = true;
      return hasher.digest('hex');
    },
  };
};

/** A fresh incremental SHA-256: WebAssembly when `load` gives one, else the TypeScript Sha256Stream. */
export async function createIncrementalSha256(load: WasmSha256Loader = loadHashWasmSha256): Promise<IncrementalSha256> {
  try {
    return await load();
  } catch {
    return new Sha256Stream();
  }
}
