import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { installSyncDigest } from './sync-digest';

let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

const hex = (buffer: ArrayBuffer) => Buffer.from(buffer).toString('hex');

describe('the synchronous digest', () => {
  it('gives WebCrypto’s SHA-256, for views and buffers alike', async () => {
    const bytes = new TextEncoder().encode('ScanDock');
    const expected = createHash('sha256').update(bytes).digest('hex');
    uninstall = installSyncDigest();
    expect(hex(await crypto.subtle.digest('SHA-256', bytes))).toBe(expected);
    expect(hex(await crypto.subtle.digest({ name: 'SHA-256' }, bytes.buffer))).toBe(expected);
    const framed = new Uint8Array([0, ...bytes, 0]);
    expect(hex(await crypto.subtle.digest('SHA-256', framed.subarray(1, -1)))).toBe(expected);
  });

  it('resolves digests in the order they were asked for, a large one before a small one', async () => {
    uninstall = installSyncDigest();
    const order: string[] = [];
    await Promise.all([
      crypto.subtle.digest('SHA-256', new Uint8Array(8 * 1024 * 1024)).then(() => order.push('large')),
      crypto.subtle.digest('SHA-256', new Uint8Array(8)).then(() => order.push('small')),
    ]);
    expect(order).toEqual(['large', 'small']);
  });

  it('puts WebCrypto back once uninstalled', () => {
    const before = crypto.subtle.digest;
    installSyncDigest()();
    expect(crypto.subtle.digest).toBe(before);
  });
});
