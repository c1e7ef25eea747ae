/**
 * A 429 although ScanDock's own counters allowed the request (another app shares the key): back off,
 * doubling, send nothing while backing off (no scan does), say so on the record, then finish.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '@/tests/support/engine-harness';
import { link, noticesOf, unique } from '@/tests/support/engine-test-kit';
import { MINUTE_MS } from '@/utils/quota/quota-math';
import { EICAR_SHA256, cleanSampleBytes, eicarBytes } from '@/tests/emulator/fixtures';
import { DEMO_API_KEY } from '@/tests/emulator/virustotal-emulator';
import { createQuotaLedger } from '@/utils/quota/quota-ledger';
import type { QuotaState } from '@/utils/quota/quota-math';
import { quotaStateItem, readSettings } from '@/utils/settings/storage-items';

let h: Harness;
afterEach(async () => h?.close());

describe('a 429 although our counters allowed the request (another app shares the key)', () => {
  /** Another app spends the key's minute at VirusTotal, behind ScanDock's back. */
  async function otherAppSpendsMinute(h: Harness): Promise<void> {
    for (let i = 0; i < 4; i++) {
      const res = await h.fetch(`${h.emulator.baseUrl}/files/${EICAR_SHA256}`, { headers: { 'x-apikey': DEMO_API_KEY } });
      expect(res.status).toBe(200);
    }
  }

  it('backs off for a minute with a clear notice, sends nothing meanwhile, then finishes', async () => {
    h = await createHarness();
    const notices = noticesOf(h);
    await otherAppSpendsMinute(h);
    const ours = (r: { at: number }, i: number) => i >= 4 && r;
    const token = await h.engine.scan(link(h, '/clean.txt', cleanSampleBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'clean' });
    const sent = h.emulator.requests.filter(ours);
    // After the 429, VirusTotal's own count of the key is read once (see scan-engine.shared-key.test.ts).
    expect(sent.map((r) => `${r.status}${r.path.endsWith('/overall_quotas') ? ' count' : ''}`)).toEqual(['429', '200 count', '200']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(60_000);
    expect(notices(token).some((m) => /^Waiting for VirusTotal’s rate limit \(VirusTotal answered that the quota is exceeded\): next request at /.test(m))).toBe(true);
  });

  it('repeated 429s: the waits double (1, 2, 4 minutes) and nothing is sent in between', async () => {
    h = await createHarness();
    const notices = noticesOf(h);
    h.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', times: 3 });
    const token = await h.engine.scan(link(h, '/eicar.com', eicarBytes()));
    expect(await h.result(token)).toMatchObject({ status: 'done', verdict: 'malicious' });
    const sent = h.emulator.requests;
    expect(sent.map((r) => r.status)).toEqual([429, 429, 429, 200]);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(60_000);
    expect(sent[2]!.at - sent[1]!.at).toBeGreaterThanOrEqual(120_000);
    expect(sent[3]!.at - sent[2]!.at).toBeGreaterThanOrEqual(240_000);
    expect(new Set(notices(token)).size).toBeGreaterThanOrEqual(1);
  });

  it('every scan waits out the backoff: nothing is sent while the key is blocked', async () => {
    h = await createHarness();
    // In the order they happened: requests leaving, and the ledger starting a backoff.
    const events: Array<{ send: number } | { from: number; until: number }> = [];
    const ledger = createQuotaLedger({
      load: () => quotaStateItem.getValue(),
      save: async (state: QuotaState) => {
        if (state.blockedUntil > h.clock.now()) events.push({ from: h.clock.now(), until: state.blockedUntil });
        await quotaStateItem.setValue(state);
      },
      limits: async () => (await readSettings()).quota,
      clock: h.clock,
    });
    h.engine = h.newEngine({
      ledger,
      fetch: (input, init) => {
        if (String(input).startsWith(h.emulator.origin)) events.push({ send: h.clock.now() });
        return h.fetch(input, init);
      },
    });
    // Both scans' first requests meet a 429.
    h.emulator.injectFault({ kind: 'status', status: 429, code: 'QuotaExceededError', times: 2 });
    const tokens = await Promise.all([
      h.engine.scan(link(h, '/eicar.com', eicarBytes())),
      h.engine.scan(link(h, '/clean.txt', cleanSampleBytes())),
    ]);
    expect(await h.result(tokens[0]!)).toMatchObject({ status: 'done', verdict: 'malicious' });
    expect(await h.result(tokens[1]!)).toMatchObject({ status: 'done', verdict: 'clean' });
    expect(events.filter((e) => 'send' in e)).toHaveLength(4);
    expect(events.filter((e) => 'until' in e).length).toBeGreaterThanOrEqual(1);
    events.forEach((block, i) => {
      if (!('until' in block)) return;
      const inside = events.slice(i + 1).filter((e) => 'send' in e && e.send < block.until);
      expect(inside, `requests sent inside the backoff ${JSON.stringify(block)}`).toEqual([]);
    });
  });
});

describe('a request holds its slot only while it waits for the network', () => {
  it('an upload whose file takes longer than a minute to read again sends no fifth request into VirusTotal\'s minute', async () => {
    h = await createHarness({ settings: { uploadUnknown: true }, emulator: { analysisPolls: 0 } });
    const slowUrl = h.files.serve('/slow.exe', { body: unique('slow to read') });
    let reads = 0;
    h.engine = h.newEngine({
      fetch: async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const response = await h.fetch(input, init);
        if (url !== slowUrl || ++reads !== 2) return response;
        // The second read (for the upload) takes 80 s: a re-fetch over a slow link, a piece every 20 s.
        const bytes = new Uint8Array(await response.arrayBuffer());
        const pieces = [0, 1, 2, 3].map((i) => bytes.slice((i * bytes.length) >> 2, ((i + 1) * bytes.length) >> 2));
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            await h.clock.sleep(20_000);
            const piece = pieces.shift();
            if (piece) controller.enqueue(piece);
            else controller.close();
          },
        });
        return new Response(body, { status: 200, headers: response.headers });
      },
    });
    const slow = await h.engine.scan({ source: { kind: 'link', url: slowUrl }, fileName: 'slow.exe' });
    const known = Array.from({ length: 12 }, (_, i) => unique(`known ${i}`));
    for (const bytes of known) h.emulator.addFile(bytes, 'clean');
    const tokens = [];
    for (const [i, bytes] of known.entries()) tokens.push(await h.download(`/known-${i}.txt`, bytes));
    const slowRecord = await h.result(slow);
    expect(slowRecord.error).toBeNull();
    expect(slowRecord).toMatchObject({ status: 'done', verdict: 'clean' });
    for (const token of tokens) expect(await h.result(token)).toMatchObject({ status: 'done' });
    expect(h.emulator.uploads).toHaveLength(1);
    const arrivals = h.emulator.requests.filter((r) => r.quotaCounted).map((r) => r.at);
    const busiestMinute = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + MINUTE_MS).length));
    expect(busiestMinute).toBeLessThanOrEqual(4);
    expect(h.count('429')).toBe(0);
  });
});
