/**
 * The history export, as JSON (the records as stored, each error and notice with its sentence) or CSV
 * (one row per scan, for spreadsheets). Records never hold the API key, so neither format can carry it; where
 * downloads were saved goes in only when the person asks (ExportOptions.includePaths).
 */
import type { Problem } from '../problems/problem';
import { renderProblem, type Translate } from '../problems/render-problem';
import { baseName } from '../scan/read-source';
import type { ScanRecord } from '../scan/scan-record';
import { detectionRatio } from './format';

export type ExportFormat = 'json' | 'csv';

/** The language the sentences are written in: `t` and the page's locale. */
export interface ExportLanguage {
  translate: Translate;
  locale: string;
}

/** A record's error or notice as exported: its code and params for scripts, and the sentence a person reads. */
function withText(kind: 'error' | 'notice', problem: Problem | null, language: ExportLanguage): (Problem & { text: string }) | null {
  return problem && { ...problem, text: renderProblem(kind, problem, language.translate, language.locale) };
}

/** What goes in an export beyond the records' own fields. */
export interface ExportOptions {
  /**
   * Keep where downloads were saved (`source.filename`'s full path, `file:` addresses in details): a path
   * names the person's OS account, and exports get attached to bug reports. Off unless the person ticks it.
   */
  includePaths?: boolean;
}

/** A `file:` address in a detail (a saved file read from disk), up to where the text around it goes on. */
const FILE_ADDRESS = /file:\/\/[^\s"'<>]*/gi;

/** `text` with every `file:` address cut down to the file's name. */
export function withoutLocalPaths(text: string): string {
  return text.replace(FILE_ADDRESS, (address) => {
    const name = baseName(address.replace(/^file:\/*/i, ''));
    try {
      return decodeURIComponent(name);
    } catch {
      return name;
    }
  });
}

/** A record as exported without paths: the saved file's name, not where it is; no `file:` address in any text. */
function withoutPaths(record: ScanRecord): ScanRecord {
  const source = record.source.kind === 'download' && record.source.filename ? { ...record.source, filename: baseName(record.source.filename) } : record.source;
  const scrubbed = JSON.stringify({ ...record, source }, (_key, value: unknown) => (typeof value === 'string' ? withoutLocalPaths(value) : value));
  return JSON.parse(scrubbed) as ScanRecord;
}

/**
 * The records as stored, newest first, pretty-printed; `error` and `notice` carry `code`, `params` and `text`,
 * and `verdictFor` says whether a verdict is on a file or on an address. Saved files appear by name only
 * unless `includePaths`.
 */
export function historyToJson(records: readonly ScanRecord[], language: ExportLanguage, { includePaths = false }: ExportOptions = {}): string {
  const exported = records
    .map((r) => (includePaths ? r : withoutPaths(r)))
    .map((r) => ({ ...r, error: withText('error', r.error, language), notice: withText('notice', r.notice, language) }));
  return `${JSON.stringify(exported, null, 2)}\n`;
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
  'error_detail',
  // Last, so the columns before it keep their places: 'file' (the engines on the file's hash) or 'address'
  // (VirusTotal's URL scanners on an address: an address check, or the URL fallback without a file report).
  'verdict_for',
] as const;

function row(record: ScanRecord, language: ExportLanguage, includePaths: boolean): Array<string | number | null> {
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
    record.error ? renderProblem('error', record.error, language.translate, language.locale) : null,
    typeof record.error?.params?.detail === 'string' ? (includePaths ? record.error.params.detail : withoutLocalPaths(record.error.params.detail)) : null,
    record.verdictFor ?? null,
  ];
}

/**
 * The records as CSV with a header row and CRLF line ends; `error_message` is the sentence in the page's
 * language, `error_detail` what an exception or VirusTotal said. It starts with a byte-order mark so
 * spreadsheet programs read non-ASCII text (e.g. Korean) as UTF-8.
 */
export function historyToCsv(records: readonly ScanRecord[], language: ExportLanguage, { includePaths = false }: ExportOptions = {}): string {
  const lines = [COLUMNS.join(','), ...records.map((r) => row(r, language, includePaths).map(csvCell).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** "scandock-history-2026-11-25.csv" for an export made on that (UTC) day. */
export function exportFileName(format: ExportFormat, now: number): string {
  return `scandock-history-${new Date(now).toISOString().slice(0, 10)}.${format}`;
}

/** The export as a Blob with the right type, ready for an `<a download>`. */
export function exportBlob(records: readonly ScanRecord[], format: ExportFormat, language: ExportLanguage, options: ExportOptions = {}): Blob {
  return format === 'json'
    ? new Blob([historyToJson(records, language, options)], { type: 'application/json' })
    : new Blob([historyToCsv(records, language, options)], { type: 'text/csv;charset=utf-8' });
}
