import { t } from '../i18n';

/**
 * Where a person reads what ScanDock sends to VirusTotal, and when: the privacy policy shipped inside the
 * extension (PRIVACY.md as `privacy.txt`, PRIVACY.ko.md as `privacy.ko.txt`), in the UI's language. One place, so
 * the pages that link it change together.
 */
export const privacyDocPath = (): string => `/${t('privacyPolicyFile')}`;
