/**
 * Every value ScanDock keeps in chrome.storage, declared once, each with its area prefix and fallback.
 * The API key lives only in `local:` (never `sync:`): it must not leave this browser profile.
 */
import { storage } from 'wxt/utils/storage';
import { normalizeSitePattern } from '../permissions/host-pattern';

/** Quota numbers for the VirusTotal key. Public keys: 4/min, 500/day, 15 500/month. */
export interface QuotaLimits {
  perMinute: number;
  perDay: number;
  perMonth: number;
}

/** The public API's quotas, from VirusTotal's documentation. */
export const PUBLIC_QUOTA: QuotaLimits = { perMinute: 4, perDay: 500, perMonth: 15_500 };

/** Everything the person can change on the options page. */
export interface Settings {
  /** Scan every download that completes. */
  autoScan: boolean;
  /** Upload files VirusTotal has never seen. Off by default: uploads are shared and cannot be deleted. */
  uploadUnknown: boolean;
  /** Allow uploading documents (PDF, Office), which are likelier to be private. */
  uploadDocuments: boolean;
  /** When the bytes cannot be read, let VirusTotal fetch the URL instead. */
  urlFallback: boolean;
  /** Keep a URL's query string when sending it to VirusTotal, checked or submitted (it may carry tokens). */
  keepUrlQuery: boolean;
  /**
   * Send the person's cookies when "Scan the file at this link" fetches a link (files behind a sign-in).
   * Off: the link is fetched as a stranger would, so scanning it cannot act as the person (one-click
   * unsubscribe or confirm links, magic sign-in links). Downloads are not affected: their re-fetch repeats
   * the request the person already made, with the cookies it was made with.
   */
  linkCookies: boolean;
  /** How many engines must say "malicious" for the file to count as detected. */
  detectionThreshold: number;
  /** File extensions never scanned automatically, lower case without the dot. */
  excludedTypes: string[];
  /** Largest file to read, in bytes (VirusTotal refuses uploads over 650 MB). */
  maxFileSize: number;
  quotaPreset: 'public' | 'custom';
  quota: QuotaLimits;
  /** How long a report answers repeats of the same file without a request, in hours (0 = never). */
  cacheHours: number;
  /** Finished records kept; the oldest finished ones are dropped first. */
  historyLimit: number;
  /** Notify on malicious and suspicious verdicts. */
  notifications: boolean;
  /** Delete a detected download's saved file by itself (after the identity check "Delete file" makes). Off by default. */
  autoDelete: boolean;
  /** Engines that must say "malicious" before a file is deleted by itself. */
  autoDeleteMinEngines: number;
  /** Sites (host patterns, see utils/permissions/host-pattern.ts) whose downloads are never scanned. */
  excludedSites: string[];
  /** Sites whose files and addresses are never uploaded or submitted by a setting (uploads, URL fallback). */
  noUploadSites: string[];
  /** Look finished downloads with no detection up again later, on spare quota (second-look-plan.ts). */
  secondLook: boolean;
  /** Second looks stop for the day while fewer requests than this are left of the day's (or month's) quota. */
  secondLookReserve: number;
  /**
   * When the second looks are due, in seconds after the download finished. Test-only (not on the options page):
   * the end-to-end tests shorten the schedule with it.
   */
  secondLookDelaysSeconds: number[];
}

/** VirusTotal's own limit for `/files/upload_url`. */
export const MAX_UPLOAD_BYTES = 650 * 1024 * 1024;

export const DEFAULT_SETTINGS: Settings = {
  autoScan: true,
  uploadUnknown: false,
  uploadDocuments: false,
  urlFallback: false,
  keepUrlQuery: false,
  linkCookies: false,
  detectionThreshold: 1,
  excludedTypes: [],
  maxFileSize: MAX_UPLOAD_BYTES,
  quotaPreset: 'public',
  quota: PUBLIC_QUOTA,
  cacheHours: 24,
  historyLimit: 1000,
  notifications: true,
  autoDelete: false,
  autoDeleteMinEngines: 3,
  excludedSites: [],
  noUploadSites: [],
  secondLook: true,
  secondLookReserve: 100,
  secondLookDelaysSeconds: [86_400, 3 * 86_400, 7 * 86_400],
};

/** The person's settings; missing keys take their defaults (see `readSettings`). */
export const settingsItem = storage.defineItem<Partial<Settings>>('local:settings', {
  fallback: {},
  version: 1,
});

/** The VirusTotal API key. Read only by the background. */
export const apiKeyItem = storage.defineItem<string>('local:apiKey', { fallback: '' });

/**
 * Whether VirusTotal accepted the current key. 'rejected' pauses the queue until the key changes,
 * so a wrong key is not sent again and again.
 */
