/** Host permission pattern covering a URL's host, e.g. `https://www.virustotal.com/*` (match patterns take no port). */
export function hostPatternFor(url: string): string {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}
