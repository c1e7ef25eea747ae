/**
 * A small WebDriver BiDi client over `ws`: enough to drive Debian's Firefox from the end-to-end tests
 * (install an add-on, open tabs, run script in them, click, pick files). Commands are JSON messages with
 * an id; the answer carries the same id; events carry a `method`. Spec: https://w3c.github.io/webdriver-bidi/
 */
import WebSocket from 'ws';

/** A BiDi error answer, with the command that caused it. */
export class BidiError extends Error {
  override readonly name = 'BidiError';
  constructor(
    readonly command: string,
    readonly error: string,
    message: string,
  ) {
    super(`${command}: ${error}: ${message}`);
  }
}

/** BiDi's serialized value (`script.RemoteValue`), as far as the tests read it. */
export interface RemoteValue {
  type: string;
  value?: unknown;
  sharedId?: string;
}

/** A reference to a DOM node that `input.*` commands accept. */
export interface SharedReference {
  sharedId: string;
}

interface Pending {
  command: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type EventListener = (params: Record<string, unknown>) => void;

export interface BidiSession {
  /** Send a command and wait for its result (rejects with a BidiError on an error answer). */
  send<T = Record<string, unknown>>(method: string, params?: object): Promise<T>;
  /** Listen to an event (subscribe to it with `session.subscribe` first). Returns an unsubscribe function. */
  on(method: string, listener: EventListener): () => void;
  close(): Promise<void>;
}

/** Connects to a BiDi endpoint (`ws://127.0.0.1:PORT`) and starts a session. */
export async function connectBidi(webSocketUrl: string, capabilities: object = {}): Promise<BidiSession> {
  const socket = new WebSocket(`${webSocketUrl.replace(/\/$/, '')}/session`, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<EventListener>>();

  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      id?: number;
      type?: string;
      result?: unknown;
      error?: string;
      message?: string;
      method?: string;
      params?: Record<string, unknown>;
    };
    if (typeof message.id === 'number' && pending.has(message.id)) {
      const call = pending.get(message.id)!;
      pending.delete(message.id);
      if (message.type === 'error') call.reject(new BidiError(call.command, message.error ?? 'error', message.message ?? ''));
      else call.resolve(message.result);
      return;
    }
    if (message.type === 'event' && message.method) {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params ?? {});
    }
  });
  socket.on('close', () => {
    for (const call of pending.values()) call.reject(new Error(`${call.command}: the browser closed the connection`));
    pending.clear();
  });

  const session: BidiSession = {
    send<T>(method: string, params: object = {}): Promise<T> {
      if (socket.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`${method}: not connected`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { command: method, resolve: resolve as (value: unknown) => void, reject });
        socket.send(JSON.stringify({ id, method, params }));
      });
    },
    on(method, listener) {
      const set = listeners.get(method) ?? new Set();
      set.add(listener);
      listeners.set(method, set);
      return () => set.delete(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
  await session.send('session.new', { capabilities: { alwaysMatch: capabilities } });
  return session;
}

/**
 * Runs `fn` in a browsing context and returns its result, which must be JSON (it travels as a string so
 * that any shape survives BiDi's value serialization). `fn` may be async.
 */
export async function callJson<A extends unknown[], R>(session: BidiSession, context: string, fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R> {
  const { result, exceptionDetails } = await session.send<{ type: string; result?: RemoteValue; exceptionDetails?: { text: string } }>('script.callFunction', {
    functionDeclaration: `async (fn, args) => JSON.stringify(await (0, eval)('(' + fn + ')')(...JSON.parse(args)) ?? null)`,
    arguments: [
      { type: 'string', value: fn.toString() },
      { type: 'string', value: JSON.stringify(args) },
    ],
    target: { context },
    awaitPromise: true,
    resultOwnership: 'none',
  });
  if (exceptionDetails) throw new Error(`script in the page threw: ${exceptionDetails.text}`);
  return JSON.parse(String(result?.value ?? 'null')) as R;
}

/**
 * The first element matching `selector` in `context` (and whose text is `text`, when given), as a reference
 * for `input.*` commands; null when none.
 */
export async function findElement(session: BidiSession, context: string, selector: string, text?: string): Promise<SharedReference | null> {
  const { result, exceptionDetails } = await session.send<{ result?: RemoteValue; exceptionDetails?: { text: string } }>('script.callFunction', {
    functionDeclaration:
      '(selector, text) => [...document.querySelectorAll(selector)].find((e) => text === "" || e.textContent.trim() === text) ?? null',
    arguments: [
      { type: 'string', value: selector },
      { type: 'string', value: text ?? '' },
    ],
    target: { context },
    awaitPromise: false,
    resultOwnership: 'none',
  });
  if (exceptionDetails) throw new Error(`querySelector(${selector}) threw: ${exceptionDetails.text}`);
  return result?.type === 'node' && result.sharedId ? { sharedId: result.sharedId } : null;
}

/** A real click (a user gesture, as `permissions.request` needs) in the middle of `element`. */
export async function clickElement(session: BidiSession, context: string, element: SharedReference): Promise<void> {
  // A pointer aims at what is on screen: bring the element there first, as a person would scroll to it.
  await session.send('script.callFunction', {
    functionDeclaration: '(element) => element.scrollIntoView({ block: "center" })',
    arguments: [element],
    target: { context },
    awaitPromise: false,
    resultOwnership: 'none',
  });
  await session.send('input.performActions', {
    context,
    actions: [
      {
        type: 'pointer',
        id: 'mouse',
        parameters: { pointerType: 'mouse' },
        actions: [
          { type: 'pointerMove', x: 0, y: 0, origin: { type: 'element', element } },
          { type: 'pointerDown', button: 0 },
          { type: 'pointerUp', button: 0 },
        ],
      },
    ],
  });
  // The click may close its own page (the popup closes after opening a tab): nothing is left to release then.
  await session.send('input.releaseActions', { context }).catch((error: unknown) => {
    if (!(error instanceof BidiError && error.error === 'no such frame')) throw error;
  });
}
