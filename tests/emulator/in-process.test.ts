/**
 * The emulator in-process (`handle(request)`), on the simulation's clock: what the network-level faults do
 * without a socket, and that the latency fault and URL visits wait on the emulator's clock, not real time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFileServer } from '../support/file-server';
import { createSimClock } from '../support/sim/sim-clock';
import { createSimulation, type Simulation } from '../support/sim/sim-driver';
import { createSimNetwork } from '../support/sim/sim-network';
import { EICAR_SHA256, eicarBytes } from './fixtures';
import { DEMO_API_KEY, createVirusTotalEmulator, type EmulatorOptions, type VirusTotalEmulator } from './virustotal-emulator';

const T0 = Date.UTC(2026, 10, 25, 12);
let sim: Simulation | undefined;
afterEach(() => sim?.stop());

/** An in-process emulator and file server on one simulated network; `busy` counts tracked processing. */
function setup(options: EmulatorOptions = {}) {
  const clock = createSimClock(T0);
  sim = createSimulation({ clock });
  const net = createSimNetwork(clock);
  const files = createFileServer();
  const s = sim;
  let busy = 0;
  const emulator: VirusTotalEmulator = createVirusTotalEmulator({
    clock,
    fetch: net.fetch,
    track: (work) => {
      busy++;
      const done = () => void busy--;
      work.then(done, done);
      return s.track(work, 'emulator');
    },
    ...options,
  });
  net.route(emulator.origin, emulator.handle);
  net.route(files.origin, files.handle);
  const lookup = (init: RequestInit = {}) =>
    net.fetch(`${emulator.baseUrl}/files/${EICAR_SHA256}`, { ...init, headers: { 'x-apikey': DEMO_API_KEY } });
  return { clock, sim: s, net, files, emulator, lookup, busy: () => busy };
}

describe('the emulator in-process', () => {
  it('answers a request like the HTTP server, stamped with its clock', async () => {
    const { emulator, lookup } = setup();
    const response = await lookup();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { data: { id: string } }).data.id).toBe(EICAR_SHA256);
    expect(emulator.requests).toEqual([{ method: 'GET', path: `/api/v3/files/${EICAR_SHA256}`, apiKey: DEMO_API_KEY, status: 200, at: T0, answeredAt: T0, quotaCounted: true }]);
  });

  it('latency: the answer comes that long later on the emulator’s clock, counted when it is processed', async () => {
    const { emulator, lookup, sim: s, busy } = setup();
    emulator.injectFault({ kind: 'latency', ms: 300 });
    const answered = lookup().then((r) => [r.status, s.clock.now() - T0]);
    await s.idle();
    // Waiting out the latency is not processing: the driver may move time on meanwhile.
    expect(busy()).toBe(0);
    expect(emulator.requests[0]).toMatchObject({ at: T0, answeredAt: null, status: 0, quotaCounted: false });
    expect(await s.run(answered)).toEqual([200, 300]);
    expect(emulator.quotaUsed().minute).toBe(1);
  });

  it('answeredAt: when the answer went back, on the emulator’s clock; null for a request never answered', async () => {
    const { emulator, lookup, sim: s } = setup();
    emulator.injectFault({ kind: 'latency', ms: 1200 });
    emulator.injectFault({ kind: 'hang' });
    emulator.injectFault({ kind: 'reset' });
    const slow = lookup();
    const hung = lookup({ signal: s.clock.timeout(5000) });
    await expect(lookup()).rejects.toThrow(TypeError);
    expect((await s.run(slow)).status).toBe(200);
    await expect(s.run(hung)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await lookup()).status).toBe(200);
    expect(emulator.requests.map((r) => [r.fault ?? null, r.at - T0, r.answeredAt === null ? null : r.answeredAt - T0])).toEqual([
      ['latency', 0, 1200], ['hang', 0, null], ['reset', 0, null], [null, 5000, 5000],
    ]);
  });

  it('hang: no answer until the request’s signal aborts, then its reason, as fetch gives it; uncounted', async () => {
    const { emulator, lookup, sim: s } = setup();
    emulator.injectFault({ kind: 'hang' });
    const hung = lookup({ signal: s.clock.timeout(250) });
    await expect(s.run(hung)).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(s.clock.now()).toBe(T0 + 250);
    expect(emulator.requests[0]).toMatchObject({ fault: 'hang', status: 0, quotaCounted: false });
  });

  it('reset: a network error (TypeError), uncounted, and the next request is fine', async () => {
    const { emulator, lookup } = setup();
    emulator.injectFault({ kind: 'reset' });
    await expect(lookup()).rejects.toThrow(new TypeError('fetch failed'));
    expect(emulator.requests[0]).toMatchObject({ fault: 'reset', status: 0, quotaCounted: false });
    expect((await lookup()).status).toBe(200);
  });

  it('close() ends hanging requests and latency waits with a network error, and refuses new ones', async () => {
    const { emulator, lookup, sim: s } = setup();
    emulator.injectFault({ kind: 'hang' });
    emulator.injectFault({ kind: 'latency', ms: 60_000 });
    const hung = lookup();
    const slow = lookup();
    await s.idle();
    await emulator.close();
    await expect(hung).rejects.toThrow(TypeError);
    await expect(slow).rejects.toThrow(TypeError);
    await expect(lookup()).rejects.toThrow(TypeError);
    expect(s.clock.now()).toBe(T0);
  });

  it('visits a submitted URL through the fetch it was given, and its visit timeout goes away with it', async () => {
    const { emulator, files, net, sim: s } = setup({ analysisPolls: 1 });
    const url = files.serve('/eicar.com', { body: eicarBytes() });
    const headers = { 'x-apikey': DEMO_API_KEY };
    const submitted = await net.fetch(`${emulator.baseUrl}/urls`, { method: 'POST', headers, body: new URLSearchParams({ url }) });
    const { data } = (await submitted.json()) as { data: { id: string } };
    for (let poll = 0; poll < 2; poll++) await net.fetch(`${emulator.baseUrl}/analyses/${data.id}`, { headers });
    expect(files.hits('/eicar.com')).toBe(1);
    expect(emulator.urlSubmissions).toEqual([url]);
    await s.idle();
    expect(s.clock.size).toBe(0);
    const report = (await (await net.fetch(`${emulator.baseUrl}/urls/${Buffer.from(url).toString('base64url')}`, { headers })).json()) as {
      data: { attributes: { last_http_response_code: number; last_http_response_content_sha256: string } };
    };
    expect(report.data.attributes).toMatchObject({ last_http_response_code: 200, last_http_response_content_sha256: EICAR_SHA256 });
  });
});
