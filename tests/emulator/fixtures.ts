/**
 * Test files built at run time. The EICAR string is assembled from two halves so it never appears
 * whole in the repository: real antivirus on a developer's machine would otherwise quarantine it.
 */
import { createHash } from 'node:crypto';

const EICAR_HEAD = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$';
const EICAR_TAIL = 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/** The documented hashes of the 68-byte EICAR test file. */
export const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';
export const EICAR_SHA1 = '3395856ce81f2b7382dee72602f798b642f14140';
export const EICAR_MD5 = '44d88612fea8a8f36de82e1278abb02f';

/** Bytes that make the emulator's default upload profile answer 'malicious'. */
export const MALWARE_MARKER = 'SCANDOCK-TEST-MALWARE';

/** The 68 ASCII bytes of the EICAR test file, without a newline. */
export function eicarBytes(): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(EICAR_HEAD + EICAR_TAIL);
}

/** A harmless text file the emulator knows as clean. */
export function cleanSampleBytes(): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode('ScanDock clean sample: plain text that no engine flags.\n');
}

/** A harmless file carrying MALWARE_MARKER, plus `salt` so each test can have its own unknown hash. */
export function markedMalwareBytes(salt = ''): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`ScanDock fake malware ${MALWARE_MARKER} ${salt}\n`);
}

/** Lower-case hex SHA-256 of `bytes`. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Lower-case hex SHA-1 of `bytes`. */
export function sha1Hex(bytes: Uint8Array | string): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** Lower-case hex MD5 of `bytes`. */
export function md5Hex(bytes: Uint8Array | string): string {
  return createHash('md5').update(bytes).digest('hex');
}
