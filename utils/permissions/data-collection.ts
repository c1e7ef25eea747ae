/**
 * What ScanDock sends to VirusTotal, in the taxonomy of Firefox's built-in data consent
 * (https://extensionworkshop.com/documentation/develop/firefox-builtin-data-consent/): declared in the manifest
 * (wxt.config.ts reads the lists below; this file stays free of browser APIs for that) and asked for
 * (data-consent.ts) when a person turns on an opt-in that sends more.
 *
 * - required `websiteActivity` ("actions such as saving and downloading"): the SHA-256 of every finished download
 *   goes to VirusTotal; that is what ScanDock is for, so it cannot be optional.
 * - optional `websiteContent` ("anything visible on a website … and request and response information"): the file
 *   itself, uploaded when VirusTotal has never seen it (`uploadUnknown`, and `uploadDocuments` under it).
 * - optional `browsingActivity` ("specific URLs"): a download's address sent for VirusTotal to fetch (`urlFallback`).
 *
 * A person's own click on "Check this address on VirusTotal", "Submit to VirusTotal" or "Upload to VirusTotal"
 * sends that one address or file because they asked for it (Mozilla's implicit consent for these types).
 */
import type { Settings } from '../settings/storage-items';

/** The data types of Mozilla's taxonomy that ScanDock sends. */
export type DataCollection = 'websiteActivity' | 'websiteContent' | 'browsingActivity';

/** Sent whatever the settings: the hash of each download. */
export const REQUIRED_DATA_COLLECTION: readonly DataCollection[] = ['websiteActivity'];

/** Each opt-in setting that sends more, with the data type it sends. */
export const OPT_IN_DATA_COLLECTION = {
  uploadUnknown: 'websiteContent',
  urlFallback: 'browsingActivity',
} as const satisfies Partial<Record<keyof Settings, DataCollection>>;

/** The settings that need a data consent before they may be turned on. */
export type DataOptIn = keyof typeof OPT_IN_DATA_COLLECTION;

/** Asked for when an opt-in is turned on; none is granted at install. */
export const OPTIONAL_DATA_COLLECTION: readonly DataCollection[] = [...new Set(Object.values(OPT_IN_DATA_COLLECTION))];

/** The settings whose data type is among `withdrawn`: what to turn off once the person withdrew those. */
export function optInsNeeding(withdrawn: readonly string[]): DataOptIn[] {
  return (Object.keys(OPT_IN_DATA_COLLECTION) as DataOptIn[]).filter((key) => withdrawn.includes(OPT_IN_DATA_COLLECTION[key]));
}

/** The opt-ins that are on without the browser's consent for their data type (`granted`): to turn off. */
export function optInsWithoutConsent(settings: Pick<Settings, DataOptIn>, granted: readonly string[]): DataOptIn[] {
  return (Object.keys(OPT_IN_DATA_COLLECTION) as DataOptIn[]).filter((key) => settings[key] && !granted.includes(OPT_IN_DATA_COLLECTION[key]));
}
