/** What one bench run measures: the full plan (`npm run bench`) and the quick one (`--quick`). */
import { MiB } from './stats';

export interface BenchPlan {
  name: 'full' | 'quick';
  /** Repetitions of each timed figure. */
  runs: number;
  /** Repetitions of the popup figures (3 and 6): each takes about a second, and page loads vary a lot. */
  popupRuns: number;
  /** File sizes for the hash throughput (bytes). */
  hashSizes: number[];
  /** File sizes for download complete → record done (bytes). */
  scanSizes: number[];
  /** File size for the peak-memory figure, and how often it is repeated (a fresh browser each time). */
  memorySize: number;
  memoryRuns: number;
  /** Also try VirusTotal's 650 MB limit once (bytes), or null to skip it. */
  limitSize: number | null;
  /** Records seeded into the history before the popup's first paint is measured. */
  historyRecords: number;
  /** Figure 7: the burst of 30 known files under 4/min (about seven real minutes, once). */
  quotaBurst: boolean;
  /** Figure 8: peak memory with 10 unknown 200 MiB files waiting for the quota (about four real minutes, once). */
  queuedUploads: boolean;
  /** Figure 11: figure 7's burst with the worker stopped by Chrome itself, nothing attached (about 7.5 real minutes, once). */
  idleBurst: boolean;
  /** Concurrent downloads of one file in the burst figure. */
  burst: number;
  /** Figures 9 and 10 (issue 12): reading finished downloads from disk. */
  disk: DiskPlan;
  /** Measure only these figures (1–12); all when absent. */
  figures?: number[];
}

export interface DiskPlan {
  /** Figure 9: read + hash of a file on disk against `sha256sum`, at these sizes (bytes). */
  hashSizes: number[];
  /** Figure 10: download complete → verdict for a file of this size over a link of `linkMbps`, disk vs fetching again. */
  throttledSize: number;
  linkMbps: number;
  throttledRuns: number;
}

export const FULL_PLAN: BenchPlan = {
  name: 'full',
  runs: 5,
  popupRuns: 15,
  hashSizes: [1 * MiB, 16 * MiB, 100 * MiB, 500 * MiB],
  scanSizes: [1 * MiB, 100 * MiB],
  memorySize: 500 * MiB,
  memoryRuns: 5,
  limitSize: 650_000_000,
  historyRecords: 1000,
  quotaBurst: true,
  queuedUploads: true,
  idleBurst: true,
  burst: 10,
  disk: { hashSizes: [1 * MiB, 100 * MiB, 500 * MiB], throttledSize: 100 * MiB, linkMbps: 50, throttledRuns: 3 },
};

/** One run of each, small files, no 500/650 MB files and none of the real-time quota figures (7, 8, 11): under 90 s. */
export const QUICK_PLAN: BenchPlan = {
  name: 'quick',
  runs: 1,
  popupRuns: 1,
  hashSizes: [1 * MiB, 16 * MiB],
  scanSizes: [1 * MiB, 16 * MiB],
  memorySize: 16 * MiB,
  memoryRuns: 1,
  limitSize: null,
  historyRecords: 1000,
  quotaBurst: false,
  queuedUploads: false,
  idleBurst: false,
  burst: 10,
  disk: { hashSizes: [1 * MiB, 16 * MiB], throttledSize: 4 * MiB, linkMbps: 50, throttledRuns: 1 },
};
