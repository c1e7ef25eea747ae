/** The background's one wake alarm in the engine harness: a virtual-clock timer that resumes the engine when it rings. */
import type { ScanEngineDeps } from '@/utils/scan/scan-engine';
import type { Harness } from './engine-harness';

/** Gives the harness a new engine (a fresh worker) whose wake alarm resumes it on the virtual clock. */
export function withAlarm(harness: Harness, deps: Partial<ScanEngineDeps> = {}): void {
  let alarm: AbortController | null = null;
  harness.engine = harness.newEngine({
    ...deps,
    wake(at) {
      alarm?.abort();
      alarm = null;
      if (at === null) return;
      const ring = new AbortController();
      alarm = ring;
      void harness.clock.sleep(Math.max(0, at - harness.clock.now()), ring.signal).then(() => harness.engine.resume(), () => undefined);
    },
  });
}

/** Lets virtual time run to `at` (alarms ring on the way), then until no scan or second look runs. */
export async function runUntil(harness: Harness, at: number): Promise<void> {
  await harness.sim.run(harness.clock.sleep(Math.max(0, at - harness.clock.now())));
  await harness.sim.run(harness.engine.settled());
}
