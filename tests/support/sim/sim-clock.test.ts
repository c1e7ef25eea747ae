import { describe, expect, it } from 'vitest';
import { createSimClock } from './sim-clock';

const T0 = Date.UTC(2026, 10, 25, 12);

describe('the simulation clock', () => {
  it('moves only when a timer fires: earliest first, timers due together in the order they were set', async () => {
    const clock = createSimClock(T0);
    const fired: string[] = [];
    void clock.sleep(300).then(() => fired.push('b@300'));
    void clock.sleep(100).then(() => fired.push('a@100'));
    void clock.sleep(300).then(() => fired.push('c@300'));
    expect(clock.now()).toBe(T0);
    expect(clock.timers.map((t) => t.due - T0)).toEqual([100, 300, 300]);
    while (clock.fireNext()) await Promise.resolve();
    await Promise.resolve();
    expect(fired).toEqual(['a@100', 'b@300', 'c@300']);
    expect(clock.now()).toBe(T0 + 300);
    expect(clock.fireNext()).toBe(false);
  });

  it('an abort takes the sleep out of the queue and rejects it with the reason', async () => {
    const clock = createSimClock(T0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    expect(clock.size).toBe(1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    expect(clock.size).toBe(0);
    await expect(clock.sleep(5, AbortSignal.abort(reason))).rejects.toBe(reason);
    expect(clock.size).toBe(0);
  });

  it('a timeout aborts with a TimeoutError when its timer fires, and can be dropped', () => {
    const clock = createSimClock(T0);
    const signal = clock.timeout(30_000);
    const dropped = clock.timeout(10_000);
    clock.dropTimeout(dropped);
    clock.dropTimeout(new AbortController().signal); // not one of the clock's: ignored
    expect(clock.timers.map((t) => t.label)).toEqual(['timeout 30000 ms']);
    expect(signal.aborted).toBe(false);
    clock.fireNext();
    expect(clock.now()).toBe(T0 + 30_000);
    expect(signal.reason).toMatchObject({ name: 'TimeoutError' });
    expect(dropped.aborted).toBe(false);
  });

  it('advance jumps at once, never backwards; an overdue timer fires without moving time back', () => {
    const clock = createSimClock(T0);
    void clock.sleep(100);
    clock.advance(1_000);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    clock.fireNext();
    expect(clock.now()).toBe(T0 + 1_000);
  });

  it('a negative or missing delay is due at once, like setTimeout', () => {
    const clock = createSimClock(T0);
    void clock.sleep(-5);
    void clock.sleep(Number.NaN);
    expect(clock.timers.map((t) => t.due)).toEqual([T0, T0]);
  });

  it('jump moves the system clock back or forward; virtual time and the timers stay where they were', async () => {
    const clock = createSimClock(T0);
    const fired: number[] = [];
    void clock.sleep(1_000).then(() => fired.push(clock.now()));
    clock.jump(-3_600_000);
    expect(clock.now()).toBe(T0 - 3_600_000);
    expect(clock.monotonic()).toBe(T0);
    expect(clock.timers.map((t) => t.due)).toEqual([T0 + 1_000]);
    clock.fireNext();
    await Promise.resolve();
    expect(fired).toEqual([T0 - 3_600_000 + 1_000]);
    clock.jump(7_200_000);
    expect(clock.now() - clock.monotonic()).toBe(3_600_000);
  });
});
