/** VirusTotal requests used of those allowed per minute, day and month, and when the next one may go. */
import { t, type MessageKey } from '../utils/i18n';
import type { QuotaUsage, QuotaWindow } from '../utils/quota/quota-math';
import { waitUntil } from '../utils/ui/format';
import { useNow } from './use-now';

const WINDOW_LABEL = { minute: 'quotaMinute', day: 'quotaDay', month: 'quotaMonth' } as const satisfies Record<
  string,
  MessageKey
>;

const HELD_MESSAGE: Record<QuotaWindow, MessageKey> = {
  minute: 'quotaHeldMinute',
  hour: 'quotaHeldHour',
  'rate-limited': 'quotaHeldRateLimited',
  day: 'quotaHeldDay',
  month: 'quotaHeldMonth',
};

const WAIT_UNIT: Record<ReturnType<typeof waitUntil>['unit'], MessageKey> = {
  seconds: 'waitSeconds',
  minutes: 'waitMinutes',
  hours: 'waitHours',
};

/** "in 42 s" style text for a wait until `at`. */
export function waitText(at: number, now: number, locale: string): string {
  const wait = waitUntil(at, now);
  return t(WAIT_UNIT[wait.unit], new Intl.NumberFormat(locale).format(wait.count));
}

interface QuotaMeterProps {
  /** Null until the background answers (or when it cannot). */
  usage: QuotaUsage | null;
  locale: string;
}

export function QuotaMeter({ usage, locale }: QuotaMeterProps) {
  // Tick every second only while a wait is counting down.
  const now = useNow(1_000, Boolean(usage?.heldBy));
  const number = new Intl.NumberFormat(locale);
  return (
    <section class="quota-meter" data-testid="quota" aria-labelledby="quota-title">
      <h2 id="quota-title" class="sr-only">
        {t('quotaTitle')}
      </h2>
      {usage ? (
        <dl class="quota">
          {(['minute', 'day', 'month'] as const).map((name) => {
            const { used, allowed } = usage[name];
            const share = allowed > 0 ? Math.min(1, used / allowed) : 1;
            return (
              <div class="quota__window" key={name} data-window={name} data-used={used} data-allowed={allowed}>
                <dt>{t(WINDOW_LABEL[name])}</dt>
                <dd>
                  {t('quotaUsedOf', [number.format(used), number.format(allowed)])}
                  <span class="quota__bar" aria-hidden="true">
                    <span class={share >= 1 ? 'quota__fill is-full' : 'quota__fill'} style={{ width: `${share * 100}%` }} />
                  </span>
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p class="muted">{t('quotaUnavailable')}</p>
      )}
      {usage?.sharedKey && (
        <p class="quota__shared" role="note" data-testid="quota-shared-key">
          {t('quotaSharedKey')}
        </p>
      )}
      {usage?.heldBy && usage.nextAt !== null && (
        <p class="quota__held" data-testid="quota-held" data-held-by={usage.heldBy}>
          {t(HELD_MESSAGE[usage.heldBy], waitText(usage.nextAt, now, locale))}
        </p>
      )}
    </section>
  );
}
