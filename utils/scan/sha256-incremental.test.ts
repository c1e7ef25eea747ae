import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIncrementalSha256, loadHashWasmSha256, type IncrementalSha256 } from './sha256-incremental';
import { Sha256Stream } from './sha256-stream';

const reference = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Feeds `bytes` in pieces of the given sizes (cycled), then the rest. */
function feed(hash: IncrementalSha256, bytes: Uint8Array, pieces: number[]): string {
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    hash.update(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return hash.hex();
}

const refused = () => Promise.reject(new CompileError());
class CompileError extends Error {}

describe('createIncrementalSha256', () => {
  it('is WebAssembly where the runtime has it (Node does), not the TypeScript fallback', async () => {
    expect(await createIncrementalSha256()).not.toBeInstanceOf(Sha256Stream);
  });

  it('falls back to Sha256Stream when WebAssembly is missing or refused by the CSP', async () => {
    expect(await createIncrementalSha256(refused)).toBeInstanceOf(Sha256Stream);
  });

  // hash-wasm copies each update into its memory 16 KiB at a time: pieces across that and the 64-byte block.
  const bytes = randomBytes(200_003);
  for (const [name, make] of [['WebAssembly', () => createIncrementalSha256()], ['fallback', () => createIncrementalSha256(refused)]] as const) {
    it(`${name}: matches node:crypto whatever the pieces (block and 16 KiB copy boundaries)`, async () => {
      for (const pieces of [[1], [63, 1, 64, 65], [16_383, 16_385, 16_384], [2_097_152], [55, 56, 57, 119, 120]]) {
        expect(feed(await make(), bytes, pieces)).toBe(reference(bytes));
      }
      expect((await make()).hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    });
  }

  it('refuses to go on after the digest, like Sha256Stream', async () => {
    const hash = await loadHashWasmSha256();
    hash.update(new Uint8Array([1]));
    hash.hex();
    expect(() => hash.update(new Uint8Array([2]))).toThrow();
    expect(() => hash.hex()).toThrow();
  });

  it('gives each hasher its own state (hash-wasm shares one compiled module)', async () => {
    const a = await createIncrementalSha256();
    const b = await createIncrementalSha256();
    a.update(bytes.subarray(0, 1000));
    b.update(bytes.subarray(0, 5000));
    a.update(bytes.subarray(1000, 5000));
    expect(a.hex()).toBe(b.hex());
  });
});
