/**
 * Saving the API key: check it against VirusTotal with one header-only request (a lookup of the
 * EICAR test file's hash, which VirusTotal knows and which says nothing about the person), then store it.
 * A key VirusTotal rejects is not saved.
 */
import type { KeyCheck } from '@/utils/messaging/protocol';
import type { QuotaLimiter } from '@/utils/quota/quota-limiter';
import { ScanFailure } from '@/utils/scan/scan-failure';
import { apiKeyItem, keyStatusItem } from '@/utils/settings/storage-items';
import { createVirusTotalClient } from '@/utils/virustotal/virustotal-client';

const EICAR_SHA256 = '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f';

/** A key as pasted: spaces and line breaks around or inside it removed. */
export function cleanApiKey(raw: string): string {
  return raw.replace(/\s+/g, '');
}

export async function saveApiKey(raw: string, deps: { limiter: QuotaLimiter; baseUrl: string; now: () => number; hostAccess?: () => Promise<boolean> }): Promise<KeyCheck> {
  const apiKey = cleanApiKey(raw);
  if (!apiKey) {
    await apiKeyItem.setValue('');
    await keyStatusItem.setValue('unchecked');
    return { ok: false, code: 'no-api-key', message: 'The key is empty: ScanDock has forgotten the previous key. Scanning is paused until you add one.' };
  }
  // Every VirusTotal API key is 64 hexadecimal characters: anything else would only cost a rejected request.
  if (!/^[0-9a-f]{64}$/i.test(apiKey)) {
    return { ok: false, code: 'vt-wrong-key', message: 'That does not look like a VirusTotal API key (64 letters and digits). Copy it again from your VirusTotal profile → API key.' };
  }
  if (deps.hostAccess && !(await deps.hostAccess())) {
    // Without host access the check would fail as a CORS preflight VirusTotal answers 401: not the key's fault.
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    return { ok: true, hostAccessMissing: true, quotaNote: 'Saved, but not checked: ScanDock is not allowed to reach VirusTotal. Press “Allow access” to give it back; the next scan then checks the key.' };
  }
  if ((await deps.limiter.nextAllowedAt()) > deps.now()) {
    // Checking now would wait for the quota; the next scan checks it instead.
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    return { ok: true, quotaNote: 'Saved. The quota is busy, so the key will be checked by the next scan.' };
  }
  const client = createVirusTotalClient({ fetch: (i, init) => fetch(i, init), baseUrl: deps.baseUrl, apiKey, limiter: deps.limiter });
  try {
    await client.getFile(EICAR_SHA256);
  } catch (error) {
    if (error instanceof ScanFailure && (error.code === 'vt-wrong-key' || error.code === 'vt-forbidden')) {
      return { ok: false, code: error.code, message: 'VirusTotal rejected this API key. Copy it again from your VirusTotal profile → API key. The key was not saved.' };
    }
    await apiKeyItem.setValue(apiKey);
    await keyStatusItem.setValue('unchecked');
    const why = error instanceof ScanFailure ? error.message : 'VirusTotal could not be reached.';
    return { ok: true, quotaNote: `Saved, but not checked: ${why}` };
  }
  await apiKeyItem.setValue(apiKey);
  await keyStatusItem.setValue('valid');
  return { ok: true };
}
