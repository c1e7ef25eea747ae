/**
 * Reading: the source's bytes, hashed in the read gate and let go. When they cannot be had and the URL
 * fallback is on, VirusTotal is asked to fetch the address itself instead.
 */
import { isWebUrl, UNREACHABLE_CODES } from '../read-source';
import { ScanFailure } from '../scan-failure';
import { isPrivateScan, type ScanRecord } from '../scan-record';
import { neverShared } from '../upload-policy';
import type { Settings } from '../../settings/storage-items';
import { next, type Step } from './step';

export const readStep: Step = async ({ record, settings, source, gate, save }) => {
  const hashed = await gate('read', async () => {
    await save({ status: 'progress', step: 'reading', notice: null });
    try {
      return await source.hash(record, settings);
    } catch (error) {
      if (error instanceof ScanFailure && canFallBackToUrl(record, settings, error)) return null;
      throw error;
    }
  });
  if (!hashed) return next({ step: 'url-submit', readFrom: null, readNote: null });
  return next({ sha256: hashed.sha256, size: hashed.size, readFrom: hashed.readFrom, readNote: hashed.readNote, step: 'lookup' });
};

/**
 * The bytes could not be had, but VirusTotal may fetch the address itself (when the person allows it; never
 * for a private window's download, whose address stays in the private session). What
 * counts is what the server did when ScanDock fetched it again (a download that could not be read from disk
 * either carries that as its cause).
 */
function canFallBackToUrl(record: ScanRecord, settings: Settings, failure: ScanFailure): boolean {
  if (!settings.urlFallback || record.source.kind === 'file' || isPrivateScan(record) || !isWebUrl(record.source.url) || neverShared(record.source, settings)) return false;
  const fetched = failure.cause instanceof ScanFailure ? failure.cause : failure;
  return [...UNREACHABLE_CODES, 'source-http-status', 'link-refused', 'source-size-mismatch'].includes(fetched.problem.code);
}
