/**
 * What the popup asks the background every few seconds: whether a key is set (and accepted) and how
 * much quota is used. A background that does not answer leaves the last known values in place.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../../utils/messaging/messenger';
import type { MessageReturn } from '../../utils/messaging/protocol';
import type { QuotaUsage } from '../../utils/quota/quota-math';

const REFRESH_MS = 3_000;

export type KeyState = MessageReturn<'getKeyState'>;

export function useBackgroundState(): { keyState: KeyState | null; quota: QuotaUsage | null } {
  const [keyState, setKeyState] = useState<KeyState | null>(null);
  const [quota, setQuota] = useState<QuotaUsage | null>(null);

  useEffect(() => {
    let active = true;
    const load = () => {
      sendMessage('getKeyState').then(
        (value) => active && setKeyState(value),
        () => undefined,
      );
      sendMessage('getQuotaUsage').then(
        (value: QuotaUsage) => active && setQuota(value),
        () => undefined,
      );
    };
    load();
    const id = setInterval(load, REFRESH_MS);
    return () => {
      active = false;
      clearInterval(id);
    };
  }, []);

  return { keyState, quota };
}
