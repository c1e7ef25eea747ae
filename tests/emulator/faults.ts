/**
 * Injected faults: the ways a real network and VirusTotal's front end fail, queued by tests and
 * matched in order against incoming (authenticated) requests.
 */

/** How an injected fault breaks the answer. */
export type FaultKind = 'status' | 'malformed-json' | 'truncated-json' | 'html' | 'hang' | 'latency' | 'reset' | 'redirect';

/** One queued fault. */
export interface Fault {
  /** Which requests it hits; default any. `path` is tested against the URL path without the query. */
  match?: { method?: string; path?: RegExp };
  /** How many matching requests it hits; default 1 (Infinity for all). */
  times?: number;
  kind: FaultKind;
  /** For 'status' (default 503), 'html' (default 502) and 'redirect' (default 302). */
  status?: number;
  /** For 'redirect': where it points (default another origin on this machine, as a captive portal would). */
  location?: string;
  /** For 'status': the error code; default depends on the status (503 TransientError, ...). */
  code?: string;
  /** For 'status': the error message. */
  message?: string;
  /** For 'status': a raw body sent as text/plain instead of the JSON error (say, a bare "500"). */
  body?: string;
  /** For 'latency': delay before the real answer; default 1000. */
  ms?: number;
}

/**
 * Whether a fault lets the real handler run. Only those count against the quota: the others model a
 * proxy or network failing before VirusTotal processed anything ('status' included: a 503 from the
 * front end is not a served request), whereas 'latency' and 'truncated-json' deliver a real answer.
 */
export function faultIsProcessed(kind: FaultKind): boolean {
  return kind === 'latency' || kind === 'truncated-json';
}

const DEFAULT_CODES: Readonly<Record<number, string>> = {
  400: 'BadRequestError',
  401: 'WrongCredentialsError',
  403: 'ForbiddenError',
  404: 'NotFoundError',
  409: 'AlreadyExistsError',
  424: 'FailedDependencyError',
  429: 'QuotaExceededError',
  500: 'InternalError',
  503: 'TransientError',
  504: 'DeadlineExceededError',
};

/** The error code a 'status' fault sends when the test gave none. */
export function defaultCodeFor(status: number): string {
  return DEFAULT_CODES[status] ?? 'UnknownError';
}

/** A 502 page as nginx-style proxies send it. */
export function proxyPage(status: number): string {
  const title = status === 502 ? '502 Bad Gateway' : `${status} Error`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** The first half of a JSON text: a prefix that is never valid JSON on its own. */
export function truncatedJson(json: string): string {
  return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
}

/** Faults waiting for requests, in the order they were injected. */
export class FaultQueue {
  private queue: Array<{ fault: Fault; left: number }> = [];

  /** Queues `fault`. */
  add(fault: Fault): void {
    const left = fault.times ?? 1;
    if (!(left > 0)) throw new RangeError(`fault.times must be positive, got ${left}`);
    this.queue.push({ fault, left });
  }

  /** Drops every queued fault. */
  clear(): void {
    this.queue = [];
  }

  /** The first fault matching this request, using up one of its times. */
  take(method: string, path: string): Fault | null {
    const entry = this.queue.find(({ fault: { match } }) =>
      (match?.method === undefined || match.method.toUpperCase() === method) &&
      (match?.path === undefined || testRegExp(match.path, path)));
    if (entry === undefined) return null;
    entry.left -= 1;
    if (entry.left <= 0) this.queue = this.queue.filter((e) => e !== entry);
    return entry.fault;
  }
}

/** RegExp.test without the surprise of a `g`/`y` flag's lastIndex carrying over between requests. */
function testRegExp(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return re.test(text);
}
