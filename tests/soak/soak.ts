/**
 * The soak: many scans of every kind (soak-plan.ts) against the VirusTotal emulator with random faults
 * injected, the worker killed at random moments, the system clock moved back and forward (across
 * 00:00 UTC too; VirusTotal keeps true time) and the scans that start a file's shared upload removed while
 * another scan of the file waits for it, then checks that nothing is lost, nothing is stuck, no
 * 429 was self-inflicted, the quota counters match what the emulator received, and no file was uploaded
 * twice (soak-report.ts).
 *
 * It runs in the engine harness's simulation, and nothing in it uses real time: requests are in-process,
 * every wait, timeout, latency and hang is on the virtual clock, kills happen at steps of the program, the
 * pauses between downloads are virtual waits or a counted number of event-loop turns, and every choice
 * comes from one seeded PRNG. So a seed always takes the same path, through the same interleaving, however
 * busy the machine: `--seed` replays a failure exactly, and the report (but for `realMs`) is the same.
 *
 * The quota windows are not scaled (4 requests a minute, ScanDock's and the emulator's alike): virtual
 * minutes cost nothing, and scaling only the emulator's would make it laxer than ScanDock's limiter and
 * hide a self-inflicted 429.
 */
import { createHarness } from '../support/engine-harness';
import { createRandom } from '../support/sim/random';
import { createWorkerLife, workerEngine, type WorkerLife } from '../support/worker-life';
import { isProblem } from '@/utils/problems/problem';
import { parseQuotaState } from '@/utils/quota/quota-math';
import type { ScanEngine } from '@/utils/scan/scan-engine';
import type { ScanRecord } from '@/utils/scan/scan-record';
import { quotaStateItem } from '@/utils/settings/storage-items';
import { planScan, randomClockMove, randomFault, sourceFor, type Planned, type ScanKind } from './soak-plan';
import { traceOf, type SoakReport } from './soak-report';

export { comparable, formatSoakReport, soakFailures, type SoakReport } from './soak-report';

export interface SoakOptions {
  scans: number;
  seed: number;
  /** Chance that a scan comes with an injected fault (default 0.3). */
  faultRate?: number;
  /** Worker kills per 100 scans, at random moments (default 6). */
  killsPer100?: number;
  /** Changes of the system clock per 100 scans, between two downloads (default 5). */
  clockMovesPer100?: number;
  /** The engine's request timeout, virtual milliseconds (default 250). */
  timeoutMs?: number;
  /** Keep the whole trace in the report (default: only its digest). */
  keepTrace?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

const QUOTA = { perMinute: 4, perDay: 5_000, perMonth: 100_000 };
/** Rounds of "let everything finish, resume what is left" before the end gives up on records that never move. */
const MAX_FINISHING_ROUNDS = 1_000;

interface Worker {
  life: WorkerLife;
  engine: ScanEngine;
}

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

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
  let clockMovesLeft = Math.round((options.scans * (options.clockMovesPer100 ?? 5)) / 100);
  const clockMoves: string[] = [];
  const startedReal = performance.now();

  const h = await createHarness({
    seed: options.seed,
    settings: { quotaPreset: 'custom', quota: QUOTA, uploadUnknown: true, urlFallback: true, historyLimit: 100_000 },
    // VirusTotal finishes an analysis by itself within minutes, polled or not.
    emulator: { quota: { ...QUOTA, minuteMs: 60_000 }, analysisPolls: 2, analysisCompletesAfterMs: 3 * 60_000 },
  });
  const { sim, clock } = h;
  // Virtual time as VirusTotal keeps it: the system clock ScanDock reads may be moved (clock.jump).
  const startedVirtual = clock.monotonic();
  const lives: WorkerLife[] = [];
  let kills = 0;
  let faultsInjected = 0;
  let scanCallsCut = 0;
  let closing = false;
  let simulationError: string | null = null;
  const tokens: string[] = [];
  const kindOf = new Map<string, ScanKind>();
  // Removals of the scan that starts a file's shared upload while another scan of the file waits for it.
  const removed = new Set<string>();
  const scansOfFile = new Map<string, Set<string>>();
  const uploadStarted = new Set<string>();
  function maybeRemoveStarter(engine: ScanEngine, record: ScanRecord): void {
    if (!record.sha256 || record.status === 'done' || record.status === 'error') return;
    const others = scansOfFile.get(record.sha256) ?? new Set<string>();
    scansOfFile.set(record.sha256, others.add(record.token));
    if (record.step !== 'upload' || uploadStarted.has(record.sha256)) return;
    uploadStarted.add(record.sha256);
    if (others.size < 2 || !random.chance(0.5)) return;
    removed.add(record.token);
    starterRemovals++;
    void engine.remove(record.token).catch(() => undefined);
  }
  let starterRemovals = 0;

