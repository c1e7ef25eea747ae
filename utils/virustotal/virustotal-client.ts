/**
 * The VirusTotal API v3 client. Every request takes its turn for a quota slot first (request slots,
 * in queue order), carries the key only in the `x-apikey` header to the configured base URL (never
 * following a redirect elsewhere), has a timeout, and turns every answer into a checked value or a
 * ScanFailure. A client is bound to one turn: the scan (or shared request) it asks for.
 */
import { problem } from '../problems/problem';
import { ScanFailure } from '../scan/scan-failure';
import { addressForVirusTotal } from '../scan/upload-policy';
import type { QueuePlace } from '../scan/scheduler/queue-order';
import type { RequestSlots, SlotWait } from '../scan/scheduler/request-slots';
import type { Clock } from '../time/clock';
import { BLOCKING_STATUSES, blockedOnTheWay, failureFromResponse, redirectedAway, unexpectedShape, unreadableResponse } from './virustotal-errors';
import {
  parseAnalysis, parseAnalysisDescriptor, parseFileReport, parseOverallQuotas, parseUploadUrl, parseUrlReport,
  type AnalysisReport, type FileReport, type UrlReport,
} from './virustotal-reports';

export const DEFAULT_VT_API_URL = 'https://www.virustotal.com/api/v3';
/** `POST /files` takes up to 32 MB; above that (vt-go switches at 30 MB to be safe) use an upload URL. */
export const DIRECT_UPLOAD_LIMIT = 30 * 1024 * 1024;
export const REQUEST_TIMEOUT_MS = 30_000;
/**
 * The uplink an upload's timeout presumes: 256 kbit/s (a busy or mobile link; a timeout for 2 Mbit/s cut
 * every upload above ~7.5 MiB on a 1 Mbit/s link, and a cut upload that was still moving bytes is not lost).
 */
export const SLOW_UPLINK_BYTES_PER_S = 32 * 1024;
/** 429s in a row before the client gives the failure to the scheduler. */
const MAX_RATE_LIMITED_IN_A_ROW = 4;

/** Whom a client's requests are for: their place in the queue, their cancellation, who to tell of a wait. */
export interface RequestTurn {
  place(): QueuePlace;
  signal: AbortSignal;
  onWait?(wait: SlotWait): void;
  /** The key check: it goes even while scans wait for a key (see SlotRequest). */
  checksKey?: boolean;
  /** A request on spare quota (a second look), see SlotRequest. */
  spare?: { reserve: number };
}

export interface VirusTotalClientDeps {
  fetch: typeof fetch;
  baseUrl: string;
  apiKey: string;
  slots: Pick<RequestSlots, 'take' | 'answered' | 'vtCountRead'>;
  clock: Clock;
  turn: RequestTurn;
  timeoutMs?: number;
}

/** A file to upload, read when the upload is due (in the upload lane, one at a time), before it takes its slot. */
export interface UploadFile {
  name: string;
  size: number;
  read(): Promise<Blob>;
}

export interface UploadOptions {
  /**
   * Called once the upload has its bytes and its slot, right before the file leaves (not when the upload
   * URL is fetched): from here on VirusTotal may get the file even if the answer never arrives. If it
   * throws, nothing is sent and the slot goes back.
   */
  beforeSend?: () => Promise<void>;
}

