/**
 * The history export, as JSON (the records exactly as stored) or CSV (one row per scan, for
 * spreadsheets). Records never hold the API key, so neither format can carry it.
 */
import type { ScanRecord } from '../scan/scan-record';
import { detectionRatio } from './format';

export type ExportFormat = 'json' | 'csv';

/** The records as stored, newest first, pretty-printed. */
export function historyToJson(records: readonly ScanRecord[]): string {
  return `${JSON.stringify(records, null, 2)}\n`;
}

/**
 * A spreadsheet would run a cell starting with one of these as a formula ("CSV injection":
 * https://owasp.org/www-community/attacks/CSV_Injection). A file name like `=HYPERLINK(…)` is
 * attacker-chosen, so such cells get a leading apostrophe and are read as text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula guard, then RFC 4180 quoting when the text needs it. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Column names are stable identifiers for scripts, not UI text, so they are not translated. */
const COLUMNS = [
  'created_at',
  'file_name',
  'source',
  'source_url',
  'status',
  'verdict',
  'malicious',
  'engines',
  'sha256',
  'size',
  'threat_label',
  'browser_danger',
  'report_url',
  'error_code',
  'error_message',
] as const;

function row(record: ScanRecord): Array<string | number | null> {
  const ratio = detectionRatio(record.stats);
  const source = record.source;
  return [
    new Date(record.createdAt).toISOString(),
    record.fileName,
    source.kind,
    source.kind === 'file' ? null : source.url,
    record.status,
    record.verdict,
    ratio?.malicious ?? null,
    ratio?.total ?? null,
    record.sha256,
    record.size,
    record.threatLabel,
    record.browserDanger,
    record.reportUrl,
    record.error?.code ?? null,
    record.error?.message ?? null,
  ];
}

/**
 * The records as CSV with a header row and CRLF line ends. It starts with a byte-order mark so
 * spreadsheet programs read non-ASCII file names (e.g. Korean) as UTF-8.
 */
export function historyToCsv(records: readonly ScanRecord[]): string {
  const lines = [COLUMNS.join(','), ...records.map((r) => row(r).map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** "scandock-history-2026-11-25.csv" for an export made on that (UTC) day. */
export function exportFileName(format: ExportFormat, now: number): string {
  return `scandock-history-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

/** The export as a Blob with the right type, ready for an `<a download>`. */
export function exportBlob(records: readonly ScanRecord[], format: ExportFormat): Blob {
  return format === 'json'
    ? new Blob([historyToJson(records)], { type: 'application/json' })
    : new Blob([historyToCsv(records)], { type: 'text/csv;charset=utf-8' });
}
