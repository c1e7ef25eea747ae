/**
 * The VirusTotal API v3 client. Every request waits for the quota limiter first, carries the key only
 * in the `x-apikey` header, has a timeout, and turns every answer into a checked value or a ScanFailure.
 */
import { problem } from '../problems/problem';
import { ScanFailure } from '../scan/scan-failure';
import type { AcquireOptions, QuotaLimiter } from '../quota/quota-limiter';
import { systemClock, type Clock } from '../time/clock';
import { failureFromResponse, unexpectedShape, unreadableResponse } from './virustotal-errors';
import {
  parseAnalysis, parseAnalysisDescriptor, parseFileReport, parseUploadUrl, parseUrlReport,
  type AnalysisReport, type FileReport,
} from './virustotal-reports';

export const DEFAULT_VT_API_URL = 'https://www.virustotal.com/api/v3';
/** `POST /files` takes up to 32 MB; above that (vt-go switches at 30 MB to be safe) use an upload URL. */
export const DIRECT_UPLOAD_LIMIT = 30 * 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;
/** 429s in a row before the client gives the failure to the engine. */
const MAX_RATE_LIMITED_IN_A_ROW = 4;

export interface VirusTotalClientDeps {
  fetch: typeof fetch;
  baseUrl: string;
  apiKey: string;
  limiter: QuotaLimiter;
  timeoutMs?: number;
  /** Where request timeouts come from (default the system clock). */
  clock?: Clock;
}

/** Per-call options: see the quota limiter's `AcquireOptions`. */
export type RequestOptions = AcquireOptions;

export interface UploadOptions extends RequestOptions {
  /**
   * Called once the upload has its quota slot, right before the file leaves (not when the upload URL is
   * fetched): from here on VirusTotal may get the file even if the answer never arrives. If it throws,
   * nothing is sent and no slot is spent.
   */
  beforeSend?: () => Promise<void>;
}

export interface VirusTotalClient {
  /** The file report, or null when VirusTotal has never seen the file (404). */
  getFile(sha256: string, options?: RequestOptions): Promise<FileReport | null>;
  /** Upload a file; returns the analysis id. Uses an upload URL above 30 MB. */
  uploadFile(file: Blob, fileName: string, options?: UploadOptions): Promise<string>;
  /** Ask VirusTotal to analyse a known file again; returns the analysis id. */
  reanalyse(sha256: string, options?: RequestOptions): Promise<string>;
  getAnalysis(id: string, options?: RequestOptions): Promise<AnalysisReport>;
  /** Submit a URL for VirusTotal to fetch and scan; returns the analysis id. */
  submitUrl(url: string, options?: RequestOptions): Promise<string>;
  /**
   * The URL report: the SHA-256 of what VirusTotal fetched there and the HTTP status it got, or null
   * when it has no report (404).
   */
  getUrlReport(url: string, options?: RequestOptions): Promise<{ contentSha256: string | null; httpStatus: number | null } | null>;
}

