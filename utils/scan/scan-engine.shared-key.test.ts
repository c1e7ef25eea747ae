/**
 * A key another app also uses: VirusTotal answers 429 although ScanDock's counters had room. ScanDock then reads
 * VirusTotal's own count of the key (`overall_quotas`) once, counts on from it, and sends nothing until
 * VirusTotal's day allows; it reads that count at most once an hour, only after such a 429.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { HARNESS_START, createHarness, type Harness } from '@/tests/support/engine-harness';
import { ROOMY_VT, link } from '@/tests/support/engine-test-kit';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes } from '@/tests/emulator/fixtures';
import { DEMO_API_KEY } from '@/tests/emulator/virustotal-emulator';
import { HOUR_MS, nextUtcMidnight } from '../quota/quota-math';

let h: Harness;
afterEach(async () => h?.close());

const isCountRead = (r: { path: string }) => /\/users\/[^/]+\/overall_quotas$/.test(r.path);

describe('a key shared with another app', () => {
  it('a 429 with room: one read of VirusTotal’s count, then nothing until VirusTotal’s day allows', async () => {
    // VirusTotal allows this key 10 a day; ScanDock thinks it has the public 500.
    h = await createHarness({ emulator: { quota: { perMinute: 1000, perDay: 10 }, freeQuotaReads: true } });
    for (let i = 0; i < 10; i++) {
      const res = await h.fetch(`${h.emulator.baseUrl}/files/${EICAR_SHA256}`, { headers: { 'x-apikey': DEMO_API_KEY } });
      expect(res.status).toBe(200);
    }
    const ours = () => h.emulator.requests.slice(10);
    const first = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    await h.sim.until(() => ours().some(isCountRead), 'ScanDock to read VirusTotal’s count');
    // ScanDock's own counters still have room, yet it now holds every request until 00:00 UTC.
    const usage = await h.sim.run(h.ledger.usage());
    expect(usage).toMatchObject({ sharedKey: true, heldBy: 'day', nextAt: nextUtcMidnight(HARNESS_START) });
    expect(usage.day).toMatchObject({ used: 10, allowed: 10 });
    const second = await h.engine.scan(link(h, '/clean.txt', cleanSampleBytes()));
    expect(await h.result(first)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.result(second)).toMatchObject({ status: 'done', verdict: 'clean' });

    const sent = ours();
    expect(sent.filter(isCountRead)).toHaveLength(1);
    const read = sent.findIndex(isCountRead);
    expect(sent.slice(0, read).map((r) => r.status)).toEqual([429]);
    // After the read, nothing left before VirusTotal's day was over.
    expect(sent.slice(read + 1).every((r) => r.at >= nextUtcMidnight(HARNESS_START))).toBe(true);
    expect(sent.slice(read + 1).map((r) => r.status)).toEqual([200, 200]);
  });

  it('never reads VirusTotal’s count more than once an hour, however many 429s come', async () => {
    h = await createHarness({ emulator: { quota: ROOMY_VT } });
    h.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', times: 12, match: { path: /\/files\// } });
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    await h.result(token);
    expect(h.count('429')).toBeGreaterThanOrEqual(8);
    const reads = h.emulator.requests.filter(isCountRead);
    expect(reads.length).toBeGreaterThanOrEqual(2);
    reads.slice(1).forEach((read, i) => expect(read.at - reads[i]!.at).toBeGreaterThanOrEqual(HOUR_MS));
    // Each read came after a 429, and ScanDock counted it as a request of its own.
    for (const read of reads) {
      const before = h.emulator.requests.slice(0, h.emulator.requests.indexOf(read));
      expect(before.at(-1)?.status === 429 || before.some((r) => r.status === 429)).toBe(true);
    }
  });

  it('no 429, no read', async () => {
    h = await createHarness();
    await h.result(await h.engine.scan(link(h, '/eicar.com', eicarBytes())));
    expect(h.emulator.requests.filter(isCountRead)).toEqual([]);
    expect((await h.sim.run(h.ledger.usage())).sharedKey).toBe(false);
  });
});
