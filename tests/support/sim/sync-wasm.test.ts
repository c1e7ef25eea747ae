import { afterEach, describe, expect, it } from 'vitest';
import { createIncrementalSha256 } from '@/utils/scan/sha256-incremental';
import { Sha256Stream } from '@/utils/scan/sha256-stream';
import { installSyncWasm } from './sync-wasm';

// The smallest module: the 8-byte header, no sections.
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

describe('installSyncWasm', () => {
  let uninstall = () => undefined as void;
  afterEach(() => uninstall());

  it('compiles and instantiates before any other task runs, in call order', async () => {
    const realCompile = WebAssembly.compile;
    uninstall = installSyncWasm();
    expect(WebAssembly.compile).not.toBe(realCompile);
    const order: string[] = [];
    const later = new Promise<void>((resolve) => setImmediate(() => resolve(void order.push('setImmediate'))));
    const module = await WebAssembly.compile(EMPTY_MODULE);
    order.push('compiled');
    const instance = await WebAssembly.instantiate(module);
    order.push('instantiated');
    await later;
    expect(instance).toBeInstanceOf(WebAssembly.Instance);
    expect(order).toEqual(['compiled', 'instantiated', 'setImmediate']);
    uninstall();
    expect(WebAssembly.compile).toBe(realCompile);
  });

  it('rejects a bad module as WebAssembly does', async () => {
    uninstall = installSyncWasm();
    await expect(WebAssembly.compile(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(WebAssembly.CompileError);
  });

  it('makes the WebAssembly SHA-256 (not the fallback) with it installed', async () => {
    uninstall = installSyncWasm();
    const hash = await createIncrementalSha256();
    expect(hash).not.toBeInstanceOf(Sha256Stream);
    hash.update(new TextEncoder().encode('abc'));
    expect(hash.hex()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
