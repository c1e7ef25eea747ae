/**
 * Where a person reads what ScanDock sends to VirusTotal, and when: the privacy notice shipped inside the
 * extension (PRIVACY.md, as `privacy.txt`). One constant, so the pages that link it change together.
 */
export const PRIVACY_DOC_PATH = '/privacy.txt';
