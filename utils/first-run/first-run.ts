/**
 * The first-run page (entrypoints/welcome/): opened once, when ScanDock is installed, never on an update or a
 * browser restart. `firstRunItem` guards it too, so an install event seen twice (a profile re-registering an
 * unpacked extension) opens no second tab. Chrome restarts ScanDock when "Allow access to file URLs" changes,
 * closing the page mid-way; a restart that finds the switch on within the page's window reopens it.
 */
import type { FirstRun } from '@/utils/settings/storage-items';

/** The page's address inside the extension. */
export const WELCOME_PATH = '/welcome.html';

/** The page, with what it should say in its query. */
export type WelcomeUrl = `${typeof WELCOME_PATH}${string}`;

/** How long after the file access button a restart with file access on reopens the page. */
export const REOPEN_WINDOW_MS = 30 * 60_000;

export interface FirstRunDeps {
  read(): Promise<FirstRun>;
  write(value: FirstRun): Promise<void>;
  /** Opens the page at `path` (`tabs.create`). */
  open(path: WelcomeUrl): Promise<unknown>;
}

/** From the page's file access button: a restart with file access on within the window reopens the page. */
export async function askToReopenAfterFileAccess(deps: Pick<FirstRunDeps, 'read' | 'write'>, now: number): Promise<void> {
  await deps.write({ ...(await deps.read()), reopenWithFileAccessUntil: now + REOPEN_WINDOW_MS });
}

/** On `runtime.onInstalled`: opens the page for a new install only, once. Returns whether it opened it. */
export async function openWelcomeOnInstall(reason: string, deps: FirstRunDeps): Promise<boolean> {
  if (reason !== 'install') return false;
  const state = await deps.read();
  if (state.opened) return false;
  await deps.write({ ...state, opened: true });
  await deps.open(WELCOME_PATH);
  return true;
}

/**
 * On start-up: ScanDock was restarted with file access on while the page waited for it. Opens the page again
 * (once: the window is cleared) so the person sees the switch took and goes on from there.
 */
export async function reopenWelcomeAfterFileAccess(deps: FirstRunDeps & { fileAccess(): Promise<boolean>; now(): number }): Promise<boolean> {
  const state = await deps.read();
  const until = state.reopenWithFileAccessUntil;
  if (until === undefined) return false;
  if (deps.now() > until) {
    await deps.write({ opened: state.opened });
    return false;
  }
  if (!(await deps.fileAccess())) return false;
  await deps.write({ opened: state.opened });
  await deps.open(`${WELCOME_PATH}?after=file-access`);
  return true;
}
