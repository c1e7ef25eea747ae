/** A complete ScanRecord for tests, with any fields replaced. Not used by the extension itself. */
import type { ScanRecord } from '../scan/scan-record';

/** A finished, clean download record; pass overrides for anything the test cares about. */
export function scanRecordFixture(overrides: Partial<ScanRecord> = {}): ScanRecord {
  return {
    token: 'a'.repeat(64),
    status: 'done',
    step: 'finished',
    detected: false,
    verdict: 'clean',
    verdictFor: 'file',
    detail: [],
    stats: {
      malicious: 0,
      suspicious: 0,
      undetected: 60,
      harmless: 5,
      timeout: 0,
      'confirmed-timeout': 0,
      'type-unsupported': 8,
      failure: 0,
    },
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    fileName: 'setup.exe',
    size: 1024,
    source: { kind: 'download', url: 'https://example.com/setup.exe', downloadId: 1 },
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    error: null,
    notice: null,
    reportUrl: 'https://www.virustotal.com/gui/file/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    analysisId: null,
    queuedAt: 1_700_000_000_000,
    waitUntil: null,
    uploadSentAt: [],
    uploadRequested: false,
    resendRequested: false,
    bypassCache: false,
    analysisStartedAt: null,
    attempts: 0,
    browserDanger: null,
    seen: true,
    threatLabel: null,
    analysedAt: null,
    fromCache: false,
    readFrom: null,
    readNote: null,
    reportFetchedAt: null,
    firstSeenAt: null,
    secondLook: null,
    secondLookAt: null,
    ...overrides,
  };
}

/** A 64-hex-character token made from a number, so tests can name records. */
export function tokenFor(n: number): string {
  return n.toString(16).padStart(64, '0');
}
