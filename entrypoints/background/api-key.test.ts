/** Saving a key while host access is withdrawn says so, instead of "could not reach VirusTotal". */
import { afterEach, describe, expect, it } from 'vitest';
import { saveApiKey } from './api-key';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { DEMO_API_KEY } from '@/tests/emulator/virustotal-emulator';
import { apiKeyItem, keyStatusItem } from '@/utils/settings/storage-items';

let h: Harness;
afterEach(async () => h?.close());

describe('saving a key without host access', () => {
  it('keeps the key unchecked, says that access is missing, and sends nothing', async () => {
    h = await createHarness({ apiKey: '' });
    const result = await saveApiKey(DEMO_API_KEY, { ledger: h.ledger, slots: h.engine.slots, baseUrl: h.emulator.baseUrl, clock: h.clock, fetch: h.fetch, hostAccess: async () => false });
    expect(result).toMatchObject({ ok: true, hostAccessMissing: true });
    expect(h.emulator.requests).toHaveLength(0);
    expect(await apiKeyItem.getValue()).toBe(DEMO_API_KEY);
    expect(await keyStatusItem.getValue()).toBe('unchecked');
  });

  it('with access, checks the key as before', async () => {
    h = await createHarness({ apiKey: '' });
    const result = await saveApiKey(DEMO_API_KEY, { ledger: h.ledger, slots: h.engine.slots, baseUrl: h.emulator.baseUrl, clock: h.clock, fetch: h.fetch, hostAccess: async () => true });
    expect(result).toEqual({ ok: true });
    expect(await keyStatusItem.getValue()).toBe('valid');
  });
});
