import { describe, expect, it } from 'vitest';
import { ScanFailure } from '../scan/scan-failure';
import { MAX_ENGINES, parseAnalysis, parseAnalysisDescriptor, parseFileReport, parseUploadUrl, parseUrlReport } from './virustotal-reports';

const sha = 'ab'.repeat(32);
const report = (attributes: Record<string, unknown>) => ({ data: { type: 'file', id: sha, attributes } });

describe('parseFileReport', () => {
  it('keeps the stats, the engines (detections first) and the threat label', () => {
    const parsed = parseFileReport(report({
      last_analysis_stats: { malicious: 1, undetected: 1 },
      last_analysis_results: {
        Zeta: { category: 'undetected', engine_name: 'Zeta', engine_version: '1', result: null },
        Alpha: { category: 'malicious', engine_name: 'Alpha', engine_version: '2.0', result: 'EICAR-Test-File' },
      },
      size: 68,
      last_analysis_date: 1_700_000_000,
      popular_threat_classification: { suggested_threat_label: 'virus.eicar/test' },
    }));
    expect(parsed.sha256).toBe(sha);
    expect(parsed.stats.malicious).toBe(1);
    expect(parsed.stats.failure).toBe(0);
    expect(parsed.detail.map((d) => d.vendorName)).toEqual(['Alpha', 'Zeta']);
    expect(parsed.detail[0]).toMatchObject({ scanDetected: true, result: 'EICAR-Test-File', vendorVersion: '2.0' });
    expect(parsed.threatLabel).toBe('virus.eicar/test');
    expect(parsed.analysedAt).toBe(1_700_000_000_000);
  });

  it.each([
    ['no data', {}],
    ['no attributes', { data: { id: sha } }],
    ['stats of the wrong type', report({ last_analysis_stats: { malicious: '65' } })],
    ['negative counts', report({ last_analysis_stats: { malicious: -1 } })],
    ['no stats', report({})],
    ['no sha256', { data: { id: 'nope', attributes: { last_analysis_stats: {} } } }],
    ['results that are a list', report({ last_analysis_stats: {}, last_analysis_results: [1, 2] })],
  ])('turns %s into a clear vt-unexpected failure', (_what, body) => {
    expect(() => parseFileReport(body)).toThrow(ScanFailure);
    try {
      parseFileReport(body);
    } catch (error) {
      expect((error as ScanFailure).problem.code).toBe('vt-unexpected');
      expect((error as ScanFailure).problem.params.detail).toBeTruthy();
    }
  });

  it('caps 5000 engines and skips malformed engine entries; HTML stays inert text', () => {
    const results: Record<string, unknown> = { bad: 'x', worse: { category: 'nonsense' } };
    for (let i = 0; i < 5000; i++) results[`e${i}`] = { category: 'malicious', engine_name: `<img src=x onerror=alert(${i})>`, result: '<b>x</b>' };
    const parsed = parseFileReport(report({ last_analysis_stats: { malicious: 5000 }, last_analysis_results: results }));
    expect(parsed.detail).toHaveLength(MAX_ENGINES);
    expect(parsed.detail[0]?.result).toBe('<b>x</b>');
  });
});

describe('other VirusTotal answers', () => {
  it('reads an analysis in progress and a completed one', () => {
    expect(parseAnalysis({ data: { id: 'a', attributes: { status: 'queued' } } })).toMatchObject({ status: 'queued', fileSha256: null });
    const done = parseAnalysis({
      data: { id: 'a', attributes: { status: 'completed', stats: { malicious: 2 }, results: {} } },
      meta: { file_info: { sha256: sha.toUpperCase() } },
    });
    expect(done).toMatchObject({ status: 'completed', fileSha256: sha });
    expect(done.stats.malicious).toBe(2);
    expect(() => parseAnalysis({ data: { attributes: { status: 'done-ish' } } })).toThrow(/^vt-unexpected /);
  });

  it('reads analysis ids, upload URLs and URL reports, refusing the wrong shapes', () => {
    expect(parseAnalysisDescriptor({ data: { type: 'analysis', id: 'abc=' } })).toBe('abc=');
    expect(() => parseAnalysisDescriptor({ data: { id: 5 } })).toThrow(/^vt-unexpected /);
    expect(parseUploadUrl({ data: 'https://upload.example/x' })).toBe('https://upload.example/x');
    expect(() => parseUploadUrl({ data: 'javascript:alert(1)' })).toThrow(/^vt-unexpected /);
    expect(parseUrlReport({ data: { attributes: { last_http_response_content_sha256: sha } } }).contentSha256).toBe(sha);
    expect(parseUrlReport({ data: { attributes: {} } }).contentSha256).toBeNull();
  });
});
