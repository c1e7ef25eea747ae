/**
 * Reading a scan's source: a picked file staged in IndexedDB, a data: address, or a download or link
 * fetched again (a download with the person's cookies, as it was first fetched; a link without them unless
 * the person allowed it, see Settings.linkCookies). Reading for the hash keeps nothing; reading for an upload happens only when the upload
 * is due and yields a Blob. Offline, a failed fetch says so (and waits) instead of blaming the server.
 */
import { problem } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import type { Clock } from '../../time/clock';
import { blobOfUrl, hashBlob, hashUrl, type HashedBlob, type HashedSource } from '../hash-source';
import { checkBytes, UNREACHABLE_CODES, type ReadOptions } from '../read-source';
import { ScanFailure } from '../scan-failure';
import type { ScanRecord } from '../scan-record';
import type { ScanStore } from '../scan-store';

export interface SourceReaderDeps {
  fetch: typeof fetch;
  clock: Clock;
  store: Pick<ScanStore, 'stagedFile'>;
  /** How long a download site may stay silent (default: read-source's). */
  timeoutMs?: number;
  isOnline?(): boolean;
}

export interface SourceReader {
  /** The source's SHA-256 and size. */
  hash(record: ScanRecord, settings: Settings): Promise<HashedSource>;
  /** The source's bytes as a Blob, with their SHA-256 (for an upload that is due now). */
  blob(record: ScanRecord, settings: Settings): Promise<HashedBlob>;
}

/** The failure a scan waits on while the browser is offline (it spends no attempt). */
export const offlineFailure = () => new ScanFailure(problem('offline'), 'retry');

export function createSourceReader(deps: SourceReaderDeps): SourceReader {
  async function staged(record: ScanRecord & { source: { kind: 'file' } }, settings: Settings): Promise<Blob> {
    const file = await deps.store.stagedFile(record.source.stagedFileId);
    if (!file) throw new ScanFailure(problem('source-gone'));
    checkBytes(file.blob.size, { maxSize: settings.maxFileSize });
    return file.blob;
  }

  async function fromUrl<T>(record: ScanRecord, settings: Settings, read: (url: string, options: ReadOptions) => Promise<T>): Promise<T> {
    if (record.source.kind === 'file') throw new Error('a picked file has no address');
    // An address check reads nothing: VirusTotal's URL scanners judge the address (steps/address-steps.ts).
    if (record.source.kind === 'address') throw new Error('an address check reads no bytes');
    const withCookies = record.source.kind === 'download' || settings.linkCookies;
    const options: ReadOptions = {
      fetch: deps.fetch,
      credentials: withCookies ? 'include' : 'omit',
      clock: deps.clock,
      maxSize: settings.maxFileSize,
      ...(record.source.kind === 'download' && record.source.expectedSize ? { expectedSize: record.source.expectedSize } : {}),
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    };
    try {
      return await read(record.source.url, options);
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

  return {
    async hash(record, settings) {
      if (record.source.kind === 'file') return hashBlob(await staged(record as ScanRecord & { source: { kind: 'file' } }, settings));
      return fromUrl(record, settings, hashUrl);
    },
    async blob(record, settings) {
      if (record.source.kind === 'file') {
        const blob = await staged(record as ScanRecord & { source: { kind: 'file' } }, settings);
        return { ...(await hashBlob(blob)), blob };
      }
      return fromUrl(record, settings, blobOfUrl);
    },
  };
}
