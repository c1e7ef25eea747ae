import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './virtual-clock';

describe('virtual clock', () => {
  it('moves only when advanced, and never backwards', () => {
    const clock = createVirtualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(clock.now()).toBe(1500);
  });

  it('sleep advances at once and resolves after pending macrotasks', async () => {
    const clock = createVirtualClock(0);
    let ranBefore = false;
    setTimeout(() => { ranBefore = true; }, 0);
    const sleeping = clock.sleep(60_000);
    expect(clock.now()).toBe(60_000);
    await sleeping;
    expect(ranBefore).toBe(true);
  });
});
