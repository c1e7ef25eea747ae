import { describe, expect, it } from 'vitest';
import { createFifoGate } from './fifo-gate';

const place = (queuedAt: number) => ({ queuedAt, token: `t${queuedAt}` });
const never = new AbortController().signal;

/** A task that runs until released, recording its start. */
function task(started: number[], id: number) {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { run: async () => { started.push(id); await done; return id; }, release: () => release() };
}

describe('FIFO gate', () => {
  it('runs at most `capacity` tasks at once and admits the waiting ones first queued, first served', async () => {
    const gate = createFifoGate(1);
    const started: number[] = [];
    const tasks = [task(started, 1), task(started, 3), task(started, 2)];
    const results = [
      gate.run(place(1), never, tasks[0]!.run),
      gate.run(place(3), never, tasks[1]!.run),
      gate.run(place(2), never, tasks[2]!.run),
    ];
    await Promise.resolve();
    expect(started).toEqual([1]);
    expect(gate.waiting).toBe(2);
    tasks[0]!.release();
    await results[0];
    await new Promise((r) => setTimeout(r, 0));
    // Queued at 2 goes before queued at 3, though it asked later.
    expect(started).toEqual([1, 2]);
    tasks[2]!.release();
    tasks[1]!.release();
    expect(await Promise.all(results)).toEqual([1, 3, 2]);
    expect(gate.running).toBe(0);
  });

  it('lets a waiter whose scan was removed leave the line without taking a place', async () => {
    const gate = createFifoGate(1);
    const started: number[] = [];
    const first = task(started, 1);
    const running = gate.run(place(1), never, first.run);
    const removed = new AbortController();
    const left = gate.run(place(2), removed.signal, async () => started.push(2));
    const third = gate.run(place(3), never, async () => started.push(3));
    removed.abort(new Error('removed'));
    await expect(left).rejects.toThrow('removed');
    first.release();
    await Promise.all([running, third]);
    expect(started).toEqual([1, 3]);
  });

  it('admits shared work at its place as it is when a place frees (its earliest member may have left)', async () => {
    const gate = createFifoGate(1);
    const started: number[] = [];
    const first = task(started, 1);
    const running = gate.run(place(1), never, first.run);
    let sharedPlace = place(2);
    const shared = gate.run(() => sharedPlace, never, async () => started.push(20));
    const other = gate.run(place(3), never, async () => started.push(3));
    // The member queued at 2 left; the one queued at 4 is the earliest now: the scan queued at 3 goes first.
    sharedPlace = place(4);
    first.release();
    await Promise.all([running, shared, other]);
    expect(started).toEqual([1, 3, 20]);
  });
});
