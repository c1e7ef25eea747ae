/** Every scanning setting. Each change is saved at once; there is no separate Save for these. */
import { useEffect, useState } from 'preact/hooks';
import { t, uiLocale, type MessageKey } from '../../utils/i18n';
import type { DataOptIn } from '../../utils/permissions/data-collection';
import { requestDataConsent } from '../../utils/permissions/data-consent';
import { normalizeSitePattern } from '../../utils/permissions/host-pattern';
import { MAX_UPLOAD_BYTES, normalizeFileType, PUBLIC_QUOTA } from '../../utils/settings/storage-items';
import { displayText } from '../../utils/ui/format';
import { NumberField } from './NumberField';
import { ToggleField } from './ToggleField';
import { useSettings } from './use-settings';

const MB = 1024 * 1024;

/** "exe, .MSI  dmg" → ["exe", "msi", "dmg"], without repeats. */
export function parseFileTypes(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map(normalizeFileType).filter(Boolean))];
}

/** "https://*.Corp.example/*, intranet" → ["*.corp.example", "intranet"], without repeats or what is not a host. */
export function parseSitePatterns(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map(normalizeSitePattern).filter(Boolean))];
}

interface ListFieldProps {
  /** The input's id and test id. */
  id: string;
  label: MessageKey;
  help: MessageKey;
  placeholder: string;
  value: string[];
  parse: (text: string) => string[];
  onCommit: (items: string[]) => void;
}

/** A comma-separated list (file types, sites), saved when the field is left. */
function ListField({ id, label, help, placeholder, value, parse, onCommit }: ListFieldProps) {
  const joined = value.join(', ');
  const [draft, setDraft] = useState(joined);
  useEffect(() => setDraft(joined), [joined]);
  return (
    <div class="field">
      <label for={id}>{t(label)}</label>
      <input
        id={id}
        type="text"
        value={draft}
        placeholder={placeholder}
        spellcheck={false}
        aria-describedby={`${id}-help`}
        data-testid={id}
        onInput={(event) => setDraft(event.currentTarget.value)}
        onChange={(event) => onCommit(parse(event.currentTarget.value))}
      />
      <p id={`${id}-help`} class="field__help">
        {t(help)}
      </p>
    </div>
  );
}

/** How long "Saved." stays up after a change. */
const SAVED_NOTE_MS = 2_500;

