/**
 * The URL scanners behind a URL report. VirusTotal's URL stats have five keys, not the eight of a file
 * (no type-unsupported, confirmed-timeout or failure), so a parser that demands eight for URLs is wrong.
 */

/** One scanner's verdict in a URL analysis. */
export interface UrlScannerResult {
  category: 'harmless' | 'undetected' | 'malicious';
  engine_name: string;
  method: 'blacklist';
  result: 'clean' | 'unrated' | 'malware' | 'malicious';
}

/** A URL's `last_analysis_stats`: five keys. */
export interface UrlScanStats {
  malicious: number;
  suspicious: number;
  undetected: number;
  harmless: number;
  timeout: number;
}

/** Results keyed by scanner plus the stats counted from them. */
export interface UrlScan {
  results: Record<string, UrlScannerResult>;
  stats: UrlScanStats;
}

// [name, usual verdict]. The last few flag the URL when the content behind it is malware.
const SCANNERS: ReadonlyArray<readonly [string, 'harmless' | 'undetected']> = [
  ['Abusix', 'harmless'], ['Acronis', 'harmless'], ['ADMINUSLabs', 'harmless'], ['AlienVault', 'harmless'],
  ['alphaMountain.ai', 'harmless'], ['Artists Against 419', 'harmless'], ['Bfore.Ai PreCrime', 'undetected'],
  ['BitDefender', 'harmless'], ['Certego', 'harmless'], ['Cyble', 'harmless'], ['CyRadar', 'harmless'],
  ['Emsisoft', 'harmless'], ['Forcepoint ThreatSeeker', 'harmless'], ['G-Data', 'harmless'],
  ['Google Safebrowsing', 'harmless'], ['Netcraft', 'undetected'], ['OpenPhish', 'harmless'],
  ['Phishtank', 'harmless'], ['Quttera', 'harmless'], ['Sophos', 'harmless'], ['Trustwave', 'harmless'],
  ['Webroot', 'harmless'], ['ESET', 'harmless'], ['Fortinet', 'harmless'], ['Kaspersky', 'undetected'],
  ['URLhaus', 'harmless'],
];
const FLAGGING = 4;

/** How many scanners a URL analysis has. */
export const URL_SCANNER_COUNT = SCANNERS.length;

/** The URL scan: mostly harmless; the last scanners say malicious when `contentIsMalware`. */
export function buildUrlScan(contentIsMalware: boolean, fraction = 1): UrlScan {
  const count = Math.max(0, Math.min(SCANNERS.length, Math.floor(SCANNERS.length * fraction)));
  const results: Record<string, UrlScannerResult> = {};
  SCANNERS.slice(0, count).forEach(([name, usual], i) => {
    const flags = contentIsMalware && i >= SCANNERS.length - FLAGGING;
    results[name] = flags
      ? { category: 'malicious', engine_name: name, method: 'blacklist', result: i % 2 ? 'malware' : 'malicious' }
      : { category: usual, engine_name: name, method: 'blacklist', result: usual === 'harmless' ? 'clean' : 'unrated' };
  });
  const stats = emptyUrlStats();
  for (const r of Object.values(results)) stats[r.category] += 1;
  return { results, stats };
}

/** The five URL stat keys at zero (an analysis still queued). */
export function emptyUrlStats(): UrlScanStats {
  return { malicious: 0, suspicious: 0, undetected: 0, harmless: 0, timeout: 0 };
}
