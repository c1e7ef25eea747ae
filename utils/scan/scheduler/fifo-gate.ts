/**
 * A gate that lets at most `capacity` tasks run at once and admits the waiting ones in queue order.
 * The scheduler has two: reading (a file being read and hashed holds memory) and the upload lane (a
 * file being uploaded holds its bytes): how many of them run at once is what bounds the worker's memory.
 */
import { compareQueuePlaces, type QueuePlace } from './queue-order';

export interface FifoGate {
  /**
   * Run `task` once a place is free and no scan earlier in the queue waits for one. A waiter whose
   * signal aborts leaves the line (rejecting with the signal's reason) without taking a place. `place`
   * may be a function: work shared by scans stands at its earliest member's place, which can move.
   */
  run<T>(place: QueuePlace | (() => QueuePlace), signal: AbortSignal, task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly running: number;
  /** Tasks waiting for a place. */
  readonly waiting: number;
}

interface Waiter {
  place(): QueuePlace;
  admit(): void;
}

export function createFifoGate(capacity: number): FifoGate {
  let running = 0;
  const line: Waiter[] = [];

  function admitNext(): void {
    while (running < capacity && line.length > 0) {
      line.sort((a, b) => compareQueuePlaces(a.place(), b.place()));
      running++;
      line.shift()!.admit();
    }
  }

  return {
    async run(place, signal, task) {
      signal.throwIfAborted();
      if (running >= capacity || line.length > 0) {
        await new Promise<void>((resolve, reject) => {
          const waiter: Waiter = {
            place: typeof place === 'function' ? place : () => place,
            admit: () => {
              signal.removeEventListener('abort', leave);
              resolve();
            },
          };
          function leave() {
            const i = line.indexOf(waiter);
            if (i >= 0) line.splice(i, 1);
            reject(signal.reason);
          }
          signal.addEventListener('abort', leave, { once: true });
          line.push(waiter);
          admitNext();
        });
      } else {
        running++;
      }
      try {
        return await task();
      } finally {
        running--;
        admitNext();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return line.length;
    },
  };
}
