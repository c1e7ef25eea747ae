/**
 * A VirusTotal API v3 emulator, faithful to /work/shared/virustotal-api.md: API keys, quotas, file and URL
 * reports, uploads, analyses that progress poll by poll, and injectable faults. Its core answers a web
 * `Request` with a `Response` (`createVirusTotalEmulator().handle`), in-process, for the simulation the
 * engine tests run in; `startVirusTotalEmulator()` serves the same core over node:http for the end-to-end
 * tests, the demo, the benchmark and `npm run emulator`.
 */
import { systemClock, type Clock } from '../../utils/time/clock';
import type { Profile } from './engines';
import { EmulatorState, type KnownFile, type KnownUrl, type UploadProfile, type UploadRecord } from './emulator-state';
import { defaultCodeFor, faultIsProcessed, FaultQueue, proxyPage, truncatedJson, type Fault } from './faults';
import { ApiError, errorBody, errorReply, jsonResponse, textResponse, type Reply } from './http-io';
import { serveOverHttp } from './node-http-adapter';
import { PUBLIC_LIMITS, QuotaBook, quotaMessage } from './quota';
import { dispatch } from './routes';
import { visitUrl } from './url-visit';

export type { Profile } from './engines';
export type { Fault, FaultKind } from './faults';
export type { KnownFile, KnownUrl, UploadRecord } from './emulator-state';
export { KNOWN_CLEAN_URL, KNOWN_MALICIOUS_URL } from './emulator-state';

/** The key the emulator accepts by default (64 hex characters, like a real one). */
export const DEMO_API_KEY = 'dec0de5ca4d0c0dedec0de5ca4d0c0dedec0de5ca4d0c0dedec0de5ca4d0c0de';

/** How to start the emulator; every field is optional. */
export interface EmulatorOptions {
  /** Accepted keys; default [DEMO_API_KEY]. */
  apiKeys?: string[];
  /** Default 4/500/15 500 with a 60 000 ms minute; a shorter minuteMs scales the window for soak tests. */
  quota?: { perMinute: number; perDay: number; perMonth?: number; minuteMs?: number };
  /** Answer 429 when a quota is used up; default true. Requests are counted either way. */
  enforceQuota?: boolean;
  /**
   * `GET /users/{id}/overall_quotas` is answered even when the key's quota is used up, and not counted. Whether
   * VirusTotal counts this call is unconfirmed; default false (it costs a request like any call).
   */
  freeQuotaReads?: boolean;
  /** Time for quotas, dates, analyses that complete on their own, and the latency fault; default the system clock. */
  clock?: Clock;
  /** Only the current time (epoch ms), the latency fault staying in real time; ignored with `clock`. */
  now?: () => number;
  /** GET /analyses/{id} answers before 'completed' (first 'queued', then 'in-progress'); default 2, 0 = at once. */
  analysisPolls?: number;
  /**
   * A file analysis also completes on its own this long (emulator clock) after the upload, polled or not,
   * as on VirusTotal; default: only polls complete it.
   */
  analysisCompletesAfterMs?: number;
  /** Preload EICAR (profile 'eicar') and the clean sample (profile 'clean'); default true. */
  knownFiles?: boolean;
  /** Preload a malicious and a clean address (KNOWN_MALICIOUS_URL, KNOWN_CLEAN_URL); default true. */
  knownUrls?: boolean;
  /**
   * Whether what a URL visit fetched becomes a known file (default true). False: the URL report names the
   * content's SHA-256 but the file has no report, as when VirusTotal has not made one of it yet.
   */
  fileReportsFromUrls?: boolean;
  /** Port on 127.0.0.1 for `startVirusTotalEmulator`; default 0, a free one (the CLI lets a person choose). */
  port?: number;
  /** The fetch behind URL visits (POST /urls); default the global one. The simulation hands in its network's. */
  fetch?: typeof fetch;
  /**
   * Wraps each request's processing (reading its body, the route): the simulation's driver lets no virtual
   * time pass while one is pending. The waits of the latency and hang faults are outside it. Default: none.
   */
  track?: <T>(work: Promise<T>) => Promise<T>;
}

/** Options of the in-process emulator: where it pretends to live. */
export interface InProcessOptions extends EmulatorOptions {
  /** The origin its links use (upload URLs, `self`); default http://127.0.0.1:40001. */
  origin?: string;
}

