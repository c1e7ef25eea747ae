/**
 * Request slots on virtual time (the simulation's clock and driver): first queued, first served; every
 * waiting request is told its own turn; recording an answer never waits behind a request that waits for
 * its slot (the bug that held answered verdicts back for a minute); a request that leaves spends nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createSimClock } from '@/tests/support/sim/sim-clock';
import { createSimulation, type Simulation } from '@/tests/support/sim/sim-driver';
import { createQuotaLedger } from '../../quota/quota-ledger';
import { MINUTE_MS, WINDOW_SAFETY_MS, parseQuotaState } from '../../quota/quota-math';
import { PUBLIC_QUOTA } from '../../settings/storage-items';
import { createRequestSlots, NoSpareSlot, spareQuotaAt, type SlotRequest, type SlotWait } from './request-slots';

const T0 = Date.UTC(2026, 10, 25, 12);
const NEXT_MINUTE = T0 + MINUTE_MS + WINDOW_SAFETY_MS;
let sim: Simulation | undefined;
afterEach(() => sim?.stop());

function setUp(options: { refusal?: () => Error | null; online?: () => boolean } = {}) {
  const clock = createSimClock(T0);
  sim = createSimulation({ clock });
  let stored: unknown = null;
  const ledger = createQuotaLedger({
    load: async () => stored,
    save: async (state) => void (stored = structuredClone(state)),
    limits: async () => PUBLIC_QUOTA,
    clock,
  });
  const slots = createRequestSlots({
    ledger,
    clock,
    refusal: async () => options.refusal?.() ?? null,
    isOnline: options.online ?? (() => true),
  });
  const waits = new Map<string, SlotWait[]>();
  const request = (token: string, queuedAt: number, signal = new AbortController().signal): SlotRequest => ({
    place: () => ({ queuedAt, token }),
    signal,
    onWait: (wait) => waits.set(token, [...(waits.get(token) ?? []), wait]),
  });
  return { sim: sim!, clock, slots, ledger, request, waits, used: () => parseQuotaState(stored).day.used };
}

describe('request slots', () => {
  it('serve the earliest queued first, whatever order they asked in, and tell each waiter its own turn', async () => {
    const { sim, clock, slots, request, waits } = setUp();
    const granted: Array<[string, number]> = [];
    // Nine scans queued at t = 9, 8, … 1 ask in that (reverse) order.
    const asks = Array.from({ length: 9 }, (_, i) => {
      const token = `s${9 - i}`;
      return slots.take(request(token, 9 - i)).then(async (slot) => {
        granted.push([token, clock.now()]);
        await slot.sending();
      });
    });
    await sim.run(Promise.all(asks));
    expect(granted.map(([token]) => token)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']);
    expect(granted.slice(0, 4).every(([, at]) => at === T0)).toBe(true);
    expect(granted.slice(4, 8).every(([, at]) => at === NEXT_MINUTE)).toBe(true);
    expect(granted[8]![1]).toBe(NEXT_MINUTE + MINUTE_MS + WINDOW_SAFETY_MS);
    // Each waiter heard its own turn: the 4th to 7th in line the next minute, the 8th the one after.
    expect(waits.get('s5')?.[0]).toEqual({ until: NEXT_MINUTE, window: 'minute' });
    expect(waits.get('s9')?.at(-1)).toEqual({ until: NEXT_MINUTE + MINUTE_MS + WINDOW_SAFETY_MS, window: 'minute' });
    expect(waits.has('s1')).toBe(false);
  });

  it('record an answer at once while requests wait for their turn (nothing waits behind a sleeping request)', async () => {
    const { sim, clock, slots, request } = setUp();
    const first = await sim.run(Promise.all([1, 2, 3, 4].map((n) => slots.take(request(`a${n}`, n)))));
    const waiting = [5, 6, 7, 8, 9, 10].map((n) => slots.take(request(`w${n}`, n)));
    await sim.idle();
    expect(slots.waiting).toBe(6);
    for (const slot of first) await slot.sending();
    // The four requests are answered while six others wait a minute for theirs.
    const before = clock.now();
    await sim.run(Promise.all([200, 200, 404, 200].map((status) => slots.answered(status))));
    expect(clock.now()).toBe(before);
    await sim.run(Promise.all(waiting));
  });

  it('let a request whose scan was removed leave the line without spending a slot', async () => {
    const { sim, slots, request, used } = setUp();
    await sim.run(Promise.all([1, 2, 3, 4].map((n) => slots.take(request(`a${n}`, n)))));
    const removed = new AbortController();
    const gone = slots.take(request('gone', 5, removed.signal));
    const next = slots.take(request('next', 6));
    await sim.idle();
    removed.abort(new Error('removed'));
    await expect(gone).rejects.toThrow('removed');
    await sim.run(next);
    expect(used()).toBe(5);
  });

  it('give back a slot whose request never left, and stamp a late one when it leaves', async () => {
    const { sim, clock, slots, request, used, ledger } = setUp();
    await sim.run(Promise.all([1, 2, 3].map(async (n) => (await slots.take(request(`x${n}`, n))).unused())));
    const slot = await sim.run(slots.take(request('a', 1)));
    await slot.unused();
    expect(used()).toBe(0);
    const late = await sim.run(slots.take(request('b', 2)));
    clock.advance(20_000);
    await late.sending();
    // The slot counts from when its request left: the fourth turn after it comes a minute after that.
    const turns = await ledger.forecast(4);
    expect(turns.map((t) => t.at)).toEqual([clock.now(), clock.now(), clock.now(), clock.now() + MINUTE_MS + WINDOW_SAFETY_MS]);
  });

  it('stamp a request slow on the way again when it ends, so the next minute opens a minute after VirusTotal may have counted it', async () => {
    const { sim, clock, slots, request, ledger } = setUp();
    const slot = await sim.run(slots.take(request('a', 1)));
    await slot.sending();
    // The link took 2.4 s: VirusTotal counted the request at some time up to then.
    clock.advance(2_400);
    await slot.ended();
    const turns = await ledger.forecast(4);
    expect(turns.map((t) => t.at)).toEqual([clock.now(), clock.now(), clock.now(), clock.now() + MINUTE_MS + WINDOW_SAFETY_MS]);
    // A quick answer moves nothing, and an ended slot is stamped once.
    const quick = await sim.run(slots.take(request('b', 2)));
    await quick.sending();
    const before = await ledger.forecast(4);
    await quick.ended();
    expect(await ledger.forecast(4)).toEqual(before);
  });

  it('refuse every waiting request while the key is missing, except the key check itself', async () => {
    let refusal: Error | null = new Error('no key');
    const { sim, slots, request, used } = setUp({ refusal: () => refusal });
    const scan = slots.take(request('scan', 1));
    const check = slots.take({ ...request('check', 0), checksKey: true });
    await expect(scan).rejects.toThrow('no key');
    await sim.run(check);
    refusal = null;
    await sim.run(slots.take(request('after', 2)));
    expect(used()).toBe(2);
  });

  it('spend nothing while the browser is offline, and say so', async () => {
    let online = false;
    const { sim, slots, request, waits, used } = setUp({ online: () => online });
    const waiting = slots.take(request('a', 1));
    await sim.idle();
    expect(used()).toBe(0);
    expect(waits.get('a')?.[0]?.window).toBe('offline');
    online = true;
    slots.recheck();
    await sim.run(waiting);
    expect(used()).toBe(1);
  });
});

describe('spare quota (second looks)', () => {
  it('a spare request queued before new scans never goes before them: it is refused while they wait', async () => {
    const { sim, slots, request } = setUp();
    const order: string[] = [];
    const spare = (token: string) => ({ ...request(token, 0), spare: { reserve: 100 } });
    // Queued before them, asking at the same moment: the spare one is refused (try again in a minute) and
    // the two new scans take their slots.
    const asks = [
      slots.take(spare('look')).then(() => order.push('look'), (error: unknown) => order.push(error instanceof NoSpareSlot ? `look refused until +${error.retryAt - T0}` : 'look failed')),
      slots.take(request('new1', 5)).then(() => order.push('new1')),
      slots.take(request('new2', 6)).then(() => order.push('new2')),
    ];
    await sim.run(Promise.all(asks));
    expect(order).toEqual([`look refused until +${MINUTE_MS}`, 'new1', 'new2']);
  });

  it('a spare request is refused while another request waits for its turn', async () => {
    const { sim, slots, request } = setUp();
    await sim.run(Promise.all([1, 2, 3, 4].map((n) => slots.take(request(`a${n}`, n)))));
    const waiting = slots.take(request('new', 5));
    const refused = await sim.run(slots.take({ ...request('look', 0), spare: { reserve: 0 } }).then(() => null, (error: unknown) => error));
    expect(refused).toBeInstanceOf(NoSpareSlot);
    await sim.run(waiting);
  });

  const usage = (minute: number, day: number, nextAt: number | null = null) => ({
    minute: { used: minute, allowed: 4 },
    day: { used: day, allowed: 500, resetsAt: 86_400_000 },
    month: { used: day, allowed: 15_500, resetsAt: 30 * 86_400_000 },
    nextAt,
    heldBy: null,
    sharedKey: false,
  });

  it('goes at once while under half the minute is spent and more than the reserve is left', () => {
    expect(spareQuotaAt(usage(0, 0), 100, 1_000)).toBeNull();
    expect(spareQuotaAt(usage(1, 399), 100, 1_000)).toBeNull();
  });

  it('waits for the next minute at half the minute, for the next day at the reserve, and for a held quota', () => {
    expect(spareQuotaAt(usage(2, 0), 100, 1_000)).toBe(61_000);
    expect(spareQuotaAt(usage(0, 400), 100, 1_000)).toBe(86_400_000);
    expect(spareQuotaAt(usage(0, 0, 5_000), 100, 1_000)).toBe(5_000);
  });
});
