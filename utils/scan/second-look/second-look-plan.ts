/**
 * The second look, as pure rules: which finished scans get one, when each look is due, and what a look's
 * report makes of the record. A file new to VirusTotal often comes back clean or unknown on the day it is
 * downloaded (no engine has a signature yet) and is detected days later; so a download that got no detection
 * is looked up again after 1, 3 and 7 days (`Settings.secondLookDelaysSeconds`, counted from the scan's start), while its saved file exists.
 */
import type { Settings } from '../../settings/storage-items';
import type { FirstVerdict, ScanRecord, SecondLook } from '../scan-record';
import type { RecordPatch } from '../scan-store';

/** Whether a finished record gets second looks: a download's file with no detection (clean, unknown, or below the threshold). */
export function wantsSecondLook(record: Pick<ScanRecord, 'status' | 'source' | 'verdictFor' | 'verdict' | 'detected' | 'sha256'>): boolean {
  return (
    record.status === 'done' && record.source.kind === 'download' && record.sha256 !== null && record.verdictFor === 'file' &&
    record.verdict !== null && record.verdict !== 'malicious' && record.detected !== true
  );
}

/**
 * The plan a scan that just finished starts with (`finished`: the record with its final patch): its first look,
 * or none. A rescan of a download a look found detected keeps what the look found (the first verdict and its date).
 */
export function firstSecondLook(finished: ScanRecord, settings: Settings): Pick<RecordPatch, 'secondLook' | 'secondLookAt'> {
  if (!wantsSecondLook(finished)) return { secondLook: finished.secondLook?.ended === 'worse' ? finished.secondLook : null, secondLookAt: null };
  return { secondLook: { looks: 0, lastLookAt: null, first: null, ended: null }, secondLookAt: dueAt(finished.createdAt, 0, settings) };
}

/** When look number `index` (from 0) of a download made at `finishedAt` is due; null when the schedule is done. */
function dueAt(finishedAt: number, index: number, settings: Settings): number | null {
  const delay = settings.secondLookDelaysSeconds[index];
  return delay === undefined ? null : finishedAt + delay * 1000;
}

/** Whether the verdict after a look is worse than before: detected now (malicious by at least the threshold's engines), not before. */
export function gotWorse(before: Pick<ScanRecord, 'detected'>, after: Pick<ScanRecord, 'detected'>): boolean {
  return after.detected === true && before.detected !== true;
}

/**
 * What a look makes of the record: `fresh` is the verdict patch from the report it got (null: VirusTotal still
 * does not know the file). A worse verdict replaces the record's, keeping the first one and its date in
 * `secondLook.first`, and ends the looks; otherwise the report's news is kept and the next look planned.
 */
export function afterSecondLook(record: ScanRecord, fresh: RecordPatch | null, settings: Settings, now: number): RecordPatch {
  const looks = (record.secondLook?.looks ?? 0) + 1;
  const base: SecondLook = { looks, lastLookAt: now, first: record.secondLook?.first ?? null, ended: null };
  if (fresh && gotWorse(record, { detected: fresh.detected ?? null })) {
    // The verdict the person was given when the file was downloaded, dated by the download.
    const first: FirstVerdict = { verdict: record.verdict ?? 'unknown', malicious: record.stats?.malicious ?? 0, at: record.createdAt };
    return { ...fresh, fromCache: false, seen: false, secondLook: { ...base, first, ended: 'worse' }, secondLookAt: null };
  }
  const next = dueAt(record.createdAt, looks, settings);
  const planned = { secondLook: { ...base, ended: next === null ? ('schedule-done' as const) : null }, secondLookAt: next };
  // No worse: the record keeps its verdict's words but takes the report's date and counts (a file VirusTotal
  // still does not know keeps its unknown).
  return fresh ? { ...fresh, seen: true, ...planned } : planned;
}

/** The looks end: the saved file is gone (deleted, moved, or the browser forgot the download). */
export function fileGone(record: ScanRecord): RecordPatch {
  return { secondLook: { looks: record.secondLook?.looks ?? 0, lastLookAt: record.secondLook?.lastLookAt ?? null, first: record.secondLook?.first ?? null, ended: 'file-gone' }, secondLookAt: null };
}
