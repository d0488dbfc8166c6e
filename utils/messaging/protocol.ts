/**
 * The one message protocol every context speaks. Names map to payload and reply types; the transport
 * (runtime messaging, ports) is separate so the apps can be handed a fake in tests.
 */
import type { DeepCaptureState } from '@/utils/delivery/types';
import type { TabSummary, TabView } from '@/utils/tab/types';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import type { InboxMatch } from '@/utils/delivery/inbox';
import type { PageEvent } from '@/utils/page/events';

/** What reading a collector's inbox found, for one tab. */
export interface InboxResult {
  url: string;
  fetchedAt: number;
  /** HTTP status of the inbox request. */
  status: number;
  /** Entries of the inbox that were not uploads of the expected shape. */
  ignored: number;
  match: InboxMatch;
}

/** Requests sent once with `runtime.sendMessage`, and their replies. */
export interface Requests {
  /** Popup: what to show for a tab. */
  getTabSummary: { payload: { tabId: number }; reply: TabSummary };
  /** Panel and `?tabId=N` pages: the whole state of a tab. */
  getTabView: { payload: { tabId: number }; reply: TabView };
  /** Panel: clear recorded entries of a tab. */
  clearTabData: { payload: { tabId: number; what: 'breadcrumbs' | 'reports' | 'crashes' | 'history' }; reply: { ok: true } };
  /** Page relay (content script): a batch of page events; the tab comes from the sender, never from here. */
  /**
   * `batch` names the batch (random per document, then a counter): a retry after a stopped worker resends the same
   * name, and the background applies a batch once. The reply comes only once the events are in storage.
   */
  pageEvents: { payload: { events: PageEvent[]; batch?: string }; reply: { accepted: number } };
  /**
   * Panel: attach (or detach) the debugger to a tab to read the browser's own report queue and endpoints. Needs the
   * `debugger` permission; the browser shows its "is debugging this browser" bar while attached.
   */
  setDeepCapture: {
    /** `panelClosed`: sent as the panel goes away (the state then says so). */
    payload: { tabId: number; on: boolean; panelClosed?: boolean };
    reply: { ok: true; deep: DeepCaptureState | null };
  };
  /** Panel: crash the tab's renderer (`Page.crash`), with deep capture on. */
  crashTab: { payload: { tabId: number }; reply: { ok: true } };
  /** Panel, on the user's click: send a CORS preflight and one test report to an endpoint (https/wss only). */
  checkEndpoint: { payload: { url: string; pageUrl: string }; reply: EndpointCheckResult };
  /** Panel, on the user's click: read a collector's inbox and match it against the tab's crashes and reports. */
  readInbox: { payload: { url: string; tabId: number }; reply: InboxResult };
}

export type RequestName = keyof Requests;

export interface RequestMessage<K extends RequestName = RequestName> {
  /** Namespaces the message so other senders' messages are told apart. */
  ns: typeof NAMESPACE;
  name: K;
  payload: Requests[K]['payload'];
}

/** Live updates the background pushes on a panel port. */
export type PanelPush = { type: 'view'; view: TabView };

export const NAMESPACE = 'report-inspector' as const;

/** Port names: `panel:<tabId>` for the DevTools panel of a tab; `relay` for a frame's page relay. */
export const PANEL_PORT_PREFIX = 'panel:';
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

export function request<K extends RequestName>(name: K, payload: Requests[K]['payload']): RequestMessage<K> {
  return { ns: NAMESPACE, name, payload };
}

/** Narrow an incoming runtime message to a request of ours (shape only; handlers validate payloads). */
export function isRequest(message: unknown): message is RequestMessage {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return (
    m.ns === NAMESPACE &&
    typeof m.name === 'string' &&
    REQUEST_NAMES.includes(m.name as RequestName) &&
    typeof m.payload === 'object' &&
    m.payload !== null
  );
}

export const REQUEST_NAMES: readonly RequestName[] = [
  'getTabSummary', 'getTabView', 'clearTabData', 'pageEvents', 'setDeepCapture', 'crashTab', 'checkEndpoint', 'readInbox',
];

/** Which requests only extension pages (panel, popup) may make; content scripts may only send page events. */
export const PRIVILEGED: ReadonlySet<RequestName> = new Set<RequestName>([
  'getTabSummary', 'getTabView', 'clearTabData', 'setDeepCapture', 'crashTab', 'checkEndpoint', 'readInbox',
]);

/**
 * What the panel and popup apps get instead of `browser`: ask once, or subscribe to a tab's live view.
 * `main.tsx` builds the real one; tests hand the apps a fake.
 */
export interface Transport {
  send<K extends RequestName>(name: K, payload: Requests[K]['payload']): Promise<Requests[K]['reply']>;
  /** Live view of a tab; calls `onStatus` as the connection drops and comes back. Returns an unsubscribe. */
  subscribe(tabId: number, onView: (view: TabView) => void, onStatus?: (status: 'connected' | 'reconnecting') => void): () => void;
}
