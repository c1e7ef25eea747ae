import { describe, expect, it } from 'vitest';
import { createSharedTasks } from './shared-tasks';

describe('shared tasks', () => {
  it('run once for concurrent callers and memoize the result for a while', async () => {
    let clock = 0;
    const tasks = createSharedTasks(() => clock);
    let runs = 0;
    const task = async () => ++runs;
    const results = await Promise.all([1, 2, 3].map(() => tasks.run('k', task, () => 1000)));
    expect(results).toEqual([1, 1, 1]);
    expect(await tasks.run('k', task, () => 1000)).toBe(1);
    clock = 1001;
    expect(await tasks.run('k', task, () => 1000)).toBe(2);
  });

  it('do not share a failure with later callers', async () => {
    const tasks = createSharedTasks(() => 0);
    await expect(tasks.run('k', async () => Promise.reject(new Error('boom')), () => 1000)).rejects.toThrow('boom');
    expect(await tasks.run('k', async () => 'ok', () => 1000)).toBe('ok');
  });
});