export const keyStatusItem = storage.defineItem<'unchecked' | 'valid' | 'rejected'>('local:keyStatus', {
  fallback: 'unchecked',
});

/** Settings with every default filled in and every value checked; bad stored values fall back. */
export function normalizeSettings(stored: unknown): Settings {
  const s = (stored && typeof stored === 'object' ? stored : {}) as Record<string, unknown>;
  const bool = (key: keyof Settings): boolean =>
    typeof s[key] === 'boolean' ? (s[key] as boolean) : (DEFAULT_SETTINGS[key] as boolean);
  const int = (key: keyof Settings, min: number, max: number): number => {
    const v = s[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? Math.floor(v)
      : (DEFAULT_SETTINGS[key] as number);
  };
  const q = (s.quota && typeof s.quota === 'object' ? s.quota : {}) as Record<string, unknown>;
  const limit = (key: keyof QuotaLimits): number => {
    const v = q[key];
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : PUBLIC_QUOTA[key];
  };
  const quotaPreset = s.quotaPreset === 'custom' ? 'custom' : 'public';
  return {
    autoScan: bool('autoScan'),
    uploadUnknown: bool('uploadUnknown'),
    uploadDocuments: bool('uploadDocuments'),
    urlFallback: bool('urlFallback'),
    keepUrlQuery: bool('keepUrlQuery'),
    linkCookies: bool('linkCookies'),
    detectionThreshold: int('detectionThreshold', 1, 1000),
    excludedTypes: Array.isArray(s.excludedTypes)
      ? s.excludedTypes.filter((t): t is string => typeof t === 'string').map(normalizeFileType).filter(Boolean)
      : DEFAULT_SETTINGS.excludedTypes,
    maxFileSize: Math.min(int('maxFileSize', 1, MAX_UPLOAD_BYTES), MAX_UPLOAD_BYTES),
    quotaPreset,
    quota:
      quotaPreset === 'custom'
        ? { perMinute: limit('perMinute'), perDay: limit('perDay'), perMonth: limit('perMonth') }
        : PUBLIC_QUOTA,
    cacheHours: int('cacheHours', 0, 24 * 365),
    historyLimit: int('historyLimit', 10, 100_000),
    notifications: bool('notifications'),
    autoDelete: bool('autoDelete'),
    autoDeleteMinEngines: int('autoDeleteMinEngines', 1, 1000),
    excludedSites: sitePatterns(s.excludedSites),
    noUploadSites: sitePatterns(s.noUploadSites),
    secondLook: bool('secondLook'),
    secondLookReserve: int('secondLookReserve', 0, 1_000_000),
    secondLookDelaysSeconds: delays(s.secondLookDelaysSeconds) ?? DEFAULT_SETTINGS.secondLookDelaysSeconds,
  };
}

/** Stored site patterns, tidied, without repeats; anything else gives none. */
function sitePatterns(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((p): p is string => typeof p === 'string').map(normalizeSitePattern).filter(Boolean))];
}

/** 1 to 10 whole seconds counts in increasing order, or null when `value` is not that. */
function delays(value: unknown): number[] | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > 10) return null;
  const ok = value.every((v, i): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && (i === 0 || v > (value[i - 1] as number)));
  return ok ? value : null;
}

/** "  .EXE " → "exe". */
export function normalizeFileType(type: string): string {
  return type.trim().toLowerCase().replace(/^\.+/, '');
}

/** The settings in force now. */
export async function readSettings(): Promise<Settings> {
  return normalizeSettings(await settingsItem.getValue());
}

/** Change some settings, keeping the others. */
export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = normalizeSettings({ ...(await readSettings()), ...patch });
  await settingsItem.setValue(next);
  return next;
}

/** The quota limiter's counters (see utils/quota/quota-math.ts: QuotaState), checked when read. */
export const quotaStateItem = storage.defineItem<unknown>('local:quotaState', { fallback: null });

/** Tokens of malicious or suspicious verdicts the person has not looked at yet (the badge count). */
export const unseenDetectionsItem = storage.defineItem<string[]>('local:unseenDetections', { fallback: [] });

/** When the newest download ScanDock took in ended (ms): the start-up catch-up looks for later ones. */
export const downloadsWatermarkItem = storage.defineItem<number | null>('local:downloadsWatermark', { fallback: null });

/**
 * The first-run page: whether it was opened (it opens once, on install), and until when a restart of ScanDock
 * should open it again (the person pressed its file access button; Chrome restarts ScanDock when that switch
 * changes, which closes the page).
 */
export interface FirstRun {
  opened: boolean;
  /** ms; ScanDock restarted with file access on before this reopens the page. */
  reopenWithFileAccessUntil?: number;
}

export const firstRunItem = storage.defineItem<FirstRun>('local:firstRun', { fallback: { opened: false } });
