/** The first-run page opens once, on install only, and again only after the restart file access causes. */
import { describe, expect, it } from 'vitest';
import type { FirstRun } from '@/utils/settings/storage-items';
import { askToReopenAfterFileAccess, openWelcomeOnInstall, REOPEN_WINDOW_MS, reopenWelcomeAfterFileAccess, WELCOME_PATH } from './first-run';

function fakeDeps(initial: FirstRun = { opened: false }) {
  let state = initial;
  const opened: string[] = [];
  return {
    opened,
    state: () => state,
    read: async () => state,
    write: async (value: FirstRun) => void (state = value),
    open: async (path: string) => void opened.push(path),
  };
}

describe('openWelcomeOnInstall', () => {
  it('opens the page on install, once', async () => {
    const deps = fakeDeps();
    expect(await openWelcomeOnInstall('install', deps)).toBe(true);
    expect(await openWelcomeOnInstall('install', deps)).toBe(false);
    expect(deps.opened).toEqual([WELCOME_PATH]);
    expect(deps.state()).toEqual({ opened: true });
  });

  it.each(['update', 'chrome_update', 'browser_update', 'shared_module_update'])('does not open it on %s', async (reason) => {
    const deps = fakeDeps();
    expect(await openWelcomeOnInstall(reason, deps)).toBe(false);
    expect(deps.opened).toEqual([]);
    expect(deps.state()).toEqual({ opened: false });
  });
});

describe('reopenWelcomeAfterFileAccess', () => {
  const now = 1_000_000;
  const withDeps = (state: FirstRun, fileAccess: boolean, at = now) => {
    const deps = fakeDeps(state);
    return { deps, run: () => reopenWelcomeAfterFileAccess({ ...deps, fileAccess: async () => fileAccess, now: () => at }) };
  };

  it('reopens the page once when ScanDock restarts with file access on inside the window', async () => {
    const { deps, run } = withDeps({ opened: true, reopenWithFileAccessUntil: now + REOPEN_WINDOW_MS }, true);
    expect(await run()).toBe(true);
    expect(await run()).toBe(false);
    expect(deps.opened).toEqual([`${WELCOME_PATH}?after=file-access`]);
    expect(deps.state()).toEqual({ opened: true });
  });

  it('keeps waiting while file access is still off', async () => {
    const { deps, run } = withDeps({ opened: true, reopenWithFileAccessUntil: now + 1 }, false);
    expect(await run()).toBe(false);
    expect(deps.state()).toEqual({ opened: true, reopenWithFileAccessUntil: now + 1 });
  });

  it('forgets the window once it has passed, and opens nothing', async () => {
    const { deps, run } = withDeps({ opened: true, reopenWithFileAccessUntil: now - 1 }, true);
    expect(await run()).toBe(false);
    expect(deps.opened).toEqual([]);
    expect(deps.state()).toEqual({ opened: true });
  });

  it('the page’s button opens the window; the restart that follows reopens the page', async () => {
    const deps = fakeDeps({ opened: true });
    await askToReopenAfterFileAccess(deps, now);
    expect(deps.state()).toEqual({ opened: true, reopenWithFileAccessUntil: now + REOPEN_WINDOW_MS });
    expect(await reopenWelcomeAfterFileAccess({ ...deps, fileAccess: async () => true, now: () => now + REOPEN_WINDOW_MS })).toBe(true);
  });

  it('opens nothing when the page never asked', async () => {
    const { deps, run } = withDeps({ opened: true }, true);
    expect(await run()).toBe(false);
    expect(deps.opened).toEqual([]);
  });
});
