/**
 * The soak: many scans of every kind (known, unknown and uploaded, duplicates, bad sources) against the
 * VirusTotal emulator with random faults injected and the worker killed at random moments, then checks
 * that nothing is lost, nothing is stuck, no 429 was self-inflicted, the quota counters match what the
 * emulator received, and no file was uploaded twice.
 *
 * Everything random comes from one seeded PRNG, so a failing seed can be replayed (`--seed`). Requests
 * travel over real HTTP and the engine's work interleaves with them, so a replay follows the same choices
 * but not always the same interleaving.
 *
 * Time is the harness's virtual clock, shared by the engine and the emulator: quota windows (4 requests
 * per minute, ScanDock's and the emulator's alike) and polls pass instantly. The windows are not scaled:
 * scaling only the emulator's would make it laxer than ScanDock's limiter and hide a self-inflicted 429.
 * Request timeouts, latency and hangs are real time and kept short (`timeoutMs`).
 */
import { createHarness, type Harness } from '../support/engine-harness';
import { createInFlight, createWorkerLife, workerEngine, type WorkerLife } from '../support/worker-life';
import { cleanSampleBytes, eicarBytes, markedMalwareBytes } from '../emulator/fixtures';
import type { Fault } from '../emulator/virustotal-emulator';
import type { Profile } from '../emulator/engines';
import { isProblem } from '@/utils/problems/problem';
import { parseQuotaState } from '@/utils/quota/quota-math';
import type { NewScan, ScanEngine } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { quotaStateItem } from '@/utils/settings/storage-items';

export interface SoakOptions {
  scans: number;
  seed: number;
  /** Chance that a scan comes with an injected fault (default 0.3). */
  faultRate?: number;
  /** Worker kills per 100 scans, at random moments (default 6). */
  killsPer100?: number;
  /** The engine's request timeout, real milliseconds (default 250). */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakReport {
  seed: number;
  scans: number;
  /** Tokens returned by scan() with no record at the end. */
  lost: number;
  /** Records still ready/progress at the end that are not deliberately paused. */
  stuck: number;
  /** Records waiting for the person (no key, key rejected): none is expected. */
  paused: number;
  /** Errors without a message a person can act on. */
  errorsWithoutReason: number;
  /** 429s the emulator sent that were not injected: ScanDock's own counters should have prevented them. */
  selfInflicted429: number;
  /** The limiter's month counter at the end (the run stays within one month; it may pass midnight). */
  limiterMonthUsed: number;
  /** Requests the emulator counted against the quota. */
  emulatorCounted: number;
  /** Requests the emulator received but did not count because an injected fault stopped them first. */
  emulatorFaultedUncounted: number;
  /** Slots a worker spent and then died before the request left (the counter over-counts, by design). */
  slotsSpentByDyingWorkers: number;
  /** limiterMonthUsed − (emulatorCounted + emulatorFaultedUncounted + 429s + slotsSpentByDyingWorkers). */
  counterDrift: number;
  /** Files the emulator received more than once. */
  doubleUploads: number;
  uploads: number;
  requests: number;
  faultsInjected: number;
  faultsHit: number;
  kills: number;
  /** scan() calls whose worker died before they returned a token (submitted again to the next worker). */
  scanCallsCut: number;
  /** Final records by outcome: "done:malicious", "error:source-http-status", … */
  outcomes: Record<string, number>;
  /** The same, per kind of scan planned: "unknown-upload → done:clean", … */
  outcomesByKind: Record<string, number>;
  realMs: number;
  virtualMs: number;
}

/** Every check the soak makes, as failures ("" when all pass). */
export function soakFailures(report: SoakReport): string[] {
  const failures: string[] = [];
  if (report.lost !== 0) failures.push(`${report.lost} records lost`);
  if (report.stuck !== 0) failures.push(`${report.stuck} records stuck in ready/progress`);
  if (report.paused !== 0) failures.push(`${report.paused} records paused (none expected)`);
  if (report.errorsWithoutReason !== 0) failures.push(`${report.errorsWithoutReason} errors without a reason`);
  if (report.selfInflicted429 !== 0) failures.push(`${report.selfInflicted429} self-inflicted 429s`);
  if (report.counterDrift !== 0) failures.push(`quota counter drift ${report.counterDrift}`);
  if (report.doubleUploads !== 0) failures.push(`${report.doubleUploads} files uploaded twice`);
  return failures;
}

/** The report as a few readable lines. */
export function formatSoakReport(r: SoakReport): string {
  const outcomes = Object.entries(r.outcomes).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `soak: ${r.scans} scans, seed ${r.seed}: ${(r.realMs / 1000).toFixed(1)} s real, ${(r.virtualMs / 60_000).toFixed(0)} min virtual`,
    `  lost ${r.lost} · stuck ${r.stuck} · paused ${r.paused} · errors without reason ${r.errorsWithoutReason} · self-inflicted 429s ${r.selfInflicted429} · counter drift ${r.counterDrift} · double uploads ${r.doubleUploads}`,
    `  quota: limiter ${r.limiterMonthUsed} = emulator counted ${r.emulatorCounted} + stopped by injected faults ${r.emulatorFaultedUncounted} + 429s ${r.selfInflicted429} + spent by dying workers ${r.slotsSpentByDyingWorkers}`,
    `  requests ${r.requests} · uploads ${r.uploads} · faults injected ${r.faultsInjected} (hit ${r.faultsHit}) · worker kills ${r.kills} · scan calls cut by a kill ${r.scanCallsCut}`,
    `  outcomes: ${outcomes}`,
    `  by kind: ${Object.entries(r.outcomesByKind).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ')}`,
  ].join('\n');
}

