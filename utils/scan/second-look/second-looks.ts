/**
 * The second looks' runner: looks the due downloads up again on spare quota only. It runs when the worker is
 * awake anyway (the queue just drained, start-up, the wake alarm) and never waits: a look that finds no spare
 * quota (a new scan waits, half the minute is spent, the day's reserve is reached) stops the run and says when
 * to try again (`nextAt`), which the scheduler's one wake alarm includes. Its state is the records'
 * `secondLookAt` and `secondLook` in IndexedDB, so a restarted worker picks it up where it was.
 */
import type { Settings } from '../../settings/storage-items';
import type { Clock } from '../../time/clock';
import type { RequestTurn, VirusTotalClient } from '../../virustotal/virustotal-client';
import { ScanFailure } from '../scan-failure';
import { isFinished, type DownloadSource, type ScanRecord } from '../scan-record';
import type { RecordPatch, ScanStore } from '../scan-store';
import { NoSpareSlot } from '../scheduler/request-slots';
import { finishFromRecord, finishFromReport } from '../steps/file-lookup';
import { afterSecondLook, fileGone } from './second-look-plan';

/** After a look failed (network, VirusTotal's 5xx), try again this much later. */
export const SECOND_LOOK_RETRY_MS = 15 * 60_000;

export interface SecondLooksDeps {
  store: ScanStore;
  clock: Clock;
  settings(): Promise<Settings>;
  /** VirusTotal for the current key, every request taking `turn`; throws a pause when there is no usable key. */
  virusTotal(turn: RequestTurn): Promise<VirusTotalClient>;
  /** Whether a download's saved file is still there (`downloads.search` `exists`, the identity checked). */
  savedFileExists(source: DownloadSource): Promise<boolean>;
  /** A record changed (the popup, the badge). */
  onChange?(record: ScanRecord): void;
  /** A look found the verdict worse: notify. */
  onWorse?(record: ScanRecord): void;
  /** When the runner wants the worker awake next changed. */
  replan(): void;
}

export interface SecondLooks {
  /** Make every look that is due and has spare quota; resolves when this run ends. */
  run(): Promise<void>;
  /** When the runner wants to run next (the wake alarm includes it); null: no look is planned, or it waits for a drain. */
  nextAt(): number | null;
  /** Resolves when no run is going (tests and the benchmark). */
  settled(): Promise<void>;
}

type LookOutcome = { kind: 'looked' } | { kind: 'stop'; retryAt: number | null };

export function createSecondLooks(deps: SecondLooksDeps): SecondLooks {
  const { store, clock } = deps;
  let wantAt: number | null = null;
  let running: Promise<void> | null = null;
  let again = false;

  /** A report on this file fetched since the look became due (a new download of it, another look): no request. */
  async function newerReport(record: ScanRecord): Promise<ScanRecord | undefined> {
    const since = record.secondLookAt ?? clock.now();
    return (await store.withSha256(record.sha256!))
      .filter((r) => r.status === 'done' && r.verdictFor === 'file' && r.stats !== null && r.reportFetchedAt !== null && r.reportFetchedAt >= since)
      .sort((a, b) => b.reportFetchedAt! - a.reportFetchedAt!)[0];
  }

  async function save(record: ScanRecord, patch: RecordPatch): Promise<ScanRecord | undefined> {
    // A rescan or a removal meanwhile wins: the look's answer lands only on the finished record it was for.
    const saved = await store.patch(record.token, patch, (current) => isFinished(current) && current.secondLookAt === record.secondLookAt);
    if (saved) deps.onChange?.(saved);
    return saved;
  }

  async function look(record: ScanRecord, settings: Settings): Promise<LookOutcome> {
    if (record.source.kind !== 'download' || !record.sha256 || !(await deps.savedFileExists(record.source))) {
      await save(record, fileGone(record));
      return { kind: 'looked' };
    }
    const sha256 = record.sha256;
    let fresh: RecordPatch | null;
    const newer = await newerReport(record);
    if (newer) {
      fresh = finishFromRecord(newer, sha256, settings);
    } else {
      const controller = new AbortController();
      const turn: RequestTurn = { place: () => ({ queuedAt: record.secondLookAt ?? 0, token: record.token }), signal: controller.signal, spare: { reserve: settings.secondLookReserve } };
      try {
        const report = await (await deps.virusTotal(turn)).getFile(sha256);
        fresh = report ? finishFromReport(report, sha256, settings, clock.now(), false) : null;
      } catch (error) {
        if (error instanceof NoSpareSlot) return { kind: 'stop', retryAt: error.retryAt };
        // No key or a rejected key: the scans' resume (once the key is back) runs the looks again.
        if (error instanceof ScanFailure && error.kind === 'pause') return { kind: 'stop', retryAt: null };
        return { kind: 'stop', retryAt: clock.now() + SECOND_LOOK_RETRY_MS };
      }
    }
    const saved = await save(record, afterSecondLook(record, fresh, settings, clock.now()));
    if (saved?.secondLook?.ended === 'worse') deps.onWorse?.(saved);
    return { kind: 'looked' };
  }

  /** One pass over the due looks; sets `wantAt`. */
  async function pass(): Promise<void> {
    const settings = await deps.settings();
    // Turned off: the plans stay, and go on when it is turned on again.
    if (!settings.secondLook) return void (wantAt = null);
    for (;;) {
      // New scans first: the scheduler runs the looks again once its queue drains.
      if (await store.hasUnfinished()) return void (wantAt = null);
      const [due] = await store.secondLooksDue(clock.now());
      if (!due) return void (wantAt = await store.nextSecondLookAt());
      const outcome = await look(due, settings);
      if (outcome.kind === 'stop') return void (wantAt = outcome.retryAt);
    }
  }

  return {
    run() {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          await pass();
        } while (again);
      })()
        .catch((error: unknown) => {
          // IndexedDB or storage failed: the next wake tries again.
          console.warn('ScanDock: second looks stopped', error);
          wantAt = clock.now() + SECOND_LOOK_RETRY_MS;
        })
        .finally(() => {
          running = null;
          deps.replan();
        });
      return running;
    },
    nextAt: () => wantAt,
    settled: async () => {
      while (running) await running;
    },
  };
}
