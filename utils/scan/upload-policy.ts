/**
 * What may be sent to VirusTotal beyond a hash: documents stay home, sites the person named stay home,
 * query strings are stripped.
 */
import { matchesSite } from '../permissions/host-pattern';
import type { Settings } from '../settings/storage-items';
import type { ScanSource } from './scan-record';

const DOCUMENT_EXTENSIONS = new Set([
  'pdf', 'doc', 'docx', 'docm', 'dot', 'dotx', 'xls', 'xlsx', 'xlsm', 'xlsb', 'ppt', 'pptx', 'pptm',
  'odt', 'ods', 'odp', 'rtf', 'pages', 'numbers', 'key', 'csv', 'txt', 'md', 'eml', 'msg',
]);

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

/** The URL without its query string and fragment (they can carry tokens). */
export function stripQuery(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return url.split(/[?#]/)[0] ?? url;
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
