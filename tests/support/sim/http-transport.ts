/**
 * Real HTTP over loopback, for the few tests about wire behaviour (`transport: 'http'` in the engine
 * harness). The driver cannot see a socket, so each fetch is tracked from the moment it is sent until its
 * body is read: virtual time does not pass while a request travels (it would reach the emulator stamped
 * late). Hence no 'hang' fault here: a request that never answers would hold virtual time still, and its
 * timeout, a virtual timer, would never fire.
 */
import { guardResponse } from './guarded-body';
import type { SimClock } from './sim-clock';
import type { Simulation } from './sim-driver';

/** The global fetch, each request tracked by `sim` until its body is over. */
export function trackedHttpFetch(sim: Simulation, clock: SimClock): typeof fetch {
  return (input, init) => {
    const signal = init?.signal ?? null;
    let over: () => void = () => undefined;
    void sim.track(new Promise<void>((resolve) => (over = resolve)), `http ${input instanceof Request ? input.url : String(input)}`);
    const done = () => {
      over();
      if (signal) clock.dropTimeout(signal);
    };
    return fetch(input, init).then(
      (response) => guardResponse(response, null, done, { url: response.url, redirected: response.redirected }),
      (error: unknown) => {
        done();
        throw error;
      },
    );
  };
}
