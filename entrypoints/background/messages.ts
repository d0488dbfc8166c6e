/**
 * One-shot requests. Privilege comes from the sender: only the extension's own pages (panel, popup, options)
 * may read or clear a tab's data; content scripts may only send page events, for the tab they run in
 * (`sender.tab.id`, never a payload field).
 */
import type { Runtime } from 'webextension-polyfill';
import type { TabState } from '@/utils/model';
import { emptyTabState } from '@/utils/model';
import { PRIVILEGED, type RequestMessage, type Requests } from '@/utils/protocol';
import { parsePageEvents } from '@/utils/page-events';
import { applyPageEvents } from '@/utils/page-state';
import type { Settings } from '@/utils/settings';
import type { LiveUpdates } from './live';
import type { Stores } from './stores';
import { tabKey } from './stores';
import { crashedRecently } from './crash-detection';

export interface MessageDeps {
  stores: Stores;
  live: LiveUpdates;
  extensionId: string;
  /** `chrome-extension://<id>/` */
  extensionOrigin: string;
  now(): number;
  getTabUrl(tabId: number): Promise<string | undefined>;
  settings(): Promise<Settings>;
}

/** Most page events accepted in one message (the relay batches far fewer). */
const MAX_EVENTS_PER_MESSAGE = 500;

function isExtensionPage(sender: Runtime.MessageSender, deps: MessageDeps): boolean {
  return sender.id === deps.extensionId && typeof sender.url === 'string' && sender.url.startsWith(deps.extensionOrigin);
}

function validTabId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

export class RequestError extends Error {}

/** Handles a request of ours; throws RequestError for a request the sender may not make or that is malformed. */
export async function handleRequest(
  msg: RequestMessage,
  sender: Runtime.MessageSender,
  deps: MessageDeps,
): Promise<Requests[keyof Requests]['reply']> {
  const privileged = isExtensionPage(sender, deps);
  if (PRIVILEGED.has(msg.name) && !privileged) throw new RequestError(`${msg.name} is only for the extension's own pages`);

  switch (msg.name) {
    case 'getTabSummary': {
      const { tabId } = msg.payload as Requests['getTabSummary']['payload'];
      if (!validTabId(tabId)) throw new RequestError('tabId must be a tab id');
      return deps.live.summary(tabId, await deps.getTabUrl(tabId));
    }
    case 'getTabView': {
      const { tabId } = msg.payload as Requests['getTabView']['payload'];
      if (!validTabId(tabId)) throw new RequestError('tabId must be a tab id');
      return deps.live.view(tabId);
    }
    case 'clearTabData': {
      const { tabId, what } = msg.payload as Requests['clearTabData']['payload'];
      if (!validTabId(tabId) || !['breadcrumbs', 'reports', 'crashes', 'history'].includes(what)) throw new RequestError('bad clearTabData request');
      await deps.stores.tabs.update(tabKey(tabId), () => emptyTabState(tabId, deps.now()), (s: TabState) => clearPart(s, what));
      deps.live.tabChanged(tabId);
      return { ok: true };
    }
    case 'pageEvents': {
      const tabId = sender.tab?.id;
      if (sender.id !== deps.extensionId || privileged || !validTabId(tabId)) throw new RequestError('pageEvents comes only from a page relay');
      const frameId = typeof sender.frameId === 'number' && sender.frameId >= 0 ? sender.frameId : 0;
      const events = parsePageEvents((msg.payload as { events?: unknown }).events, MAX_EVENTS_PER_MESSAGE);
      if (events.length === 0) return { accepted: 0 };
      const settings = await deps.settings();
      const now = deps.now();
      await deps.stores.tabs.update(tabKey(tabId), () => emptyTabState(tabId, now), (s) =>
        applyPageEvents(s, frameId, events, now, { maxBreadcrumbs: settings.breadcrumbBuffer, crashedRecently: crashedRecently(s) }),
      );
      deps.live.tabChanged(tabId);
      return { accepted: events.length };
    }
    default:
      throw new RequestError('unknown request');
  }
}

/** A tab's state with one kind of recorded entry cleared. */
export function clearPart(s: TabState, what: Requests['clearTabData']['payload']['what']): TabState {
  switch (what) {
    case 'breadcrumbs':
      return { ...s, breadcrumbs: [], checkpoint: null, dropped: { ...s.dropped, breadcrumbs: 0 } };
    case 'reports':
      return { ...s, reports: [], appReports: [], dropped: { ...s.dropped, reports: 0, appReports: 0 } };
    case 'crashes':
      return { ...s, crashes: [], dropped: { ...s.dropped, crashes: 0 } };
    case 'history':
      return { ...s, history: [], dropped: { ...s.dropped, history: 0 } };
  }
}
