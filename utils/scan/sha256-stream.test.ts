import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256Stream } from './sha256-stream';

/** WebCrypto's SHA-256, the product's default path, as the reference. */
async function webCryptoHex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return Buffer.from(digest).toString('hex');
}

/** Feeds `bytes` in pieces of the given sizes (cycled), then the rest. */
function streamHex(bytes: Uint8Array, pieces: number[] = [bytes.byteLength]): string {
  const hash = new Sha256Stream();
  let offset = 0;
  for (let i = 0; offset < bytes.byteLength; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    hash.update(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return hash.hex();
}

describe('Sha256Stream', () => {
  it('matches the FIPS 180-4 examples', () => {
    const text = (s: string) => new TextEncoder().encode(s);
    expect(streamHex(text('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(streamHex(text('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(new Sha256Stream().hex()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it.each([0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4096 + 7])('matches WebCrypto for %i random bytes, whole and byte by byte', async (length) => {
    const bytes = randomBytes(length);
    const expected = await webCryptoHex(bytes);
    expect(streamHex(bytes)).toBe(expected);
    expect(streamHex(bytes, [1])).toBe(expected);
    expect(streamHex(bytes, [63, 1, 64, 65, 7])).toBe(expected);
  });

  it('matches WebCrypto and node:crypto on multi-MiB input fed in uneven pieces, as a body arrives', async () => {
    for (const length of [3 * 1_048_576, 5 * 1_048_576 + 13]) {
      const bytes = randomBytes(length);
      const expected = await webCryptoHex(bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(expected);
      expect(streamHex(bytes)).toBe(expected);
      expect(streamHex(bytes, [65_536, 1_000_003, 17, 2_097_152])).toBe(expected);
    }
  });

  it('can be used once', () => {
    const hash = new Sha256Stream().update(new Uint8Array([1, 2, 3]));
    hash.hex();
    expect(() => hash.update(new Uint8Array(1))).toThrow(/after the digest/);
    expect(() => hash.hex()).toThrow(/already taken/);
  });
});
