/**
 * What a person can do about a scan that ended in error, chosen from its code and shown as buttons on its
 * row: scan the saved file with "Scan files…", and, where ScanDock could have read the download from disk
 * had it been allowed, switch on "Allow access to file URLs".
 */
import type { Problem, ProblemCode } from '../problems/problem';

export type Remedy = 'file-access' | 'scan-files';

/** Every code whose sentence tells the person to use “Scan files…” offers it (remedies.test.ts checks the sentences). */
const REMEDIES: Partial<Record<ProblemCode, readonly Remedy[]>> = {
  'download-needs-file-access': ['file-access', 'scan-files'],
  'download-not-readable': ['scan-files'],
  'download-moved': ['scan-files'],
  'download-changed': ['scan-files'],
  'private-download-unreadable': ['scan-files'],
  'source-unsupported': ['scan-files'],
  'source-size-mismatch': ['scan-files'],
  'source-changed': ['scan-files'],
  'source-http-status': ['scan-files'],
  'source-unreachable': ['scan-files'],
  'source-timeout': ['scan-files'],
  'source-stalled': ['scan-files'],
  'source-interrupted': ['scan-files'],
  'source-gone': ['scan-files'],
  'url-not-fetched': ['scan-files'],
  'url-http-status': ['scan-files'],
  'url-size-mismatch': ['scan-files'],
};

/** The remedies for a record's error (none for no error, or one nobody can act on). */
export function remediesFor(error: Problem | null): readonly Remedy[] {
  return (error && REMEDIES[error.code]) || [];
}
