import { describe, expect, it } from 'vitest';
import { scanRecordFixture } from './scan-record-fixture';
import { verdictChange } from './verdict-change';

const stats = (malicious: number) => ({ ...scanRecordFixture().stats!, malicious });

describe('what a fresh look changed', () => {
  it('says the verdict and ratio before and now', () => {
    const record = scanRecordFixture({ verdict: 'malicious', stats: stats(7), previous: { verdict: 'clean', verdictFor: 'file', stats: stats(0), analysedAt: 1 } });
    expect(verdictChange(record)).toEqual({ before: { verdict: 'clean', ratio: '0/65' }, now: { verdict: 'malicious', ratio: '7/72' }, changed: true });
  });

  it('says nothing changed when nothing did', () => {
    const record = scanRecordFixture({ previous: { verdict: 'clean', verdictFor: 'file', stats: scanRecordFixture().stats, analysedAt: 1 } });
    expect(verdictChange(record)?.changed).toBe(false);
  });

  it('has nothing to say before a rescan ends, or for a record never rescanned', () => {
    expect(verdictChange(scanRecordFixture())).toBeNull();
    expect(verdictChange(scanRecordFixture({ status: 'progress', previous: { verdict: 'clean', verdictFor: 'file', stats: null, analysedAt: null } }))).toBeNull();
  });
});
