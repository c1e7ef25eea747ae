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
 * - upload: the file is unknown and will be uploaded (`uploadSentAt` guards against a double upload)
 * - analysis: an analysis id is known; polling `/analyses/{id}`
 * - url-submit / url-analysis / url-report: the URL-only fallback
 * - address-lookup / address-submit / address-analysis: an address check (source 'address'): VirusTotal's
 *   URL report on the address, or, with the person's opt-in, a submission and its analysis
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
  | 'address-lookup'
  | 'address-submit'
  | 'address-analysis'
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
      /**
       * From a private (incognito) window (`DownloadItem.incognito`): its record is kept only for the private
       * session (utils/scan/private-scans.ts), and it is read only from its saved file, never fetched again.
       */
      incognito?: true;
    }
  /**
   * The file at a right-clicked link, fetched again (without the person's cookies unless a setting allows;
   * never with them when clicked in a private window, `incognito`).
   */
  | { kind: 'link'; url: string; pageUrl?: string; incognito?: true }
  | { kind: 'file'; stagedFileId: string }
  /**
   * "Check this address on VirusTotal": nothing is fetched by ScanDock; VirusTotal's URL scanners give the
   * verdict on the address itself (`GET /urls/{id}`).
   */
  | { kind: 'address'; url: string; pageUrl?: string; incognito?: true };

/**
 * What a verdict is about: 'file', the engines' report on the bytes (by SHA-256); 'address', VirusTotal's
 * URL scanners on an address (an address check, or the URL fallback when VirusTotal has no report on the
 * file it fetched there).
 */
export type VerdictFor = 'file' | 'address';

/** A finished download as a scan's source. */
export type DownloadSource = Extract<ScanSource, { kind: 'download' }>;

/** Where the bytes a scan hashed came from: a download's saved file, or its address fetched again. */
export type ReadFrom = 'disk' | 'network';

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
  /** What the verdict is about; null until there is one. */
  verdictFor: VerdictFor | null;
  detail: EngineDetail[];
  stats: AnalysisStats | null;
  sha256: string | null;
  fileName: string;
  size: number | null;
  source: ScanSource;
  createdAt: number;
  updatedAt: number;
  /** When the scan was last put in the queue (created, rescanned, sent again): first queued, first served. */
  queuedAt: number;
  /** The scan waits until then (a backoff, a poll, a look for a lost upload's report): a restart honours it. */
  waitUntil: number | null;
  /** Set when status is 'error': why it ended, as a code and params the pages render in the reader's language. */
  error: Problem | null;
  /** Set while a non-final scan waits (quota, rejected key, network): why, and until when (`nextAt`). */
  notice: Problem | null;
  /** Link to the report a person can read on virustotal.com. */
  reportUrl: string | null;
  /** The VirusTotal analysis being polled (upload, re-analysis or URL submission). */
  analysisId: string | null;
  /**
   * When this scan sent the file to VirusTotal, each time (stamped as the upload leaves): a send whose
   * answer was lost is waited for, not repeated, and a file is sent at most twice a day without the person.
   */
  uploadSentAt: number[];
  /** The person asked to upload this file (overrides the "Upload unknown files" setting once). */
  uploadRequested: boolean;
  /** The person asked to send it again after an answer was lost ("Upload again"): once, without waiting. */
  resendRequested: boolean;
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
  /**
   * When ScanDock last fetched VirusTotal's report behind this verdict (ms): the answer's age. A record answered
   * from the history keeps the age of the report it copied, so a repeat never passes an old answer off as new.
   */
  reportFetchedAt: number | null;
  /** When VirusTotal first saw the file or the address (`first_submission_date`, ms), from the report. */
  firstSeenAt: number | null;
  /** The second look at a finished download (second-look/second-look-plan.ts); null when none is planned or done. */
  secondLook: SecondLook | null;
  /** When the next second look is due (ms), indexed; null when none is due. */
  secondLookAt: number | null;
  /**
   * Where the hashed bytes came from: the download's saved file ('disk') or its address fetched again
   * ('network', also a link or a data: address); null for a picked file, the URL fallback, or before reading.
   */
  readFrom: ReadFrom | null;
  /** Why a download was fetched again instead of read from its saved file (file access off, the file moved); shown in the details. */
  readNote: Problem | null;
  /**
   * The verdict this record had before the person's last "Rescan" (a fresh look), for the popup to show what
   * changed. Absent on records never rescanned (and on those from before it was kept).
   */
  previous?: PreviousVerdict | null;
}

/** A verdict as it stood before a fresh look: what it said and when VirusTotal had analysed the file. */
export interface PreviousVerdict {
  verdict: Verdict;
  verdictFor: VerdictFor | null;
  stats: AnalysisStats | null;
  analysedAt: number | null;
}

/**
 * When a record's stored wait ends, seen from `now` (null: it waits for nothing): its `waitUntil`, but never
 * further from now than the wait was long when it was saved (it was saved at `updatedAt`). So a system clock
 * that was ahead when the wait was saved, and has been set right since, does not stretch the wait.
 */
export function storedWaitEnd(record: Pick<ScanRecord, 'waitUntil' | 'updatedAt'>, now: number): number | null {
  if (record.waitUntil === null) return null;
  return Math.min(record.waitUntil, now + Math.max(0, record.waitUntil - record.updatedAt));
}

/** A scan from a private window (a download, or a link right-clicked there): kept only until the last private window closes. */
export function isPrivateScan(record: Pick<ScanRecord, 'source'>): boolean {
  return record.source.kind !== 'file' && record.source.incognito === true;
}

/** The verdict a record had before a second look found it worse. */
export interface FirstVerdict {
  verdict: Verdict;
  malicious: number;
  /** When that verdict was given: the scan of the download. */
  at: number;
}

/** A finished download's second looks: how many were made, and what changed. */
export interface SecondLook {
  /** Looks made so far. */
  looks: number;
  /** When the last look was made (ms). */
  lastLookAt: number | null;
  /** Set when a look found the verdict worse: what it was before. */
  first: FirstVerdict | null;
  /** Why no look is due any more: the schedule is done, the saved file is gone, or a look found it worse. */
  ended: 'schedule-done' | 'file-gone' | 'worse' | null;
}

/** Records whose work is finished. */
export function isFinished(record: Pick<ScanRecord, 'status'>): boolean {
  return record.status === 'done' || record.status === 'error';
}

/** Why scans pause until the person acts: no key, a key VirusTotal refused, host access withdrawn. */
export const PAUSE_CODES: readonly ProblemCode[] = ['no-api-key', 'vt-wrong-key', 'vt-account-inactive', 'vt-forbidden', 'no-host-access'];

/** A scan that waits for the person, not for time: it schedules no wake-up and writes nothing while it waits. */
export function isPaused(record: Pick<ScanRecord, 'status' | 'notice'>): boolean {
  return record.status === 'ready' && record.notice !== null && PAUSE_CODES.includes(record.notice.code);
}
