/** Verdicts from VirusTotal's stats (never from reputation or tags: EICAR has +3658 reputation). */
import type { AnalysisStats, Verdict } from './scan-record';

/**
 * The verdict and `detected` for a report. `detected` = malicious ≥ threshold; below that, any engine
 * saying malicious or suspicious makes it 'suspicious'. 'clean' needs at least one engine that looked
 * and found nothing: a report where none gave an opinion (all timed out, could not read the type, or
 * had not run yet) has no verdict, 'unknown'.
 */
export function verdictOf(stats: AnalysisStats, threshold: number): { verdict: Verdict; detected: boolean } {
  if (stats.malicious >= Math.max(1, threshold)) return { verdict: 'malicious', detected: true };
  if (stats.malicious > 0 || stats.suspicious > 0) return { verdict: 'suspicious', detected: false };
  if (enginesThatAnswered(stats) === 0) return { verdict: 'unknown', detected: false };
  return { verdict: 'clean', detected: false };
}

/** Engines that gave an opinion: the ratio's denominator ("65/72"). */
export function enginesThatAnswered(stats: AnalysisStats): number {
  return stats.malicious + stats.suspicious + stats.undetected + stats.harmless;
}

/** The person-facing report page for a file. */
export function fileReportUrl(sha256: string): string {
  return `https://www.virustotal.com/gui/file/${sha256}`;
}

/** The person-facing report page for an address, by VirusTotal's URL identifier (a SHA-256). */
export function addressReportUrl(urlId: string): string {
  return `https://www.virustotal.com/gui/url/${urlId}/detection`;
}
