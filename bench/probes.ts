/**
 * Installing the in-browser probes: bundled with esbuild (installed with tsx, which runs the bench) into
 * plain scripts — functions that tsx compiles carry `__name` helpers that break once Playwright serialises
 * them into the browser — then evaluated in the worker, or added to every new page.
 */
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { withTimeout } from '../tests/support/extension-browser';
import type { PageMarks } from './probe/page-probe';
import type { WorkerProbe } from './probe/worker-probe';

const HERE = path.dirname(fileURLToPath(import.meta.url));

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(HERE, 'probe', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** What a worker probe function resolves with. */
export type ProbeResult<K extends keyof WorkerProbe> = Awaited<ReturnType<WorkerProbe[K]>>;

export interface Probes {
  /** Calls a worker probe function (installing the probe first if this worker has none). */
  call<K extends keyof WorkerProbe>(worker: Worker, name: K, arg: Parameters<WorkerProbe[K]>[0], timeoutMs?: number): Promise<ProbeResult<K>>;
  /** Makes every page opened from now on carry the page probe. */
  watchPages(context: BrowserContext): Promise<void>;
  pageMarks(page: Page): Promise<PageMarks>;
}

export async function loadProbes(): Promise<Probes> {
  const [workerCode, pageCode] = await Promise.all([bundle('worker-probe.ts'), bundle('page-probe.ts')]);
  const installed = new WeakSet<Worker>();
  return {
    async call<K extends keyof WorkerProbe>(worker: Worker, name: K, arg: Parameters<WorkerProbe[K]>[0], timeoutMs = 60_000): Promise<ProbeResult<K>> {
      if (!installed.has(worker)) {
        const present = await worker.evaluate(() => 'scandockWorkerProbe' in globalThis);
        if (!present) await worker.evaluate(workerCode);
        installed.add(worker);
      }
      const result = worker.evaluate(
        ([fn, value]) => (globalThis as unknown as { scandockWorkerProbe: Record<string, (a: unknown) => unknown> }).scandockWorkerProbe[fn]!(value),
        [name, arg] as const,
      );
      const value: unknown = await withTimeout(result, timeoutMs, `worker probe ${name}`);
      return value as ProbeResult<K>;
    },
    async watchPages(context) {
      await context.addInitScript({ content: pageCode });
    },
    pageMarks: (page) => page.evaluate(() => (globalThis as unknown as { scandockPageMarks: PageMarks }).scandockPageMarks),
  };
}
