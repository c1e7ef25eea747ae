/**
 * Typed send/receive over `browser.runtime` messages for the ProtocolMap.
 * An error thrown in a handler reaches the caller as a ProblemError: a ProblemError (ScanFailure included)
 * keeps its problem, anything else becomes 'internal' with its words only as the detail. On the wire the
 * reply is `{ ok: false, problem }`, so the page renders the sentence in its own language.
 */
import { browser, type Browser } from 'wxt/browser';
import { isProblem, problem } from '../problems/problem';
import { ProblemError, toProblem } from '../problems/problem-error';
import type { MessageData, MessageEnvelope, MessageReply, MessageReturn, MessageType, ProtocolMap } from './protocol';

export { ProblemError };

/** Send one message to the background and wait for its answer; a failure rejects with a ProblemError. */
export async function sendMessage<K extends MessageType>(
  type: K,
  ...args: Parameters<ProtocolMap[K]>
): Promise<MessageReturn<K>> {
  const envelope: MessageEnvelope<K> = { scandock: 1, type, data: args[0] as MessageData<K> };
  let reply: MessageReply<MessageReturn<K>> | undefined;
  try {
    reply = (await browser.runtime.sendMessage(envelope)) as MessageReply<MessageReturn<K>> | undefined;
  } catch (error) {
    // No listener answered (the worker failed to start, or the extension was reloaded under the page).
    throw new ProblemError(problem('no-answer', { detail: error instanceof Error ? error.message : String(error) }));
  }
  if (!reply || typeof reply !== 'object' || !('ok' in reply)) throw new ProblemError(problem('no-answer'));
  if (!reply.ok) {
    const answered: unknown = (reply as { problem?: unknown }).problem;
    throw new ProblemError(isProblem(answered) ? answered : problem('internal', { detail: 'the background answered with a problem this page cannot read' }));
  }
  return reply.value;
}

export type MessageHandlers = {
  [K in MessageType]: (data: MessageData<K>) => MessageReturn<K> | Promise<MessageReturn<K>>;
};

/**
 * True when a message comes from this extension's own pages. The options page opens in a tab
 * (`options_ui.open_in_tab`), so a `sender.tab` is no reason to refuse; the origin is what tells.
 * ScanDock has no content scripts, no web-accessible pages and no `externally_connectable`, so anything
 * else (another extension, a web page) has another id or origin and is refused.
 */
export function isOwnExtensionPage(sender: Browser.runtime.MessageSender, extensionId: string, extensionOrigin: string): boolean {
  return sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin);
}

function isEnvelope(message: unknown, handlers: MessageHandlers): message is MessageEnvelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as MessageEnvelope).scandock === 1 &&
    Object.prototype.hasOwnProperty.call(handlers, (message as MessageEnvelope).type)
  );
}

/** Register the background's handlers (synchronously, at start-up). */
export function onMessages(handlers: MessageHandlers): void {
  const extensionOrigin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.runtime.MessageSender) => {
    if (!isEnvelope(message, handlers)) return undefined;
    if (!isOwnExtensionPage(sender, browser.runtime.id, extensionOrigin)) {
      return Promise.resolve<MessageReply<never>>({ ok: false, problem: problem('not-own-page') });
    }
    const handler = handlers[message.type] as (data: unknown) => unknown;
    return Promise.resolve()
      .then(() => handler(message.data))
      .then(
        (value): MessageReply<unknown> => ({ ok: true, value }),
        (error: unknown): MessageReply<unknown> => ({ ok: false, problem: toProblem(error) }),
      );
  });
}