export function SettingsForm() {
  const { settings, savedCount, error, update } = useSettings();
  const [showSaved, setShowSaved] = useState(false);
  /** The opt-in whose data consent Firefox's prompt was just refused for. */
  const [consentRefused, setConsentRefused] = useState<DataOptIn | null>(null);
  useEffect(() => {
    if (savedCount === 0) return undefined;
    setShowSaved(true);
    const id = setTimeout(() => setShowSaved(false), SAVED_NOTE_MS);
    return () => clearTimeout(id);
  }, [savedCount]);

  if (!settings) {
    return error ? <p class="error-text" role="alert">{t('settingsReadFailed', displayText(error, 300))}</p> : null;
  }
  const s = settings;

  /** Turns an opt-in that sends more to VirusTotal on only once the browser has the person's consent for it. */
  function toggleOptIn(key: DataOptIn, on: boolean): void {
    setConsentRefused(null);
    if (!on) {
      void update({ [key]: false });
      return;
    }
    // Straight from the click, before any await: Firefox prompts only while it handles the person's input.
    requestDataConsent(key).then(
      (granted) => (granted ? update({ [key]: true }) : setConsentRefused(key)),
      () => setConsentRefused(key),
    );
  }
  const refusedNote = (key: DataOptIn) =>
    consentRefused === key && (
      <p class="error-text" role="alert" data-testid="data-consent-refused">
        {t('dataConsentRefused')}
      </p>
    );
  const number = new Intl.NumberFormat(uiLocale());
  const custom = s.quotaPreset === 'custom';

  return (
    <div class="settings">
      {/* Always in the page (a live region must exist before it speaks); only visible while it holds text. */}
      <p class={error ? 'settings__status is-error' : 'settings__status'} role="status" data-testid="settings-status">
        {error ? t('settingsSaveFailed', displayText(error, 300)) : showSaved ? t('settingsSaved') : ''}
      </p>

      <section class="card" aria-labelledby="scanning-title">
        <h2 id="scanning-title">{t('sectionScanning')}</h2>
        <ToggleField
          label={t('settingAutoScan')}
          help={t('settingAutoScanHelp')}
          checked={s.autoScan}
          onToggle={(autoScan) => update({ autoScan })}
          testId="auto-scan"
        />
        <NumberField
          label={t('settingThreshold')}
          help={t('settingThresholdHelp')}
          value={s.detectionThreshold}
          min={1}
          max={1000}
          onCommit={(detectionThreshold) => update({ detectionThreshold })}
          testId="threshold"
        />
        <ListField
          id="excluded-types"
          label="settingExcludedTypes"
          help="settingExcludedTypesHelp"
          placeholder="iso, vmdk"
          value={s.excludedTypes}
          parse={parseFileTypes}
          onCommit={(excludedTypes) => update({ excludedTypes })}
        />
        <ListField
          id="excluded-sites"
          label="settingExcludedSites"
          help="settingExcludedSitesHelp"
          placeholder="intranet.example.com, *.corp.example"
          value={s.excludedSites}
          parse={parseSitePatterns}
          onCommit={(excludedSites) => update({ excludedSites })}
        />
        <NumberField
          label={t('settingMaxSize')}
          help={t('settingMaxSizeHelp')}
          value={Math.max(1, Math.round(s.maxFileSize / MB))}
          min={1}
          max={MAX_UPLOAD_BYTES / MB}
          unit="MB"
          onCommit={(mb) => update({ maxFileSize: mb * MB })}
          testId="max-size"
        />
        <ToggleField
          label={t('settingAutoDelete')}
          help={t('settingAutoDeleteHelp')}
          checked={s.autoDelete}
          onToggle={(autoDelete) => update({ autoDelete })}
          testId="auto-delete"
        />
        <NumberField
          label={t('settingAutoDeleteMin')}
          help={t('settingAutoDeleteMinHelp')}
          value={s.autoDeleteMinEngines}
          min={1}
          max={1000}
          disabled={!s.autoDelete}
          onCommit={(autoDeleteMinEngines) => update({ autoDeleteMinEngines })}
          testId="auto-delete-min"
        />
      </section>

      <section class="card" aria-labelledby="sharing-title">
        <h2 id="sharing-title">{t('sectionSharing')}</h2>
        <ToggleField
          label={t('settingUploadUnknown')}
          help={t('settingUploadUnknownHelp')}
          warning={t('uploadSharedWarning')}
          checked={s.uploadUnknown}
          onToggle={(on) => toggleOptIn('uploadUnknown', on)}
          testId="upload-unknown"
        />
        {refusedNote('uploadUnknown')}
        <ToggleField
          label={t('settingUploadDocuments')}
          help={t('settingUploadDocumentsHelp')}
          checked={s.uploadDocuments}
          disabled={!s.uploadUnknown}
          onToggle={(uploadDocuments) => update({ uploadDocuments })}
          testId="upload-documents"
        />
        <ToggleField
          label={t('settingUrlFallback')}
          help={t('settingUrlFallbackHelp')}
          warning={t('urlSharedWarning')}
          checked={s.urlFallback}
          onToggle={(on) => toggleOptIn('urlFallback', on)}
          testId="url-fallback"
        />
        {refusedNote('urlFallback')}
        <ToggleField
          label={t('settingKeepQuery')}
          help={t('settingKeepQueryHelp')}
          checked={s.keepUrlQuery}
          onToggle={(keepUrlQuery) => update({ keepUrlQuery })}
          testId="keep-query"
        />
        <ToggleField
          label={t('settingLinkCookies')}
          help={t('settingLinkCookiesHelp')}
          warning={t('linkCookiesWarning')}
          checked={s.linkCookies}
          onToggle={(linkCookies) => update({ linkCookies })}
          testId="link-cookies"
        />
        <ListField
          id="no-upload-sites"
          label="settingNoUploadSites"
          help="settingNoUploadSitesHelp"
          placeholder="intranet.example.com, *.corp.example"
          value={s.noUploadSites}
          parse={parseSitePatterns}
          onCommit={(noUploadSites) => update({ noUploadSites })}
        />
      </section>

      <section class="card" aria-labelledby="quota-title">
        <h2 id="quota-title">{t('sectionQuota')}</h2>
        <fieldset class="quota-preset">
          <legend>{t('settingQuotaPreset')}</legend>
          <div class="field field--toggle">
            <input
              id="quota-public"
              type="radio"
              name="quota-preset"
              checked={!custom}
              aria-describedby="quota-public-help"
              onChange={() => update({ quotaPreset: 'public' })}
            />
            <div class="field__text">
              <label for="quota-public">{t('quotaPublic')}</label>
              <p id="quota-public-help" class="field__help">
                {t('quotaPublicHelp', [PUBLIC_QUOTA.perMinute, PUBLIC_QUOTA.perDay, PUBLIC_QUOTA.perMonth].map((n) => number.format(n)))}
              </p>
            </div>
          </div>
          <div class="field field--toggle">
            <input
              id="quota-custom"
              type="radio"
              name="quota-preset"
              checked={custom}
              aria-describedby="quota-custom-help"
              onChange={() => update({ quotaPreset: 'custom', quota: s.quota })}
            />
            <div class="field__text">
              <label for="quota-custom">{t('quotaCustom')}</label>
              <p id="quota-custom-help" class="field__help">
                {t('quotaCustomHelp')}
              </p>
            </div>
          </div>
        </fieldset>
        <div class="quota-numbers">
          <NumberField
            label={t('quotaPerMinute')}
            help={t('quotaPerMinuteHelp')}
            value={s.quota.perMinute}
            min={1}
            max={1_000_000}
            disabled={!custom}
            onCommit={(perMinute) => update({ quota: { ...s.quota, perMinute } })}
            testId="quota-minute"
          />
          <NumberField
            label={t('quotaPerDay')}
            help={t('quotaPerDayHelp')}
            value={s.quota.perDay}
            min={1}
            max={100_000_000}
            disabled={!custom}
            onCommit={(perDay) => update({ quota: { ...s.quota, perDay } })}
            testId="quota-day"
          />
          <NumberField
            label={t('quotaPerMonth')}
            help={t('quotaPerMonthHelp')}
            value={s.quota.perMonth}
            min={1}
            max={1_000_000_000}
            disabled={!custom}
            onCommit={(perMonth) => update({ quota: { ...s.quota, perMonth } })}
            testId="quota-month"
          />
        </div>
      </section>

      <section class="card" aria-labelledby="history-settings-title">
        <h2 id="history-settings-title">{t('sectionHistorySettings')}</h2>
        <NumberField
          label={t('settingCacheHours')}
          help={t('settingCacheHoursHelp')}
          value={s.cacheHours}
          min={0}
          max={24 * 365}
          unit={t('unitHours')}
          onCommit={(cacheHours) => update({ cacheHours })}
          testId="cache-hours"
        />
        <NumberField
          label={t('settingHistoryLimit')}
          help={t('settingHistoryLimitHelp')}
          value={s.historyLimit}
          min={10}
          max={100_000}
          onCommit={(historyLimit) => update({ historyLimit })}
          testId="history-limit"
        />
        <ToggleField
          label={t('settingNotifications')}
          help={t('settingNotificationsHelp')}
          checked={s.notifications}
          onToggle={(notifications) => update({ notifications })}
          testId="notifications"
        />
        <ToggleField
          label={t('settingSecondLook')}
          help={t('settingSecondLookHelp')}
          checked={s.secondLook}
          onToggle={(secondLook) => update({ secondLook })}
          testId="second-look"
        />
        <NumberField
          label={t('settingSecondLookReserve')}
          help={t('settingSecondLookReserveHelp')}
          value={s.secondLookReserve}
          min={0}
          max={1_000_000}
          disabled={!s.secondLook}
          onCommit={(secondLookReserve) => update({ secondLookReserve })}
          testId="second-look-reserve"
        />
      </section>
    </div>
  );
}
