/**
 * VirusTotal JSON → checked, typed values. Anything off-shape becomes a ScanFailure ('vt-unexpected')
 * instead of an exception deep inside the engine. Strings from VirusTotal are capped; the popup renders
 * them as text, never as HTML.
 */
import type { AnalysisStats, EngineCategory, EngineDetail } from '../scan/scan-record';
import { sanitizeText } from '../scan/scan-failure';
import type { OverallQuotas } from '../quota/quota-math';
import { unexpectedShape } from './virustotal-errors';

export const STAT_KEYS: readonly EngineCategory[] = [
  'malicious', 'suspicious', 'undetected', 'harmless', 'timeout', 'confirmed-timeout', 'type-unsupported', 'failure',
];

/** The per-engine list is capped: no real report has more than ~100 engines. */
export const MAX_ENGINES = 500;

/** What ScanDock keeps of a file report. */
export interface FileReport {
  sha256: string;
  stats: AnalysisStats;
  detail: EngineDetail[];
  size: number | null;
  meaningfulName: string | null;
  threatLabel: string | null;
  /** ms since epoch, when VirusTotal last analysed the file. */
  analysedAt: number | null;
  /** ms since epoch, when VirusTotal first saw the file (`first_submission_date`). */
  firstSeenAt: number | null;
}

/** What ScanDock keeps of an analysis. */
export interface AnalysisReport {
  id: string;
  status: 'queued' | 'in-progress' | 'completed';
  stats: AnalysisStats;
  detail: EngineDetail[];
  /** The analysed file's SHA-256 (file analyses). */
  fileSha256: string | null;
  /** The analysed URL's identifier, the SHA-256 VirusTotal gives it (URL analyses). */
  urlId: string | null;
}

