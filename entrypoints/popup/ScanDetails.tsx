/** The expanded part of a row: the facts of the file, the engines' reports, the report link and actions. */
import { EngineTable } from '../../components/EngineTable';
import { t } from '../../utils/i18n';
import { renderProblem } from '../../utils/problems/render-problem';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { cleanText, displayText, formatBytes, safeHttpUrl } from '../../utils/ui/format';
import { browserDangerLabel, VERDICT_LABEL } from '../../utils/ui/labels';
import { verdictChange, type VerdictSide } from '../../utils/ui/verdict-change';
import { ScanActions } from './ScanActions';
import { answerText, newToVirusTotalText, oldAnalysisText, secondLookText } from './verdict-age';

interface ScanDetailsProps {
  id: string;
  record: ScanRecord;
  locale: string;
  onChanged: () => void;
}

function Fact({ label, children, mono, testId }: { label: string; children: preact.ComponentChildren; mono?: boolean; testId?: string }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd class={mono ? 'mono' : undefined} data-testid={testId}>{children}</dd>
    </div>
  );
}

/** What the verdict is about, in words: the file, the address checked, or the address instead of the file. */
function verdictOnText(record: ScanRecord): string | null {
  if (record.verdictFor === 'file') return t('verdictOnFile');
  if (record.verdictFor === 'address') return t(record.source.kind === 'address' ? 'verdictOnAddress' : 'verdictOnAddressFallback');
  return null;
}

/** "Malicious (7/72)". */
function sideText(side: VerdictSide): string {
  return side.ratio ? t('verdictWithRatio', [t(VERDICT_LABEL[side.verdict]), side.ratio]) : t(VERDICT_LABEL[side.verdict]);
}

export function ScanDetails({ id, record, locale, onChanged }: ScanDetailsProps) {
  const reportUrl = safeHttpUrl(record.reportUrl);
  const onAddress = record.verdictFor === 'address';
  const verdictOn = record.status === 'done' ? verdictOnText(record) : null;
  const sourceUrl = record.source.kind === 'file' ? null : record.source.url;
  const danger = record.browserDanger;
  const dangerKey = danger ? browserDangerLabel(danger) : null;
  const change = verdictChange(record);
  const now = Date.now();
  const answer = record.status === 'done' ? answerText(record, now, locale) : null;
  const newToVirusTotal = newToVirusTotalText(record, now, locale);
  const oldAnalysis = oldAnalysisText(record, now, locale);
  const secondLook = secondLookText(record, locale);

  return (
    <div class="scan__details" id={id}>
      <dl class="facts">
        {change && (
          <Fact label={t('factLookAgain')} testId="verdict-change">
            {change.changed ? t('verdictChanged', [sideText(change.before), sideText(change.now)]) : t('verdictUnchanged', sideText(change.now))}
          </Fact>
        )}
        {verdictOn && (
          <Fact label={t('factVerdictFor')}>
            <span data-testid="verdict-for">{verdictOn}</span>
          </Fact>
        )}
        {record.source.kind !== 'address' && <Fact label={t('factFileName')}>{cleanText(record.fileName) || t('unnamedFile')}</Fact>}
        {sourceUrl && <Fact label={t('factAddress')}>{displayText(sourceUrl, 300)}</Fact>}
        {record.source.kind !== 'address' && (
          <Fact label={t('factSha256')} mono>
            {record.sha256 ?? t('notYetKnown')}
          </Fact>
        )}
        {record.size !== null && <Fact label={t('factSize')}>{formatBytes(record.size, locale)}</Fact>}
        {record.readFrom && (
          <Fact label={t('factReadFrom')} testId="read-from">
            {t(record.readFrom === 'disk' ? 'readFromDisk' : 'readFromNetwork')}
            {record.readNote && (
              <span class="fact__note muted" data-testid="read-note">
                {displayText(renderProblem('error', record.readNote, t, locale), 400)}
              </span>
            )}
          </Fact>
        )}
        {danger && <Fact label={t('factBrowserDanger')}>{t(dangerKey!)}</Fact>}
        {record.threatLabel && <Fact label={t('factThreatLabel')}>{displayText(record.threatLabel, 120)}</Fact>}
        {record.analysedAt !== null && (
          <Fact label={t('factAnalysedAt')} testId="analysed-at">
            {new Date(record.analysedAt).toLocaleString(locale)}
            {record.fromCache && ` · ${t('fromCacheNote')}`}
            {oldAnalysis && <span class="fact__note fact__warning" data-testid="old-analysis">{oldAnalysis}</span>}
          </Fact>
        )}
        {answer && (
          <Fact label={t('factAnswer')} testId="answer">
            {answer}
          </Fact>
        )}
        {record.firstSeenAt !== null && (
          <Fact label={t('factFirstSeen')} testId="first-seen">
            {newToVirusTotal ? <span class="fact__warning" data-testid="new-to-virustotal">{newToVirusTotal}</span> : new Date(record.firstSeenAt).toLocaleString(locale)}
          </Fact>
        )}
        {secondLook && (
          <Fact label={t('factSecondLook')} testId="second-look">
            {secondLook}
          </Fact>
        )}
      </dl>
      {reportUrl && (
        <p>
          <a href={reportUrl} target="_blank" rel="noreferrer" data-testid="report-link">
            {t(onAddress ? 'openAddressReport' : 'openReport')}
          </a>
        </p>
      )}
      <ScanActions record={record} onChanged={onChanged} />
      {record.detail.length > 0 ? (
        <EngineTable detail={record.detail} scanners={onAddress} />
      ) : (
        record.status === 'done' && <p class="muted">{t('noEngineReports')}</p>
      )}
    </div>
  );
}
