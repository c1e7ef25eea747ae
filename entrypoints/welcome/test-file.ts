/**
 * The harmless file the first-run page offers to prove ScanDock works: the EICAR test file, which every
 * antivirus engine flags on purpose and VirusTotal knows. It is built in the page and downloaded from a `data:`
 * address (a `blob:` address of ScanDock's own page would be taken for one of its own downloads, never scanned).
 * The string is kept reversed so the built script never contains it whole (a real antivirus may quarantine a
 * file that does, and a minifier would join two halves back together).
 */

const EICAR_REVERSED = '*H+H$!ELIF-TSET-SURIVITNA-DRADNATS-RACIE$}7)CC7)^P(45XZP\\4[PA@%P!O5X';

/** The name the download is saved under. */
export const TEST_FILE_NAME = 'scandock-test-eicar.txt';

/** The 68 characters of the EICAR test file, without a newline. */
export function eicarText(): string {
  return [...EICAR_REVERSED].reverse().join('');
}

/** The test file as a `data:` address; a record whose download came from it is the test's. */
export function testFileUrl(): string {
  return `data:application/octet-stream;base64,${btoa(eicarText())}`;
}

/** The scan of the test file downloaded at or after `since` (ms), newest first in `records`; undefined until it exists. */
export function testFileScan<R extends { createdAt: number; source: { kind: string; url?: string } }>(records: readonly R[], since: number): R | undefined {
  const url = testFileUrl();
  return records.find((r) => r.source.kind === 'download' && r.source.url === url && r.createdAt >= since);
}