/** VirusTotal's URL identifier: the URL in unpadded URL-safe base64. */
export function urlIdentifier(url: string): string {
  const bytes = new TextEncoder().encode(url);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A file name safe for a plain `Content-Disposition` filename (VirusTotal rejects `filename*=`). */
export function uploadFileName(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_').trim();
  return ascii.slice(-200) || 'file';
}

export function createVirusTotalClient(deps: VirusTotalClientDeps): VirusTotalClient {
  const base = deps.baseUrl.replace(/\/+$/, '');
  const secrets = [deps.apiKey];
  const clock = deps.clock ?? systemClock;

  async function request(
    method: 'GET' | 'POST',
    pathOrUrl: string,
    options: RequestOptions & { body?: BodyInit; timeoutMs?: number; notFoundIsNull?: boolean } = {},
  ): Promise<unknown> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
    for (let rateLimitedInARow = 0; ; rateLimitedInARow++) {
      await deps.limiter.acquire(options);
      let response: Response;
      try {
        response = await deps.fetch(url, {
          method,
          headers: { 'x-apikey': deps.apiKey, accept: 'application/json' },
          body: options.body,
          credentials: 'omit',
          cache: 'no-store',
          signal: clock.timeout(options.timeoutMs ?? deps.timeoutMs ?? REQUEST_TIMEOUT_MS),
        });
      } catch (error) {
        throw networkFailure(error, secrets);
      }
      let bodyText: string;
      try {
        bodyText = await response.text();
      } catch (error) {
        throw networkFailure(error, secrets);
      }
      let body: unknown = null;
      let readable = true;
      try {
        body = bodyText === '' ? null : JSON.parse(bodyText);
      } catch {
        readable = false;
      }
      if (response.status === 429) {
        await deps.limiter.rateLimited();
        if (rateLimitedInARow + 1 >= MAX_RATE_LIMITED_IN_A_ROW) {
          // ScanDock stayed within its own counters: another app may share the key. The engine waits and tries again.
          throw new ScanFailure(problem('vt-quota', { window: 'rate-limited' }), 'retry', 429);
        }
        continue;
      }
      await deps.limiter.accepted();
      if (response.ok) {
        if (!readable || body === null) throw unreadableResponse(response.status);
        return body;
      }
      if (response.status === 404 && options.notFoundIsNull) return null;
      if (!readable && response.status !== 401 && response.status !== 403) throw unreadableResponse(response.status);
      throw failureFromResponse(response.status, body, secrets);
    }
  }

  function uploadBody(file: Blob, fileName: string): FormData {
    const form = new FormData();
    form.append('file', file, uploadFileName(fileName));
    return form;
  }

  /** Uploads get more time: the request timeout (30 s) plus 1 s for every 256 KB. */
  const uploadTimeout = (size: number) => (deps.timeoutMs ?? REQUEST_TIMEOUT_MS) + Math.ceil(size / 262_144) * 1000;

  return {
    async getFile(sha256, options) {
      const body = await request('GET', `/files/${encodeURIComponent(sha256)}`, { ...options, notFoundIsNull: true });
      return body === null ? null : parseFileReport(body);
    },
    async uploadFile(file, fileName, options = {}) {
      const { beforeSend, ...requestOptions } = options;
      let target = '/files';
      if (file.size > DIRECT_UPLOAD_LIMIT) {
        target = parseUploadUrl(await request('GET', '/files/upload_url', requestOptions));
        // The key and the file go with it: only to VirusTotal's own address, whatever the answer says.
        if (new URL(target).origin !== new URL(base).origin) throw unexpectedShape('upload_url points away from VirusTotal');
      }
      const stillWanted = async () => {
        if (requestOptions.stillWanted && !(await requestOptions.stillWanted())) return false;
        await beforeSend?.();
        return true;
      };
      const body = await request('POST', target, { ...requestOptions, stillWanted, body: uploadBody(file, fileName), timeoutMs: uploadTimeout(file.size) });
      return parseAnalysisDescriptor(body);
    },
    async reanalyse(sha256, options) {
      return parseAnalysisDescriptor(await request('POST', `/files/${encodeURIComponent(sha256)}/analyse`, options));
    },
    async getAnalysis(id, options) {
      return parseAnalysis(await request('GET', `/analyses/${encodeURIComponent(id)}`, options));
    },
    async submitUrl(url, options) {
      return parseAnalysisDescriptor(await request('POST', '/urls', { ...options, body: new URLSearchParams({ url }) }));
    },
    async getUrlReport(url, options) {
      const body = await request('GET', `/urls/${urlIdentifier(url)}`, { ...options, notFoundIsNull: true });
      return body === null ? null : parseUrlReport(body);
    },
  };
}

/** The request never got an answer: both are tried again after a backoff. The exception's text goes to the detail. */
function networkFailure(error: unknown, secrets: readonly string[]): ScanFailure {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new ScanFailure(problem('vt-timeout'), 'retry');
  }
  return new ScanFailure(problem('network', { detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, secrets), 'retry');
}
