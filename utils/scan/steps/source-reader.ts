/**
/**
 * Reading a scan's source: a picked file staged in IndexedDB, a download's saved file on disk, or an address
 * fetched again (a download or a link) or decoded (data:). A download is read from its saved file when the
 * browser lets ScanDock (the `downloadFile` port says where it is); otherwise, or when the file is no longer
 * there, it is fetched again, with the person's cookies as it was first fetched; a link is fetched without
 * them unless the person allowed it (Settings.linkCookies). The record says which way the bytes came
 * (`readFrom`) and why (`readNote`). A saved file whose size is not the download's was changed after the
 * download: it is not given the download's verdict. Reading for the hash keeps nothing; reading for an upload
 * happens only when the upload is due and yields a Blob, from the same place. Offline, a failed fetch says so
 * (and waits) instead of blaming the server. A download from a private window is read from its saved file
 * or not at all.
 */
import { problem, problemLogLine, type Problem, type ProblemCode } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import type { Clock } from '../../time/clock';
import { blobOfUrl, hashBlob, hashUrl, type HashedBlob, type HashedSource } from '../hash-source';
import { checkBytes, tooLarge, UNREACHABLE_CODES, type ReadOptions } from '../read-source';
import { ScanFailure } from '../scan-failure';
import type { DownloadSource, ReadFrom, ScanRecord } from '../scan-record';
import type { ScanStore } from '../scan-store';

/** A finished download's saved file: its `file:` address, and the size the browser says the download has. */
export interface DownloadFile {
  url: string;
  size: number;
}

/** Why a download's saved file cannot be read: file access is off, the file is not where it was, or the browser never allows it. */
export type DiskNoteCode = 'disk-access-off' | 'disk-file-moved' | 'disk-unsupported';

/**
 * The port to the browser's downloads: where a download's saved file is, or why it cannot be read from
 * there. The engine calls no browser API; the background implements this (entrypoints/background/download-files.ts).
 */
export type DownloadFiles = (source: DownloadSource) => Promise<DownloadFile | Problem<DiskNoteCode>>;

/** Which way the bytes came, for the record (see ScanRecord's `readFrom` and `readNote`). */
export interface Provenance {
  readFrom: ReadFrom | null;
  readNote: Problem | null;
}

export interface SourceReaderDeps {
  fetch: typeof fetch;
  clock: Clock;
  store: Pick<ScanStore, 'stagedFile'>;
  /** Where downloads' saved files are; without it every download is fetched again. */
  downloadFile?: DownloadFiles;
  /** How long a download site may stay silent (default: read-source's). */
  timeoutMs?: number;
  isOnline?(): boolean;
}

export interface SourceReader {
  /** The source's SHA-256 and size, and which way the bytes came. */
  hash(record: ScanRecord, settings: Settings): Promise<HashedSource & Provenance>;
  /** The source's bytes as a Blob, with their SHA-256 (for an upload that is due now), read the same way. */
  blob(record: ScanRecord, settings: Settings): Promise<HashedBlob & Provenance>;
}

/** The failure a scan waits on while the browser is offline (it spends no attempt). */
export const offlineFailure = () => new ScanFailure(problem('offline'), 'retry');

/** Fetching a download again did not give its bytes back: a blob: address, a refusal, other bytes, no answer. */
const REFETCH_FAILED: readonly ProblemCode[] = ['source-unsupported', 'source-malformed', 'source-http-status', 'source-size-mismatch', ...UNREACHABLE_CODES];

/** What a scan ends with when the saved file could not be read, for this reason, and fetching the download again failed too. */
const UNREADABLE: Record<DiskNoteCode, 'download-needs-file-access' | 'download-moved' | 'download-not-readable'> = {
  'disk-access-off': 'download-needs-file-access',
  'disk-file-moved': 'download-moved',
  'disk-unsupported': 'download-not-readable',
};

type Read<T> = (url: string, options: ReadOptions) => Promise<T>;

