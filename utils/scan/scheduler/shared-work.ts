/**
 * Scans of the same file share one request: the first scan that asks starts the work, later ones join
 * it. The work belongs to all of them: it stands in the queue at the earliest member's place, and it
 * is cancelled only when every member has left (a removed scan leaves alone; the others still get the
 * answer). A result may be kept for a while after it settles (a memo), so a scan that arrives just
 * after the request finished does not spend another.
 */
import { ScanFailure } from '../scan-failure';
import { isCancellation } from '../scan-cancelled';
import { problem } from '../../problems/problem';
import { compareQueuePlaces, earliestPlace, type QueuePlace } from './queue-order';
import type { SlotWait } from './request-slots';

/** One scan taking part in shared work. */
export interface Member {
  place: QueuePlace;
  signal: AbortSignal;
  /** Told when the shared work waits for a VirusTotal slot (so every member's record can say why). */
  onWait?(wait: SlotWait): void;
}

/**
 * What the work itself sees: cancelled when no member is left, the earliest member's place, its members,
 * and whom to tell of a wait. The work runs for all of them: it never uses the starter's own signal or
 * record, since the starter may leave (be removed) while the others still wait for the result.
 */
export interface SharedRun<M extends Member = Member> {
  signal: AbortSignal;
  place(): QueuePlace;
  /** The members still in it, first queued first (the starter among them only while it stays). */
  members(): M[];
  /** Tell every member (and later joiners) that the work waits for a slot. */
  onWait(wait: SlotWait): void;
}

export interface SharedWork {
  /**
   * The result of the work under `key`: joins the running work or a memoized result, or starts `work`.
   * `keepFor(value)`: milliseconds to keep a success for later callers (0: not at all). Rejects with the
   * member's abort reason when the member leaves first.
   */
  join<T, M extends Member = Member>(key: string, member: M, work: (run: SharedRun<M>) => Promise<T>, keepFor?: (value: T) => number): Promise<T>;
  /** Drop a memoized result (running work stays shared). */
  forget(key: string): void;
  /** Whether work under this key runs now (not merely memoized). */
  isRunning(key: string): boolean;
  clear(): void;
}

/** Memoized results kept at most; the oldest go first. */
const MAX_MEMOS = 500;

interface Entry {
  key: string;
  promise: Promise<unknown>;
  members: Set<Member>;
  controller: AbortController;
  /** The last wait told, for members that join later. */
  wait: SlotWait | null;
  /** Infinity while running. */
  expiresAt: number;
}

export function createSharedWork(now: () => number): SharedWork {
  const entries = new Map<string, Entry>();

  /** The member's view of the work: it may leave (abort) without cancelling the work for the others. */
  function follow<T>(entry: Entry, member: Member): Promise<T> {
    if (member.signal.aborted) return Promise.reject(member.signal.reason);
    entry.members.add(member);
    if (entry.wait) member.onWait?.(entry.wait);
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        entry.members.delete(member);
        if (entry.members.size === 0 && entry.expiresAt === Number.POSITIVE_INFINITY) {
          // Nobody wants it any more: stop it, and let a later scan start afresh rather than join a cancelled run.
          if (entries.get(entry.key) === entry) entries.delete(entry.key);
          entry.controller.abort(member.signal.reason);
        }
        reject(member.signal.reason);
      };
      member.signal.addEventListener('abort', leave, { once: true });
      (entry.promise as Promise<T>).then(
        (value) => {
          member.signal.removeEventListener('abort', leave);
          entry.members.delete(member);
          resolve(value);
        },
        (error: unknown) => {
          member.signal.removeEventListener('abort', leave);
          entry.members.delete(member);
          // The member did not leave: a cancellation inside the shared work is not its own, and must not end its
          // run quietly (a scan stuck in progress). It is a failure the member tries again.
          reject(isCancellation(error) ? new ScanFailure(problem('internal', { detail: 'shared work was cancelled' }), 'retry') : error);
        },
      );
    });
  }

  return {
    join<T, M extends Member = Member>(key: string, member: M, work: (run: SharedRun<M>) => Promise<T>, keepFor: (value: T) => number = () => 0): Promise<T> {
      const existing = entries.get(key);
      if (existing && existing.expiresAt > now()) {
        return existing.expiresAt === Number.POSITIVE_INFINITY ? follow<T>(existing, member) : (existing.promise as Promise<T>);
      }
      const controller = new AbortController();
      const entry: Entry = { key, promise: Promise.resolve(), members: new Set(), controller, wait: null, expiresAt: Number.POSITIVE_INFINITY };
      const members = () => [...entry.members].sort((a, b) => compareQueuePlaces(a.place, b.place)) as M[];
      const run: SharedRun<M> = {
        signal: controller.signal,
        place: () => earliestPlace([...entry.members].map((m) => m.place)) ?? member.place,
        members,
        onWait(wait) {
          entry.wait = wait;
          for (const m of entry.members) m.onWait?.(wait);
        },
      };
      entry.promise = Promise.resolve().then(() => work(run));
      entries.set(key, entry);
      entry.promise.then(
        (value) => {
          const ms = keepFor(value as T);
          if (ms > 0) entry.expiresAt = now() + ms;
          else if (entries.get(key) === entry) entries.delete(key);
          while (entries.size > MAX_MEMOS) entries.delete(entries.keys().next().value as string);
        },
        () => {
          // A failure is not shared with later callers: they try again.
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return follow<T>(entry, member);
    },
    forget(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt !== Number.POSITIVE_INFINITY) entries.delete(key);
    },
    isRunning: (key) => entries.get(key)?.expiresAt === Number.POSITIVE_INFINITY,
    clear: () => entries.clear(),
  };
}
