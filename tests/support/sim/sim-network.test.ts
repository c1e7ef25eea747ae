import { describe, expect, it } from 'vitest';
import { createSimClock } from './sim-clock';
import { createSimNetwork, type RequestHandler } from './sim-network';

const SITE = 'http://127.0.0.1:40100';

function network(handler: RequestHandler) {
  const clock = createSimClock(0);
  const net = createSimNetwork(clock);
  const seen: Array<{ method: string; url: string; body: string }> = [];
  net.route(SITE, async (request) => {
    seen.push({ method: request.method, url: request.url, body: request.body ? await request.text() : '' });
    return handler(request);
  });
  return { clock, net, seen };
}

const hangUntilAborted: RequestHandler = (request) =>
  new Promise((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));

describe('the simulation network', () => {
  it('hands a request to the server of its origin, body and headers included', async () => {
    const { net, seen } = network(() => new Response('ok', { status: 201, headers: { 'x-answer': 'yes' } }));
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'a.txt');
    const response = await net.fetch(`${SITE}/upload`, { method: 'POST', body: form, headers: { 'x-apikey': 'k' }, credentials: 'omit', cache: 'no-store' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(response.url).toBe(`${SITE}/upload`);
    expect(await response.text()).toBe('ok');
    expect(seen[0]).toMatchObject({ method: 'POST', url: `${SITE}/upload` });
    expect(seen[0]!.body).toMatch(/name="file"; filename="a.txt"[\s\S]*hello/);
    await net.fetch(`${SITE}/form`, { method: 'POST', body: new URLSearchParams({ url: 'https://x.example/?a=1' }) });
    await net.fetch(`${SITE}/blob`, { method: 'POST', body: new Blob(['raw bytes']) });
    expect(seen.slice(1).map((r) => r.body)).toEqual(['url=https%3A%2F%2Fx.example%2F%3Fa%3D1', 'raw bytes']);
  });

  it('fails like a network error for an origin nobody serves', async () => {
    const { net } = network(() => new Response('ok'));
    await expect(net.fetch('http://127.0.0.1:9/x')).rejects.toThrow(new TypeError('fetch failed'));
  });

  it('follows redirects (303 becomes a GET), up to 20, and honours redirect: error and manual', async () => {
    const { net, seen } = network((request) => {
      const path = new URL(request.url).pathname;
      if (path === '/see-other') return new Response(null, { status: 303, headers: { location: '/final' } });
      if (path === '/keep') return new Response(null, { status: 307, headers: { location: '/final' } });
      if (path.startsWith('/loop')) return new Response(null, { status: 302, headers: { location: path === '/loop-a' ? '/loop-b' : '/loop-a' } });
      return new Response(`${request.method} ${path}`);
    });
    const seeOther = await net.fetch(`${SITE}/see-other`, { method: 'POST', body: 'x' });
    expect(await seeOther.text()).toBe('GET /final');
    expect(seeOther).toMatchObject({ redirected: true, url: `${SITE}/final` });
    expect(await (await net.fetch(`${SITE}/keep`, { method: 'POST', body: 'kept' })).text()).toBe('POST /final');
    expect(seen.at(-1)?.body).toBe('kept');
    const before = seen.length;
    await expect(net.fetch(`${SITE}/loop-a`)).rejects.toThrow(TypeError);
    expect(seen.length - before).toBe(21);
    await expect(net.fetch(`${SITE}/loop-a`, { redirect: 'error' })).rejects.toThrow(TypeError);
    const manual = await net.fetch(`${SITE}/loop-a`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/loop-b');
  });

  it('a server that never answers: the fetch rejects with the signal’s reason once it aborts', async () => {
    const { clock, net } = network(hangUntilAborted);
    const pending = net.fetch(SITE, { signal: clock.timeout(300) });
    clock.fireNext();
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(clock.now()).toBe(300);
  });

  it('a body that stops: the read in progress fails with the signal’s reason when it aborts', async () => {
    const { net } = network(() => new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(10)), pull: () => new Promise(() => undefined) })));
    const controller = new AbortController();
    const response = await net.fetch(SITE, { signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).value).toHaveLength(10);
    const stuck = reader.read();
    const reason = new Error('silent too long');
    controller.abort(reason);
    await expect(stuck).rejects.toBe(reason);
  });

  it('response bodies are byte streams: a BYOB reader reads into its own buffer', async () => {
    const bytes = Uint8Array.from({ length: 5_000 }, (_, i) => i % 251);
    const { net } = network(() => new Response(bytes));
    const reader = (await net.fetch(SITE)).body!.getReader({ mode: 'byob' });
    const into = new Uint8Array(8_192);
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read(new Uint8Array(1_024));
      if (done) break;
      into.set(value, length);
      length += value.byteLength;
    }
    expect(into.subarray(0, length)).toEqual(bytes);
    // The server's bytes were copied, not taken over: it can serve them again.
    expect(bytes.byteLength).toBe(5_000);
  });

  it('drops a request’s timeout once its body is read, so it does not move time on for nothing', async () => {
    const { clock, net } = network(() => new Response('answer'));
    const response = await net.fetch(SITE, { signal: clock.timeout(30_000) });
    expect(clock.size).toBe(1);
    await response.text();
    expect(clock.size).toBe(0);
    await net.fetch('http://127.0.0.1:9/', { signal: clock.timeout(30_000) }).catch(() => undefined);
    expect(clock.size).toBe(0);
  });
});
