/**
 * Saving a scan record and announcing it: every change goes to `onChange` (the popup's push, the badge),
 * a record that reaches done or error to `onFinished` (notifications). A picked file's bytes are dropped
 * once its scan has a final verdict.
 */
import { ScanCancelled } from './scan-cancelled';
import { isFinished, type ScanRecord } from './scan-record';
import type { RecordPatch, ScanStore } from './scan-store';

export interface RecordWriterDeps {
  store: ScanStore;
  onChange?(record: ScanRecord): void;
  onFinished?(record: ScanRecord): void;
}

export interface RecordWriter {
  /** Apply `patch`; rejects with ScanCancelled when the record was removed meanwhile. */
  save(token: string, patch: RecordPatch): Promise<ScanRecord>;
  /** Apply `patch` only while the scan is unfinished (a notice must never land on a finished record). */
  saveIfUnfinished(token: string, patch: RecordPatch): Promise<ScanRecord | undefined>;
}

export function createRecordWriter(deps: RecordWriterDeps): RecordWriter {
  async function announce(record: ScanRecord): Promise<void> {
    deps.onChange?.(record);
    if (!isFinished(record)) return;
    // A picked file's bytes go once it has a final verdict: an unknown one may still be uploaded, and an error
    // (an upload whose answer was lost offers "Upload again") may be tried again. Removing the row frees them too.
    if (record.source.kind === 'file' && record.status === 'done' && record.verdict !== 'unknown') await deps.store.removeStagedFile(record.source.stagedFileId);
    deps.onFinished?.(record);
  }
  return {
    async save(token, patch) {
      const record = await deps.store.patch(token, patch);
      if (!record) throw new ScanCancelled();
      await announce(record);
      return record;
    },
    async saveIfUnfinished(token, patch) {
      const record = await deps.store.patch(token, patch, (current) => !isFinished(current));
      if (record) await announce(record);
      return record;
    },
  };
}
