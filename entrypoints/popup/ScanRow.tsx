/**
 * One scan in the list: a button that shows name, origin, status, verdict, ratio and age, and expands
 * to the details. The `data-*` attributes are the hooks end-to-end tests read.
 */
import { memo } from 'preact/compat';
import { useState } from 'preact/hooks';
import { VerdictBadge } from '../../components/VerdictBadge';
import { t } from '../../utils/i18n';
import { renderProblem } from '../../utils/problems/render-problem';
import { isPrivateScan, type ScanRecord } from '../../utils/scan/scan-record';
import { detectionRatio, displayFileName, displayText, hostOf, splitTail } from '../../utils/ui/format';
import { SOURCE_LABEL, STATUS_LABEL } from '../../utils/ui/labels';
import { ageText } from './age-text';
import { ScanDetails } from './ScanDetails';
import { ScanRemedy } from './ScanRemedy';

interface ScanRowProps {
  record: ScanRecord;
  now: number;
  locale: string;
  onChanged: () => void;
}

function sourceText(record: ScanRecord): string {
  const kind = t(SOURCE_LABEL[record.source.kind]);
  const host = record.source.kind === 'file' || record.source.kind === 'address' ? '' : hostOf(record.source.url);
  return host ? `${kind} · ${host}` : kind;
}

/**
 * Between the facts of the meta line: a dot to see, a comma to hear (without it a screen reader runs the
 * words together: "Errorjust now").
 */
function Separator() {
  return (
    <>
      <span aria-hidden="true"> · </span>
      <span class="sr-only">, </span>
    </>
  );
}

/** Memoised: a list update renders again only the rows whose record (or the clock) changed. */
export const ScanRow = memo(function ScanRow({ record, now, locale, onChanged }: ScanRowProps) {
  const [open, setOpen] = useState(false);
  const { token, status, verdict } = record;
  const name = displayFileName(record.fileName);
  const [nameHead, nameTail] = splitTail(name.text || t('unnamedFile'));
  // Only a verdict's own figures: the URL fallback keeps the address's stats on the record while it looks the file up.
  const ratio = verdict ? detectionRatio(record.stats) : null;
  const waiting = status === 'ready' || status === 'progress';
  // The sentences come from _locales; a host or an identifier in them may come from a server, so clean it up once more.
  const notice = waiting && record.notice ? displayText(renderProblem('notice', record.notice, t, locale), 400) : null;
  const error = status === 'error' ? displayText(renderProblem('error', record.error, t, locale), 400) : null;
  const detailsId = `details-${token}`;
  const messageId = `message-${token}`;

  return (
    <li
      class={`scan scan--${status}${verdict ? ` scan--${verdict}` : ''}`}
      data-token={token}
      data-status={status}
      data-verdict={verdict ?? ''}
      data-verdict-for={record.verdictFor ?? ''}
      data-private={isPrivateScan(record) ? 'true' : undefined}
    >
      <button
        type="button"
        class="scan__summary"
        aria-expanded={open}
        aria-controls={open ? detailsId : undefined}
        aria-describedby={notice || error ? messageId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <span class="scan__name" title={name.title} dir="auto">
          {/* Laid out as head + tail so a long name keeps its end (the extension) in sight; read as one word. */}
          <span class="sr-only">{name.text || t('unnamedFile')}</span>
          <span class="scan__name-head" aria-hidden="true">{nameHead}</span>
          <span class="scan__name-tail" aria-hidden="true">{nameTail}</span>
        </span>
        <span class="scan__outcome">
          {verdict && <VerdictBadge verdict={verdict} />}
          {verdict && record.verdictFor === 'address' && (
            <span class="scan__basis" data-testid="verdict-for-address" title={t('verdictForAddressLabel')}>
              <span aria-hidden="true">{t('verdictForAddressTag')}</span>
              <span class="sr-only">{t('verdictForAddressLabel')}</span>
            </span>
          )}
          {ratio && (
            <span class="scan__ratio" data-testid="ratio" title={t('ratioTitle', [String(ratio.malicious), String(ratio.total)])}>
              {`${ratio.malicious}/${ratio.total}`}
            </span>
          )}
          {ratio && ratio.suspicious > 0 && (
            <span class="scan__suspicious" data-testid="suspicious">{t('ratioSuspicious', String(ratio.suspicious))}</span>
          )}
          {record.secondLook?.ended === 'worse' && (
            <span class="scan__later" data-testid="detected-later">{t('rowDetectedLater')}</span>
          )}
        </span>
        <span class="scan__meta">
          <span class="scan__source">{sourceText(record)}</span>
          {isPrivateScan(record) && (
            <>
              <Separator />
              <span class="scan__private" data-testid="private-window" title={t('privateWindowHint')}>
                {t('privateWindowTag')}
              </span>
            </>
          )}
          <Separator />
          <span class="scan__status" data-testid="status">
            {waiting && <span class="spinner" aria-hidden="true" />}
            {t(STATUS_LABEL[status])}
          </span>
          <Separator />
          <time dateTime={new Date(record.createdAt).toISOString()} title={new Date(record.createdAt).toLocaleString(locale)}>
            {ageText(record.createdAt, now, locale)}
          </time>
          {status === 'done' && record.fromCache && record.reportFetchedAt !== null && (
            <>
              <Separator />
              <span class="scan__history" data-testid="from-history">{t('rowFromHistory', ageText(record.reportFetchedAt, now, locale))}</span>
            </>
          )}
        </span>
        <span class="scan__chevron" aria-hidden="true" />
      </button>
      {notice && (
        <p class="scan__notice" id={messageId} data-testid="notice">
          {notice}
        </p>
      )}
      {error && (
        <p class="scan__error" id={messageId} data-testid="error">
          {error}
        </p>
      )}
      {status === 'error' && <ScanRemedy error={record.error} />}
      {open && <ScanDetails id={detailsId} record={record} locale={locale} onChanged={onChanged} />}
    </li>
  );
});
