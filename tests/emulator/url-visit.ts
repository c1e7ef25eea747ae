/**
 * How the emulator "visits" a submitted URL: a fetch (the global one, or the simulation's network), but only
 * of this machine. Tests must never reach the internet, so any other host is treated as unreachable,
 * including as a redirect target.
 */

/** What the visit found: the last HTTP answer and its body, or nothing if the host was unreachable. */
export type VisitOutcome =
  | { reached: true; status: number; finalUrl: string; body: Uint8Array }
  | { reached: false; finalUrl: string; reason: string };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);
const MAX_REDIRECTS = 5;
/** VirusTotal's own upload limit; a bigger body counts as a failed visit. */
const MAX_BODY_BYTES = 650 * 1024 * 1024;

/** True for the hosts the emulator may fetch. */
export function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'http:' || protocol === 'https:') && LOOPBACK_HOSTS.has(hostname);
  } catch {
    return false;
  }
}

/** Fetches `url` with `fetchImpl` like a scanner would, following redirects by hand so each hop is checked. */
export async function visitUrl(url: string, signal: AbortSignal, fetchImpl: typeof fetch): Promise<VisitOutcome> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    if (!isLoopbackUrl(current)) return { reached: false, finalUrl: current, reason: 'host outside this machine' };
    let response: Response;
    try {
      response = await fetchImpl(current, { redirect: 'manual', signal });
    } catch (error) {
      return { reached: false, finalUrl: current, reason: String(error) };
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      current = new URL(location, current).href;
      continue;
    }
    const body = await readCapped(response, signal);
    if (body === null) return { reached: false, finalUrl: current, reason: 'body unreadable or too large' };
    return { reached: true, status: response.status, finalUrl: current, body };
  }
  return { reached: false, finalUrl: current, reason: 'too many redirects' };
}

async function readCapped(response: Response, signal: AbortSignal): Promise<Uint8Array | null> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      if (signal.aborted) return null;
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return Buffer.concat(chunks, size);
}
