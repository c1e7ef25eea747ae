/** Small helpers shared by the engine's fault, kill and bad-input tests (over the engine harness). */
import { parseQuotaState } from '@/utils/quota/quota-math';
import type { NewScan, ScanEngineDeps } from '@/utils/scan/scan-engine';
import { quotaStateItem, type Settings } from '@/utils/settings/storage-items';
import type { Harness } from './engine-harness';
import { inEnglish } from './locale-messages';

/** A request timeout shorter than the engine's 30 s (virtual time: only the timeline reads better). */
export const TIMEOUT_MS = 300;
/** Quotas that never hold a test up, for tests that are not about quotas (ScanDock's and the emulator's). */
export const ROOMY: Partial<Settings> = { quotaPreset: 'custom', quota: { perMinute: 1000, perDay: 10_000, perMonth: 100_000 } };
export const ROOMY_VT = { perMinute: 1000, perDay: 10_000, perMonth: 100_000 };

let made = 0;
/** A label no test used before (the same labels every run: a count, not a random number). */
export const fresh = (label: string) => `${label} #${++made}`;
/** Bytes no one has scanned before. */
export const unique = (label: string) => new TextEncoder().encode(`ScanDock test file ${fresh(label)}`);

/** A right-clicked link to `bytes` served by the harness's file server. */
export function link(h: Harness, path: string, bytes: Uint8Array): NewScan {
  return { source: { kind: 'link', url: h.files.serve(path, { body: bytes }) }, fileName: path.slice(1) };
}

/** The limiter's day counter as stored in chrome.storage. */
export async function limiterDayUsed(): Promise<number> {
  return parseQuotaState(await quotaStateItem.getValue()).day.used;
}

/** Replaces the harness's engine with one that remembers every notice each scan showed, as the English popup words it. */
export function noticesOf(h: Harness, deps: Partial<ScanEngineDeps> = {}): (token: string) => string[] {
  const notices = new Map<string, string[]>();
  h.engine = h.newEngine({
    ...deps,
    onChange: (r) => {
      if (r.notice) notices.set(r.token, [...(notices.get(r.token) ?? []), inEnglish('notice', r.notice)]);
    },
  });
  return (token) => notices.get(token) ?? [];
}

/** How many times the emulator received each file as an upload, by SHA-256. */
export function uploadsPerFile(h: Harness): Map<string, number> {
  const counts = new Map<string, number>();
  for (const upload of h.emulator.uploads) counts.set(upload.sha256, (counts.get(upload.sha256) ?? 0) + 1);
  return counts;
}
