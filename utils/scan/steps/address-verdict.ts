/** What VirusTotal's URL scanners make of a record: the verdict on an address, not on a file. */
import type { Settings } from '../../settings/storage-items';
import type { UrlReport } from '../../virustotal/virustotal-reports';
import type { AnalysisStats } from '../scan-record';
import type { RecordPatch } from '../scan-store';
import { addressReportUrl, enginesThatAnswered } from '../verdict';
import { finishUnseen, finishWithVerdict } from './finish';

/** The part of a URL report (or of a completed URL analysis) an address verdict is made from. */
export type AddressReport = Pick<UrlReport, 'id' | 'stats' | 'detail' | 'analysedAt'> & Partial<Pick<UrlReport, 'firstSeenAt'>>;

/** True when the URL scanners gave an opinion on the address (a report whose stats are all zero has none). */
export function hasAddressVerdict(report: Pick<UrlReport, 'stats'> | null): report is { stats: AnalysisStats } {
  return !!report?.stats && enginesThatAnswered(report.stats) > 0;
}

/** The record's address verdict from the URL scanners' report, fetched at `fetchedAt`. */
export function finishFromAddress(report: AddressReport & { stats: AnalysisStats }, settings: Settings, fetchedAt: number): RecordPatch {
  return {
    ...finishWithVerdict('address', report.stats, report.detail, settings),
    threatLabel: null,
    analysedAt: report.analysedAt ?? fetchedAt,
    firstSeenAt: report.firstSeenAt ?? null,
    reportFetchedAt: fetchedAt,
    reportUrl: report.id ? addressReportUrl(report.id) : null,
    fromCache: false,
  };
}

/** VirusTotal has never seen the address, and it is not to be submitted. */
export function finishAddressUnknown(): RecordPatch {
  return finishUnseen('address');
}
