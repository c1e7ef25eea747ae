/**
 * The extension's settings and key for the bench, written straight into chrome.storage.local. Only types
 * come from utils/settings: its module defines storage items, which need a browser to load.
 */
import { DEMO_API_KEY } from '../tests/emulator/virustotal-emulator';
import type { ExtensionBrowser } from '../tests/support/extension-browser';
import type { Settings } from '../utils/settings/storage-items';
import type { Probes } from './probes';

/** High enough that no figure of the main phases ever waits for the quota. */
export const UNLIMITED_QUOTA = { perMinute: 100_000, perDay: 1_000_000, perMonth: 10_000_000 } as const;

/** Settings for the main phases: the defaults (filled in by the extension), with a quota that never holds a figure back. */
export const BENCH_SETTINGS: Partial<Settings> = { quotaPreset: 'custom', quota: { ...UNLIMITED_QUOTA } };

/** A saved, accepted key and `settings` (missing keys take the extension's defaults). */
export async function configure(probes: Probes, ext: ExtensionBrowser, settings: Partial<Settings>): Promise<void> {
  await probes.call(await ext.getWorker(), 'setStorage', { apiKey: DEMO_API_KEY, keyStatus: 'valid', settings });
}
