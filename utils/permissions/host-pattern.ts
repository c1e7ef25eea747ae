/** Host permission pattern covering a URL's host, e.g. `https://www.virustotal.com/*` (match patterns take no port). */
export function hostPatternFor(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}

/**
 * A site pattern as the person writes it, tidied: `https://*.Corp.example/*` → `*.corp.example`,
 * `intranet:8080` → `intranet`. Empty when nothing usable is left.
 */
export function normalizeSitePattern(text: string): string {
  let host = text.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.split(/[/?#]/)[0] ?? '';
  host = host.replace(/^\[|\](?=:|$)/g, '').replace(/:\d*$/, '').replace(/\.+$/, '');
  return /^(\*\.)?[a-z0-9.-]+$|^\*$/.test(host) ? host : '';
}

/** The host of a web address, for a `blob:` one the host of the page that made it; '' when it has none. */
export function siteOf(url: string): string {
  try {
    const parsed = new URL(url.startsWith('blob:') ? url.slice(5) : url);
    return parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '').toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Whether `url`'s site matches one of `patterns`: `example.com` is that host only, `*.example.com` is it and
 * every subdomain (as in the browsers' match patterns), `*` is every site.
 */
export function matchesSite(url: string, patterns: readonly string[]): boolean {
  const host = siteOf(url);
  if (!host) return false;
  return patterns.some((pattern) => {
    if (pattern === '*') return true;
    if (!pattern.startsWith('*.')) return host === pattern;
    const domain = pattern.slice(2);
    return host === domain || host.endsWith(`.${domain}`);
  });
}
