/**
 * Figures 9 and 10 inside ScanDock's service worker: the scan's own read-and-hash path on a file on disk
 * (a download's saved file, read through `file:` as the source reader reads it), and the pure hash of a
 * file's bytes once they are in memory.
 */
import { fileUrl } from '../../utils/scan/file-url';
import { hashUrl } from '../../utils/scan/hash-source';
import { streamUrl } from '../../utils/scan/read-source';
import { timedHash, type HashTiming } from './timed-hash';

/** What the engine's `reading` step does for a download read from disk (nothing of the bytes is kept). */
async function readAndHashFromDisk(args: { path: string; size: number; maxSize: number }): Promise<HashTiming> {
  const started = performance.now();
  const { sha256, size } = await hashUrl(fileUrl(args.path), { fetch: (input, init) => fetch(input, init), expectedSize: args.size, maxSize: args.maxSize, disk: true });
  return { ms: performance.now() - started, sha256, size };
}

/**
 * Only moving the file's bytes into the worker, the way the streamed read does (one reused 2 MiB piece),
 * nothing kept and nothing hashed: the floor under any read of it.
 */
async function readOnlyFromDisk(args: { path: string; maxSize: number }): Promise<{ ms: number; size: number }> {
  const started = performance.now();
  const { size } = await streamUrl(fileUrl(args.path), { fetch: (input, init) => fetch(input, init), maxSize: args.maxSize, disk: true, onData: () => undefined });
  return { ms: performance.now() - started, size };
}

/** The bytes behind `url`, read first (not timed), then hashed the product's way (timed). */
async function hashOnlyOf(args: { url: string }): Promise<HashTiming> {
  const bytes = new Uint8Array(await (await fetch(args.url, { cache: 'no-store' })).arrayBuffer());
  return timedHash(bytes);
}

export const diskProbe = { readAndHashFromDisk, readOnlyFromDisk, hashOnlyOf };
