/**
 * How a scan ends with a verdict, whether the engines judged a file or the URL scanners an address: one
 * place for what every finished record says (no error or notice left, the cache bypass spent, and unseen
 * only when the verdict is one to look at).
 */
import type { Settings } from '../../settings/storage-items';
import type { AnalysisStats, ScanRecord, VerdictFor } from '../scan-record';
import type { RecordPatch } from '../scan-store';
import { verdictOf } from '../verdict';

/** A finished record's verdict from the scanners' stats and table. */
export function finishWithVerdict(verdictFor: VerdictFor, stats: AnalysisStats, detail: ScanRecord['detail'], settings: Settings): RecordPatch {
  const { verdict, detected } = verdictOf(stats, settings.detectionThreshold);
  return {
    status: 'done',
    step: 'finished',
    verdict,
    verdictFor,
    detected,
    stats,
    detail,
    error: null,
    notice: null,
    bypassCache: false,
    seen: verdict !== 'malicious' && verdict !== 'suspicious',
  };
}

/** VirusTotal has never seen the file or the address, and it is not to be sent. */
export function finishUnseen(verdictFor: VerdictFor): RecordPatch {
  return {
    status: 'done', step: 'finished', verdict: 'unknown', verdictFor, detected: false, stats: null, detail: [], reportUrl: null,
    threatLabel: null, error: null, notice: null, bypassCache: false, fromCache: false, seen: true,
  };
}
