/**
 * IndexedDB refusing writes (QuotaExceededError: the disk or the browser's storage quota is full): the
 * scan call or the record gets the clear 'storage' error, other scans go on, nothing loops, and the scan
 * finishes once there is room again.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { link } from '@/tests/support/engine-test-kit';
import { cleanSampleBytes, eicarBytes } from '@/tests/emulator/fixtures';
import { quotaStateItem } from '@/utils/settings/storage-items';
import { ScanFailure } from './scan-failure';
import type { ScanRecord } from './scan-record';

let h: Harness;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
});

const quotaExceeded = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Makes IndexedDB refuse the writes `refuse` picks (like a full disk), counting every write tried. */
function refuseWrites(refuse: (record: ScanRecord, method: 'add' | 'put') => boolean) {
  const tried = { add: 0, put: 0, refused: 0 };
  for (const method of ['add', 'put'] as const) {
    const original = IDBObjectStore.prototype[method];
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      tried[method]++;
      if (this.name === 'scans' && refuse(value as ScanRecord, method)) {
        tried.refused++;
        throw quotaExceeded();
      }
      return original.call(this, value, key);
    });
  }
  return tried;
}

describe('IndexedDB refuses to store more (QuotaExceededError)', () => {
  it('a new scan that cannot be stored rejects with the storage problem, and sends nothing', async () => {
    h = await createHarness();
    refuseWrites(() => true);
    const refused = await h.engine.scan(link(h, '/eicar.com', eicarBytes())).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ScanFailure);
    expect((refused as ScanFailure).problem).toEqual({ code: 'storage', params: {} });
    await h.engine.settled();
    expect(h.emulator.requests).toHaveLength(0);
    expect(await h.db.count('scans')).toBe(0);
  });

  it('a write refused in the middle of a scan ends that record in a storage error; other scans go on', async () => {
    h = await createHarness();
    let victim = '';
    // Refuse the write that stores the victim's hash (after reading, before the lookup).
    refuseWrites((r, method) => method === 'put' && r.token === victim && r.step === 'lookup' && r.status === 'progress');
    const other = await h.engine.scan(link(h, '/clean.txt', cleanSampleBytes()));
    victim = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    const record = await h.result(victim);
    expect(record).toMatchObject({ status: 'error', step: 'finished', error: { code: 'storage', params: {} } });
    expect(await h.result(other)).toMatchObject({ status: 'done', verdict: 'clean' });

    // There is room again: a rescan finishes it.
    vi.restoreAllMocks();
    await h.engine.rescan(victim);
    expect(await h.result(victim)).toMatchObject({ status: 'done', verdict: 'malicious' });
  });

  it('a quota notice that cannot be stored does not break the wait (no unhandled rejection)', async () => {
    h = await createHarness();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      // The minute is used up: the lookup waits and the engine writes a quota notice, which is refused.
      const now = h.clock.now();
      await quotaStateItem.setValue({ recent: [now, now, now, now], day: { period: '', used: 0 }, month: { period: '', used: 0 }, blockedUntil: 0, rateLimitedInARow: 0 });
      const tried = refuseWrites((r) => r.notice?.code === 'vt-quota');
      const record = await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
      expect(record).toMatchObject({ status: 'done', verdict: 'malicious' });
      expect(tried.refused).toBeGreaterThan(0);
      // Node reports an unhandled rejection once the turn it happened in is over.
      await h.sim.idle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a disk that stays full: the run stops after a few tries (no loop, no wasted requests) and resumes once there is room', async () => {
    h = await createHarness();
    let full = false;
    const tried = refuseWrites(() => full);
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    full = true;
    // A run that kept retrying would still be at it an hour later (virtual time).
    const deadline = new AbortController();
    const looping = h.clock.sleep(3_600_000, deadline.signal).then(() => 'looping', () => 'cancelled');
    const settled = await h.sim.run(Promise.race([h.engine.settled().then(() => 'settled'), looping]));
    deadline.abort();
    expect(settled).toBe('settled');
    expect(tried.refused).toBeGreaterThan(0);
    expect(tried.refused).toBeLessThanOrEqual(5);
    expect(h.emulator.requests.length).toBeLessThanOrEqual(1);
    // Nothing could be written, so the record still says where it was: the next resume picks it up.
    expect((await h.store.get(token))?.status).toMatch(/ready|progress/);

    full = false;
    await h.engine.resume();
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
  });
});
