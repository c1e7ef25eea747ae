/**
 * Whether Chrome's "Allow access to file URLs" is on for ScanDock, kept current: read on load, whenever the page
 * comes back into view or focus (the person returns from the details page), and every few seconds meanwhile.
 * Chrome fires no event for this switch. null until known.
 */
import { useEffect, useState } from 'preact/hooks';
import { hasFileAccess } from '../utils/permissions/file-access';

const POLL_MS = 2_000;

export function useFileAccess(): boolean | null {
  const [on, setOn] = useState<boolean | null>(null);
  useEffect(() => {
    let active = true;
    const check = () => void hasFileAccess().then((value) => active && setOn(value));
    check();
    const poll = setInterval(check, POLL_MS);
    window.addEventListener('focus', check);
    document.addEventListener('visibilitychange', check);
    return () => {
      active = false;
      clearInterval(poll);
      window.removeEventListener('focus', check);
      document.removeEventListener('visibilitychange', check);
    };
  }, []);
  return on;
}
