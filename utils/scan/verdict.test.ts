import { describe, expect, it } from 'vitest';
import type { AnalysisStats } from './scan-record';
import { enginesThatAnswered, verdictOf } from './verdict';

const stats = (s: Partial<AnalysisStats>): AnalysisStats => ({
  malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0, 'confirmed-timeout': 0, 'type-unsupported': 0, failure: 0, ...s,
});

describe('verdictOf', () => {
  it('calls a file malicious and detected when enough engines say malicious', () => {
    expect(verdictOf(stats({ malicious: 65, undetected: 5 }), 1)).toEqual({ verdict: 'malicious', detected: true });
    expect(verdictOf(stats({ malicious: 3 }), 3)).toEqual({ verdict: 'malicious', detected: true });
  });

  it('calls it suspicious below the threshold when some engine says malicious or suspicious', () => {
    expect(verdictOf(stats({ malicious: 2, undetected: 60 }), 3)).toEqual({ verdict: 'suspicious', detected: false });
    expect(verdictOf(stats({ suspicious: 1, undetected: 60 }), 1)).toEqual({ verdict: 'suspicious', detected: false });
  });

  it('calls it clean when no engine flags it, whatever the reputation', () => {
    expect(verdictOf(stats({ undetected: 60, harmless: 5, 'type-unsupported': 8 }), 1)).toEqual({ verdict: 'clean', detected: false });
  });

  it('treats a threshold below 1 as 1 (zero detections never count as detected)', () => {
    expect(verdictOf(stats({}), 0).detected).toBe(false);
  });

  it('counts only engines that gave an opinion in the ratio', () => {
    expect(enginesThatAnswered(stats({ malicious: 60, suspicious: 1, undetected: 10, harmless: 1, 'type-unsupported': 9, timeout: 2 }))).toBe(72);
  });
});
