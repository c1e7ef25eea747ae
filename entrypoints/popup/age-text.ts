/** "2 min ago" in the UI language. */
import { t } from '../../utils/i18n';
import { ageOf } from '../../utils/ui/format';

export function ageText(then: number, now: number, locale: string): string {
  const age = ageOf(then, now);
  if (age.unit === 'now') return t('ageNow');
  const count = new Intl.NumberFormat(locale).format(age.count);
  if (age.unit === 'minutes') return t('ageMinutes', count);
  if (age.unit === 'hours') return t('ageHours', count);
  return t('ageDays', count);
}
