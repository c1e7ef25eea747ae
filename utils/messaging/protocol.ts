/**
 * The one message protocol between the extension's pages (popup, options) and the background.
 * Each message is a function signature; both sides infer their types from this map.
 */
import type { Problem } from '../problems/problem';
import type { QuotaUsage } from '../quota/quota-ledger';

/**
 * What saving an API key found out: refused (`problem` says why), or saved, with a `quotaNote` when it was
 * kept without a check (the quota was busy, or VirusTotal could not be asked). The page renders both.
 */
export type KeyCheck =
  | { ok: true; quotaNote?: Problem; hostAccessMissing?: true }
  | { ok: false; problem: Problem };

export interface ProtocolMap {
  /** Scan files the popup staged in IndexedDB (`stagedFiles`); returns their tokens. */
  scanStagedFiles(stagedFileIds: string[]): string[];
  /** Scan what a URL points to, without saving it; returns the token. */
  scanUrl(url: string): string;
  /** Take a fresh look at a finished scan. */
  rescan(token: string): void;
  /** Upload an unknown file to VirusTotal (the person chose to). */
  upload(token: string): void;
  /** Forget one record. */
  removeScan(token: string): void;
  /** Forget every finished record. */
  clearHistory(): void;
  /** Delete a scanned download from disk (`downloads.removeFile`). */
  deleteDownloadedFile(token: string): void;
  /** The person has looked at the detections: clear the badge. */
  markAllSeen(): void;
  /** Save the API key after checking it against VirusTotal. */
  saveApiKey(apiKey: string): KeyCheck;
  /** Whether a key is set and what VirusTotal said of it (never the key itself). */
  getKeyState(): { hasKey: boolean; status: 'unchecked' | 'valid' | 'rejected' };
  /** Quota used and allowed, per window. */
  getQuotaUsage(): QuotaUsage;
}

export type MessageType = keyof ProtocolMap;
export type MessageData<K extends MessageType> = Parameters<ProtocolMap[K]>[0];
export type MessageReturn<K extends MessageType> = ReturnType<ProtocolMap[K]>;

/** The envelope on the wire. */
export interface MessageEnvelope<K extends MessageType = MessageType> {
  scandock: 1;
  type: K;
  data: MessageData<K>;
}

/** The reply on the wire: a value, or the problem the handler failed with (the page renders its sentence). */
export type MessageReply<T> = { ok: true; value: T } | { ok: false; problem: Problem };
