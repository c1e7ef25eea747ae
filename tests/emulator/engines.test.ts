import { describe, expect, it } from 'vitest';
import { buildScan, CATEGORIES, ENGINES, statsOf, type Profile } from './engines';
import { buildUrlScan } from './url-scanners';

const PROFILES: Profile[] = ['eicar', 'clean', 'suspicious', 'malicious'];

describe('engine results', () => {
  it('has about seventy distinct, realistic engines', () => {
    const keys = ENGINES.map((e) => e.key);
    expect(keys.length).toBeGreaterThanOrEqual(65);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toEqual(expect.arrayContaining(['Kaspersky', 'ESET-NOD32', 'Microsoft', 'ClamAV', 'BitDefender']));
    for (const e of ENGINES) expect(e.update).toMatch(/^20\d{6}$/);
  });

  it.each(PROFILES)('%s: stats have exactly the eight keys and agree with the results', (profile) => {
    const scan = buildScan(profile);
    expect(Object.keys(scan.stats).sort()).toEqual([...CATEGORIES].sort());
    expect(scan.stats).toEqual(statsOf(scan.results));
    expect(Object.values(scan.stats).reduce((a, b) => a + b, 0)).toBe(ENGINES.length);
    for (const [key, r] of Object.entries(scan.results)) {
      expect(r.engine_name).toBe(key);
      expect(r.method).toBe('blacklist');
      // Only a detection carries a result string.
      expect(r.result === null).toBe(r.category === 'undetected' || r.category === 'type-unsupported');
    }
  });

  it('reports EICAR the way VirusTotal does: ~65 vendor-specific detections, a few undetected and unsupported', () => {
    const { stats, results } = buildScan('eicar');
    expect(stats.malicious).toBeGreaterThanOrEqual(60);
    expect(stats.undetected).toBeGreaterThanOrEqual(2);
    expect(stats['type-unsupported']).toBeGreaterThanOrEqual(2);
    expect(results.ClamAV?.result).toBe('Win.Test.EICAR_HDB-1');
    expect(results['ESET-NOD32']?.result).toBe('Eicar test file');
    expect(results.BitDefender?.result).toBe('EICAR-Test-File (not a virus)');
    expect(new Set(Object.values(results).map((r) => r.result)).size).toBeGreaterThan(20);
  });

  it('gives clean files no detections, suspicious ones exactly two suspicious, malicious ones many', () => {
    expect(buildScan('clean').stats).toMatchObject({ malicious: 0, suspicious: 0 });
    expect(buildScan('suspicious').stats).toMatchObject({ malicious: 0, suspicious: 2 });
    expect(buildScan('malicious').stats.malicious).toBeGreaterThan(30);
  });

  it('builds partial scans from a prefix of the engines, empty at 0', () => {
    expect(Object.keys(buildScan('eicar', 0).results)).toHaveLength(0);
    const half = buildScan('eicar', 0.5);
    expect(Object.keys(half.results)).toHaveLength(Math.floor(ENGINES.length / 2));
    expect(half.stats).toEqual(statsOf(half.results));
  });

  it('gives URL scans the five URL stat keys, mostly harmless, flagged when the content is malware', () => {
    const clean = buildUrlScan(false);
    expect(Object.keys(clean.stats).sort()).toEqual(['harmless', 'malicious', 'suspicious', 'timeout', 'undetected']);
    expect(clean.stats.malicious).toBe(0);
    expect(clean.stats.harmless).toBeGreaterThan(clean.stats.undetected);
    expect(buildUrlScan(true).stats.malicious).toBeGreaterThan(0);
  });
});
