/**
 * WebAssembly's `compile` and `instantiate` run off the JavaScript thread and resolve in a later task, which
 * the simulation neither tracks nor orders: a scan hashing with the WebAssembly SHA-256
 * (utils/scan/sha256-incremental.ts) would look idle while its hasher is being made, or finish in an order
 * that varies. While the simulation runs, both are done at once (Node compiles a module of any size
 * synchronously) and handed back as already-resolved promises, in call order, like installSyncDigest.
 */
let installs = 0;
/** Puts the real functions back (set by the first install). */
let restore = (): void => undefined;

type Compile = typeof WebAssembly.compile;
type Instantiate = (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<unknown>;

/** Replaces `WebAssembly.compile` and `instantiate` with synchronous ones; returns the function that puts them back. */
export function installSyncWasm(): () => void {
  const wasm = WebAssembly as unknown as { compile: Compile; instantiate: Instantiate };
  if (installs++ === 0) {
    const real = { compile: wasm.compile, instantiate: wasm.instantiate };
    const settle = <T>(make: () => T): Promise<T> => {
      try {
        return Promise.resolve(make());
      } catch (error) {
        return Promise.reject(error as Error);
      }
    };
    wasm.compile = (bytes) => settle(() => new WebAssembly.Module(bytes));
    wasm.instantiate = (source, imports) =>
      settle(() => {
        if (source instanceof WebAssembly.Module) return new WebAssembly.Instance(source, imports);
        const module = new WebAssembly.Module(source);
        return { module, instance: new WebAssembly.Instance(module, imports) };
      });
    restore = () => Object.assign(wasm, real);
  }
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    if (--installs === 0) restore();
  };
}
