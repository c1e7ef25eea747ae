import { describe, expect, it, vi } from 'vitest';
import { endPrivateSessionIfOver } from './private-session';

function deps(windows: Array<{ incognito: boolean }>) {
  return {
    windows: vi.fn(async () => windows),
    endPrivateSession: vi.fn(async () => ['a'.repeat(64), 'b'.repeat(64)]),
    forget: vi.fn(async () => undefined),
  };
}

describe('the end of a private session', () => {
  it('while a private window is open, nothing is forgotten', async () => {
    const d = deps([{ incognito: false }, { incognito: true }]);
    expect(await endPrivateSessionIfOver(d)).toEqual([]);
    expect(d.endPrivateSession).not.toHaveBeenCalled();
    expect(d.forget).not.toHaveBeenCalled();
  });

  it('once the last private window closed, every private scan is stopped and forgotten (notification and badge too)', async () => {
    const d = deps([{ incognito: false }]);
    expect(await endPrivateSessionIfOver(d)).toEqual(['a'.repeat(64), 'b'.repeat(64)]);
    expect(d.forget.mock.calls).toEqual([['a'.repeat(64)], ['b'.repeat(64)]]);
  });
});
