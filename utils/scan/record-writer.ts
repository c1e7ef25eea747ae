/**
 * Saving a scan record and announcing it: every change goes to `onChange` (the popup's push, the badge),
 * a record that reaches done or error to `onFinished` (notifications). A picked file's bytes are dropped
 * once its scan no longer needs them.
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
    // A picked file's bytes are kept only while an upload may still need them (verdict unknown).
    if (record.source.kind === 'file' && record.verdict !== 'unknown') await deps.store.removeStagedFile(record.source.stagedFileId);
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
