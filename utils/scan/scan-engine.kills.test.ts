/**
 * The worker stopped at each step of a scan (Chrome stops an MV3 service worker whenever it likes):
 * after a restart — a new engine over the same database and storage, `resume()` — every record completes
 * or ends in error with a reason, none stays ready/progress, and no file is uploaded twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { unique, uploadsPerFile } from '@/tests/support/engine-test-kit';
import { createWorkerLife, workerEngine, type WorkerLife, type WorkerOptions } from '@/tests/support/worker-life';
import { EICAR_SHA256, eicarBytes } from '@/tests/emulator/fixtures';
import type { EmulatorOptions } from '@/tests/emulator/virustotal-emulator';
import { isProblem } from '@/utils/problems/problem';
import { quotaStateItem, type Settings } from '@/utils/settings/storage-items';
import type { ScanRecord, ScanStep } from './scan-record';
import type { NewScan } from './scan-engine';

let h: Harness;
afterEach(async () => h?.close());

const isVt = (h: Harness) => (url: string) => url.startsWith(h.emulator.origin);
const requestTo = (h: Harness, method: string, path: RegExp) => (url: string, init: RequestInit | undefined) =>
  isVt(h)(url) && (init?.method ?? 'GET') === method && path.test(new URL(url).pathname);

interface KillCase {
  /** The step the dying worker had reached. */
  step: ScanStep;
  what: string;
  settings?: Partial<Settings>;
  emulator?: EmulatorOptions;
  /** The scan, over the harness's file server. */
  scan(h: Harness): NewScan;
  before?(h: Harness): Promise<void>;
  /** Where the first worker dies. */
  kill(h: Harness, life: WorkerLife): WorkerOptions;
  /** What the record ends as after the restart. */
  expect: Partial<ScanRecord> | ((record: ScanRecord) => void);
  /** Checks on the emulator afterwards. */
  after?(h: Harness): void;
}

const download = (h: Harness, path: string, bytes: Uint8Array, extra: Partial<Extract<NewScan['source'], { kind: 'download' }>> = {}): NewScan => ({
  source: { kind: 'download', url: h.files.serve(path, { body: bytes }), downloadId: 1, expectedSize: bytes.byteLength, ...extra },
  fileName: path.slice(1),
});

// One unknown file per test run (a fresh harness each time).
let unknownBytes = unique('unknown');

