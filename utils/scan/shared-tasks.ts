/**
 * Concurrent scans of one file share one request: the first caller runs the task, the others await
 * its promise. A result may be kept for a while after it settles (a memo), so a scan that arrives just
 * after the request finished does not spend another.
 */
export interface SharedTasks {
  /** Run `task` unless one with this key is running or memoized; `keepFor(value)` ms to memoize a success. */
  run<T>(key: string, task: () => Promise<T>, keepFor: (value: T) => number): Promise<T>;
  /** Drop a memoized result (a running task stays shared). */
  forget(key: string): void;
  /** Whether a task with this key is running now (not merely memoized). */
  isRunning(key: string): boolean;
  clear(): void;
}

/** Memoized results kept at most; the oldest go first. */
const MAX_MEMOS = 500;

export function createSharedTasks(now: () => number): SharedTasks {
  const entries = new Map<string, { promise: Promise<unknown>; expiresAt: number }>();
  return {
    run<T>(key: string, task: () => Promise<T>, keepFor: (value: T) => number): Promise<T> {
      const existing = entries.get(key);
      if (existing && existing.expiresAt > now()) return existing.promise as Promise<T>;
      const entry = { promise: Promise.resolve().then(task), expiresAt: Number.POSITIVE_INFINITY };
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
      return entry.promise as Promise<T>;
    },
    forget(key) {
      const entry = entries.get(key);
      if (entry && entry.expiresAt !== Number.POSITIVE_INFINITY) entries.delete(key);
    },
    isRunning: (key) => entries.get(key)?.expiresAt === Number.POSITIVE_INFINITY,
    clear: () => entries.clear(),
  };
}
