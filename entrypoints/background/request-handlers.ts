/**
 * The one-shot requests, as one map: each entry says who may send it (`from`), the shape of its payload (a valibot
 * schema, checked before the handler runs) and what it does. The protocol's request and reply types derive from
 * this map (utils/messaging/protocol.ts); `requests.ts` dispatches to it.
 *
 * Privilege comes from the sender: only the extension's own pages (panel, popup, options) may read or clear a
 * tab's data or make the extension send requests; content scripts may only send page events, for the tab they run
 * in (`sender.tab.id`, never a payload field).
 */
import * as v from 'valibot';
import type { TabSummary, TabView } from '@/utils/tab/types';
import { emptyTabState, LIMITS } from '@/utils/tab/types';
import type { DeepCaptureState, InboxResult } from '@/utils/delivery/types';
import { parsePageEvents, type PageEvent } from '@/utils/page/events';
import { applyPageEvents } from '@/utils/tab/apply-page-events';
import { CLEARABLE, clearPart } from '@/utils/tab/clear';
import { isHookEnabled, type Settings } from '@/utils/storage/settings';
import { checkEndpoint, type EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { applyInboxMatch, matchInbox, parseInbox } from '@/utils/delivery/inbox';
import type { DeepCapture } from './deep-capture';
import { crashedRecently } from './crash-detection';
import { fetchInboxJson, inboxUrlOf, type FetchLike } from './inbox-fetch';
import { RequestError } from './request-error';
import type { Stores } from './tab-and-origin-stores';
import { tabKey } from './tab-and-origin-stores';
import type { TabViews } from './tab-views';

/** What the handlers work with; the background builds it once, tests hand in fakes. */
export interface RequestDeps {
  stores: Stores;
  views: TabViews;
  /** A tab's state changed (its panels and badge follow). */
  tabChanged(tabId: number): void;
  /** True while a Report Inspector panel is open for the tab (absent: treated as open). */
  hasPanel?(tabId: number): boolean;
  extensionId: string;
  /** `chrome-extension://<id>/` */
  extensionOrigin: string;
  now: () => number;
  getTabUrl(tabId: number): Promise<string | undefined>;
  settings(): Promise<Settings>;
  /** Deep capture (the debugger); absent where the browser has none. */
  deep?: DeepCapture;
  /** For the endpoint check and the inbox, which run only on the user's click. */
  fetch?: FetchLike;
  userAgent?: string;
  /** A monotonic clock for latencies (`performance.now`). */
  monotonic?: () => number;
}

/** Who sent a request, as the dispatcher established it from `runtime.MessageSender`. */
export interface Senders {
  /** A page of this extension (panel, popup, options): its id and its URL's origin are ours. */
  'extension-page': { from: 'extension-page' };
  /** The page relay, a content script of ours in a web page: the tab and frame it runs in. */
  'page-relay': { from: 'page-relay'; tabId: number; frameId: number; url: string };
}
export type From = keyof Senders;

/** One request: who may send it, its payload's schema, and the handler, which gets the checked payload. */
export interface Handler<F extends From, S extends v.GenericSchema, R> {
  from: F;
  payload: S;
  handle(payload: v.InferOutput<S>, sender: Senders[F], deps: RequestDeps): Promise<R>;
}

/** Declares a handler (infers its types; the map's entries stay precise). */
function handler<F extends From, S extends v.GenericSchema, R>(h: Handler<F, S, R>): Handler<F, S, R> {
  return h;
}

/** Most page events accepted in one message (the relay batches far fewer). */
const MAX_EVENTS_PER_MESSAGE = 500;

const TabId = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const TabPayload = v.object({ tabId: TabId });

/**
 * Page events as the relay sends them (typed so for the sender). Only "a list" is checked here: each element is
 * then checked by `parsePageEvents`, which drops what is malformed rather than refusing the whole batch.
 */
const PageEvents = v.pipe(
  v.custom<PageEvent[]>(Array.isArray, 'events must be a list'),
  v.transform((listed) => parsePageEvents(listed, MAX_EVENTS_PER_MESSAGE)),
);

/** Events that change only what a panel shows, not the badge. */
function panelOnly(ev: PageEvent): boolean {
  return ev.kind === 'breadcrumb' || ev.kind === 'visibility';
}

function deepCapture(deps: RequestDeps): DeepCapture {
  if (!deps.deep) throw new RequestError('Deep capture is not available in this browser.');
  return deps.deep;
}

function fetchOf(deps: RequestDeps): FetchLike {
  if (!deps.fetch) throw new RequestError('Requests are not available here.');
  return deps.fetch;
}

export const handlers = {
  /** Popup: what to show for a tab. */
  getTabSummary: handler({
    from: 'extension-page',
    payload: TabPayload,
    async handle({ tabId }, _sender, deps): Promise<TabSummary> {
      return deps.views.summary(tabId, await deps.getTabUrl(tabId));
    },
  }),

  /** Panel and `?tabId=N` pages: the whole state of a tab. */
  getTabView: handler({
    from: 'extension-page',
    payload: TabPayload,
    handle({ tabId }, _sender, deps): Promise<TabView> {
      return deps.views.view(tabId);
    },
  }),

  /** Panel: clear recorded entries of a tab. */
  clearTabData: handler({
    from: 'extension-page',
    payload: v.object({ tabId: TabId, what: v.picklist(CLEARABLE) }),
    async handle({ tabId, what }, _sender, deps): Promise<{ ok: true }> {
      await deps.stores.tabs.update(
        tabKey(tabId),
        () => emptyTabState(tabId, deps.now()),
        (s) => clearPart(s, what),
      );
      // Answered once stored: a worker stopped right after the reply keeps what the panel was told.
      if (!(await deps.stores.tabs.whenPersisted())) throw new RequestError('could not store the change');
      deps.tabChanged(tabId);
      return { ok: true };
    },
  }),

  /**
   * Page relay: a batch of page events. `batch` names the batch (random per document, then a counter): a retry
   * after a stopped worker resends the same name, and the background applies a batch once. The reply comes only
   * once the events are in storage.
   */
  pageEvents: handler({
    from: 'page-relay',
    payload: v.object({
      events: PageEvents,
      // A malformed name is ignored (the batch is then applied without the resend check), not refused.
      batch: v.fallback(v.optional(v.pipe(v.string(), v.maxLength(64))), undefined),
    }),
    async handle({ events, batch: name }, relay, deps): Promise<{ accepted: number }> {
      if (events.length === 0) return { accepted: 0 };
      const { tabId, frameId } = relay;
      const batch = name === undefined ? null : `${frameId}:${name}`;
      const settings = await deps.settings();
      // The relay read the settings when its page loaded; they may have changed since (a site turned off).
      if (!isHookEnabled(settings, relay.url)) return { accepted: 0 };
      const now = deps.now();
      let applied = true;
      await deps.stores.tabs.update(
        tabKey(tabId),
        () => emptyTabState(tabId, now),
        (s) => {
          // A batch resent after a stopped worker had already stored it (the reply was lost with the worker).
          if (batch && s.batches?.includes(batch)) {
            applied = false;
            return s;
          }
          const next = applyPageEvents(s, frameId, events, now, {
            maxBreadcrumbs: settings.breadcrumbBuffer,
            crashedRecently: crashedRecently(s),
          });
          return batch ? { ...next, batches: [...(s.batches ?? []), batch].slice(-LIMITS.batchIds) } : next;
        },
      );
      // Acknowledge only what is in storage: the relay resends what is not acknowledged.
      if (!(await deps.stores.tabs.whenPersisted())) throw new RequestError('could not store the events');
      // Breadcrumbs and visibility changes show only in a panel, not in the badge: with no panel open, no view is
      // derived for them (the popup and a panel opened later read the state as stored).
      if (applied && ((deps.hasPanel?.(tabId) ?? true) ? true : !events.every(panelOnly))) deps.tabChanged(tabId);
      return { accepted: applied ? events.length : 0 };
    },
  }),

  /**
   * Panel: attach (or detach) the debugger to a tab to read the browser's own report queue and endpoints. Needs the
   * `debugger` permission; the browser shows its "is debugging this browser" bar while attached. `panelClosed`:
   * sent as the panel goes away (the state then says so).
   */
  setDeepCapture: handler({
    from: 'extension-page',
    payload: v.object({ tabId: TabId, on: v.boolean(), panelClosed: v.optional(v.boolean()) }),
    async handle({ tabId, on, panelClosed }, _sender, deps): Promise<{ ok: true; deep: DeepCaptureState | null }> {
      return {
        ok: true,
        deep: await deepCapture(deps).set(tabId, on, panelClosed === true ? 'panel_closed' : 'turned_off'),
      };
    },
  }),

  /** Panel: crash the tab's renderer (`Page.crash`), with deep capture on. */
  crashTab: handler({
    from: 'extension-page',
    payload: TabPayload,
    async handle({ tabId }, _sender, deps): Promise<{ ok: true }> {
      await deepCapture(deps).crash(tabId);
      return { ok: true };
    },
  }),

  /** Panel, on the user's click: send a CORS preflight and one test report to an endpoint (https/wss only). */
  checkEndpoint: handler({
    from: 'extension-page',
    payload: v.object({ url: v.pipe(v.string(), v.maxLength(4096)), pageUrl: v.pipe(v.string(), v.maxLength(8192)) }),
    handle({ url, pageUrl }, _sender, deps): Promise<EndpointCheckResult> {
      return checkEndpoint(url, pageUrl, {
        fetch: fetchOf(deps),
        now: deps.now,
        monotonic: deps.monotonic ?? deps.now,
        userAgent: deps.userAgent ?? '',
        requestOrigin: deps.extensionOrigin.replace(/\/$/, ''),
      });
    },
  }),

  /** Panel, on the user's click: read a collector's inbox and match it against the tab's crashes and reports. */
  readInbox: handler({
    from: 'extension-page',
    payload: v.object({ url: v.pipe(v.string(), v.maxLength(4096)), tabId: TabId }),
    async handle({ url, tabId }, _sender, deps): Promise<InboxResult> {
      const fetchFn = fetchOf(deps);
      const inboxUrl = inboxUrlOf(url);
      const fetchedAt = deps.now();
      const { status, json } = await fetchInboxJson(fetchFn, inboxUrl);
      let parsed: ReturnType<typeof parseInbox>;
      try {
        parsed = parseInbox(json);
      } catch (e) {
        throw new RequestError(e instanceof Error ? e.message : String(e));
      }
      const state = await deps.stores.tabs.get(tabKey(tabId));
      const match = matchInbox(parsed.uploads, state?.crashes ?? [], state?.reports ?? []);
      if (state && match.crashes.length > 0) {
        await deps.stores.tabs.update(
          tabKey(tabId),
          () => state,
          (s) => applyInboxMatch(s, match, fetchedAt, inboxUrl),
        );
        // Answered once stored: a worker stopped right after the reply keeps the delivery the panel shows.
        if (!(await deps.stores.tabs.whenPersisted())) throw new RequestError('could not store the delivery');
        deps.tabChanged(tabId);
      }
      return { url: inboxUrl, fetchedAt, status, ignored: parsed.ignored, match };
    },
  }),
};

export type RequestHandlers = typeof handlers;
