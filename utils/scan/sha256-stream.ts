/**
 * SHA-256 (FIPS 180-4) fed piece by piece, in plain TypeScript. WebCrypto's `digest` is one-shot: it needs
 * the whole file in memory and copies it first, so a large file would sit in memory twice. This hasher
 * takes the body as it arrives and keeps only one 64-byte block, so nothing has to be held for the hash.
 * It is slower than WebCrypto (about 195 MiB/s against ~700 in Chromium's worker, on the bench machine), so
 * it is used only where the memory matters (see hash-source.ts). No WebAssembly: the extension pages keep
 * `script-src 'self'` without 'wasm-unsafe-eval'.
 */
import { compressBlocks } from './sha256-rounds';

const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** An incremental SHA-256: `update` any number of times, then `hex()` once. */
export class Sha256Stream {
  private readonly state = new Int32Array(INITIAL);
  /** The bytes of an unfinished block, carried over to the next `update`. */
  private readonly tail = new Uint8Array(64);
  private tailLength = 0;
  private total = 0;
  private finished = false;

  /** Adds `data` to the hash. */
  update(data: Uint8Array): this {
    if (this.finished) throw new Error('Sha256Stream: update after the digest was taken');
    this.total += data.byteLength;
    let offset = 0;
    if (this.tailLength > 0) {
      const take = Math.min(64 - this.tailLength, data.byteLength);
      this.tail.set(data.subarray(0, take), this.tailLength);
      this.tailLength += take;
      offset = take;
      if (this.tailLength < 64) return this;
      compressBlocks(this.state, this.tail, 0, 64);
      this.tailLength = 0;
    }
    const whole = offset + Math.floor((data.byteLength - offset) / 64) * 64;
    if (whole > offset) compressBlocks(this.state, data, offset, whole);
    if (whole < data.byteLength) {
      this.tail.set(data.subarray(whole), 0);
      this.tailLength = data.byteLength - whole;
    }
    return this;
  }

  /** The digest as 32 bytes. The hasher cannot be used afterwards. */
  digest(): Uint8Array<ArrayBuffer> {
    if (this.finished) throw new Error('Sha256Stream: the digest was already taken');
    this.finished = true;
    const bits = this.total * 8;
    const padding = new Uint8Array(this.tailLength < 56 ? 64 : 128);
    padding.set(this.tail.subarray(0, this.tailLength));
    padding[this.tailLength] = 0x80;
    const view = new DataView(padding.buffer);
    // The length in bits, big-endian in the last 8 bytes (split: JavaScript bit operations are 32-bit).
    view.setUint32(padding.byteLength - 8, Math.floor(bits / 0x1_0000_0000));
    view.setUint32(padding.byteLength - 4, bits >>> 0);
    compressBlocks(this.state, padding, 0, padding.byteLength);
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) outView.setInt32(i * 4, this.state[i]!);
    return out;
  }

  /** The digest as 64 lowercase hex characters. */
  hex(): string {
    return Array.from(this.digest(), (b) => b.toString(16).padStart(2, '0')).join('');
  }
}
