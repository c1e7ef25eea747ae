/**
 * What may be sent to VirusTotal beyond a hash: documents stay home, sites the person named stay home,
 * query strings and sign-in names are stripped from addresses.
 */
import { matchesSite } from '../permissions/host-pattern';
import type { Settings } from '../settings/storage-items';
import type { ScanRecord, ScanSource } from './scan-record';

const DOCUMENT_EXTENSIONS = new Set([
  'pdf', 'doc', 'docx', 'docm', 'dot', 'dotx', 'xls', 'xlsx', 'xlsm', 'xlsb', 'ppt', 'pptx', 'pptm',
  'odt', 'ods', 'odp', 'rtf', 'pages', 'numbers', 'key', 'csv', 'txt', 'md', 'eml', 'msg',
]);

/**
 * An upload that ended without a report (its answers lost, or stopped for taking too long): the person may
 * send it again ("Upload again").
 */
export function offersUploadAgain(record: Pick<ScanRecord, 'status' | 'error'>): boolean {
  return record.status === 'error' && (record.error?.code === 'vt-upload-lost' || record.error?.code === 'vt-upload-timeout');
}

/** The lower-case extension of a file name, without the dot ("" when none). */
export function fileExtension(fileName: string): string {
  const match = /\.([^./\\]+)$/.exec(fileName.trim());
  return match?.[1]?.toLowerCase() ?? '';
}

/** Documents (PDF, Office, text) are likelier to be private: never uploaded unless allowed. */
export function isDocument(fileName: string, mime?: string): boolean {
  if (DOCUMENT_EXTENSIONS.has(fileExtension(fileName))) return true;
  return !!mime && /^(application\/(pdf|msword|vnd\.(ms-|openxmlformats-officedocument|oasis\.opendocument)|rtf)|text\/)/i.test(mime);
}

/**
 * Every address ScanDock gives VirusTotal (an address check, the URL fallback, `POST /urls`, the id of
 * `GET /urls/{id}`) goes through here: never with a user name or password (`https://user:token@host/`),
 * whatever the settings, since VirusTotal shows its URL reports to every user; without the query string and
 * fragment unless `keepQuery` (they can carry sign-in tokens too).
 */
export function addressForVirusTotal(url: string, { keepQuery }: { keepQuery: boolean }): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    if (!keepQuery) {
      parsed.search = '';
      parsed.hash = '';
    }
    return parsed.toString();
  } catch {
    // Not a URL the parser takes: still drop whatever sits before an '@' in what looks like its authority.
    const bare = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
    return keepQuery ? bare : bare.split(/[?#]/)[0] ?? bare;
  }
}

/**
 * A file or address from a site the person listed under "Never upload or submit": no setting sends it (uploads,
 * the URL fallback); only the person's own "Upload"/"Submit" click on its row does.
 */
export function neverShared(source: ScanSource, settings: Pick<Settings, 'noUploadSites'>): boolean {
  if (source.kind === 'file' || settings.noUploadSites.length === 0) return false;
  const pages = source.kind === 'download' ? [] : source.pageUrl ? [source.pageUrl] : [];
  return [source.url, ...pages].some((url) => matchesSite(url, settings.noUploadSites));
}
