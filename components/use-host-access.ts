/** Whether ScanDock has its host access, kept current as the person withdraws or gives it back. null until known. */
import { useEffect, useState } from 'preact/hooks';
import { hasHostAccess, watchHostAccess } from '../utils/permissions/host-access';

export function useHostAccess(): boolean | null {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    let active = true;
    const check = () => void hasHostAccess().then((value) => active && setGranted(value));
    check();
    const stop = watchHostAccess(check);
    return () => {
      active = false;
      stop();
    };
  }, []);
  return granted;
}
