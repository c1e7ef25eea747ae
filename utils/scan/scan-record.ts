/**
 * The scan record: one per scan, keyed by a random token, kept in IndexedDB.
 * Status follows the seed's contract: ready → progress → done | error, and never stays
 * ready/progress once its work can no longer happen.
 */
import type { Problem, ProblemCode } from '../problems/problem';

/** Where a scan's status stands, as the popup shows it. */
export type ScanStatus = 'ready' | 'progress' | 'done' | 'error';

/** What the engines' reports add up to. 'unknown': VirusTotal has never seen the file. */
export type Verdict = 'malicious' | 'suspicious' | 'clean' | 'unknown';

/**
 * The durable step a scan has reached. On a worker restart the engine resumes from here:
 * - queued: nothing done yet
 * - reading: obtaining the bytes and hashing them (bytes are not durable: a restart reads them again)
 * - lookup: sha256 known, `GET /files/{sha256}` due
 * - upload: the file is unknown and will be uploaded (`uploadStartedAt` guards against a double upload)
 * - analysis: an analysis id is known; polling `/analyses/{id}`
 * - url-submit / url-analysis / url-report: the URL-only fallback
 * - finished: done or error
 */
export type ScanStep =
  | 'queued'
  | 'reading'
  | 'lookup'
  | 'upload'
  | 'analysis'
  | 'url-submit'
  | 'url-analysis'
  | 'url-report'
  | 'finished';

/** VirusTotal's `last_analysis_stats`, exactly its eight keys. */
export interface AnalysisStats {
  malicious: number;
  suspicious: number;
  undetected: number;
  harmless: number;
  timeout: number;
  'confirmed-timeout': number;
  'type-unsupported': number;
  failure: number;
}

/** VirusTotal's per-engine categories (the same eight values as the stats keys). */
export type EngineCategory = keyof AnalysisStats;

/** One engine's report on the file. */
export interface EngineDetail {
  vendorName: string;
  vendorVersion: string;
  /** True when this engine calls the file malicious. */
  scanDetected: boolean;
  category: EngineCategory;
  /** The engine's label, e.g. "EICAR-Test-File", or null when it found nothing. */
  result: string | null;
}

/** Where the bytes come from. */
export type ScanSource =
  | {
      kind: 'download';
      url: string;
      /**
       * The browser's number for the download. Not an identity on its own: Firefox numbers downloads from 1
       * again after every restart (https://bugzil.la/1568785) and Chrome may hand out old numbers again once
       * its history is cleared. `startTime` and `filename` (with `url`) tell whether a number still means
       * this download (entrypoints/background/download-identity.ts). Records from before they were kept lack them.
       */
      downloadId: number;
      /** `DownloadItem.startTime` (ISO 8601). */
      startTime?: string;
      /** `DownloadItem.filename`: the absolute path it was saved to. */
      filename?: string;
      expectedSize?: number;
      danger?: string;
      mime?: string;
    }
  | { kind: 'link'; url: string; pageUrl?: string }
  | { kind: 'file'; stagedFileId: string };

/** The codes of what can go wrong; see utils/problems/problem.ts for each one's sentences and params. */
export type ScanErrorCode = ProblemCode;

/** The record kept in IndexedDB `scandock/scans`. */
export interface ScanRecord {
  /** 64 lowercase hex characters from crypto.getRandomValues. */
  token: string;
  status: ScanStatus;
  step: ScanStep;
  /** stats.malicious ≥ the detection threshold. Null until done. */
  detected: boolean | null;
  verdict: Verdict | null;
  detail: EngineDetail[];
  stats: AnalysisStats | null;
  sha256: string | null;
  fileName: string;
  size: number | null;
  source: ScanSource;
  createdAt: number;
  updatedAt: number;
  /** Set when status is 'error': why it ended, as a code and params the pages render in the reader's language. */
  error: Problem | null;
  /** Set while a non-final scan waits (quota, rejected key, network): why, and until when (`nextAt`). */
  notice: Problem | null;
  /** Link to the report a person can read on virustotal.com. */
  reportUrl: string | null;
  /** The VirusTotal analysis being polled (upload, re-analysis or URL submission). */
  analysisId: string | null;
  /** When the upload request was first sent: on resume, look the hash up before uploading again. */
  uploadStartedAt: number | null;
  /** The person asked to upload this file (overrides the "Upload unknown files" setting once). */
  uploadRequested: boolean;
  /** Skip the verdict cache on the next lookup (rescan). */
  bypassCache: boolean;
  /** When the analysis polling started, to cap the total wait. */
  analysisStartedAt: number | null;
  /** Transient failures in a row; reset on success. */
  attempts: number;
  /** Chrome's own Safe Browsing verdict for a download (`DownloadItem.danger`). */
  browserDanger: string | null;
  /** The person has seen this detection (clears the badge). */
  seen: boolean;
  /** VirusTotal's suggested threat label, e.g. "virus.eicar/test". */
  threatLabel: string | null;
  /** When VirusTotal last analysed the file (ms), from the report. */
  analysedAt: number | null;
  /** The verdict came from a cached report (no request spent). */
  fromCache: boolean;
}

/** Records whose work is finished. */
export function isFinished(record: Pick<ScanRecord, 'status'>): boolean {
  return record.status === 'done' || record.status === 'error';
}