/** What ScanDock keeps of a URL report (`GET /urls/{id}`). */
export interface UrlReport {
  /** VirusTotal's identifier of the URL: a SHA-256 (its report page is /gui/url/{id}). */
  id: string | null;
  /** The URL scanners' verdicts on the address; null when it was never analysed. */
  stats: AnalysisStats | null;
  detail: EngineDetail[];
  /** ms since epoch, when VirusTotal last analysed the address. */
  analysedAt: number | null;
  /** ms since epoch, when VirusTotal first saw the address (`first_submission_date`). */
  firstSeenAt: number | null;
  /** The SHA-256 of what VirusTotal fetched from the address, if it fetched anything. */
  contentSha256: string | null;
  /** The HTTP status VirusTotal got there. */
  httpStatus: number | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function dataOf(body: unknown, what: string): Json {
  if (!isObject(body) || !isObject(body.data)) throw unexpectedShape(`${what}: no "data" object`);
  return body.data;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function text(value: unknown, max = 200): string | null {
  return typeof value === 'string' ? sanitizeText(value).slice(0, max) : null;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** A lowercase SHA-256, or null. */
export function sha256Of(value: unknown): string | null {
  return typeof value === 'string' && SHA256.test(value.toLowerCase()) ? value.toLowerCase() : null;
}

/** `last_analysis_stats` / `stats`: every present key must be a count; absent keys count 0. */
export function parseStats(value: unknown, what: string): AnalysisStats {
  if (!isObject(value)) throw unexpectedShape(`${what}: stats missing`);
  const stats = {} as AnalysisStats;
  for (const key of STAT_KEYS) {
    const n = value[key] === undefined ? 0 : count(value[key]);
    if (n === null) throw unexpectedShape(`${what}: stats.${key} is not a count`);
    stats[key] = n;
  }
  return stats;
}

function isCategory(value: unknown): value is EngineCategory {
  return typeof value === 'string' && (STAT_KEYS as readonly string[]).includes(value);
}

/** `last_analysis_results` / `results` → the per-engine detail, detections first. Bad entries are skipped. */
export function parseEngineResults(value: unknown): EngineDetail[] {
  if (value === undefined || value === null) return [];
  if (!isObject(value)) throw unexpectedShape('engine results are not an object');
  const detail: EngineDetail[] = [];
  for (const [key, entry] of Object.entries(value)) {
    if (detail.length >= MAX_ENGINES) break;
    if (!isObject(entry) || !isCategory(entry.category)) continue;
    detail.push({
      vendorName: text(entry.engine_name) ?? text(key) ?? '?',
      vendorVersion: text(entry.engine_version, 60) ?? '',
      category: entry.category,
      scanDetected: entry.category === 'malicious',
      result: text(entry.result),
    });
  }
  const rank = (d: EngineDetail) => (d.category === 'malicious' ? 0 : d.category === 'suspicious' ? 1 : 2);
  return detail.sort((a, b) => rank(a) - rank(b) || a.vendorName.localeCompare(b.vendorName));
}

/** `GET /files/{id}` → FileReport. */
export function parseFileReport(body: unknown): FileReport {
  const data = dataOf(body, 'file report');
  const attributes = isObject(data.attributes) ? data.attributes : null;
  if (!attributes) throw unexpectedShape('file report: no attributes');
  const sha256 = sha256Of(data.id) ?? sha256Of(attributes.sha256);
  if (!sha256) throw unexpectedShape('file report: no SHA-256 id');
  const ptc = isObject(attributes.popular_threat_classification) ? attributes.popular_threat_classification : {};
  const date = count(attributes.last_analysis_date);
  return {
    sha256,
    stats: parseStats(attributes.last_analysis_stats, 'file report'),
    detail: parseEngineResults(attributes.last_analysis_results),
    size: count(attributes.size),
    meaningfulName: text(attributes.meaningful_name),
    threatLabel: text(ptc.suggested_threat_label, 100),
    analysedAt: msOf(date),
    firstSeenAt: msOf(count(attributes.first_submission_date)),
  };
}

/** Unix seconds → ms. */
function msOf(seconds: number | null): number | null {
  return seconds === null ? null : seconds * 1000;
}

/** `POST /files`, `POST /urls`, `POST /files/{id}/analyse` → the analysis id. */
export function parseAnalysisDescriptor(body: unknown): string {
  const data = dataOf(body, 'analysis descriptor');
  if (typeof data.id !== 'string' || data.id.length === 0 || data.id.length > 512) {
    throw unexpectedShape('analysis descriptor: no id');
  }
  return data.id;
}

/** `GET /analyses/{id}` → AnalysisReport. */
export function parseAnalysis(body: unknown): AnalysisReport {
  const data = dataOf(body, 'analysis');
  const attributes = isObject(data.attributes) ? data.attributes : null;
  if (!attributes) throw unexpectedShape('analysis: no attributes');
  const status = attributes.status;
  if (status !== 'queued' && status !== 'in-progress' && status !== 'completed') {
    throw unexpectedShape('analysis: unknown status');
  }
  const meta = isObject(body) && isObject((body as Json).meta) ? ((body as Json).meta as Json) : {};
  const fileInfo = isObject(meta.file_info) ? meta.file_info : {};
  const urlInfo = isObject(meta.url_info) ? meta.url_info : {};
  const id = typeof data.id === 'string' ? data.id : '';
  return {
    id,
    status,
    stats: attributes.stats === undefined ? parseStats({}, 'analysis') : parseStats(attributes.stats, 'analysis'),
    detail: parseEngineResults(attributes.results),
    fileSha256: sha256Of(fileInfo.sha256),
    // A URL analysis id is "u-<url sha256>-<unix time>".
    urlId: sha256Of(urlInfo.id) ?? sha256Of(/^u-([0-9a-f]{64})-\d+$/i.exec(id)?.[1]),
  };
}

/** `GET /files/upload_url` → the single-use URL (must be http(s)). */
export function parseUploadUrl(body: unknown): string {
  const url = isObject(body) ? body.data : undefined;
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw unexpectedShape('upload_url: no http(s) URL');
  return url;
}

/**
 * `GET /urls/{id}` → the URL scanners' verdicts on the address (URL stats have five keys, not the file's
 * eight: the missing ones count 0), and the SHA-256 of the content VirusTotal fetched there, if any.
 */
export function parseUrlReport(body: unknown): UrlReport {
  const data = dataOf(body, 'URL report');
  const attributes = isObject(data.attributes) ? data.attributes : null;
  if (!attributes) throw unexpectedShape('URL report: no attributes');
  const date = count(attributes.last_analysis_date);
  return {
    id: sha256Of(data.id),
    stats: attributes.last_analysis_stats === undefined ? null : parseStats(attributes.last_analysis_stats, 'URL report'),
    detail: parseEngineResults(attributes.last_analysis_results),
    analysedAt: msOf(date),
    firstSeenAt: msOf(count(attributes.first_submission_date)),
    contentSha256: sha256Of(attributes.last_http_response_content_sha256),
    httpStatus: count(attributes.last_http_response_code),
  };
}

/**
 * `GET /users/{key}/overall_quotas` → the key's requests used and allowed today and this hour, as VirusTotal
 * counts them (every app using the key). The monthly figure is left out: it is not reliable for free keys.
 */
export function parseOverallQuotas(body: unknown): OverallQuotas {
  const data = isObject(body) && isObject(body.data) ? body.data : undefined;
  const pair = (name: string) => {
    const bucket = data && isObject(data[name]) ? data[name] : undefined;
    const user = bucket && isObject(bucket.user) ? bucket.user : undefined;
    const count = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
    if (!user || !count(user.used) || !count(user.allowed)) throw unexpectedShape(`overall_quotas: no ${name}.user used/allowed`);
    return { used: Math.floor(user.used as number), allowed: Math.floor(user.allowed as number) };
  };
  return { daily: pair('api_requests_daily'), hourly: pair('api_requests_hourly') };
}