export interface VirusTotalClient {
  /** The file report, or null when VirusTotal has never seen the file (404). */
  getFile(sha256: string): Promise<FileReport | null>;
  /** Upload a file; returns the analysis id. Uses an upload URL above 30 MB. */
  uploadFile(file: UploadFile, options?: UploadOptions): Promise<string>;
  /** Ask VirusTotal to analyse a known file again; returns the analysis id. */
  reanalyse(sha256: string): Promise<string>;
  getAnalysis(id: string): Promise<AnalysisReport>;
  /** Submit a URL for VirusTotal to fetch and scan (never with a user name or password); returns the analysis id. */
  submitUrl(url: string): Promise<string>;
  /**
   * The URL report: the URL scanners' verdicts on the address, the SHA-256 of what VirusTotal fetched there
   * and the HTTP status it got; null when VirusTotal has never seen the address (404).
   */
  getUrlReport(url: string): Promise<UrlReport | null>;
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

interface RequestOptions {
  /** The body, made before the request takes its slot (an upload reads its file then, inside the upload lane). */
  body?: () => Promise<BodyInit>;
  beforeSend?: () => Promise<void>;
  timeoutMs?: number;
  notFoundIsNull?: boolean;
  /** A 429 ends the request at once (VirusTotal's count, read after a 429: never retried). */
  once?: boolean;
}

export function createVirusTotalClient(deps: VirusTotalClientDeps): VirusTotalClient {
  const base = deps.baseUrl.replace(/\/+$/, '');
  // The key travels in a path only for VirusTotal's count of it (see readVtCount): its encoded form is secret too.
  const secrets = [deps.apiKey, encodeURIComponent(deps.apiKey)];
  const { turn } = deps;

  async function request(method: 'GET' | 'POST', pathOrUrl: string, options: RequestOptions = {}): Promise<unknown> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${base}${pathOrUrl}`;
    // The body first (an upload reads its file, which may mean fetching it again): a slot is held only while
    // its request waits for the network. A slot held through a read longer than the minute would leave after
    // its minute had ended and others had spent it again: five requests in VirusTotal's minute, and a 429.
    const body = await options.body?.();
    for (let rateLimitedInARow = 0; ; rateLimitedInARow++) {
      const slot = await deps.slots.take(turn);
      try {
        turn.signal.throwIfAborted();
        await options.beforeSend?.();
      } catch (error) {
        await slot.unused();
        throw error;
      }
      await slot.sending();
      const timeout = deps.clock.timeout(options.timeoutMs ?? deps.timeoutMs ?? REQUEST_TIMEOUT_MS);
      let response: Response;
      let bodyText: string;
      try {
        response = await deps.fetch(url, {
          method,
          headers: { 'x-apikey': deps.apiKey, accept: 'application/json' },
          body,
          credentials: 'omit',
          cache: 'no-store',
          // The Fetch standard carries custom headers such as x-apikey across a cross-origin redirect: the key
          // goes to the API base and nowhere else. 'manual', not 'error': both leave a redirect unfollowed,
          // but a browser reports 'error' as the same TypeError as a lost connection, while 'manual' hands
          // back the redirect (opaque in a browser), so the person is told what happened.
          redirect: 'manual',
          signal: AbortSignal.any([turn.signal, timeout]),
        });
        bodyText = await response.text();
      } catch (error) {
        await slot.ended();
        turn.signal.throwIfAborted();
        throw networkFailure(error, secrets);
      }
      await slot.ended();
      const readCount = await deps.slots.answered(response.status);
      if (isRedirect(response)) throw redirectedAway(response.status);
      let parsed: unknown = null;
      let readable = true;
      try {
        parsed = bodyText === '' ? null : JSON.parse(bodyText);
      } catch {
        readable = false;
      }
      if (response.status === 429) {
        if (readCount && !options.once) await readVtCount();
        if (options.once || rateLimitedInARow + 1 >= MAX_RATE_LIMITED_IN_A_ROW) // ScanDock stayed within its own counters: another app may share the key. The scheduler waits and tries again.
          throw new ScanFailure(problem('vt-quota', { window: 'rate-limited' }), 'retry', 429);
        continue;
      }
      if (response.ok) {
        if (!readable || parsed === null) throw unreadableResponse(response.status);
        return parsed;
      }
      if (response.status === 404 && options.notFoundIsNull) return null;
      // A refusal that is not VirusTotal's JSON comes from something on the way, not from VirusTotal.
      if (!readable && BLOCKING_STATUSES.includes(response.status)) throw blockedOnTheWay(response.status);
      if (!readable) throw unreadableResponse(response.status);
      throw failureFromResponse(response.status, parsed, secrets);
    }
  }

  /**
   * VirusTotal's own count of the key's requests, read (once, its turn counted like any other request) after a
   * 429 ScanDock's counters did not expect: another app uses the key, and its requests are in that count.
   * VirusTotal names no way to ask for it without the key in the path (`/users/{id}` takes the user's id or
   * key, and ScanDock does not know the id), so the key goes there only to the configured VirusTotal base over
   * HTTPS (or a loopback emulator) and is redacted from every error (`secrets`). The read is a help, not a
   * step: when it fails, the 429 backoff alone holds the requests back.
   */
  async function readVtCount(): Promise<void> {
    if (!mayCarryKeyInPath(base)) return;
    try {
      const quotas = parseOverallQuotas(await request('GET', `/users/${encodeURIComponent(deps.apiKey)}/overall_quotas`, { once: true }));
      await deps.slots.vtCountRead(quotas);
    } catch (error) {
      turn.signal.throwIfAborted();
      if (!(error instanceof ScanFailure)) throw error;
    }
  }

  function uploadBody(file: Blob, fileName: string): FormData {
    const form = new FormData();
    form.append('file', file, uploadFileName(fileName));
    return form;
  }

  /** Uploads get the time a slow uplink needs: the request timeout (30 s) plus the file at SLOW_UPLINK_BYTES_PER_S. */
  const uploadTimeout = (size: number) => (deps.timeoutMs ?? REQUEST_TIMEOUT_MS) + Math.ceil(size / SLOW_UPLINK_BYTES_PER_S) * 1000;

  return {
    async getFile(sha256) {
      const body = await request('GET', `/files/${encodeURIComponent(sha256)}`, { notFoundIsNull: true });
      return body === null ? null : parseFileReport(body);
    },
    async uploadFile(file, options = {}) {
      let target = '/files';
      if (file.size > DIRECT_UPLOAD_LIMIT) {
        target = parseUploadUrl(await request('GET', '/files/upload_url'));
        // The key and the file go with it: only to VirusTotal's own address, whatever the answer says.
        if (new URL(target).origin !== new URL(base).origin) throw unexpectedShape('upload_url points away from VirusTotal');
      }
      const timeoutMs = uploadTimeout(file.size);
      let body: unknown;
      try {
        body = await request('POST', target, {
          body: async () => uploadBody(await file.read(), file.name),
          ...(options.beforeSend ? { beforeSend: options.beforeSend } : {}),
          timeoutMs,
        });
      } catch (error) {
        // Cut by ScanDock's own timer: say so (the file may have been still on its way, not lost).
        if (error instanceof ScanFailure && error.problem.code === 'vt-timeout') {
          throw new ScanFailure(problem('vt-upload-timeout', { sizeBytes: file.size, seconds: Math.round(timeoutMs / 1000) }), 'retry');
        }
        throw error;
      }
      return parseAnalysisDescriptor(body);
    },
    async reanalyse(sha256) {
      return parseAnalysisDescriptor(await request('POST', `/files/${encodeURIComponent(sha256)}/analyse`));
    },
    async getAnalysis(id) {
      return parseAnalysis(await request('GET', `/analyses/${encodeURIComponent(id)}`));
    },
    async submitUrl(url) {
      // Whatever the caller passed, no user name or password leaves (the query is the caller's choice).
      const form = new URLSearchParams({ url: addressForVirusTotal(url, { keepQuery: true }) });
      return parseAnalysisDescriptor(await request('POST', '/urls', { body: async () => form }));
    },
    async getUrlReport(url) {
      const body = await request('GET', `/urls/${urlIdentifier(addressForVirusTotal(url, { keepQuery: true }))}`, { notFoundIsNull: true });
      return body === null ? null : parseUrlReport(body);
    },
  };
}

/** Only an HTTPS base, or an emulator on this machine, may be sent the key in a path. */
function mayCarryKeyInPath(base: string): boolean {
  const { protocol, hostname } = new URL(base);
  return protocol === 'https:' || hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/** A redirect left unfollowed: opaque in a browser (status 0), the 3xx itself in Node. */
function isRedirect(response: Response): boolean {
  return response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400 && response.status !== 304);
}

/** The request never got an answer: both are tried again after a backoff. The exception's text goes to the detail. */
function networkFailure(error: unknown, secrets: readonly string[]): ScanFailure {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new ScanFailure(problem('vt-timeout'), 'retry');
  }
  return new ScanFailure(problem('network', { detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }, secrets), 'retry');
}
