/**
 * Ways to read (and hash) a file on disk from the service worker, each timed alone, to find where the scan's
 * read + hash time goes (bench/tools/disk-read-variants.ts). Not part of the figures.
 */
import { readUrl, streamUrl } from '../../utils/scan/read-source';
import { hashUrl } from '../../utils/scan/hash-source';
import { sha256Hex } from '../../utils/scan/sha256';
import { Sha256Stream } from '../../utils/scan/sha256-stream';
import { fileUrl } from '../../utils/scan/file-url';

export interface VariantTiming {
  ms: number;
  sha256?: string;
  size: number;
}

const fetchIt: typeof fetch = (input, init) => fetch(input, init);

type Variant = (url: string, size: number) => Promise<{ sha256?: string; size: number }>;

const VARIANTS: Record<string, Variant> = {
  /** The scan's path as it is. */
  hashUrl: async (url, size) => hashUrl(url, { fetch: fetchIt, expectedSize: size, maxSize: 2 ** 31, disk: true }),
  /** readUrl into one buffer of the expected size, no hash. */
  readPrealloc: async (url, size) => ({ size: (await readUrl(url, { fetch: fetchIt, expectedSize: size, maxSize: 2 ** 31, disk: true })).bytes.byteLength }),
  /** readUrl without the size: the buffer grows by doubling. */
  readDoubling: async (url) => ({ size: (await readUrl(url, { fetch: fetchIt, maxSize: 2 ** 31, disk: true })).bytes.byteLength }),
  /** response.arrayBuffer(), no hash. */
  arrayBuffer: async (url) => ({ size: (await (await fetch(url, { cache: 'no-store' })).arrayBuffer()).byteLength }),
  /** response.arrayBuffer() then WebCrypto. */
  arrayBufferWebCrypto: async (url) => {
    const bytes = new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer());
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength };
  },
  /** readUrl (prealloc) then WebCrypto. */
  readPreallocWebCrypto: async (url, size) => {
    const { bytes } = await readUrl(url, { fetch: fetchIt, expectedSize: size, maxSize: 2 ** 31, disk: true });
    return { sha256: await sha256Hex(bytes), size: bytes.byteLength };
  },
  /** streamUrl with a no-op: the BYOB read into one reused 2 MiB piece, nothing kept. */
  streamNoop: async (url) => streamUrl(url, { fetch: fetchIt, maxSize: 2 ** 31, disk: true, onData: () => undefined }),
  /** streamUrl into the reused piece, each piece copied into one buffer of the expected size. */
  scratchCopy: async (url, size) => {
    const buffer = new Uint8Array(size);
    let at = 0;
    await streamUrl(url, { fetch: fetchIt, maxSize: 2 ** 31, disk: true, onData: (p) => { buffer.set(p, at); at += p.byteLength; } });
    return { size: at };
  },
  /** The same, then WebCrypto. */
  scratchCopyWebCrypto: async (url, size) => {
    const buffer = new Uint8Array(size);
    let at = 0;
    await streamUrl(url, { fetch: fetchIt, maxSize: 2 ** 31, disk: true, onData: (p) => { buffer.set(p, at); at += p.byteLength; } });
    return { sha256: await sha256Hex(buffer), size: at };
  },
  /** The default reader, pieces dropped. */
  defaultReader: async (url) => {
    const reader = (await fetch(url, { cache: 'no-store' })).body!.getReader();
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
    }
    return { size };
  },
  /** streamUrl + Sha256Stream (the path from 128 MiB on). */
  streamSha256Stream: async (url) => {
    const hash = new Sha256Stream();
    const { size } = await streamUrl(url, { fetch: fetchIt, maxSize: 2 ** 31, disk: true, onData: (p) => void hash.update(p) });
    return { sha256: hash.hex(), size };
  },
};

/** Bytes in memory, hashed: WebCrypto, Sha256Stream (pieces of 2 MiB). Read untimed. */
const MEMORY: Record<string, (bytes: Uint8Array<ArrayBuffer>) => Promise<string>> = {
  memWebCrypto: (bytes) => sha256Hex(bytes),
  memSha256Stream: async (bytes) => {
    const hash = new Sha256Stream();
    for (let o = 0; o < bytes.byteLength; o += 2_097_152) hash.update(bytes.subarray(o, o + 2_097_152));
    return hash.hex();
  },
};

async function readVariant(args: { path: string; size: number; variant: string }): Promise<VariantTiming> {
  const url = fileUrl(args.path);
  const variant = VARIANTS[args.variant];
  if (variant) {
    const started = performance.now();
    const result = await variant(url, args.size);
    return { ms: performance.now() - started, ...result };
  }
  const memory = MEMORY[args.variant];
  if (!memory) throw new Error(`no variant ${args.variant}`);
  const bytes = new Uint8Array(await (await fetch(url, { cache: 'no-store' })).arrayBuffer());
  const started = performance.now();
  const sha256 = await memory(bytes);
  return { ms: performance.now() - started, sha256, size: bytes.byteLength };
}

export const readVariantsProbe = { readVariant, variantNames: async () => [...Object.keys(VARIANTS), ...Object.keys(MEMORY)] };

(globalThis as { scandockReadVariants?: typeof readVariantsProbe }).scandockReadVariants = readVariantsProbe;
