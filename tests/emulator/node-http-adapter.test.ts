/**
 * The node:http front of the emulator and the test file server: it reports an answer as given only once
 * its last piece goes to the socket, and as not given when the client left halfway through it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { serveOverHttp, type HttpServing } from './node-http-adapter';

let serving: HttpServing | null = null;
afterEach(async () => {
  await serving?.close();
  serving = null;
});

/** A server whose one answer streams the chunks the test pushes; `answers` lists what onAnswered was told. */
async function streamingServer() {
  let push!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (controller) => void (push = controller) });
  const answers: Array<[string, boolean]> = [];
  serving = await serveOverHttp(async () => new Response(body, { headers: { 'content-type': 'text/plain' } }), {
    onAnswered: (request, written) => answers.push([new URL(request.url).pathname, written]),
  });
  return { origin: serving.origin, push: () => push, answers };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('serveOverHttp: onAnswered', () => {
  it('is told as the last piece of the answer is written, not when the handler resolves', async () => {
    const { origin, push, answers } = await streamingServer();
    // The server sends a piece once it has read the next one (the last goes with the end): push two before asking.
    push().enqueue(new TextEncoder().encode('part one'));
    push().enqueue(new TextEncoder().encode('part two'));
    const response = await fetch(`${origin}/slow`);
    const reader = response.body!.getReader();
    await reader.read();
    await settle();
    expect(answers).toEqual([]);
    push().close();
    while (!(await reader.read()).done);
    await settle();
    expect(answers).toEqual([['/slow', true]]);
  });

  it('is told "not written" when the client leaves before the end of the answer', async () => {
    const { origin, push, answers } = await streamingServer();
    const leave = new AbortController();
    push().enqueue(new TextEncoder().encode('part one'));
    push().enqueue(new TextEncoder().encode('part two'));
    const response = await fetch(`${origin}/left`, { signal: leave.signal });
    const reader = response.body!.getReader();
    await reader.read();
    leave.abort();
    for (let i = 0; i < 40 && answers.length === 0; i++) await settle();
    expect(answers).toEqual([['/left', false]]);
  });

  it('is not told about a request the handler did not answer (the connection is dropped)', async () => {
    const answers: boolean[] = [];
    serving = await serveOverHttp(() => Promise.reject(new Error('no answer')), { onAnswered: (_, written) => answers.push(written) });
    await expect(fetch(`${serving.origin}/dropped`)).rejects.toThrow(TypeError);
    await settle();
    expect(answers).toEqual([]);
  });
});