/** mulberry32: small, fast, good enough to pick test cases; the same seed gives the same sequence. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T extends string>(weights: Record<T, number>): T => {
      const entries = Object.entries(weights) as Array<[T, number]>;
      let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [key, weight] of entries) if ((roll -= weight) < 0) return key;
      return entries[entries.length - 1]![0];
    },
  };
}
type Random = ReturnType<typeof createRandom>;

const SCAN_KINDS = {
  eicar: 8, clean: 6, added: 12, 'unknown-upload': 16, 'unknown-document': 7, duplicate: 16, 'data-url': 4,
  'http-404': 4, 'http-403-once': 4, 'size-mismatch': 3, empty: 2, 'bad-scheme': 3, 'bad-data-url': 2,
} as const;
type ScanKind = keyof typeof SCAN_KINDS;

/** One planned scan: what to serve and how to ask for it. */
interface Planned {
  kind: ScanKind;
  bytes: Uint8Array | null;
  fileName: string;
}

const QUOTA = { perMinute: 4, perDay: 5_000, perMonth: 100_000 };

/** Runs the soak and reports; never throws on a failed check (see `soakFailures`). */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const random = createRandom(options.seed);
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.timeoutMs ?? 250;
  const faultRate = options.faultRate ?? 0.3;
  // Kills come at random requests, sleeps and new records, until the budget is spent.
  let killBudget = Math.round((options.scans * (options.killsPer100 ?? 6)) / 100);
  const maybeKill = (chance: number) => {
    if (killBudget <= 0 || !random.chance(chance)) return false;
    killBudget--;
    return true;
  };
  const startedReal = performance.now();

  const h = await createHarness({
    settings: { quotaPreset: 'custom', quota: QUOTA, uploadUnknown: true, urlFallback: true, historyLimit: 100_000 },
    // VirusTotal finishes an analysis by itself within minutes, polled or not.
    emulator: { quota: { ...QUOTA, minuteMs: 60_000 }, analysisPolls: 2, analysisCompletesAfterMs: 3 * 60_000 },
  });
  const startedVirtual = h.clock.now();
  const inFlight = createInFlight();
  const lives: WorkerLife[] = [];
  let kills = 0;
  let faultsInjected = 0;
  let scanCallsCut = 0;
  let closing = false;

  try {
    // The current worker; a killed one is replaced (as the next event or alarm would start it) and resumes.
    let current = startLife();
    function startLife(): { life: WorkerLife; engine: ScanEngine } {
      const life = createWorkerLife();
      lives.push(life);
      const engine = workerEngine(h, life, {
        inFlight,
        // A 'late-answer' fault is processed up to 100 ms after the client gave up: real time passes.
        lateAnswerGraceMs: 200,
        killOnRequest: () => maybeKill(0.02),
        killOnSleep: () => maybeKill(0.002),
        overrides: {
          timeoutMs,
          onChange: (record) => {
            if (record.step === 'queued' && maybeKill(0.02)) life.kill();
          },
        },
      });
      const worker = { life, engine };
      void life.death.then(() => {
        if (closing) return;
        kills++;
        // The next worker starts a moment later and resumes whatever the dead one left.
        setTimeout(() => {
          if (closing) return;
          current = startLife();
          log(`  worker killed (${kills}); a new one resumes`);
          void current.engine.resume();
        }, random.int(0, 5));
      });
      return worker;
    }

    const planned: Planned[] = [];
    const tokens: string[] = [];
    const kindOf = new Map<string, ScanKind>();
    for (let i = 0; i < options.scans; i++) {
      const plan = planScan(random, planned, i);
      planned.push(plan);
      if (random.chance(faultRate)) {
        h.emulator.injectFault(randomFault(random, timeoutMs));
        faultsInjected++;
      }
      const scan = sourceFor(h, plan, i, random);
      for (;;) {
        const worker = current;
        if (worker.life.dead) {
          await new Promise((resolve) => setTimeout(resolve, 2));
          continue;
        }
        const token = await Promise.race([worker.engine.scan(scan), worker.life.death.then(() => null)]);
        if (token !== null) {
          tokens.push(token);
          kindOf.set(token, plan.kind);
          break;
        }
        scanCallsCut++;
      }
      if (i % 25 === 24) log(`  ${i + 1} scans submitted`);
      // Downloads arrive over time: sometimes a pause long enough for work to happen in between.
      if (random.chance(0.3)) await new Promise((resolve) => setTimeout(resolve, random.int(0, 15)));
    }

    // Let everything finish; like the watchdog alarm, resume whatever is left, until nothing is left or
    // nothing moves any more (those records are stuck).
    let unchanged = 0;
    let lastFingerprint = '';
    const deadline = performance.now() + Math.max(60_000, options.scans * 1_000);
    while (unchanged < 5 && performance.now() < deadline) {
      const worker = current;
      if (worker.life.dead) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      await Promise.race([worker.engine.settled(), worker.life.death]);
      await inFlight.drained();
      if (worker !== current || worker.life.dead) continue;
      const unfinished = (await h.store.unfinished()).filter((r) => !isPaused(r));
      if (unfinished.length === 0) break;
      const fingerprint = unfinished.map((r) => `${r.token}:${r.step}:${r.updatedAt}`).join(',');
      unchanged = fingerprint === lastFingerprint ? unchanged + 1 : 0;
      lastFingerprint = fingerprint;
      await worker.engine.resume();
    }

    const records = await h.db.getAll('scans');
    const byToken = new Set(records.map((r) => r.token));
    const unfinished = records.filter((r) => r.status === 'ready' || r.status === 'progress');
    const outcomes: Record<string, number> = {};
    const outcomesByKind: Record<string, number> = {};
    for (const r of records) {
      const key = r.status === 'done' ? `done:${r.verdict}` : r.status === 'error' ? `error:${r.error?.code}` : `${r.status}:${r.step}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      const byKind = `${kindOf.get(r.token) ?? 'orphan'} → ${key}`;
      outcomesByKind[byKind] = (outcomesByKind[byKind] ?? 0) + 1;
    }
    const requests = h.emulator.requests;
    const uploadsPerFile = new Map<string, number>();
    for (const u of h.emulator.uploads) uploadsPerFile.set(u.sha256, (uploadsPerFile.get(u.sha256) ?? 0) + 1);
    for (const [sha, count] of uploadsPerFile) {
      if (count < 2) continue;
      // For a failing seed: the records of a file uploaded twice, and when the uploads arrived.
      const uploadsAt = requests.filter((r) => r.method === 'POST' && /\/files$|\/_upload\//.test(r.path)).map((r) => `${r.at - startedVirtual}/${r.status}${r.fault ? `/${r.fault}` : ''}`);
      log(`uploaded ${count}×: ${sha}; upload requests ${uploadsAt.join(' ')}`);
      for (const r of records.filter((x) => x.sha256 === sha)) {
        log(`  ${kindOf.get(r.token) ?? 'orphan'} ${r.token.slice(0, 8)} ${r.status}/${r.step} created ${r.createdAt - startedVirtual} uploadStartedAt ${r.uploadStartedAt === null ? '-' : r.uploadStartedAt - startedVirtual} analysis ${r.analysisId ?? '-'}`);
      }
    }
    // The month counter, not the day's: a long run may pass midnight UTC, where both day counters restart.
    const limiterMonthUsed = parseQuotaState(await quotaStateItem.getValue()).month.used;
    const emulatorCounted = requests.filter((r) => r.quotaCounted).length;
    const emulatorFaultedUncounted = requests.filter((r) => !r.quotaCounted && r.fault !== undefined).length;
    const selfInflicted429 = requests.filter((r) => r.status === 429 && r.fault === undefined).length;
    // For a failing seed: what the emulator had received in the minute before each self-inflicted 429.
    for (const r of requests.filter((q) => q.status === 429 && q.fault === undefined)) {
      const window = requests.filter((q) => q.at > r.at - 62_000 && q.at <= r.at);
      log(`429 at ${r.at - startedVirtual}: ${window.map((q) => `${q.at - startedVirtual}/${q.method} ${q.path.slice(-12)}/${q.status}/${q.quotaCounted ? 'c' : '-'}${q.fault ?? ''}`).join('  ')}`);
    }
    const slotsSpentByDyingWorkers = lives.reduce((sum, life) => sum + life.slotsSpentUnsent, 0);
    return {
      seed: options.seed,
      scans: options.scans,
      lost: tokens.filter((t) => !byToken.has(t)).length,
      stuck: unfinished.filter((r) => !isPaused(r)).length,
      paused: unfinished.filter(isPaused).length,
      errorsWithoutReason: records.filter((r) => r.status === 'error' && !isProblem(r.error)).length,
      selfInflicted429,
      limiterMonthUsed,
      emulatorCounted,
      emulatorFaultedUncounted,
      slotsSpentByDyingWorkers,
      counterDrift: limiterMonthUsed - (emulatorCounted + emulatorFaultedUncounted + selfInflicted429 + slotsSpentByDyingWorkers),
      doubleUploads: [...uploadsPerFile.values()].filter((n) => n > 1).length,
      uploads: h.emulator.uploads.length,
      requests: requests.length,
      faultsInjected,
      faultsHit: requests.filter((r) => r.fault !== undefined).length,
      kills,
      scanCallsCut,
      outcomes,
      outcomesByKind,
      realMs: performance.now() - startedReal,
      virtualMs: h.clock.now() - startedVirtual,
    };
  } finally {
    // Freeze the last worker too, so nothing touches the database once it is closed. Dead workers never
    // settle: close the servers and the database without waiting for them.
    closing = true;
    for (const life of lives) life.kill();
    h.emulator.clearFaults();
    await inFlight.drained();
    h.db.close();
    await Promise.all([h.emulator.close(), h.files.close()]);
  }
}

/** Waiting for the person (no key, key rejected): not stuck, but none is expected in the soak. */
function isPaused(record: ScanRecord): boolean {
  return record.status === 'ready' && ['no-api-key', 'vt-wrong-key', 'vt-account-inactive', 'vt-forbidden'].includes(record.notice?.code ?? '');
}

function planScan(random: Random, earlier: readonly Planned[], i: number): Planned {
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

function sourceFor(h: Harness, plan: Planned, i: number, random: Random): NewScan {
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

/** A random network or VirusTotal failure, never a 429 (so every 429 seen is self-inflicted). */
function randomFault(random: Random, timeoutMs: number): Fault {
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
