/**
 * One-shot requests. Privilege comes from the sender: only the extension's own pages (panel, popup, options)
 * may read or clear a tab's data; content scripts may only send page events, for the tab they run in
 * (`sender.tab.id`, never a payload field).
 */
import type { Runtime } from 'webextension-polyfill';
import type { TabState } from '@/utils/tab/types';
import { emptyTabState, LIMITS } from '@/utils/tab/types';
import { PRIVILEGED, type RequestMessage, type Requests } from '@/utils/messaging/protocol';
import { parsePageEvents } from '@/utils/page/events';
import { applyPageEvents } from '@/utils/tab/apply-page-events';
import { isHookEnabled, type Settings } from '@/utils/storage/settings';
import { checkEndpoint, EndpointCheckError } from '@/utils/delivery/endpoint-check';
import { applyInboxMatch, INBOX_LIMITS, matchInbox, parseInbox } from '@/utils/delivery/inbox';
import type { LiveUpdates } from './live';
import { DeepCaptureError, type DeepCapture } from './deep-capture';
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
  /** Deep capture (the debugger); absent where the browser has none. */
  deep?: DeepCapture;
  /** For the endpoint check and the inbox, which run only on the user's click. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  userAgent?: string;
  /** A monotonic clock for latencies (`performance.now`). */
  monotonic?: () => number;
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

/**
 * Handles a request of ours; throws RequestError for a request the sender may not make or that is malformed, and
 * for the errors of deep capture and the endpoint check, whose messages are written for the person who clicked.
 */
export async function handleRequest(
  msg: RequestMessage,
  sender: Runtime.MessageSender,
  deps: MessageDeps,
): Promise<Requests[keyof Requests]['reply']> {
  try {
    return await dispatch(msg, sender, deps);
  } catch (e) {
    if (e instanceof DeepCaptureError || e instanceof EndpointCheckError) throw new RequestError(e.message);
    throw e;
  }
}

async function dispatch(
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
      const payload = msg.payload as { events?: unknown; batch?: unknown };
      const events = parsePageEvents(payload.events, MAX_EVENTS_PER_MESSAGE);
      if (events.length === 0) return { accepted: 0 };
      const batch = typeof payload.batch === 'string' && payload.batch.length <= 64 ? `${frameId}:${payload.batch}` : null;
      const settings = await deps.settings();
      // The relay read the settings when its page loaded; they may have changed since (a site turned off).
      if (!isHookEnabled(settings, sender.url ?? '')) return { accepted: 0 };
      const now = deps.now();
      let applied = true;
      await deps.stores.tabs.update(tabKey(tabId), () => emptyTabState(tabId, now), (s) => {
        // A batch resent after a stopped worker had already stored it (the reply was lost with the worker).
        if (batch && s.batches?.includes(batch)) return (applied = false), s;
        const next = applyPageEvents(s, frameId, events, now, { maxBreadcrumbs: settings.breadcrumbBuffer, crashedRecently: crashedRecently(s) });
        return batch ? { ...next, batches: [...(s.batches ?? []), batch].slice(-LIMITS.batchIds) } : next;
      });
      // Acknowledge only what is in storage: the relay resends what is not acknowledged.
      if (!(await deps.stores.tabs.whenPersisted())) throw new RequestError('could not store the events');
      if (applied) deps.live.tabChanged(tabId);
      return { accepted: applied ? events.length : 0 };
    }
    case 'setDeepCapture': {
      const { tabId, on, panelClosed } = msg.payload as Requests['setDeepCapture']['payload'];
      if (!validTabId(tabId) || typeof on !== 'boolean') throw new RequestError('bad setDeepCapture request');
      if (!deps.deep) throw new RequestError('Deep capture is not available in this browser.');
      return { ok: true, deep: await deps.deep.set(tabId, on, panelClosed === true ? 'panel_closed' : 'turned_off') };
    }
    case 'crashTab': {
      const { tabId } = msg.payload as Requests['crashTab']['payload'];
      if (!validTabId(tabId)) throw new RequestError('tabId must be a tab id');
      if (!deps.deep) throw new RequestError('Deep capture is not available in this browser.');
      await deps.deep.crash(tabId);
      return { ok: true };
    }
    case 'checkEndpoint': {
      const { url, pageUrl } = msg.payload as Requests['checkEndpoint']['payload'];
      if (typeof url !== 'string' || typeof pageUrl !== 'string' || url.length > 4096 || pageUrl.length > 8192) throw new RequestError('bad checkEndpoint request');
      if (!deps.fetch) throw new RequestError('Requests are not available here.');
      return checkEndpoint(url, pageUrl, {
        fetch: deps.fetch,
        now: deps.now,
        monotonic: deps.monotonic ?? deps.now,
        userAgent: deps.userAgent ?? '',
        requestOrigin: deps.extensionOrigin.replace(/\/$/, ''),
      });
    }
    case 'readInbox': {
      const { url, tabId } = msg.payload as Requests['readInbox']['payload'];
      if (typeof url !== 'string' || url.length > 4096 || !validTabId(tabId)) throw new RequestError('bad readInbox request');
      if (!deps.fetch) throw new RequestError('Requests are not available here.');
      const inboxUrl = inboxUrlOf(url);
      const fetchedAt = deps.now();
      const { status, json } = await readInboxJson(deps.fetch, inboxUrl);
      let parsed: ReturnType<typeof parseInbox>;
      try {
        parsed = parseInbox(json);
      } catch (e) {
        throw new RequestError(e instanceof Error ? e.message : String(e));
      }
      const state = await deps.stores.tabs.get(tabKey(tabId));
      const match = matchInbox(parsed.uploads, state?.crashes ?? [], state?.reports ?? []);
      if (state && match.crashes.length > 0) {
        await deps.stores.tabs.update(tabKey(tabId), () => state, (s) => applyInboxMatch(s, match, fetchedAt, inboxUrl));
        deps.live.tabChanged(tabId);
      }
      return { url: inboxUrl, fetchedAt, status, ignored: parsed.ignored, match };
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

/** The inbox URL, if it is one the extension reads: https, or http on the local machine. */
export function inboxUrlOf(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new RequestError('The inbox address is not a URL.');
  }
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) {
    throw new RequestError('The inbox address must be https:// (or http:// on this machine).');
  }
  if (u.username || u.password) throw new RequestError('The inbox address must not contain credentials.');
  return u.href;
}

/** GETs an inbox and parses its JSON, bounded in size and time; failures become RequestErrors the panel shows. */
async function readInboxJson(fetchFn: NonNullable<MessageDeps['fetch']>, url: string): Promise<{ status: number; json: unknown }> {
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'GET', cache: 'no-store', credentials: 'omit', headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (e) {
    const name = typeof e === 'object' && e !== null && 'name' in e ? String((e as { name: unknown }).name) : '';
    throw new RequestError(name === 'TimeoutError' ? 'The inbox did not answer within 10 s.' : `Could not reach the inbox (DNS, TLS certificate or connection): ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) throw new RequestError(`The inbox answered HTTP ${res.status}.`);
  const text = await res.text();
  if (text.length > INBOX_LIMITS.maxBytes) throw new RequestError('The inbox answer is too large (over 5 MB).');
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch {
    throw new RequestError('The inbox did not answer with JSON.');
  }
}
