import { afterEach, describe, expect, it } from 'vitest';
import { createSimClock } from './sim-clock';
import { createSimulation, type Simulation } from './sim-driver';

const T0 = Date.UTC(2026, 10, 25, 12);
let sim: Simulation | undefined;
afterEach(() => sim?.stop());

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

function start(options: { maxVirtualMs?: number; maxSteps?: number } = {}): Simulation {
  sim = createSimulation({ clock: createSimClock(T0), ...options });
  return sim;
}

describe('the simulation driver', () => {
  it('lets no time pass while tracked work is pending, however many turns it takes', async () => {
    const s = start();
    const log: string[] = [];
    const slow = s.track(turns(200).then(() => log.push(`work done at +${s.clock.now() - T0}`)));
    const woke = s.clock.sleep(1_000).then(() => log.push(`timer at +${s.clock.now() - T0}`));
    await s.run(Promise.all([slow, woke]));
    expect(log).toEqual(['work done at +0', 'timer at +1000']);
  });

  it('fires one timer at a time: work a timer starts runs to its end before the next timer, even one due at the same instant', async () => {
    const s = start();
    const log: string[] = [];
    const first = s.clock.sleep(50).then(async () => {
      log.push('first');
      await s.track(turns(20));
      log.push('first’s work');
    });
    const second = s.clock.sleep(50).then(() => log.push('second'));
    await s.run(Promise.all([first, second]));
    expect(log).toEqual(['first', 'first’s work', 'second']);
  });

  it('until() resolves at the idle moment the condition holds, before later timers fire', async () => {
    const s = start();
    let ticks = 0;
    const ticking = (async () => {
      for (let i = 0; i < 10; i++) {
        await s.clock.sleep(1_000);
        ticks++;
      }
    })();
    await s.until(() => ticks === 3, 'three ticks');
    expect(ticks).toBe(3);
    expect(s.clock.now()).toBe(T0 + 3_000);
    await s.run(ticking);
    expect(ticks).toBe(10);
  });

  it('idle() waits for tracked work but lets no timer fire', async () => {
    const s = start();
    let done = false;
    void s.track(turns(50).then(() => (done = true)));
    void s.clock.sleep(10);
    await s.idle();
    expect(done).toBe(true);
    expect(s.clock.now()).toBe(T0);
  });

  it('drain() fires every timer left', async () => {
    const s = start();
    void s.clock.sleep(5_000);
    void s.clock.timeout(30_000);
    await s.drain();
    expect(s.clock.size).toBe(0);
    expect(s.clock.now()).toBe(T0 + 30_000);
  });

  it('a wait nothing can ever end is a deadlock error, not a hang', async () => {
    const s = start();
    const never = new Promise(() => undefined);
    await expect(s.run(never)).rejects.toThrow(/deadlock.*no timer is left/);
  });

  it('a loop that sleeps for ever is stopped by the cap on virtual time, with a clear message', async () => {
    const s = start({ maxVirtualMs: 3_600_000 });
    const forever = (async () => {
      for (;;) await s.clock.sleep(60_000);
    })();
    await expect(s.run(forever)).rejects.toThrow(/runaway.*sleep 60000 ms.*past the cap of 1\.0 h/);
    expect(s.failure?.message).toMatch(/runaway/);
    await expect(s.run(Promise.resolve(1))).rejects.toThrow(/runaway/);
  });

  it('…and by the cap on timers fired', async () => {
    const s = start({ maxSteps: 100 });
    const forever = (async () => {
      for (;;) await s.clock.sleep(0);
    })();
    await expect(s.run(forever)).rejects.toThrow(/runaway: 100 timers fired/);
  });

  it('gives the same interleaving every run: concurrent work of uneven length, timers and tracked calls', async () => {
    async function scenario(): Promise<string[]> {
      const s = createSimulation({ clock: createSimClock(T0) });
      const log: string[] = [];
      const worker = async (name: string, work: number, pause: number) => {
        for (let round = 0; round < 4; round++) {
          await s.track(turns(work * (round + 1)));
          log.push(`${name}${round}@${s.clock.now() - T0}`);
          await s.clock.sleep(pause);
        }
      };
      await s.run(Promise.all([worker('a', 3, 700), worker('b', 11, 300), worker('c', 1, 700)]));
      s.stop();
      return log;
    }
    const first = await scenario();
    expect(first).toHaveLength(12);
    expect(await scenario()).toEqual(first);
  });
});
