/** Scan tokens: 64 lowercase hex characters from a CSPRNG, drawn again if one is already taken. */

/** One candidate token from 32 random bytes. */
export function randomToken(randomBytes: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return Array.from(randomBytes(32), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A token no existing record has. The seed checked for collisions once; we keep drawing,
 * and give up loudly after a few tries (that would mean a broken random source).
 */
export async function newToken(
  isTaken: (token: string) => Promise<boolean>,
  randomBytes?: (n: number) => Uint8Array,
): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const token = randomToken(randomBytes);
    if (!(await isTaken(token))) return token;
  }
  throw new Error('Could not draw an unused scan token: the random source repeats itself.');
}
