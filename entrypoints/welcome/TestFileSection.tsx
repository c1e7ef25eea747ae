/**
 * The first-run page's finish: the person downloads the EICAR test file, ScanDock scans it as any download (one
 * lookup), and its verdict arrives here. Offered once a key is saved: without one a download is not scanned.
 */
import { useState } from 'preact/hooks';
import { VerdictBadge } from '../../components/VerdictBadge';
import { t, uiLocale } from '../../utils/i18n';
import { renderProblem } from '../../utils/problems/render-problem';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { detectionRatio } from '../../utils/ui/format';
import { TEST_FILE_NAME, testFileUrl } from './test-file';
import { useTestScan } from './use-test-scan';

/** What the page says of the test file's scan so far. */
function resultText(record: ScanRecord | null): string {
  if (!record) return t('welcomeTestWaiting');
  if (record.status === 'error') return renderProblem('error', record.error, t, uiLocale());
  if (record.status !== 'done') return record.notice ? renderProblem('notice', record.notice, t, uiLocale()) : t('welcomeTestWaiting');
  const ratio = detectionRatio(record.stats);
  if (record.verdict === 'malicious' && ratio) return t('welcomeTestWorks', [String(ratio.malicious), String(ratio.total)]);
  return t('welcomeTestUnexpected');
}

export function TestFileSection({ ready }: { ready: boolean }) {
  const [since, setSince] = useState<number | null>(null);
  const record = useTestScan(since);
  return (
    <section class="card" aria-labelledby="test-file-title" data-testid="test-file">
      <h2 id="test-file-title">{t('welcomeTestTitle')}</h2>
      <p>{t('welcomeTestHelp')}</p>
      {ready ? (
        <div>
          <a class="button primary" href={testFileUrl()} download={TEST_FILE_NAME} data-testid="test-file-download" onClick={() => setSince(Date.now())}>
            {t('welcomeTestButton')}
          </a>
        </div>
      ) : (
        <p class="field__help" data-testid="test-file-needs-key">
          {t('welcomeTestNeedsKey')}
        </p>
      )}
      <div role="status" class="test-file__result" data-testid="test-result" data-status={record?.status} data-verdict={record?.verdict ?? undefined}>
        {since !== null && (
          <>
            {record?.verdict && <VerdictBadge verdict={record.verdict} />} <span>{resultText(record)}</span>
          </>
        )}
      </div>
      {record?.status === 'done' && <p data-testid="welcome-done">{t('welcomeDone')}</p>}
    </section>
  );
}
