/**
 * What the soak throws at the engine, drawn from its seeded random source: the kinds of scan (known,
 * unknown and uploaded, duplicates, bad sources), how each is asked for, the faults injected into
 * VirusTotal's answers, and the changes of the system clock.
 */
import { cleanSampleBytes, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import type { Fault } from '../emulator/virustotal-emulator';
import type { Profile } from '../emulator/engines';
import type { Harness } from '../support/engine-harness';
import type { Random } from '../support/sim/random';
import type { NewScan } from '@/utils/scan/scan-engine';
import { nextUtcMidnight } from '@/utils/quota/quota-math';

/** How often each kind of scan is planned (relative weights). */
export const SCAN_KINDS = {
  eicar: 8, clean: 6, added: 12, 'unknown-upload': 16, 'unknown-document': 7, duplicate: 16, 'data-url': 4,
  'http-404': 4, 'http-403-once': 4, 'size-mismatch': 3, empty: 2, 'bad-scheme': 3, 'bad-data-url': 2,
} as const;
export type ScanKind = keyof typeof SCAN_KINDS;

/** One planned scan: what to serve and how to ask for it. */
export interface Planned {
  kind: ScanKind;
  bytes: Uint8Array | null;
  fileName: string;
}

/** The next scan to plan, given the ones before it (duplicates repeat one of them). */
export function planScan(random: Random, earlier: readonly Planned[], i: number): Planned {
  const kind = random.weighted(SCAN_KINDS);
  const salt = `${i}-${random.int(0, 1e9)}`;
  switch (kind) {
    case 'eicar':
      return { kind, bytes: eicarBytes(), fileName: 'eicar.com' };
    case 'clean':
      return { kind, bytes: cleanSampleBytes(), fileName: 'readme.txt' };
    case 'added':
      return { kind, bytes: new TextEncoder().encode(`known file ${salt}`), fileName: `known-${i}.exe` };
    case 'unknown-upload':
      return { kind, bytes: random.chance(0.4) ? markedMalwareBytes(salt) : new TextEncoder().encode(`new file ${salt}`), fileName: `new-${i}.exe` };
    case 'unknown-document':
      // Documents are never uploaded (uploadDocuments is off): the verdict stays unknown.
      return { kind, bytes: new TextEncoder().encode(`private document ${salt}`), fileName: `letter-${i}.pdf` };
    case 'duplicate': {
      const candidates = earlier.filter((p) => p.bytes && p.bytes.byteLength > 0 && !['size-mismatch', 'http-404'].includes(p.kind));
      if (candidates.length === 0) return { kind: 'eicar', bytes: eicarBytes(), fileName: 'eicar.com' };
      const original = random.pick(candidates);
      return { kind, bytes: original.bytes, fileName: original.fileName };
    }
    case 'data-url':
      return { kind, bytes: random.chance(0.5) ? eicarBytes() : new TextEncoder().encode(`inline ${salt}`), fileName: 'data-url' };
    case 'http-404':
    case 'http-403-once':
    case 'size-mismatch':
      return { kind, bytes: random.chance(0.5) ? eicarBytes() : new TextEncoder().encode(`moving file ${salt}`), fileName: `file-${i}.exe` };
    case 'empty':
      return { kind, bytes: new Uint8Array(), fileName: 'empty.bin' };
    case 'bad-scheme':
    case 'bad-data-url':
      return { kind, bytes: null, fileName: 'bad' };
  }
}

const PROFILES: readonly Profile[] = ['malicious', 'suspicious', 'clean'];

/** Serves `plan` (on the harness's file server, or as the emulator's known file) and says how to scan it. */
export function sourceFor(h: Harness, plan: Planned, i: number, random: Random): NewScan {
  const path = `/s${i}/${encodeURIComponent(plan.fileName)}`;
  const asDownload = (url: string, expectedSize?: number): NewScan => random.chance(0.7)
    ? { source: { kind: 'download', url, downloadId: 10_000 + i, ...(expectedSize === undefined ? {} : { expectedSize }) }, fileName: plan.fileName }
    : { source: { kind: 'link', url }, fileName: plan.fileName };
  switch (plan.kind) {
    case 'added':
      h.emulator.addFile(plan.bytes!, random.pick(PROFILES), [plan.fileName]);
      return asDownload(h.files.serve(path, { body: plan.bytes! }), plan.bytes!.byteLength);
    case 'data-url':
      return { source: { kind: 'link', url: `data:application/octet-stream;base64,${Buffer.from(plan.bytes!).toString('base64')}` }, fileName: plan.fileName };
    case 'http-404':
      return asDownload(h.files.serve(path, { body: plan.bytes!, refuse: { status: 404, times: 1_000 } }));
    case 'http-403-once':
      return asDownload(h.files.serve(path, { body: plan.bytes!, refuse: { status: 403, times: 1 } }));
    case 'size-mismatch':
      return { source: { kind: 'download', url: h.files.serve(path, { body: plan.bytes! }), downloadId: 10_000 + i, expectedSize: plan.bytes!.byteLength + 7 }, fileName: plan.fileName };
    case 'bad-scheme':
      return { source: { kind: 'download', url: random.pick(['blob:https://example.com/0b1c', 'file:///tmp/x.exe', 'ftp://example.com/x.exe', 'javascript:alert(1)']), downloadId: 10_000 + i }, fileName: plan.fileName };
    case 'bad-data-url':
      return { source: { kind: 'link', url: random.pick(['data:;base64,@@@', 'data:text/plain;base64', 'data:text/plain,%E0%A4%A']) }, fileName: plan.fileName };
    default:
      return asDownload(h.files.serve(path, { body: plan.bytes! }), plan.bytes!.byteLength);
  }
}

const FAULT_TARGETS: ReadonlyArray<Fault['match']> = [
  undefined,
  { method: 'GET', path: /\/files\/[0-9a-f]{64}$/ },
  { method: 'POST', path: /\/files$/ },
  { method: 'GET', path: /\/analyses\// },
  { path: /\/urls/ },
];

/**
 * A random network or VirusTotal failure, never a 429 (so every 429 seen is self-inflicted). Latencies and
 * hangs are virtual time, measured against the engine's request timeout `timeoutMs`.
 */
export function randomFault(random: Random, timeoutMs: number): Fault {
  const match = random.pick(FAULT_TARGETS);
  const kind = random.weighted({
    'burst-503': 5, 'status-500': 2, 'status-504': 2, html: 2, 'malformed-json': 2, 'truncated-json': 2, latency: 3, 'late-answer': 1, hang: 1, reset: 2,
  });
  const base = match ? { match } : {};
  switch (kind) {
    case 'burst-503':
      return { ...base, kind: 'status', status: 503, times: random.int(1, 3) };
    case 'status-500':
      return { ...base, kind: 'status', status: 500, body: 'Internal Server Error' };
    case 'status-504':
      return { ...base, kind: 'status', status: 504 };
    case 'html':
      return { ...base, kind: 'html', status: 502 };
    case 'malformed-json':
      return { ...base, kind: 'malformed-json' };
    case 'truncated-json':
      return { ...base, kind: 'truncated-json' };
    case 'latency':
      return { ...base, kind: 'latency', ms: random.int(5, Math.floor(timeoutMs / 3)) };
    case 'late-answer':
      // Processed by VirusTotal, but the answer comes after the client gave up.
      return { ...base, kind: 'latency', ms: timeoutMs + 100 };
    case 'hang':
      return { ...base, kind: 'hang' };
    case 'reset':
      return { ...base, kind: 'reset' };
  }
}

/** How a person (or a time sync) moves the system clock. */
export type ClockMove = 'back' | 'forward' | 'forward across midnight' | 'back across midnight';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A random change of the system clock, as milliseconds to move it by from `now` (the clock), given how far it is
 * off true time already (`offset`). Back or forward by seconds to two hours, or across 00:00 UTC either way; the
 * midnight moves head back towards true time, so the run stays within its month (the report compares month counters).
 */
export function randomClockMove(random: Random, now: number, offset: number): { kind: ClockMove; ms: number } {
  const kind = random.weighted({ back: 2, forward: 2, 'across midnight': 2 });
  switch (kind) {
    case 'back':
      return { kind, ms: -random.int(5_000, 2 * HOUR) };
    case 'forward':
      return { kind, ms: random.int(5_000, 2 * HOUR) };
    case 'across midnight': {
      if (offset <= 0) return { kind: 'forward across midnight', ms: nextUtcMidnight(now) - now + random.int(1_000, 10 * MINUTE) };
      const sinceMidnight = now - (nextUtcMidnight(now) - 24 * HOUR);
      return { kind: 'back across midnight', ms: -(sinceMidnight + random.int(1_000, 10 * MINUTE)) };
    }
  }
}
