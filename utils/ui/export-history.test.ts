import { describe, expect, it } from 'vitest';
import { translateIn } from '@/tests/support/locale-messages';
import { problem } from '../problems/problem';
import { csvCell, exportBlob, exportFileName, historyToCsv, historyToJson } from './export-history';
import { scanRecordFixture, tokenFor } from './scan-record-fixture';

const EN = { translate: translateIn('en'), locale: 'en' };
const KO = { translate: translateIn('ko'), locale: 'ko' };

/** Splits RFC 4180 text into rows of cells (enough of a parser to check what a spreadsheet would read). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      rows.push(cells);
      cells = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

/** Every property name anywhere in a JSON value. */
function keysIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysIn(v, into);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      keysIn(v, into);
    }
  return into;
}

describe('csvCell', () => {
  it('quotes cells with quotes, commas or line breaks, doubling the quotes', () => {
    expect(csvCell('plain.txt')).toBe('plain.txt');
    expect(csvCell('a,b.txt')).toBe('"a,b.txt"');
    expect(csvCell('say "hi".txt')).toBe('"say ""hi"".txt"');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
  });

  it('prefixes cells that a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1+2')).toBe("'+1+2");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes numbers as they are and leaves missing values empty', () => {
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('historyToCsv', () => {
  const hostile = scanRecordFixture({
    token: tokenFor(1),
    fileName: '=cmd|"/c calc"!A1, and\nmore.exe',
    verdict: 'malicious',
    status: 'done',
    threatLabel: 'trojan.agent/"x"',
    stats: {
      malicious: 3,
      suspicious: 1,
      undetected: 50,
      harmless: 8,
      timeout: 2,
      'confirmed-timeout': 0,
      'type-unsupported': 9,
      failure: 1,
    },
    source: { kind: 'link', url: 'https://example.com/a?b=1,2' },
  });
  const failed = scanRecordFixture({
    token: tokenFor(2),
    status: 'error',
    verdict: null,
    stats: null,
    sha256: null,
    error: problem('vt-quota', { window: 'day', detail: 'QuotaExceededError: daily' }),
    source: { kind: 'file', stagedFileId: 'x' },
  });

  it('reads back, cell for cell, as what was stored (with the formula guard)', () => {
    const text = historyToCsv([hostile, failed], EN);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('file_name');
    for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
    const header = rows[0]!;
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    expect(col(rows[1]!, 'file_name')).toBe(`'=cmd|"/c calc"!A1, and\nmore.exe`);
    expect(col(rows[1]!, 'source_url')).toBe('https://example.com/a?b=1,2');
    expect(col(rows[1]!, 'malicious')).toBe('3');
    expect(col(rows[1]!, 'engines')).toBe('62');
    expect(col(rows[1]!, 'threat_label')).toBe('trojan.agent/"x"');
    expect(col(rows[2]!, 'status')).toBe('error');
    expect(col(rows[2]!, 'error_code')).toBe('vt-quota');
    expect(col(rows[2]!, 'error_message')).toBe(
      'VirusTotal kept refusing requests with this key: daily quota, reset at 00:00 UTC. ScanDock stayed within its own counters, so another app may share the key. Use “Rescan” later.',
    );
    expect(col(rows[2]!, 'error_detail')).toBe('QuotaExceededError: daily');
    expect(col(rows[1]!, 'error_message')).toBe('');
    expect(col(rows[2]!, 'source_url')).toBe('');
    expect(col(rows[2]!, 'created_at')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('writes the sentence in the page’s language', () => {
    const rows = parseCsv(historyToCsv([failed], KO).slice(1));
    expect(rows[1]![rows[0]!.indexOf('error_message')]).toMatch(/^VirusTotal이 이 키의 요청을 계속 거절했습니다: 일일 한도/);
  });

  it('guards a sentence that would start like a formula', () => {
    const formula = scanRecordFixture({ status: 'error', error: problem('source-http-status', { host: '=HYPERLINK("x")', status: 403 }) });
    const cell = parseCsv(historyToCsv([formula], EN).slice(1))[1]!;
    expect(cell.find((c) => c.includes('HYPERLINK'))).toMatch(/^'=HYPERLINK/);
  });

  it('marks address verdicts (an address check, or the URL fallback without a file report) apart from file verdicts', () => {
    const address = scanRecordFixture({
      token: tokenFor(7), verdict: 'malicious', verdictFor: 'address', sha256: null, fileName: 'malware.example/dropper.exe',
      source: { kind: 'address', url: 'https://malware.example/dropper.exe' }, reportUrl: `https://www.virustotal.com/gui/url/${'b'.repeat(64)}/detection`,
    });
    const rows = parseCsv(historyToCsv([address, scanRecordFixture({ token: tokenFor(8) })], EN).slice(1));
    const header = rows[0]!;
    // Appended last: the columns scripts already read keep their places.
    expect(header.at(-1)).toBe('verdict_for');
    expect(header.indexOf('error_detail')).toBe(header.length - 2);
    const col = (r: string[], name: string) => r[header.indexOf(name)];
    expect([col(rows[1]!, 'source'), col(rows[1]!, 'verdict'), col(rows[1]!, 'verdict_for'), col(rows[1]!, 'source_url')]).toEqual(['address', 'malicious', 'address', 'https://malware.example/dropper.exe']);
    expect(col(rows[2]!, 'verdict_for')).toBe('file');
    expect(JSON.parse(historyToJson([address], EN))[0]).toMatchObject({ verdictFor: 'address', source: { kind: 'address' } });
  });

  it('is only a header for an empty history', () => {
    expect(parseCsv(historyToCsv([], EN).slice(1))).toHaveLength(1);
  });
});

describe('historyToJson', () => {
  it('contains the records exactly as they are', () => {
    const records = [scanRecordFixture({ token: tokenFor(1) }), scanRecordFixture({ token: tokenFor(2), fileName: '<b>x</b>' })];
    expect(JSON.parse(historyToJson(records, EN))).toEqual(records);
  });

  it('gives each error and notice its code, its params and its sentence', () => {
    const at = new Date(2026, 0, 5, 14, 3, 7).getTime();
    const records = [
      scanRecordFixture({ token: tokenFor(1), status: 'error', error: problem('source-http-status', { host: 'files.example', status: 403 }) }),
      scanRecordFixture({ token: tokenFor(2), status: 'ready', notice: problem('vt-quota', { window: 'minute', nextAt: at }) }),
    ];
    const [failed, waiting] = JSON.parse(historyToJson(records, EN)) as Array<Record<string, unknown>>;
    expect(failed!.error).toEqual({
      code: 'source-http-status',
      params: { host: 'files.example', status: 403 },
      text: 'files.example answered HTTP 403 when ScanDock fetched the file again: it may need a login, the link may have expired or the file is gone. Scan the saved file with “Scan files…”.',
    });
    expect(waiting!.notice).toEqual({
      code: 'vt-quota',
      params: { window: 'minute', nextAt: at },
      text: 'Waiting for VirusTotal’s per-minute quota: next request at 14:03:07.',
    });
  });
});

describe('where downloads were saved', () => {
  const PATH = 'C:\\Users\\Jane Doe\\Downloads\\setup 1.exe';
  const FILE_URL = 'file:///C:/Users/Jane%20Doe/Downloads/setup%201.exe';
  const saved = () => [
    scanRecordFixture({
      token: tokenFor(1),
      source: { kind: 'download', url: 'https://dl.example/setup.exe', downloadId: 4, filename: PATH },
      status: 'error',
      error: problem('download-needs-file-access', { detail: `source-unreachable {"url":"${FILE_URL}"}` }),
      readNote: problem('disk-file-moved', { detail: `could not read ${FILE_URL}` }),
    }),
    scanRecordFixture({ token: tokenFor(2), source: { kind: 'download', url: 'https://dl.example/a', downloadId: 5, filename: '/home/jane/Downloads/a.zip' } }),
  ];

  it('JSON without the box: the file name only, no path and no file: address anywhere', () => {
    const text = historyToJson(saved(), EN);
    expect(text).not.toMatch(/Users|Jane|home|file:/);
    const [first, second] = JSON.parse(text) as Array<{ source: { filename: string }; readNote: { params: { detail: string } } }>;
    expect(first!.source.filename).toBe('setup 1.exe');
    expect(first!.readNote.params.detail).toBe('could not read setup 1.exe');
    expect(second!.source.filename).toBe('a.zip');
  });

  it('CSV without the box: no file: address in the detail', () => {
    expect(historyToCsv(saved(), EN)).not.toMatch(/Users|Jane|file:/);
  });

  it('with the box ticked, the paths are exported as stored', () => {
    const records = saved();
    expect(JSON.parse(historyToJson(records, EN, { includePaths: true }))[0].source.filename).toBe(PATH);
    expect(historyToJson(records, EN, { includePaths: true })).toContain(FILE_URL);
    expect(historyToCsv(records, EN, { includePaths: true })).toContain(FILE_URL);
  });
});

describe('what an export can contain', () => {
  it('has no field that could hold the API key, in either format', () => {
    const records = [
      scanRecordFixture({ token: tokenFor(1) }),
      scanRecordFixture({ token: tokenFor(2), status: 'error', error: problem('vt-wrong-key') }),
    ];
    const keys = keysIn(JSON.parse(historyToJson(records, EN)));
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => /api.?key/i.test(k))).toEqual([]);
    const header = parseCsv(historyToCsv(records, EN).slice(1))[0]!;
    expect(header.filter((k) => /api.?key/i.test(k))).toEqual([]);
  });
});

describe('exportFileName and exportBlob', () => {
  it('names the file after the UTC day', () => {
    expect(exportFileName('csv', Date.UTC(2026, 10, 25, 23, 59))).toBe('scandock-history-2026-11-25.csv');
    expect(exportFileName('json', Date.UTC(2026, 0, 1))).toBe('scandock-history-2026-01-01.json');
  });

  it('types the blob for its format', async () => {
    const records = [scanRecordFixture()];
    expect(exportBlob(records, 'json', EN).type).toBe('application/json');
    expect(exportBlob(records, 'csv', EN).type).toBe('text/csv;charset=utf-8');
    expect(JSON.parse(await exportBlob(records, 'json', EN).text())).toEqual(records);
  });
});