/** One request as the emulator saw it. */
export interface EmulatorRequest {
  method: string;
  /** URL path without the query, e.g. /api/v3/files/<hash>. */
  path: string;
  /** The x-apikey header as sent, or null. */
  apiKey: string | null;
  /** HTTP status answered; 0 while unanswered or when a fault hung or reset the connection. */
  status: number;
  /** Arrival time by the emulator's clock. */
  at: number;
  /**
   * When the answer went back, by the emulator's clock: in-process when `handle` resolved with it; over
   * HTTP just before its last piece was handed to the socket (never after a client could have it). Null
   * while unanswered, when a fault hung or reset the connection, and over HTTP when the client left first.
   */
  answeredAt: number | null;
  /** Whether it was counted against the key's quota. */
  quotaCounted: boolean;
  /** The fault injected into it, if any. */
  fault?: Fault['kind'];
}

/** A running emulator. */
export interface VirusTotalEmulator {
  /** e.g. http://127.0.0.1:PORT/api/v3 */
  baseUrl: string;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  /**
   * Answers one request as the HTTP server would: a Response, or a rejection where the network would fail
   * (a 'reset' fault: TypeError; a 'hang' fault: nothing until the request's signal aborts, then its reason).
   */
  handle(request: Request): Promise<Response>;
  /** Stops the emulator, ending hanging requests, latency waits and URL visits (and the HTTP server). */
  close(): Promise<void>;
  /** Every request, in arrival order. */
  requests: EmulatorRequest[];
  /** Makes `bytes` a known file with `profile`; returns its SHA-256. */
  addFile(bytes: Uint8Array, profile: Profile, names?: string[]): string;
  /** A known file is analysed again and its engines now say `profile` (see EmulatorState.reanalyseAs). */
  reanalyseAs(hash: string, profile: Profile): void;
  /** Makes `url` a known address that the URL scanners call malicious or clean; returns its id (a SHA-256). */
  addUrl(url: string, verdict: 'malicious' | 'clean'): string;
  /** Known addresses by id (SHA-256 of the canonical URL). */
  urls: ReadonlyMap<string, KnownUrl>;
  /** Sets the verdict for uploaded and URL-fetched files that are not yet known. */
  setUploadProfile(fn: UploadProfile): void;
  /** Queues a fault; faults are matched in the order injected. */
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Requests counted for `apiKey` (default: the first accepted key) as of now. */
  quotaUsed(apiKey?: string): { minute: number; day: number; month: number };
  resetQuota(): void;
  /** Known files by SHA-256. */
  files: ReadonlyMap<string, KnownFile>;
  uploads: UploadRecord[];
  /** URLs received by POST /urls, as sent. */
  urlSubmissions: string[];
}

/** VirusTotal's report of a key's quotas (see `freeQuotaReads`). */
const QUOTA_READ_PATH = /^\/api\/v3\/users\/[^/]+\/overall_quotas$/;

/** How long the emulator's visit of a submitted URL may take. */
const VISIT_TIMEOUT_MS = 15_000;

/** The network failing, as fetch reports it. */
const connectionLost = (why: string) => new TypeError('fetch failed', { cause: new Error(why) });

/** An emulator answering in-process (`handle`), on `options.clock`. */
export function createVirusTotalEmulator(options: InProcessOptions = {}): VirusTotalEmulator {
  return createCore(options).emulator;
}

