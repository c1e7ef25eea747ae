/**
 * The newest scan records, kept fresh. Reads only the page shown (50, then 50 more per "Show more")
 * through the `createdAt` index; re-reads when the background announces a change on the broadcast
 * channel, and every second as a fallback (a missed broadcast, or a background that does not send one).
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { onScansChanged } from '../../utils/messaging/scan-changes-channel';
import { readNewestScans, type ScanPage } from '../../utils/ui/scan-list';
import { dropPopupDb, getPopupDb } from './popup-db';

export const PAGE_SIZE = 50;
const POLL_MS = 1_000;

export interface ScanListState {
  records: ScanRecord[];
  hasMore: boolean;
  /** False until the first read finished: the empty state must not flash before it. */
  loaded: boolean;
  /** Why the history could not be read, if it could not. */
  error: string | null;
}

/** What changed between reads; an unchanged read does not re-render the list. */
function signatureOf(page: ScanPage): string {
  return `${page.hasMore}|${page.records.map((r) => `${r.token}:${r.updatedAt}:${r.status}`).join(',')}`;
}

export function useScanList(): ScanListState & { showMore: () => void; refresh: () => void } {
  const [state, setState] = useState<ScanListState>({ records: [], hasMore: false, loaded: false, error: null });
  const limit = useRef(PAGE_SIZE);
  const lastSignature = useRef<string | null>(null);
  const running = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(() => {
    // One read at a time; a request during a read runs once more after it, never in parallel.
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    void (async () => {
      try {
        do {
          again.current = false;
          try {
            const page = await readNewestScans(await getPopupDb(), limit.current);
            const signature = signatureOf(page);
            if (signature !== lastSignature.current) {
              lastSignature.current = signature;
              setState({ ...page, loaded: true, error: null });
            }
          } catch (error) {
            dropPopupDb();
            lastSignature.current = null;
            const message = error instanceof Error ? error.message : String(error);
            setState((s) => ({ ...s, loaded: true, error: message }));
          }
        } while (again.current);
      } finally {
        running.current = false;
      }
    })();
  }, []);

  // A layout effect starts the first read right after the first render, not a frame later.
  useLayoutEffect(() => {
    refresh();
    const stopListening = onScansChanged(refresh);
    const poll = setInterval(refresh, POLL_MS);
    return () => {
      stopListening();
      clearInterval(poll);
    };
  }, [refresh]);

  const showMore = useCallback(() => {
    limit.current += PAGE_SIZE;
    refresh();
  }, [refresh]);

  return { ...state, showMore, refresh };
}
