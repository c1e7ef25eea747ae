/**
 * Resident memory of one Chromium: the browser process (found by the extension folder it was told to load)
 * and every process below it, read from /proc every ~50 ms. RSS counts shared pages once per process, which
 * a baseline taken just before the work subtracts out.
 */
import { readdir, readFile } from 'node:fs/promises';
import { summarize } from './stats';

const PAGE_SIZE = 4096;

interface ProcInfo {
  pid: number;
  ppid: number;
}

async function processes(): Promise<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(entry), ppid: Number(fields[1]) });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/** The pid of the Chromium browser process that loaded `extensionDir`, or null. */
export async function findBrowserPid(extensionDir: string): Promise<number | null> {
  for (const { pid } of await processes()) {
    try {
      const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      if (args.includes(`--load-extension=${extensionDir}`) && !args.some((a) => a.startsWith('--type='))) return pid;
    } catch {
      // gone
    }
  }
  return null;
}

/** Sum of RSS (bytes) of `root` and all its descendants. */
export async function treeRss(root: number): Promise<number> {
  const all = await processes();
  const children = new Map<number, number[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  let total = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
      total += Number(statm.split(' ')[1]) * PAGE_SIZE;
    } catch {
      // gone
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export interface MemorySampler {
  /** Highest sample since start (bytes). */
  peak(): number;
  /** Every sample: [ms since start, bytes]. */
  samples(): Array<[number, number]>;
  stop(): Promise<void>;
}

/** Samples the tree's RSS every `intervalMs` until stopped. */
export function sampleMemory(root: number, intervalMs = 50): MemorySampler {
  const started = performance.now();
  const points: Array<[number, number]> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now();
      points.push([at - started, await treeRss(root)]);
      const wait = intervalMs - (performance.now() - at);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  })();
  return {
    peak: () => points.reduce((max, [, bytes]) => Math.max(max, bytes), 0),
    samples: () => points,
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** The tree's resting RSS: let start-up settle for 2 s, then the median of a second of samples (every 50 ms). */
export async function settledBaseline(root: number): Promise<number> {
  const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await delay(2_000);
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    samples.push(await treeRss(root));
    await delay(50);
  }
  return summarize(samples).median;
}
