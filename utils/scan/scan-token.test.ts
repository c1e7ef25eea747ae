import { describe, expect, it } from 'vitest';
import { newToken, randomToken } from './scan-token';

describe('scan tokens', () => {
  it('are 64 lowercase hex characters', () => {
    expect(randomToken()).toMatch(/^[0-9a-f]{64}$/);
    expect(randomToken()).not.toBe(randomToken());
  });

  it('are drawn again when one is already taken', async () => {
    const draws = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(1), new Uint8Array(32).fill(2)];
    const taken = new Set(['01'.repeat(32)]);
    const token = await newToken(async (t) => taken.has(t), () => draws.shift()!);
    expect(token).toBe('02'.repeat(32));
    expect(draws).toHaveLength(0);
  });

  it('give up loudly when the random source keeps repeating', async () => {
    await expect(newToken(async () => true, () => new Uint8Array(32))).rejects.toThrow(/random source/);
  });
});
