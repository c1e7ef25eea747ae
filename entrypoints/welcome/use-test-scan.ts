/**
 * The scan of the first-run page's test file, once the person downloaded it: read from IndexedDB when the
 * background announces a change, and every second as the fallback. Null until `since` is set and the scan exists.
 */
import { useEffect, useState } from 'preact/hooks';
import { openScanDb, type ScanDb } from '../../utils/db/scan-db';
import { onScansChanged } from '../../utils/messaging/scan-changes-channel';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { readNewestScans } from '../../utils/ui/scan-list';
import { testFileScan } from './test-file';

const POLL_MS = 1_000;
/** The test file's scan is among the newest few: other downloads may land meanwhile. */
const NEWEST = 20;

export function useTestScan(since: number | null): ScanRecord | null {
  const [record, setRecord] = useState<ScanRecord | null>(null);
  useEffect(() => {
    if (since === null) return;
    let active = true;
    let db: Promise<ScanDb> | null = null;
    const read = () =>
      void (async () => {
        db ??= openScanDb();
        const { records } = await readNewestScans(await db, NEWEST);
        const found = testFileScan(records, since);
        if (active && found) setRecord(found);
      })().catch(() => {
        db = null;
      });
    read();
    const stop = onScansChanged(read);
    const poll = setInterval(read, POLL_MS);
    return () => {
      active = false;
      stop();
      clearInterval(poll);
      void db?.then((d) => d.close()).catch(() => undefined);
    };
  }, [since]);
  return record;
}
