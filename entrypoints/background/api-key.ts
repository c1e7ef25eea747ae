/**
 * Saving the API key: check it against VirusTotal with one header-only request (a lookup of the
 * EICAR test file's hash, which VirusTotal knows and which says nothing about the person), then store it.
 * A key VirusTotal rejects is not saved.
 */
import type { KeyCheck } from '@/utils/messaging/protocol';
import type { QuotaLedger } from '@/utils/quota/quota-ledger';
import type { RequestSlots } from '@/utils/scan/scheduler/request-slots';
import { problem, problemLogLine } from '@/utils/problems/problem';
import { ScanFailure, toProblem } from '@/utils/scan/scan-failure';
import { apiKeyItem, keyStatusItem } from '@/utils/settings/storage-items';
import type { Clock } from '@/utils/time/clock';
import { createVirusTotalClient } from '@/utils/virustotal/virustotal-client';
import { keyRefusal } from '@/utils/virustotal/key-probe';

/** The person waits for the key check: it goes ahead of every queued scan. */
const KEY_CHECK_PLACE = { queuedAt: 0, token: '' };

/** A key as pasted: spaces and line breaks around or inside it removed. */
export function cleanApiKey(raw: string): string {
  return raw.replace(/\s+/g, '');
}

/** What saving a key needs: the quota, VirusTotal's address, the clock, and a fetch (default the global one). */
export interface SaveKeyDeps {
  ledger: QuotaLedger;
  /** The engine's request slots: the check takes its slot ahead of every queued scan. */
  slots: RequestSlots;
  baseUrl: string;
  clock: Clock;
  fetch?: typeof fetch;
  /** Whether the browser lets ScanDock reach VirusTotal (the person can withdraw host access). */
  hostAccess?: () => Promise<boolean>;
}

/** Cleans `raw`, checks it with one lookup (unless the quota is busy) and stores it unless VirusTotal rejects it. */
export async function saveApiKey(raw: string, deps: SaveKeyDeps): Promise<KeyCheck> {
  const apiKey = cleanApiKey(raw);
  if (!apiKey) {
    await apiKeyItem.setValue('');
    await keyStatusItem.setValue('unchecked');
    return { ok: false, problem: problem('key-cleared') };
  }
  // Every VirusTotal API key is 64 hexadecimal characters: anything else would only cost a rejected request.
  if (!/^[0-9a-f]{64}$/i.test(apiKey)) return { ok: false, problem: problem('key-malformed') };
  if (deps.hostAccess && !(await deps.hostAccess())) {
    // Without host access the check would fail as a CORS preflight VirusTotal answers 401: not the key's fault.
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    return { ok: true, hostAccessMissing: true };
  }
  if ((await deps.ledger.nextAllowedAt()) > deps.clock.now()) {
    // Checking now would wait for the quota; the next scan checks it instead.
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    return { ok: true, quotaNote: problem('key-check-deferred') };
  }
  const client = createVirusTotalClient({
    fetch: deps.fetch ?? ((i, init) => fetch(i, init)),
    baseUrl: deps.baseUrl,
    apiKey,
    slots: deps.slots,
    clock: deps.clock,
    turn: { place: () => KEY_CHECK_PLACE, signal: new AbortController().signal, checksKey: true },
  });
  try {
    const refused = await keyRefusal(client);
    if (refused) return { ok: false, problem: problem('key-rejected', { detail: refused.problem.code }) };
  } catch (error) {
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    // A proxy or firewall refused the check: say so with its status; the key was never judged.
    if (error instanceof ScanFailure && error.problem.code === 'vt-blocked') {
      return { ok: true, quotaNote: problem('key-check-blocked', { status: error.httpStatus ?? 0, detail: problemLogLine(error.problem) }, [apiKey]) };
    }
    // Why it could not be checked: the failure's code in the sentence, its whole problem for the log line.
    const why = toProblem(error, [apiKey]);
    return { ok: true, quotaNote: problem('key-check-failed', { code: why.code, detail: problemLogLine(why) }, [apiKey]) };
  }
  await apiKeyItem.setValue(apiKey);
  await keyStatusItem.setValue('valid');
  return { ok: true };
}
