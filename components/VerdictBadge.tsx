/** The verdict as a coloured word: malicious red, suspicious amber, clean green, unknown grey. */
import { t } from '../utils/i18n';
import type { Verdict } from '../utils/scan/scan-record';
import { VERDICT_LABEL } from '../utils/ui/labels';

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  return (
    <span class={`verdict verdict--${verdict}`} data-testid="verdict">
      {t(VERDICT_LABEL[verdict])}
    </span>
  );
}
