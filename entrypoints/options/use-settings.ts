/** The settings as shown on the options page; each change is written at once through `updateSettings`. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { readSettings, updateSettings, type Settings } from '../../utils/settings/storage-items';
import { errorText } from '../../utils/ui/error-text';

export interface SettingsState {
  settings: Settings | null;
  /** Bumped after each successful save, so the page can say "Saved" again for a second change. */
  savedCount: number;
  error: string | null;
  update: (patch: Partial<Settings>) => Promise<void>;
}

export function useSettings(): SettingsState {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [savedCount, setSavedCount] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    readSettings().then(setSettings, (e: unknown) => setError(errorText(e)));
  }, []);

  const update = useCallback(async (patch: Partial<Settings>) => {
    setError(null);
    try {
      setSettings(await updateSettings(patch));
      setSavedCount((n) => n + 1);
    } catch (e) {
      setError(errorText(e));
    }
  }, []);

  return { settings, savedCount, error, update };
}
