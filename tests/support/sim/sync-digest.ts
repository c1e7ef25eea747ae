/**
 * WebCrypto's `crypto.subtle.digest` runs on Node's threadpool: two digests started together may complete
 * in either order, depending on which thread the OS schedules first, and the promise chains behind them
 * (one scan looking its file up before the other) follow that order. In the simulation every completion
 * must come in program order, so while it runs the digest is computed at once with node:crypto and handed
 * back as an already-resolved promise: digests resolve in the order they were asked for.
 */
import { createHash } from 'node:crypto';

const NODE_NAMES: Readonly<Record<string, string>> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

let installs = 0;

function bytesOf(data: BufferSource): Uint8Array {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/** Replaces `crypto.subtle.digest` with the synchronous one; returns the function that puts it back. */
export function installSyncDigest(): () => void {
  const subtle = globalThis.crypto.subtle;
  if (installs++ === 0) {
    const realDigest = subtle.digest;
    const digest = (algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> => {
      const name = typeof algorithm === 'string' ? algorithm : algorithm.name;
      const nodeName = NODE_NAMES[name.toUpperCase()];
      // Anything unusual goes to WebCrypto itself, with its own errors.
      if (!nodeName) return realDigest.call(subtle, algorithm, data);
      const hash = createHash(nodeName).update(bytesOf(data)).digest();
      return Promise.resolve(hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength));
    };
    Object.defineProperty(subtle, 'digest', { value: digest, configurable: true, writable: true });
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--installs === 0) {
      // Back to the prototype's method.
      delete (subtle as { digest?: unknown }).digest;
    }
  };
}
