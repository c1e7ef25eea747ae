/**
 * What a soak run found: the report, the checks made on it, and the trace of the run (every request the
 * emulator saw and every record at the end) that replays a failing seed and proves two runs the same.
 */
import { createHash } from 'node:crypto';
import type { EmulatorRequest } from '../emulator/virustotal-emulator';
import type { ScanRecord } from '@/utils/scan/scan-record';

export interface SoakReport {
  seed: number;
  scans: number;
  /** Tokens returned by scan() with no record at the end (but for the ones the soak removed). */
  lost: number;
  /** Scans removed as they started a shared upload another scan of the file waited for. */
  starterRemovals: number;
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
  /** The changes of the system clock made, in order ("back across midnight -43512 s"). */
  clockMoves: string[];
  /** scan() calls whose worker died before they returned a token (submitted again to the next worker). */
  scanCallsCut: number;
  /** Final records by outcome: "done:malicious", "error:source-http-status", … */
  outcomes: Record<string, number>;
  /** The same, per kind of scan planned: "unknown-upload → done:clean", … */
  outcomesByKind: Record<string, number>;
  /** What stopped the run before the end (a deadlock or a runaway in the simulation), or null. */
  simulationError: string | null;
  /** Timers the simulation fired. */
  steps: number;
  /** SHA-256 of the trace (every request as the emulator saw it, every final record): equal runs, equal digests. */
  traceDigest: string;
  /** The trace itself, one line per request then per record, when the run was asked to keep it. */
  trace?: string[];
  realMs: number;
  virtualMs: number;
}

/** Every check the soak makes, as failures (none when all pass). */
export function soakFailures(report: SoakReport): string[] {
  const failures: string[] = [];
  if (report.simulationError !== null) failures.push(`the simulation stopped: ${report.simulationError}`);
  if (report.lost !== 0) failures.push(`${report.lost} records lost`);
  if (report.stuck !== 0) failures.push(`${report.stuck} records stuck in ready/progress`);
  if (report.paused !== 0) failures.push(`${report.paused} records paused (none expected)`);
  if (report.errorsWithoutReason !== 0) failures.push(`${report.errorsWithoutReason} errors without a reason`);
  if (report.selfInflicted429 !== 0) failures.push(`${report.selfInflicted429} self-inflicted 429s`);
  if (report.counterDrift !== 0) failures.push(`quota counter drift ${report.counterDrift}`);
  if (report.doubleUploads !== 0) failures.push(`${report.doubleUploads} files uploaded twice`);
  return failures;
}

/** The report without what depends on the machine (real milliseconds): two runs of a seed must agree on it. */
export function comparable(report: SoakReport): Omit<SoakReport, 'realMs'> {
  const { realMs: _realMs, ...rest } = report;
  return rest;
}

const sorted = (counts: Record<string, number>) => Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k} ${v}`).join(', ');

/** The report as a few readable lines. */
export function formatSoakReport(r: SoakReport): string {
  return [
    `soak: ${r.scans} scans, seed ${r.seed}: ${(r.realMs / 1000).toFixed(1)} s real, ${(r.virtualMs / 60_000).toFixed(0)} min virtual, ${r.steps} timers, trace ${r.traceDigest.slice(0, 12)}`,
    ...(r.simulationError ? [`  SIMULATION STOPPED: ${r.simulationError}`] : []),
    `  lost ${r.lost} · stuck ${r.stuck} · paused ${r.paused} · errors without reason ${r.errorsWithoutReason} · self-inflicted 429s ${r.selfInflicted429} · counter drift ${r.counterDrift} · double uploads ${r.doubleUploads}`,
    `  quota: limiter ${r.limiterMonthUsed} = emulator counted ${r.emulatorCounted} + stopped by injected faults ${r.emulatorFaultedUncounted} + 429s ${r.selfInflicted429} + spent by dying workers ${r.slotsSpentByDyingWorkers}`,
    `  requests ${r.requests} · uploads ${r.uploads} · faults injected ${r.faultsInjected} (hit ${r.faultsHit}) · worker kills ${r.kills} · scan calls cut by a kill ${r.scanCallsCut} · shared-upload starters removed ${r.starterRemovals}`,
    `  clock moves ${r.clockMoves.length}: ${r.clockMoves.join(', ') || 'none'}`,
    `  outcomes: ${sorted(r.outcomes)}`,
    `  by kind: ${sorted(r.outcomesByKind)}`,
  ].join('\n');
}

/**
 * The run as lines: each request (virtual ms after the start, method, path, status, fault, counted) in
 * arrival order, then each record (by creation, then token) as stored. Tokens come from the seeded
 * generator and times from the virtual clock, so a replay of the seed gives the same lines.
 */
export function traceOf(requests: readonly EmulatorRequest[], records: readonly ScanRecord[], start: number): { lines: string[]; digest: string } {
  const lines = [
    ...requests.map((r, i) => `request ${i} +${r.at - start} ${r.method} ${r.path} → ${r.status}${r.fault ? ` fault:${r.fault}` : ''}${r.quotaCounted ? ' counted' : ''}`),
    ...[...records]
      .sort((a, b) => a.createdAt - b.createdAt || a.token.localeCompare(b.token))
      .map((r) => `record ${r.token.slice(0, 12)} +${r.createdAt - start} ${JSON.stringify(r)}`),
  ];
  return { lines, digest: createHash('sha256').update(lines.join('\n')).digest('hex') };
}
