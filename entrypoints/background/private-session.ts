/**
 * The end of a private session: once no private (incognito) window is left, every scan of a private
 * window's download is stopped and forgotten, with its notification and its place in the badge's count,
 * so nothing of that session stays behind. Checked when a window closes and when the worker starts (a
 * window may have closed while the worker was stopped).
 */
import type { Browser } from 'wxt/browser';

export interface PrivateSessionDeps {
  /** Every open window (`windows.getAll`). */
  windows(): Promise<Array<Pick<Browser.windows.Window, 'incognito'>>>;
  /** Forget the private records; returns their tokens. */
  endPrivateSession(): Promise<string[]>;
  /** Stop one scan (the scheduler's cancel) and remove what is left of it: its notification, its unseen detection. */
  forget(token: string): Promise<void>;
}

/** Ends the private session if no private window is open; returns the tokens forgotten. */
export async function endPrivateSessionIfOver(deps: PrivateSessionDeps): Promise<string[]> {
  if ((await deps.windows()).some((w) => w.incognito)) return [];
  const tokens = await deps.endPrivateSession();
  for (const token of tokens) await deps.forget(token);
  return tokens;
}
