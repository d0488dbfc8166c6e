/**
 * The one message protocol every context speaks: the wire format of a request, the port names, and the request and
 * reply types, which derive from the background's handler map (`entrypoints/background/request-handlers.ts`: the
 * map is the list of requests). Only types cross over from there, so no context bundles the background. The
 * transport (runtime messaging, ports) is separate so the apps can be handed a fake in tests.
 */
import type { InferInput } from 'valibot';
import type { RequestHandlers } from '@/entrypoints/background/request-handlers';
import type { TabView } from '@/utils/tab/types';

export type { InboxResult } from '@/utils/delivery/types';

/** The names of the one-shot requests (`runtime.sendMessage`): the keys of the background's handler map. */
export type RequestName = keyof RequestHandlers;

/** What a request carries: the input of its handler's payload schema. */
export type PayloadOf<K extends RequestName> = InferInput<RequestHandlers[K]['payload']>;

/** What a request is answered with: what its handler resolves to. */
export type ReplyOf<K extends RequestName> = Awaited<ReturnType<RequestHandlers[K]['handle']>>;

/** Every request's payload and reply, by name. */
export type Requests = { [K in RequestName]: { payload: PayloadOf<K>; reply: ReplyOf<K> } };

export const NAMESPACE = 'report-inspector' as const;

/** A request on the wire: `{ ns: 'report-inspector', name, payload }`. */
export interface RequestMessage<K extends RequestName = RequestName> {
  /** Namespaces the message so other senders' messages are told apart. */
  ns: typeof NAMESPACE;
  name: K;
  payload: PayloadOf<K>;
}

/** An incoming message shaped like a request of ours; its name and payload are not checked yet. */
export interface RequestEnvelope {
  ns: typeof NAMESPACE;
  name: string;
  payload: unknown;
}

/** A refused or failed request is answered `{ error }`, the message written for the person who asked. */
export interface ErrorReply {
  error: string;
}

/** Live updates the background pushes on a panel port. */
export type PanelPush = { type: 'view'; view: TabView };

/** Port names: `panel:<tabId>` for the DevTools panel of a tab; `relay` for a frame's page relay. */
const PANEL_PORT_PREFIX = 'panel:';
export const RELAY_PORT = 'relay';

export function panelPortName(tabId: number): string {
  return `${PANEL_PORT_PREFIX}${tabId}`;
}

/** The tab id of a panel port name, or null when the name is not one. */
export function tabIdOfPanelPort(name: string): number | null {
  if (!name.startsWith(PANEL_PORT_PREFIX)) return null;
  const id = Number(name.slice(PANEL_PORT_PREFIX.length));
  return Number.isSafeInteger(id) && id >= 0 ? id : null;
}

/** The tab id a page is opened for (`?tabId=N`: digits only, a safe integer), or null. */
export function tabIdParam(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

/** A request message, ready for `runtime.sendMessage`. */
export function request<K extends RequestName>(name: K, payload: PayloadOf<K>): RequestMessage<K> {
  return { ns: NAMESPACE, name, payload };
}

/** Whether an incoming runtime message is shaped like a request of ours (the background checks name and payload). */
export function isRequestEnvelope(message: unknown): message is RequestEnvelope {
  return (
    typeof message === 'object' &&
    message !== null &&
    'ns' in message &&
    message.ns === NAMESPACE &&
    'name' in message &&
    typeof message.name === 'string' &&
    'payload' in message &&
    typeof message.payload === 'object' &&
    message.payload !== null
  );
}

/**
 * What the background posts on a relay's port: the reply to a batch of page events sent on it (`batch` is the
 * batch's name, `reply` what `sendMessage` would have answered), or the settings' verdict for the frame's page,
 * sent as the port opens (so the top frame reads no settings itself).
 */
export type RelayPortMessage =
  { ns: typeof NAMESPACE; batch: string; reply: unknown } | { ns: typeof NAMESPACE; enabled: boolean };

/** What the top frame's relay posts on its port as its document is left (`pagehide`): the port's close that follows
 * is a navigation, not a renderer crash. */
export const RELAY_LEAVING = { ns: NAMESPACE, leaving: true } as const;

/** Field `key` of a relay port message of ours (an object in our namespace); undefined for anything else. */
function relayField(message: unknown, key: 'leaving' | 'batch' | 'enabled'): unknown {
  if (typeof message !== 'object' || message === null || (message as { ns?: unknown }).ns !== NAMESPACE)
    return undefined;
  return (message as Record<string, unknown>)[key];
}

export function isRelayLeaving(message: unknown): boolean {
  return relayField(message, 'leaving') === true;
}

/** Whether a relay port message answers a batch. */
export function isBatchReply(message: unknown): message is { ns: typeof NAMESPACE; batch: string; reply: unknown } {
  return typeof relayField(message, 'batch') === 'string';
}

/** The settings' verdict a relay port message carries, or null when it carries none. */
export function verdictOf(message: unknown): boolean | null {
  const enabled = relayField(message, 'enabled');
  return typeof enabled === 'boolean' ? enabled : null;
}

/**
 * What the panel and popup apps get instead of `browser`: ask once, or subscribe to a tab's live view.
 * `main.tsx` builds the real one; tests hand the apps a fake.
 */
export interface Transport {
  send<K extends RequestName>(name: K, payload: PayloadOf<K>): Promise<ReplyOf<K>>;
  /** Live view of a tab; calls `onStatus` as the connection drops and comes back. Returns an unsubscribe. */
  subscribe(
    tabId: number,
    onView: (view: TabView) => void,
    onStatus?: (status: 'connected' | 'reconnecting') => void,
  ): () => void;
}
