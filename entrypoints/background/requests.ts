/**
 * Dispatches a one-shot request to its handler (request-handlers.ts): finds who sent it, refuses a sender the
 * handler is not for, checks the payload against the handler's schema, and turns the errors written for the person
 * who clicked (deep capture, the endpoint check) into `RequestError`s.
 */
import type { Runtime } from 'webextension-polyfill';
import * as v from 'valibot';
import type { RelayPortMessage, RequestEnvelope, RequestName } from '@/utils/messaging/protocol';
import { isRequestEnvelope, NAMESPACE } from '@/utils/messaging/protocol';
import { EndpointCheckError } from '@/utils/delivery/endpoint-check';
import { DeepCaptureError } from './deep-capture';
import { handlers, type From, type Handler, type RequestDeps, type Senders } from './request-handlers';
import { RequestError } from './request-error';

export { RequestError } from './request-error';
export type { RequestDeps } from './request-handlers';

/** Whether `name` is one of the requests (a key of the handler map). */
export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(handlers, name);
}

/** A handler with its types erased, as the dispatcher calls it after checking sender and payload. */
type AnyHandler = Handler<From, v.GenericSchema, unknown>;

function validTabId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/** Who sent the message, if it is the kind of sender `from` names; null otherwise. */
function senderAs(from: From, sender: Runtime.MessageSender, deps: RequestDeps): Senders[From] | null {
  // Another extension never reaches here (no onMessageExternal); the id check also covers a forged sender URL.
  if (sender.id !== deps.extensionId) return null;
  const extensionPage = typeof sender.url === 'string' && sender.url.startsWith(deps.extensionOrigin);
  if (from === 'extension-page') return extensionPage ? { from } : null;
  const tabId = sender.tab?.id;
  if (extensionPage || !validTabId(tabId)) return null;
  const frameId = typeof sender.frameId === 'number' && sender.frameId >= 0 ? sender.frameId : 0;
  return { from, tabId, frameId, url: sender.url ?? '' };
}

const REFUSED: Record<From, string> = {
  'extension-page': "is only for the extension's own pages",
  'page-relay': 'comes only from a page relay',
};

/**
 * Handles a request of ours and resolves to its reply; rejects with a RequestError for an unknown request, a
 * sender the request is not for, a malformed payload, and the failures whose messages are for the person who asked.
 */
export async function handleRequest(
  msg: RequestEnvelope,
  sender: Runtime.MessageSender,
  deps: RequestDeps,
): Promise<unknown> {
  if (!isRequestName(msg.name)) throw new RequestError('unknown request');
  const h: AnyHandler = handlers[msg.name];
  const from = senderAs(h.from, sender, deps);
  if (!from) throw new RequestError(`${msg.name} ${REFUSED[h.from]}`);
  const payload = v.safeParse(h.payload, msg.payload);
  if (!payload.success) throw new RequestError(`bad ${msg.name} request: ${v.summarize(payload.issues)}`);
  try {
    return await h.handle(payload.output, from, deps);
  } catch (e) {
    if (e instanceof DeepCaptureError || e instanceof EndpointCheckError) throw new RequestError(e.message);
    throw e;
  }
}

/**
 * A top frame's relay port (`RELAY_PORT`): tells the relay, as the port opens, whether its page is recorded (the
 * relay then reads no settings itself), and answers the batches of page events posted on it as `sendMessage`
 * would, with the batch's name (relay-core.ts `PortBatches`). Only `pageEvents` is served here: anything else on
 * the port is ignored. `answer` is the same dispatch as for `runtime.onMessage`, errors turned into `{ error }`.
 */
export function serveRelayPort(
  port: Runtime.Port,
  answer: (message: RequestEnvelope, sender: Runtime.MessageSender) => Promise<unknown>,
  recorded: (url: string) => Promise<boolean>,
): void {
  const sender = port.sender;
  if (!sender) return;
  const post = (message: RelayPortMessage): void => {
    try {
      port.postMessage(message);
    } catch {
      // The port closed meanwhile (the page went away): the relay retries what it did not hear back about.
    }
  };
  recorded(sender.url ?? '').then(
    (enabled) => post({ ns: NAMESPACE, enabled }),
    () => undefined, // no verdict: the relay's events wait, and the next port (or the next batch) asks again
  );
  port.onMessage.addListener((message: unknown) => {
    if (!isRequestEnvelope(message) || message.name !== 'pageEvents') return;
    const batch = (message.payload as { batch?: unknown }).batch;
    // A batch on the port always has its name: the reply is matched to it.
    if (typeof batch !== 'string' || batch.length > 64) return;
    void answer(message, sender).then((reply) => post({ ns: NAMESPACE, batch, reply }));
  });
}
