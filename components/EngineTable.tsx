/** Every engine's report on a file (or URL scanner's on an address), detections first. Labels come from the engines: shown as text only. */
import { useMemo } from 'preact/hooks';
import { t } from '../utils/i18n';
import type { EngineDetail } from '../utils/scan/scan-record';
import { sortEngines } from '../utils/ui/engine-order';
import { displayText } from '../utils/ui/format';
import { CATEGORY_LABEL } from '../utils/ui/labels';

/** The category as a word; a value VirusTotal may add later is shown as it came. */
function categoryText(category: string): string {
  return Object.hasOwn(CATEGORY_LABEL, category)
    ? t(CATEGORY_LABEL[category as keyof typeof CATEGORY_LABEL])
    : displayText(category, 30);
}

function rowClass(engine: EngineDetail): string | undefined {
  if (engine.scanDetected || engine.category === 'malicious') return 'is-detection';
  if (engine.category === 'suspicious') return 'is-suspicious';
  return undefined;
}

/** `scanners`: the reports are VirusTotal's URL scanners on an address, not antivirus engines on a file. */
export function EngineTable({ detail, scanners = false }: { detail: readonly EngineDetail[]; scanners?: boolean }) {
  const engines = useMemo(() => sortEngines(detail), [detail]);
  return (
    <table class="engines" data-testid="engines">
      <caption>{t(scanners ? 'scannersCaption' : 'enginesCaption', String(engines.length))}</caption>
      <colgroup>
        <col class="engines__vendor" />
        <col class="engines__version" />
        <col class="engines__category" />
        <col class="engines__result" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t('engineVendor')}</th>
          <th scope="col">{t('engineVersion')}</th>
          <th scope="col">{t('engineCategory')}</th>
          <th scope="col">{t('engineResult')}</th>
        </tr>
      </thead>
      <tbody>
        {engines.map((engine, i) => (
          <tr key={`${engine.vendorName}-${i}`} class={rowClass(engine)} data-category={engine.category}>
            <th scope="row">{displayText(engine.vendorName, 60)}</th>
            <td class="engines__version-cell">{displayText(engine.vendorVersion, 40)}</td>
            <td>{categoryText(engine.category)}</td>
            <td>{engine.result ? displayText(engine.result, 120) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
