/**
 * The address ScanDock gives VirusTotal (the URL fallback, an address check): never with a user name or
 * password, and without its query string and fragment unless the person allowed them, since they can carry
 * sign-in tokens and VirusTotal keeps every address it is sent or asked about. The lookup and the
 * submission use the same one.
 */
import { problem } from '../../problems/problem';
import type { Settings } from '../../settings/storage-items';
import { isWebUrl } from '../read-source';
import { ScanFailure } from '../scan-failure';
import type { ScanRecord } from '../scan-record';
import { addressForVirusTotal, neverShared } from '../upload-policy';

/** The address to send for `record`, or a final failure when it has none VirusTotal could fetch. */
export function sentAddress(record: ScanRecord, settings: Settings): string {
  if (record.source.kind === 'file') throw new ScanFailure(problem('source-unsupported', { scheme: 'file' }));
  const { url } = record.source;
  if (!isWebUrl(url)) throw new ScanFailure(problem('source-unsupported', { scheme: /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1] ?? url.slice(0, 40) }));
  return addressForVirusTotal(url, { keepQuery: settings.keepUrlQuery });
}

/** Whether VirusTotal may be asked to fetch an address it does not know: the person allowed it, or asked for this one. */
export function maySubmitAddress(record: ScanRecord, settings: Settings): boolean {
  return record.uploadRequested || (settings.urlFallback && !neverShared(record.source, settings));
}
