/**
 * What a step of a scan is: a function that does one thing (read, look up, upload, follow an analysis,
 * the URL fallback) and says what comes next. Steps never sleep, count attempts, take quota slots in
 * their own order or set alarms: the scheduler does all of that (scheduler/scan-scheduler.ts). A step
 * that needs time to pass returns a `wait`; one that fails throws a ScanFailure whose kind tells the
 * scheduler to retry, pause or stop.
 */
import type { Problem } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import type { RequestTurn, VirusTotalClient } from '../../virustotal/virustotal-client';
import type { ScanRecord, ScanStep } from '../scan-record';
import type { RecordPatch, ScanStore } from '../scan-store';
import type { QueuePlace } from '../scheduler/queue-order';
import type { SlotWait } from '../scheduler/request-slots';
import type { SharedWork } from '../scheduler/shared-work';
import type { SourceReader } from './source-reader';

/** How long the engine waits for what, in milliseconds (defaults in scan-engine.ts; tests shorten them). */
export interface EngineTiming {
  /** Polls of one analysis are at least this far apart. */
  pollIntervalMs: number;
  /** Give up on an analysis not completed after this long. */
  maxAnalysisWaitMs: number;
  /** After an upload whose answer was lost, look the file up for this long before sending it again. */
  lostUploadWaitMs: number;
}

export type GateName = 'read' | 'upload';

/** What a step is given. */
export interface StepContext {
  /** The record as it was when the step started. */
  record: ScanRecord;
  settings: Settings;
  now(): number;
  timing: EngineTiming;
  /** Aborts when the scan is removed (or the engine stops driving it). */
  signal: AbortSignal;
  /** This scan's place in the queue. */
  place: QueuePlace;
  /**
   * VirusTotal for the current key; every request takes its turn for a slot, as this scan or as the
   * shared work `turn`. Throws a pause when there is no usable key.
   */
  virusTotal(turn?: RequestTurn): Promise<VirusTotalClient>;
  /** This scan waits for a VirusTotal slot: its record says why, and the wake-up alarm covers it. */
  onSlotWait(wait: SlotWait): void;
  /** Requests shared with other scans of the same file. */
  shared: SharedWork;
  store: ScanStore;
  /** Reading sources. */
  source: SourceReader;
  /**
   * Run `task` in one of the scheduler's gates, in queue order: 'read' (a few files read and hashed at
   * once) or 'upload' (one upload at a time: the only time a scan holds a file's bytes); as this scan, or
   * as the shared work `turn` (its place and cancellation, not this scan's).
   */
  gate<T>(name: GateName, task: () => Promise<T>, turn?: Pick<RequestTurn, 'place' | 'signal'>): Promise<T>;
  /** Save part of the record now (e.g. that an upload is leaving); the step's outcome saves the rest. */
  save(patch: RecordPatch): Promise<ScanRecord>;
}

/** What a step says comes next. */
export type StepOutcome =
  /** Go on with another step (or the same one again at once). */
  | { kind: 'next'; patch: RecordPatch & { step: ScanStep } }
  /** The scan is done: verdict and report in the patch. */
  | { kind: 'done'; patch: RecordPatch }
  /** Run this step again at `until`; meanwhile the record shows `notice` (null: nothing to explain). */
  | { kind: 'wait'; until: number; notice: Problem | null; patch?: RecordPatch };

/** One step: the function that runs it. */
export type Step = (ctx: StepContext) => Promise<StepOutcome>;

export const next = (patch: RecordPatch & { step: ScanStep }): StepOutcome => ({ kind: 'next', patch });
export const done = (patch: RecordPatch): StepOutcome => ({ kind: 'done', patch });
export const waitUntil = (until: number, notice: Problem | null, patch?: RecordPatch): StepOutcome => ({ kind: 'wait', until, notice, ...(patch ? { patch } : {}) });