const CASES: KillCase[] = [
  {
    step: 'queued',
    what: 'right after the record was stored, before any work',
    scan: (h) => download(h, '/eicar.com', eicarBytes()),
    kill: (_h, life) => ({ overrides: { onChange: () => life.kill() } }),
    expect: { status: 'done', verdict: 'malicious' },
  },
  {
    step: 'reading',
    what: 'while re-fetching the download',
    scan: (h) => download(h, '/eicar.com', eicarBytes()),
    kill: (h) => ({ killOnRequest: (url) => url.startsWith(h.files.origin) }),
    expect: { status: 'done', verdict: 'malicious' },
  },
  {
    step: 'lookup',
    what: 'with the lookup in flight',
    scan: (h) => download(h, '/eicar.com', eicarBytes()),
    kill: (h) => ({ killOnRequest: requestTo(h, 'GET', /\/files\/[0-9a-f]{64}$/) }),
    expect: { status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 },
  },
  {
    step: 'upload',
    what: 'waiting for a quota slot before the upload was sent',
    settings: { uploadUnknown: true },
    emulator: { analysisPolls: 1 },
    scan: (h) => download(h, '/new.bin', unknownBytes),
    // Three of the minute's four slots are spent: the lookup takes the last, the upload has to wait.
    before: async (h) => {
      const now = h.clock.now();
      await quotaStateItem.setValue({ recent: [now, now, now], day: { period: '', used: 0 }, month: { period: '', used: 0 }, blockedUntil: 0, rateLimitedInARow: 0 });
    },
    // The upload waits for its slot (its record says so): the worker dies there, before sending.
    kill: (_h, life) => ({ overrides: { onChange: (r) => r.step === 'upload' && r.notice?.code === 'vt-quota' && life.kill() } }),
    expect: { status: 'done', verdict: 'clean' },
    after: (h) => expect(h.emulator.uploads).toHaveLength(1),
  },
  {
    step: 'upload',
    what: 'with the upload sent and its answer lost (VirusTotal finishes the analysis at once)',
    settings: { uploadUnknown: true },
    emulator: { analysisPolls: 0 },
    scan: (h) => download(h, '/new.bin', unknownBytes),
    kill: (h) => ({ killOnRequest: requestTo(h, 'POST', /\/files$/) }),
    expect: { status: 'done', verdict: 'clean' },
    after: (h) => expect(h.emulator.uploads).toHaveLength(1),
  },
  {
    step: 'upload',
    what: 'with the upload sent and its answer lost (VirusTotal finishes the analysis 3 minutes later)',
    settings: { uploadUnknown: true },
    emulator: { analysisPolls: 3, analysisCompletesAfterMs: 3 * 60_000 },
    scan: (h) => download(h, '/new.bin', unknownBytes),
    kill: (h) => ({ killOnRequest: requestTo(h, 'POST', /\/files$/) }),
    expect: { status: 'done', verdict: 'clean' },
    after: (h) => {
      expect(h.emulator.uploads).toHaveLength(1);
      // It looked the file up at growing gaps until VirusTotal knew it: no polls, no second upload.
      expect(h.count('poll')).toBe(0);
      expect(h.count('lookup')).toBeGreaterThanOrEqual(3);
      expect(h.count('lookup')).toBeLessThanOrEqual(7);
    },
  },
  {
    step: 'analysis',
    what: 'while polling the analysis',
    settings: { uploadUnknown: true },
    emulator: { analysisPolls: 2 },
    scan: (h) => download(h, '/new.bin', unknownBytes),
    kill: (h) => ({ killOnRequest: requestTo(h, 'GET', /\/analyses\//) }),
    expect: { status: 'done', verdict: 'clean' },
    after: (h) => expect(h.emulator.uploads).toHaveLength(1),
  },
  {
    step: 'url-submit',
    what: 'with the URL submission in flight (fallback)',
    settings: { urlFallback: true },
    emulator: { analysisPolls: 1 },
    scan: (h) => ({ source: { kind: 'download', url: h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } }), downloadId: 3 }, fileName: 'once.exe' }),
    kill: (h) => ({ killOnRequest: requestTo(h, 'POST', /\/urls$/) }),
    expect: { status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 },
  },
  {
    step: 'url-analysis',
    what: 'while polling the URL analysis (fallback)',
    settings: { urlFallback: true },
    emulator: { analysisPolls: 1 },
    scan: (h) => ({ source: { kind: 'download', url: h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } }), downloadId: 3 }, fileName: 'once.exe' }),
    kill: (h) => ({ killOnRequest: requestTo(h, 'GET', /\/analyses\/u-/) }),
    expect: { status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 },
  },
  {
    step: 'url-report',
    what: 'while reading the URL report (fallback)',
    settings: { urlFallback: true },
    emulator: { analysisPolls: 0 },
    scan: (h) => ({ source: { kind: 'download', url: h.files.serve('/once.exe', { body: eicarBytes(), refuse: { status: 403, times: 1 } }), downloadId: 3 }, fileName: 'once.exe' }),
    kill: (h) => ({ killOnRequest: requestTo(h, 'GET', /\/urls\/[^/]+$/) }),
    expect: { status: 'done', verdict: 'malicious', sha256: EICAR_SHA256 },
  },
];

describe('a worker stopped at each step of a scan', () => {
  it.each(CASES.map((c) => [c.step, c.what, c] as const))('%s: %s → resumes, finishes, nothing uploaded twice', async (_step, _what, c) => {
    unknownBytes = unique(c.what);
    h = await createHarness({ settings: c.settings, emulator: c.emulator });
    await c.before?.(h);
    const life = createWorkerLife();
    const dying = workerEngine(h, life, c.kill(h, life));
    const token = await dying.scan(c.scan(h));
    await h.sim.until(() => life.dead, 'the worker to die');
    // Let whatever the dead worker had in flight land (it must not change anything any more).
    await h.sim.idle();
    const stopped = await h.store.get(token);
    expect(stopped?.step).toBe(c.step);
    expect(['ready', 'progress']).toContain(stopped?.status);

    h.engine = h.newEngine();
    await h.engine.resume();
    const record = await h.result(token);
    if (typeof c.expect === 'function') c.expect(record);
    else expect(record).toMatchObject(c.expect);
    if (record.status === 'error') expect(isProblem(record.error)).toBe(true);
    expect(await h.store.unfinished()).toEqual([]);
    for (const [sha, count] of uploadsPerFile(h)) expect(count, `uploads of ${sha}`).toBe(1);
    c.after?.(h);
  });
});