  try {
    // The current worker; a killed one is replaced (as the next event or alarm would start it) and resumes.
    let current = startLife();
    function startLife(): Worker {
      const life = createWorkerLife();
      lives.push(life);
      const engine = workerEngine(h, life, {
        killOnRequest: () => maybeKill(0.02),
        killOnSleep: () => maybeKill(0.002),
        overrides: {
          timeoutMs,
          onChange: (record) => {
            if (record.step === 'queued' && maybeKill(0.02)) life.kill();
            maybeRemoveStarter(engine, record);
          },
        },
      });
      void life.death.then(async () => {
        if (closing) return;
        kills++;
        // The next worker starts a moment later, on the virtual clock, and resumes what the dead one left.
        await clock.sleep(random.int(0, 5));
        if (closing) return;
        current = startLife();
        log(`  worker killed (${kills}); a new one resumes`);
        void current.engine.resume();
      });
      return { life, engine };
    }
    /** The living worker, once there is one again. */
    const alive = async (): Promise<Worker> => {
      if (current.life.dead) await sim.until(() => !current.life.dead, 'the next worker');
      return current;
    };

    try {
      const planned: Planned[] = [];
      for (let i = 0; i < options.scans; i++) {
        const plan = planScan(random, planned, i);
        planned.push(plan);
        if (random.chance(faultRate)) {
          h.emulator.injectFault(randomFault(random, timeoutMs));
          faultsInjected++;
        }
        const scan = sourceFor(h, plan, i, random);
        for (;;) {
          const worker = await alive();
          const token = await sim.run(Promise.race([worker.engine.scan(scan), worker.life.death.then(() => null)]));
          if (token !== null) {
            tokens.push(token);
            kindOf.set(token, plan.kind);
            break;
          }
          scanCallsCut++;
        }
        if (i % 25 === 24) log(`  ${i + 1} scans submitted`);
        // The planned clock moves fall on random downloads (each remaining download equally likely).
        if (clockMovesLeft > 0 && random.chance(clockMovesLeft / (options.scans - i))) {
          clockMovesLeft--;
          const move = randomClockMove(random, clock.now(), clock.now() - clock.monotonic());
          clock.jump(move.ms);
          clockMoves.push(`${move.kind} ${Math.round(move.ms / 1000)} s`);
          log(`  clock moved ${move.kind} by ${Math.round(move.ms / 1000)} s`);
        }
        // Downloads arrive over time. Sometimes a virtual pause, which lasts until all work under way waits
        // for something; sometimes a few event-loop turns, which leave some of it half done.
        if (random.chance(0.3)) {
          if (random.chance(0.5)) await sim.run(clock.sleep(random.int(0, 15)));
          else await turns(random.int(1, 30));
        }
      }

      // Let everything finish; like the watchdog alarm, resume whatever is left, until nothing is left or
      // nothing moves any more (those records are stuck).
      let unchanged = 0;
      let lastFingerprint = '';
      for (let round = 0; unchanged < 5 && round < MAX_FINISHING_ROUNDS; round++) {
        const worker = await alive();
        await sim.run(Promise.race([worker.engine.settled(), worker.life.death]));
        await sim.idle();
        if (worker !== current || worker.life.dead) continue;
        const unfinished = (await h.store.unfinished()).filter((r) => !isPaused(r));
        if (unfinished.length === 0) break;
        const fingerprint = unfinished.map((r) => `${r.token}:${r.step}:${r.updatedAt}`).join(',');
        unchanged = fingerprint === lastFingerprint ? unchanged + 1 : 0;
        lastFingerprint = fingerprint;
        await worker.engine.resume();
      }
    } catch (error) {
      // A deadlock or a runaway: report it with whatever state the run reached.
      simulationError = `${error instanceof Error ? error.message : String(error)} (${sim.describe()})`;
      log(`simulation stopped: ${simulationError}`);
    }
    const virtualMs = clock.monotonic() - startedVirtual;
    // What dead workers left behind (a request still in its latency, a timeout) lands before counting.
    closing = true;
    for (const life of lives) life.kill();
    if (simulationError === null) await sim.drain();
    return await report(virtualMs);
  } finally {
    closing = true;
    for (const life of lives) life.kill();
    h.emulator.clearFaults();
    await h.close().catch(() => undefined);
  }

  async function report(virtualMs: number): Promise<SoakReport> {
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
        log(`  ${kindOf.get(r.token) ?? 'orphan'} ${r.token.slice(0, 8)} ${r.status}/${r.step} created ${r.createdAt - startedVirtual} uploadSentAt ${r.uploadSentAt.map((t) => t - startedVirtual).join(',') || '-'} analysis ${r.analysisId ?? '-'}`);
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
    const trace = traceOf(requests, records, startedVirtual);
    return {
      seed: options.seed,
      scans: options.scans,
      lost: tokens.filter((t) => !byToken.has(t) && !removed.has(t)).length,
      starterRemovals,
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
      clockMoves,
      scanCallsCut,
      outcomes,
      outcomesByKind,
      simulationError,
      steps: sim.steps,
      traceDigest: trace.digest,
      ...(options.keepTrace ? { trace: trace.lines } : {}),
      realMs: performance.now() - startedReal,
      virtualMs,
    };
  }
}

/** Waiting for the person (no key, key rejected): not stuck, but none is expected in the soak. */
function isPaused(record: ScanRecord): boolean {
  return record.status === 'ready' && ['no-api-key', 'vt-wrong-key', 'vt-account-inactive', 'vt-forbidden'].includes(record.notice?.code ?? '');
}
