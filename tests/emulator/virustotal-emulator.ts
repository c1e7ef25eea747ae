/**
 * A VirusTotal API v3 emulator on node:http, faithful to /work/shared/virustotal-api.md: API keys,
 * quotas, file and URL reports, uploads, analyses that progress poll by poll, and injectable faults.
 * Used by integration tests (`startVirusTotalEmulator()`) and by hand (`npm run emulator`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Profile } from './engines';
import { EmulatorState, type KnownFile, type UploadProfile, type UploadRecord } from './emulator-state';
import { defaultCodeFor, faultIsProcessed, FaultQueue, proxyPage, truncatedJson, type Fault } from './faults';
import { ApiError, errorBody, errorReply, writeJson, writeText, type Reply } from './http-io';
import { PUBLIC_LIMITS, QuotaBook, quotaMessage } from './quota';
import { dispatch } from './routes';
import { visitUrl } from './url-visit';

export type { Profile } from './engines';
export type { Fault, FaultKind } from './faults';
export type { KnownFile, KnownUrl, UploadRecord } from './emulator-state';

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
  /** Clock for quotas and dates, in epoch ms; default Date.now. */
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
  /** Port on 127.0.0.1; default 0, a free one (the CLI lets a person choose). */
  port?: number;
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
  /** Stops the server, ending hanging responses and open connections. */
  close(): Promise<void>;
  /** Every request, in arrival order. */
  requests: EmulatorRequest[];
  /** Makes `bytes` a known file with `profile`; returns its SHA-256. */
  addFile(bytes: Uint8Array, profile: Profile, names?: string[]): string;
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

/** Starts an emulator on 127.0.0.1, on a free port unless `options.port` says otherwise. */
export async function startVirusTotalEmulator(options: EmulatorOptions = {}): Promise<VirusTotalEmulator> {
  const now = options.now ?? Date.now;
  const apiKeys = new Set(options.apiKeys ?? [DEMO_API_KEY]);
  const enforceQuota = options.enforceQuota ?? true;
  const analysisPolls = options.analysisPolls ?? 2;
  if (!Number.isInteger(analysisPolls) || analysisPolls < 0) throw new RangeError(`analysisPolls must be an integer ≥ 0, got ${analysisPolls}`);
  const quota = new QuotaBook({
    perMinute: options.quota?.perMinute ?? PUBLIC_LIMITS.perMinute,
    perDay: options.quota?.perDay ?? PUBLIC_LIMITS.perDay,
    perMonth: options.quota?.perMonth ?? PUBLIC_LIMITS.perMonth,
    minuteMs: options.quota?.minuteMs ?? PUBLIC_LIMITS.minuteMs,
  });
  // Aborted by close(), so a URL visit in flight never outlives the emulator.
  const lifetime = new AbortController();
  const state = new EmulatorState({
    now,
    analysisPolls,
    analysisCompletesAfterMs: options.analysisCompletesAfterMs,
    knownFiles: options.knownFiles ?? true,
    visit: (url) => visitUrl(url, AbortSignal.any([lifetime.signal, AbortSignal.timeout(15_000)])),
  });
  const faults = new FaultQueue();
  const requests: EmulatorRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';
  let baseUrl = '';

  const delay = (ms: number): Promise<void> => new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });

  const answer = (res: ServerResponse, entry: EmulatorRequest, reply: Reply): void => {
    entry.status = reply.status;
    writeJson(res, reply);
  };

  /** Applies a fault that stops the request before VirusTotal would have processed it. */
  const applyUnprocessedFault = (res: ServerResponse, entry: EmulatorRequest, fault: Fault): void => {
    switch (fault.kind) {
      case 'status': {
        const status = fault.status ?? 503;
        entry.status = status;
        if (fault.body !== undefined) return writeText(res, status, 'text/plain', fault.body);
        const code = fault.code ?? defaultCodeFor(status);
        return writeJson(res, { status, body: errorBody(code, fault.message ?? `Injected ${code}`) });
      }
      case 'malformed-json':
        entry.status = fault.status ?? 200;
        return writeText(res, entry.status, 'application/json', '{"data": {<<garbage>> "id": ');
      case 'html':
        entry.status = fault.status ?? 502;
        return writeText(res, entry.status, 'text/html', proxyPage(entry.status));
      case 'hang':
        return; // No answer until the client gives up or close() destroys the socket.
      case 'reset':
        res.socket?.destroy();
        return;
      case 'latency':
      case 'truncated-json':
        throw new Error(`fault ${fault.kind} is processed normally`);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const header = req.headers['x-apikey'];
    const apiKey = (Array.isArray(header) ? header[0] : header) ?? null;
    const entry: EmulatorRequest = { method, path, apiKey, status: 0, at: now(), quotaCounted: false };
    requests.push(entry);

    if (apiKey === null || apiKey === '') {
      return answer(res, entry, errorReply(new ApiError(401, 'AuthenticationRequiredError', 'X-Apikey header is missing')));
    }
    if (!apiKeys.has(apiKey)) {
      return answer(res, entry, errorReply(new ApiError(401, 'WrongCredentialsError', 'Wrong API key')));
    }

    const fault = faults.take(method, path);
    if (fault !== null) {
      entry.fault = fault.kind;
      if (!faultIsProcessed(fault.kind)) return applyUnprocessedFault(res, entry, fault);
      if (fault.kind === 'latency') await delay(fault.ms ?? 1000);
    }

    // Checked when VirusTotal would process the request; a refused request is not counted.
    const over = enforceQuota ? quota.exceeded(apiKey, now()) : null;
    let reply: Reply;
    if (over !== null) {
      reply = errorReply(new ApiError(429, 'QuotaExceededError', quotaMessage(over, quota.limits)));
    } else {
      quota.spend(apiKey, now());
      entry.quotaCounted = true;
      try {
        reply = await dispatch(method, path, {
          req, apiKey, state, baseUrl, origin,
          quota: { limits: quota.limits, usage: (key) => quota.usage(key, now()) },
        });
      } catch (error) {
        if (!(error instanceof ApiError)) console.error('[virustotal-emulator]', error);
        reply = errorReply(error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error)));
      }
    }
    if (fault?.kind === 'truncated-json') {
      entry.status = reply.status;
      return writeText(res, reply.status, 'application/json', truncatedJson(JSON.stringify(reply.body)));
    }
    answer(res, entry, reply);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[virustotal-emulator]', error);
      if (!res.headersSent) writeJson(res, errorReply(new ApiError(500, 'InternalError', String(error))));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  baseUrl = `${origin}/api/v3`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      lifetime.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      // Keep-alive and hanging connections would keep server.close() waiting for ever.
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });
    return closing;
  };

  const defaultKey = [...apiKeys][0] ?? DEMO_API_KEY;
  return {
    baseUrl,
    origin,
    close,
    requests,
    addFile: (bytes, profile, names) => state.addFile(bytes, profile, names),
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
}
