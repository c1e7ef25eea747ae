import { describe, expect, it } from 'vitest';
import { ScanCancelled } from '../scan-cancelled';
import { ScanFailure } from '../scan-failure';
import { createSharedWork, type Member, type SharedRun } from './shared-work';

const member = (token: string, queuedAt = 0): Member & { controller: AbortController } => {
  const controller = new AbortController();
  return { place: { queuedAt, token }, signal: controller.signal, controller };
};

/** Work that waits until released, and remembers the run it was given. */
function pendingWork<T>() {
  let release!: (value: T) => void;
  let run: SharedRun | null = null;
  let starts = 0;
  const work = (r: SharedRun) => {
    run = r;
    starts++;
    return new Promise<T>((resolve, reject) => {
      release = resolve;
      r.signal.addEventListener('abort', () => reject(r.signal.reason));
    });
  };
  return { work, release: (value: T) => release(value), run: () => run!, starts: () => starts };
}

describe('shared work', () => {
  it('runs once for concurrent members and memoizes the result for a while', async () => {
    let clock = 0;
    const shared = createSharedWork(() => clock);
    let runs = 0;
    const work = async () => ++runs;
    const results = await Promise.all(['a', 'b', 'c'].map((t) => shared.join('k', member(t), work, () => 1000)));
    expect(results).toEqual([1, 1, 1]);
    expect(await shared.join('k', member('d'), work, () => 1000)).toBe(1);
    clock = 1001;
    expect(await shared.join('k', member('e'), work, () => 1000)).toBe(2);
  });

  it('does not share a failure with later members', async () => {
    const shared = createSharedWork(() => 0);
    await expect(shared.join('k', member('a'), async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await shared.join('k', member('b'), async () => 'ok')).toBe('ok');
  });

  it('goes on for the others when the scan that started it leaves', async () => {
    const shared = createSharedWork(() => 0);
    const pending = pendingWork<string>();
    const first = member('a');
    const second = member('b');
    const firstResult = shared.join('k', first, pending.work);
    const secondResult = shared.join('k', second, pending.work);
    await Promise.resolve();
    first.controller.abort(new Error('removed'));
    await expect(firstResult).rejects.toThrow('removed');
    expect(pending.run().signal.aborted).toBe(false);
    pending.release('report');
    await expect(secondResult).resolves.toBe('report');
    expect(pending.starts()).toBe(1);
  });

  it('lists its members first queued first, and a cancellation inside it is no member\'s own: they get a failure to retry', async () => {
    const shared = createSharedWork(() => 0);
    const late = member('late', 50);
    const early = member('early', 10);
    let run: SharedRun | null = null;
    let fail!: () => void;
    const work = (r: SharedRun) => {
      run = r;
      return new Promise<string>((_, reject) => (fail = () => reject(new ScanCancelled())));
    };
    const results = [shared.join('k', late, work), shared.join('k', early, work)];
    await Promise.resolve();
    expect(run!.members().map((m) => m.place.token)).toEqual(['early', 'late']);
    fail();
    for (const result of results) {
      const error: unknown = await result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScanFailure);
      expect(error).toMatchObject({ kind: 'retry' });
    }
  });

  it('is cancelled once every member has left', async () => {
    const shared = createSharedWork(() => 0);
    const pending = pendingWork<string>();
    const a = member('a');
    const b = member('b');
    const results = [shared.join('k', a, pending.work), shared.join('k', b, pending.work)];
    await Promise.resolve();
    a.controller.abort(new Error('a left'));
    b.controller.abort(new Error('b left'));
    await Promise.allSettled(results);
    expect(pending.run().signal.aborted).toBe(true);
    expect(shared.isRunning('k')).toBe(false);
  });

  it('stands in the queue at its earliest member and tells every member of a wait', async () => {
    const shared = createSharedWork(() => 0);
    const pending = pendingWork<string>();
    const told: string[] = [];
    const late = { ...member('late', 50), onWait: () => told.push('late') };
    const early = { ...member('early', 10), onWait: () => told.push('early') };
    const results = [shared.join('k', late, pending.work), shared.join('k', early, pending.work)];
    await Promise.resolve();
    expect(pending.run().place()).toEqual({ queuedAt: 10, token: 'early' });
    pending.run().onWait({ until: 1, window: 'minute' });
    expect(told.sort()).toEqual(['early', 'late']);
    // A member joining later hears of the wait at once.
    const joiner = { ...member('joiner', 99), onWait: () => told.push('joiner') };
    results.push(shared.join('k', joiner, pending.work));
    expect(told).toContain('joiner');
    early.controller.abort(new Error('removed'));
    expect(pending.run().place()).toEqual({ queuedAt: 50, token: 'late' });
    pending.release('done');
    await Promise.allSettled(results);
  });
});