/** The emulator, its clock, and the log entry of each Request it was handed (for the HTTP front's stamps). */
function createCore(options: InProcessOptions): { emulator: VirusTotalEmulator; now(): number; entryOf(request: Request): EmulatorRequest | undefined } {
  const clock: Clock = options.clock ?? (options.now ? { ...systemClock, now: options.now } : systemClock);
  const now = () => clock.now();
  const track = options.track ?? (<T>(work: Promise<T>) => work);
  const visitFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const origin = new URL(options.origin ?? 'http://127.0.0.1:40001').origin;
  const baseUrl = `${origin}/api/v3`;
  const apiKeys = new Set(options.apiKeys ?? [DEMO_API_KEY]);
  const enforceQuota = options.enforceQuota ?? true;
  const freeQuotaReads = options.freeQuotaReads ?? false;
  const analysisPolls = options.analysisPolls ?? 2;
  if (!Number.isInteger(analysisPolls) || analysisPolls < 0) throw new RangeError(`analysisPolls must be an integer ≥ 0, got ${analysisPolls}`);
  const quota = new QuotaBook({
    perMinute: options.quota?.perMinute ?? PUBLIC_LIMITS.perMinute,
    perDay: options.quota?.perDay ?? PUBLIC_LIMITS.perDay,
    perMonth: options.quota?.perMonth ?? PUBLIC_LIMITS.perMonth,
    minuteMs: options.quota?.minuteMs ?? PUBLIC_LIMITS.minuteMs,
  });
  // Aborted by close(): no wait, hang or URL visit outlives the emulator.
  const lifetime = new AbortController();

  /** A visit with its own timeout, on the emulator's clock; the timer goes away with the visit. */
  const visit = async (url: string) => {
    const over = new AbortController();
    const timedOut = new AbortController();
    clock.sleep(VISIT_TIMEOUT_MS, AbortSignal.any([over.signal, lifetime.signal])).then(
      () => timedOut.abort(new DOMException('The visit took too long', 'TimeoutError')),
      () => undefined,
    );
    try {
      return await visitUrl(url, AbortSignal.any([lifetime.signal, timedOut.signal]), visitFetch);
    } finally {
      over.abort();
    }
  };
  const state = new EmulatorState({ now, analysisPolls, analysisCompletesAfterMs: options.analysisCompletesAfterMs, knownFiles: options.knownFiles ?? true, knownUrls: options.knownUrls ?? true, fileReportsFromUrls: options.fileReportsFromUrls ?? true, visit });
  const faults = new FaultQueue();
  const requests: EmulatorRequest[] = [];
  const entries = new WeakMap<Request, EmulatorRequest>();

  const answer = (entry: EmulatorRequest, reply: Reply): Response => {
    entry.status = reply.status;
    return jsonResponse(reply);
  };

  /** The answer of a fault that stops the request before VirusTotal would have processed it. */
  const unprocessed = (entry: EmulatorRequest, fault: Fault): Response => {
    switch (fault.kind) {
      case 'status': {
        const status = fault.status ?? 503;
        entry.status = status;
        if (fault.body !== undefined) return textResponse(status, 'text/plain', fault.body);
        const code = fault.code ?? defaultCodeFor(status);
        return jsonResponse({ status, body: errorBody(code, fault.message ?? `Injected ${code}`) });
      }
      case 'malformed-json':
        entry.status = fault.status ?? 200;
        return textResponse(entry.status, 'application/json', '{"data": {<<garbage>> "id": ');
      case 'html':
        entry.status = fault.status ?? 502;
        return textResponse(entry.status, 'text/html', proxyPage(entry.status));
      case 'redirect':
        // A captive portal or a proxy sending the API call elsewhere: a client that followed would take x-apikey along.
        entry.status = fault.status ?? 302;
        return new Response(null, { status: entry.status, headers: { location: fault.location ?? 'http://127.0.0.1:9/portal' } });
      case 'hang':
      case 'reset':
      case 'latency':
      case 'truncated-json':
        throw new Error(`fault ${fault.kind} is not answered here`);
    }
  };

  /** No answer until the client gives up (its reason, like fetch) or the emulator closes. */
  const hang = (request: Request): Promise<never> =>
    new Promise((_, reject) => {
      const giveUp = () => reject(request.signal.aborted ? request.signal.reason : connectionLost('the emulator closed'));
      if (request.signal.aborted || lifetime.signal.aborted) return giveUp();
      request.signal.addEventListener('abort', giveUp, { once: true });
      lifetime.signal.addEventListener('abort', giveUp, { once: true });
    });

  /** What VirusTotal does with a request once it is through the front end: quota, then the route. */
  const process = async (request: Request, entry: EmulatorRequest, apiKey: string, fault: Fault | null): Promise<Response> => {
    // Checked when VirusTotal would process the request; a refused request is not counted.
    const free = freeQuotaReads && entry.method === 'GET' && QUOTA_READ_PATH.test(entry.path);
    const over = enforceQuota && !free ? quota.exceeded(apiKey, now()) : null;
    let reply: Reply;
    if (over !== null) {
      reply = errorReply(new ApiError(429, 'QuotaExceededError', quotaMessage(over, quota.limits)));
    } else {
      if (!free) quota.spend(apiKey, now());
      entry.quotaCounted = !free;
      try {
        reply = await dispatch(entry.method, entry.path, {
          request, apiKey, state, baseUrl, origin,
          quota: { limits: quota.limits, usage: (key) => quota.usage(key, now()) },
        });
      } catch (error) {
        if (!(error instanceof ApiError)) console.error('[virustotal-emulator]', error);
        reply = errorReply(error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error)));
      }
    }
    if (fault?.kind === 'truncated-json') {
      entry.status = reply.status;
      return textResponse(reply.status, 'application/json', truncatedJson(JSON.stringify(reply.body)));
    }
    return answer(entry, reply);
  };

  /** The pipeline: auth, then faults, then quota and the route. Rejects where the network would fail. */
  const respond = async (request: Request, entry: EmulatorRequest): Promise<Response> => {
    const { method, path, apiKey } = entry;
    if (apiKey === null || apiKey === '') {
      return answer(entry, errorReply(new ApiError(401, 'AuthenticationRequiredError', 'X-Apikey header is missing')));
    }
    if (!apiKeys.has(apiKey)) {
      return answer(entry, errorReply(new ApiError(401, 'WrongCredentialsError', 'Wrong API key')));
    }

    const fault = faults.take(method, path);
    if (fault !== null) {
      entry.fault = fault.kind;
      if (fault.kind === 'hang') return hang(request);
      if (fault.kind === 'reset') throw connectionLost('connection reset (injected fault)');
      if (!faultIsProcessed(fault.kind)) return unprocessed(entry, fault);
      if (fault.kind === 'latency') {
        await clock.sleep(fault.ms ?? 1000, lifetime.signal).catch(() => {
          throw connectionLost('the emulator closed');
        });
      }
    }
    return track(process(request, entry, apiKey, fault));
  };

  /** Logs the request, answers it, and notes when the answer went back. */
  const handle = async (request: Request): Promise<Response> => {
    if (lifetime.signal.aborted) throw connectionLost('the emulator is closed');
    const entry: EmulatorRequest = {
      method: request.method, path: new URL(request.url).pathname, apiKey: request.headers.get('x-apikey'),
      status: 0, at: now(), answeredAt: null, quotaCounted: false,
    };
    requests.push(entry);
    entries.set(request, entry);
    const response = await respond(request, entry);
    entry.answeredAt = now();
    return response;
  };

  const defaultKey = [...apiKeys][0] ?? DEMO_API_KEY;
  const emulator: VirusTotalEmulator = {
    baseUrl,
    origin,
    handle,
    close: async () => lifetime.abort(),
    requests,
    addFile: (bytes, profile, names) => state.addFile(bytes, profile, names),
    reanalyseAs: (hash, profile) => state.reanalyseAs(hash, profile),
    addUrl: (url, verdict) => state.addUrl(url, verdict),
    urls: state.urls,
    setUploadProfile: (fn) => {
      state.uploadProfile = fn;
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    quotaUsed: (key = defaultKey) => {
      const { minute, day, month } = quota.usage(key, now());
      return { minute, day, month };
    },
    resetQuota: () => quota.reset(),
    files: state.files,
    uploads: state.uploads,
    urlSubmissions: state.urlSubmissions,
  };
  return { emulator, now, entryOf: (request) => entries.get(request) };
}

/** Starts an emulator over HTTP on 127.0.0.1, on a free port unless `options.port` says otherwise. */
export async function startVirusTotalEmulator(options: EmulatorOptions = {}): Promise<VirusTotalEmulator> {
  let core: ReturnType<typeof createCore> | null = null;
  const http = await serveOverHttp((request) => core!.emulator.handle(request), {
    port: options.port,
    name: 'virustotal-emulator',
    // Over the wire an answer is given as its last piece leaves, not when the core produced it.
    onAnswered: (request, written) => {
      const entry = core?.entryOf(request);
      if (entry) entry.answeredAt = written ? core!.now() : null;
    },
  });
  core = createCore({ ...options, origin: http.origin });
  const emulator = core.emulator;
  return {
    ...emulator,
    close: async () => {
      await emulator.close();
      await http.close();
    },
  };
}
