import { describe, expect, it } from 'vitest';
import {
  EICAR_MD5, EICAR_SHA1, EICAR_SHA256, MALWARE_MARKER, cleanSampleBytes, eicarBytes, markedMalwareBytes,
  md5Hex, sha1Hex, sha256Hex,
} from './fixtures';

describe('test fixtures', () => {
  it('builds the 68 EICAR bytes that hash to the documented SHA-256, SHA-1 and MD5', () => {
    const bytes = eicarBytes();
    expect(bytes.length).toBe(68);
    expect(bytes.at(-1)).toBe('*'.charCodeAt(0));
    expect(sha256Hex(bytes)).toBe(EICAR_SHA256);
    expect(sha1Hex(bytes)).toBe(EICAR_SHA1);
    expect(md5Hex(bytes)).toBe(EICAR_MD5);
  });

  it('gives a clean sample unlike EICAR and salted malware samples with distinct hashes', () => {
    expect(sha256Hex(cleanSampleBytes())).not.toBe(EICAR_SHA256);
    const a = markedMalwareBytes('a');
    expect(new TextDecoder().decode(a)).toContain(MALWARE_MARKER);
    expect(sha256Hex(a)).not.toBe(sha256Hex(markedMalwareBytes('b')));
  });
});
