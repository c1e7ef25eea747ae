/** What may be sent to VirusTotal beyond a hash: documents stay home, query strings are stripped. */
import type { ScanRecord } from './scan-record';

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