export function createSourceReader(deps: SourceReaderDeps): SourceReader {
  async function staged(record: ScanRecord & { source: { kind: 'file' } }, settings: Settings): Promise<Blob> {
    const file = await deps.store.stagedFile(record.source.stagedFileId);
    if (!file) throw new ScanFailure(problem('source-gone'));
    checkBytes(file.blob.size, { maxSize: settings.maxFileSize });
    return file.blob;
  }

  function options(settings: Settings, more: Partial<ReadOptions>): ReadOptions {
    return { fetch: deps.fetch, clock: deps.clock, maxSize: settings.maxFileSize, ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }), ...more };
  }

  async function fromUrl<T>(record: ScanRecord, settings: Settings, read: Read<T>): Promise<T> {
    if (record.source.kind === 'file') throw new Error('a picked file has no address');
    // An address check reads nothing: VirusTotal's URL scanners judge the address (steps/address-steps.ts).
    if (record.source.kind === 'address') throw new Error('an address check reads no bytes');
    // A download is fetched again as it was first fetched, with the person's cookies; a link without them
    // unless the person allowed it (Settings.linkCookies), and never from a private window (they would be the
    // normal profile's).
    const withCookies = !record.source.incognito && (record.source.kind === 'download' || settings.linkCookies);
    const expected = record.source.kind === 'download' && record.source.expectedSize ? { expectedSize: record.source.expectedSize } : {};
    try {
      return await read(record.source.url, options(settings, { credentials: withCookies ? 'include' : 'omit', ...expected }));
    } catch (error) {
      // Offline, the server is not the problem: wait for the connection instead of giving up.
      if (error instanceof ScanFailure && UNREACHABLE_CODES.includes(error.problem.code) && deps.isOnline?.() === false) throw offlineFailure();
      // A link fetched as a stranger and refused: it may need the person signed in, which a setting allows.
      if (!withCookies && error instanceof ScanFailure && error.problem.code === 'source-http-status') {
        const { host, status } = error.problem.params;
        throw new ScanFailure(problem('link-refused', { host: String(host), status: Number(status) }), error.kind, error.httpStatus);
      }
      throw error;
    }
  }

  /** The saved file's bytes, or why they could not be had (the note); throws when the file was changed. */
  async function fromDisk<T>(file: DownloadFile, settings: Settings, read: Read<T>): Promise<{ value: T } | { note: Problem<DiskNoteCode> }> {
    try {
      return { value: await read(file.url, options(settings, { disk: true, expectedSize: file.size })) };
    } catch (error) {
      if (!(error instanceof ScanFailure)) throw error;
      const { code, params } = error.problem;
      // Not the download's size: the file was changed after it finished. Its verdict would not be this file's.
      if (code === 'source-size-mismatch') {
        throw new ScanFailure(problem('download-changed', { gotBytes: Number(params.gotBytes), expectedBytes: Number(params.expectedBytes) }));
      }
      // Above the limit although the download was not: the file grew after it finished.
      if (code === 'source-too-large' && file.size > 0 && file.size <= settings.maxFileSize) {
        throw new ScanFailure(problem('download-changed', { gotBytes: Number(params.sizeBytes), expectedBytes: file.size }));
      }
      // True of the download wherever it is read from.
      if (code === 'source-too-large' || code === 'source-empty') throw error;
      // Gone (moved, renamed, deleted) or unreadable now: the download may still be fetched again.
      return { note: problem('disk-file-moved', { detail: problemLogLine(error.problem) }) };
    }
  }

  /**
   * A download: from its saved file where it can be, else fetched again; a failed fetch then says why neither
   * worked. A private window's download is never fetched again: that would carry the normal profile's cookies.
   */
  async function download<T>(record: ScanRecord, source: DownloadSource, settings: Settings, read: Read<T>): Promise<T & Provenance> {
    // The download's own size, known since it completed, refuses it before a byte is read (and is the size shown).
    refuseAbove(source.expectedSize, settings);
    let note: Problem<DiskNoteCode> | null = null;
    if (deps.downloadFile) {
      const file = await deps.downloadFile(source).catch((error: unknown) => problem('disk-file-moved', { detail: String(error) }));
      if ('url' in file) {
        refuseAbove(file.size, settings);
        const disk = await fromDisk(file, settings, read);
        if ('value' in disk) return { ...disk.value, readFrom: 'disk', readNote: null };
        note = disk.note;
      } else note = file;
    }
    if (source.incognito) throw new ScanFailure(problem('private-download-unreadable', note ? { detail: problemLogLine(note) } : {}));
    try {
      return { ...(await fromUrl(record, settings, read)), readFrom: 'network', readNote: note };
    } catch (error) {
      if (!note || !(error instanceof ScanFailure) || !REFETCH_FAILED.includes(error.problem.code)) throw error;
      const unreadable = new ScanFailure(problem(UNREADABLE[note.code], { detail: problemLogLine(error.problem) }), error.kind, error.httpStatus);
      // The URL fallback decides on what the server did (read-step.ts).
      unreadable.cause = error;
      throw unreadable;
    }
  }

  function refuseAbove(size: number | undefined, settings: Settings): void {
    if (size !== undefined && size > settings.maxFileSize) throw tooLarge(size, settings.maxFileSize);
  }

  async function read<T extends HashedSource>(record: ScanRecord, settings: Settings, fromAddress: Read<T>, fromBlob: (blob: Blob) => Promise<T>): Promise<T & Provenance> {
    const { source } = record;
    if (source.kind === 'file') return { ...(await fromBlob(await staged(record as ScanRecord & { source: { kind: 'file' } }, settings))), readFrom: null, readNote: null };
    if (source.kind === 'download') return download(record, source, settings, fromAddress);
    return { ...(await fromUrl(record, settings, fromAddress)), readFrom: 'network', readNote: null };
  }

  return {
    hash: (record, settings) => read(record, settings, hashUrl, hashBlob),
    blob: (record, settings) => read(record, settings, blobOfUrl, async (blob) => ({ ...(await hashBlob(blob)), blob })),
  };
}
