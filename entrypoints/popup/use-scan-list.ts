/**
 * The newest scan records, kept fresh. Reads only the page shown (50, then 50 more per "Show more")
 * through the `createdAt` index. When the background announces changed records on the broadcast channel,
 * only those are read again and merged into the page (a full page of ~70-engine records costs tens of ms
 * to read and render; one record, a few); a full read every second stays as the fallback (a missed
 * broadcast, or a background that does not send one).
 */
import { useCallback, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ScanRecord } from '../../utils/scan/scan-record';
import { onScansChanged } from '../../utils/messaging/scan-changes-channel';
import { browser } from 'wxt/browser';
import { readPrivateScans } from '../../utils/scan/private-scans';
import { applyChangedScans, readNewestScans, readScansByToken, withPrivateRecords, type ScanPage } from '../../utils/ui/scan-list';
import { errorText } from '../../utils/ui/error-text';
import { dropPopupDb, getPopupDb } from './popup-db';

export const PAGE_SIZE = 50;
const POLL_MS = 1_000;
/**
 * The first read takes only what the popup shows before scrolling (rows are 58 px; 600 px holds about
 * eight), so the first rows paint without waiting for the rest of the page; the full page follows.
 */
const FIRST_PAINT_ROWS = 12;

export interface ScanListState {
  records: ScanRecord[];
  hasMore: boolean;
  /** False until the first read finished: the empty state must not flash before it. */
  loaded: boolean;
  /** Why the history could not be read, as the sentence the page shows. */
  error: string | null;
}

/** What changed between reads; an unchanged read does not re-render the list. */
function signatureOf(page: ScanPage): string {
  return `${page.hasMore}|${page.records.map((r) => `${r.token}:${r.updatedAt}:${r.status}`).join(',')}`;
}

export function useScanList(): ScanListState & { showMore: () => void; refresh: (changedTokens?: readonly string[]) => void } {
  const [state, setState] = useState<ScanListState>({ records: [], hasMore: false, loaded: false, error: null });
  const limit = useRef(PAGE_SIZE);
  const shown = useRef<ScanPage | null>(null);
  const lastSignature = useRef<string | null>(null);
  const running = useRef(false);
  // What the next read must cover: everything, or only these announced records.
  const pending = useRef({ full: false, tokens: new Set<string>() });

  const read = useCallback(() => {
    // One read at a time; what is asked for during a read runs after it, never in parallel.
    if (running.current) return;
    running.current = true;
    void (async () => {
      try {
        while (pending.current.full || pending.current.tokens.size > 0) {
          const { full, tokens } = pending.current;
          pending.current = { full: false, tokens: new Set() };
          try {
            const db = await getPopupDb();
            // Private windows' records are in storage.session, not IndexedDB: read them apart, merge them in.
            const privateRecords = await readPrivateScans(browser.storage.session).catch(() => []);
            const privateTokens = new Set(privateRecords.map((r) => r.token));
            const historyTokens = [...tokens].filter((token) => !privateTokens.has(token));
            const merged = !full && shown.current
              ? historyTokens.length === 0 ? shown.current : applyChangedScans(shown.current, await readScansByToken(db, historyTokens), limit.current)
              : null;
            let page = merged;
            if (!page && !shown.current && limit.current > FIRST_PAINT_ROWS) {
              const first = await readNewestScans(db, FIRST_PAINT_ROWS);
              // Shown, but not yet `loaded`: announcements and "Show more" wait for the whole page.
              if (first.hasMore) setState({ records: withPrivateRecords(first, privateRecords).records, hasMore: false, loaded: false, error: null });
              else page = first;
            }
            page ??= await readNewestScans(db, limit.current);
            shown.current = page;
            const visible = withPrivateRecords(page, privateRecords);
            const signature = signatureOf(visible);
            if (signature !== lastSignature.current) {
              lastSignature.current = signature;
              setState({ ...visible, loaded: true, error: null });
            }
          } catch (error) {
            dropPopupDb();
            shown.current = null;
            lastSignature.current = null;
            const message = errorText(error, 200);
            setState((s) => ({ ...s, loaded: true, error: message }));
          }
        }
      } finally {
        running.current = false;
      }
    })();
  }, []);

  /** Read again: only `changedTokens` when given, else the whole page. */
  const refresh = useCallback(
    (changedTokens?: readonly string[]) => {
      if (Array.isArray(changedTokens) && changedTokens.length > 0) for (const token of changedTokens) pending.current.tokens.add(token);
      else pending.current.full = true;
      read();
    },
    [read],
  );

  // A layout effect starts the first read right after the first render, not a frame later.
  useLayoutEffect(() => {
    refresh();
    const stopListening = onScansChanged(refresh);
    const poll = setInterval(() => refresh(), POLL_MS);
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
