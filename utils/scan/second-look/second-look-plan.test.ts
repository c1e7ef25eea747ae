/** The second look's rules: who gets one, when, and what a look's report does to the record. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '@/utils/settings/storage-items';
import { scanRecordFixture } from '@/utils/ui/scan-record-fixture';
import type { ScanRecord } from '../scan-record';
import { afterSecondLook, firstSecondLook, gotWorse, wantsSecondLook } from './second-look-plan';

const DAY = 86_400_000;
const download = (overrides: Partial<ScanRecord> = {}): ScanRecord =>
  scanRecordFixture({ status: 'done', verdict: 'clean', verdictFor: 'file', detected: false, createdAt: 1_000, source: { kind: 'download', url: 'https://example.com/a.exe', downloadId: 7 }, ...overrides });

describe('who gets a second look', () => {
  it('a download with no detection: clean, unknown, or below the threshold', () => {
    expect(wantsSecondLook(download())).toBe(true);
    expect(wantsSecondLook(download({ verdict: 'unknown' }))).toBe(true);
    expect(wantsSecondLook(download({ verdict: 'suspicious' }))).toBe(true);
  });

  it('not a detection, an address verdict, a link, a picked file or a scan that failed', () => {
    expect(wantsSecondLook(download({ verdict: 'malicious', detected: true }))).toBe(false);
    expect(wantsSecondLook(download({ verdictFor: 'address' }))).toBe(false);
    expect(wantsSecondLook(download({ source: { kind: 'link', url: 'https://example.com/a.exe' } }))).toBe(false);
    expect(wantsSecondLook(download({ source: { kind: 'file', stagedFileId: 'x' } }))).toBe(false);
    expect(wantsSecondLook(download({ status: 'error', verdict: null }))).toBe(false);
  });
});

describe('the schedule', () => {
  it('looks 1, 3 and 7 days after the scan, then ends', () => {
    const plan = firstSecondLook(download(), DEFAULT_SETTINGS);
    expect(plan.secondLookAt).toBe(1_000 + DAY);
    let record = download(plan);
    const dues: Array<number | null> = [];
    for (let i = 0; i < 3; i++) {
      record = { ...record, ...afterSecondLook(record, null, DEFAULT_SETTINGS, record.secondLookAt!) };
      dues.push(record.secondLookAt);
    }
    expect(dues).toEqual([1_000 + 3 * DAY, 1_000 + 7 * DAY, null]);
    expect(record.secondLook).toMatchObject({ looks: 3, ended: 'schedule-done', first: null });
  });

  it('a rescan of a download a look found detected keeps the first verdict; any other detection plans nothing', () => {
    const found = { looks: 2, lastLookAt: 9, first: { verdict: 'clean' as const, malicious: 0, at: 1_000 }, ended: 'worse' as const };
    expect(firstSecondLook(download({ verdict: 'malicious', detected: true, secondLook: found }), DEFAULT_SETTINGS)).toEqual({ secondLook: found, secondLookAt: null });
    expect(firstSecondLook(download({ verdict: 'malicious', detected: true }), DEFAULT_SETTINGS)).toEqual({ secondLook: null, secondLookAt: null });
  });
});

describe('a look that finds the file detected', () => {
  it('is worse only when the file is detected now and was not before', () => {
    expect(gotWorse({ detected: false }, { detected: true })).toBe(true);
    expect(gotWorse({ detected: false }, { detected: false })).toBe(false);
    expect(gotWorse({ detected: true }, { detected: true })).toBe(false);
  });

  it('takes the new verdict, keeps the first with the download’s date, ends the looks and asks to be seen', () => {
    const record = download({ secondLook: { looks: 1, lastLookAt: 5, first: null, ended: null }, secondLookAt: 1_000 + 3 * DAY });
    const patch = afterSecondLook(record, { verdict: 'malicious', detected: true }, DEFAULT_SETTINGS, 1_000 + 3 * DAY);
    expect(patch).toMatchObject({
      verdict: 'malicious', detected: true, seen: false, secondLookAt: null,
      secondLook: { looks: 2, ended: 'worse', first: { verdict: 'clean', malicious: 0, at: 1_000 } },
    });
  });
});
