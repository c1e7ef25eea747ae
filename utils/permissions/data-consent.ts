/**
 * Asking Firefox for the optional data consent an opt-in needs (the types are in data-collection.ts), and
 * noticing when the person withdraws it in about:addons.
 */
import { browser } from 'wxt/browser';
import { platform } from '../platform/browser-platform';
import { OPT_IN_DATA_COLLECTION, type DataCollection, type DataOptIn } from './data-collection';

/** `permissions.request`/`onRemoved` as Firefox 140+ has them (webextension-polyfill's types predate `data_collection`). */
interface DataPermissions {
  request(permissions: { data_collection: DataCollection[] }): Promise<boolean>;
  getAll(): Promise<{ data_collection?: string[] }>;
  onRemoved: { addListener(listener: (removed: { data_collection?: string[] }) => void): void };
}

const dataPermissions = () => browser.permissions as unknown as DataPermissions;

/**
 * Asks for the data consent `optIn` needs; resolves true when granted, or where the browser has no such consent
 * (Chrome: the store listing's disclosure covers it). Call it straight from the click, before any `await`:
 * Firefox shows its prompt only while it handles the person's input.
 */
export function requestDataConsent(optIn: DataOptIn): Promise<boolean> {
  if (!platform.dataConsent) return Promise.resolve(true);
  return dataPermissions().request({ data_collection: [OPT_IN_DATA_COLLECTION[optIn]] });
}

/** Calls `onWithdrawn` with the data types the person withdrew (Firefox's about:addons → Permissions and data). */
export function watchDataConsentWithdrawn(onWithdrawn: (types: string[]) => void): void {
  if (!platform.dataConsent) return;
  dataPermissions().onRemoved.addListener((removed) => {
    if (removed.data_collection?.length) onWithdrawn(removed.data_collection);
  });
}

/** The data types the person consented to; null where the browser has no data consent (Chrome, or before Firefox 140). */
export async function grantedDataCollection(): Promise<string[] | null> {
  if (!platform.dataConsent) return null;
  return (await dataPermissions().getAll()).data_collection ?? null;
}
