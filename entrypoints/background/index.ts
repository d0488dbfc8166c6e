/**
 * The background service worker: wires listeners, synchronously and before anything is awaited, so no event
 * that wakes the worker is missed. State lives in storage; what is in memory here is only a cache.
 *
 * The parts, one file each: header-capture (webRequest → tab state and origin cache), requests (the one-shot
 * requests, request-handlers.ts), panel-ports (open panels), tab-updates (a changed tab → its panels and its
 * badge), crash-detection, deep-capture (the debugger), relay-injection and page-hook-registration (what runs in
 * pages), subresource-watch (responses of tabs with an open panel).
 */
import browser, { type Runtime } from 'webextension-polyfill';
import {
  isRequestEnvelope,
  RELAY_PORT,
  tabIdOfPanelPort,
  type ErrorReply,
  type RequestEnvelope,
} from '@/utils/messaging/protocol';
import { loadSettings, watchSettings } from '@/utils/storage/settings-item';
import { isHookEnabled, type Settings } from '@/utils/storage/settings';
import { pruneCache } from '@/utils/tab/origin-cache';
import { createStores, ORIGIN_CACHE_KEY, tabKey } from './tab-and-origin-stores';
import { handleHeadersReceived, type HeadersReceivedDetails } from './header-capture';
import { DOCUMENT_TYPES, SubresourceWatch, subresourceTypes } from './subresource-watch';
import { PanelPorts } from './panel-ports';
import { TabBadges } from './badge';
import { TabViews } from './tab-views';
import { TabUpdates } from './tab-updates';
import { handleRequest, isRequestName, RequestError, serveRelayPort, type RequestDeps } from './requests';
import { CrashDetector } from './crash-detection';
import { chromeDebugger, DeepCapture } from './deep-capture';
import { initPageHookRegistration } from './page-hook-registration';
import { RelayInjector, relayCanRun, type FrameEvent } from './relay-injection';
import { DeferredCapture } from './deferred-capture';
import { pickReportingHeaders, restoreDocument } from '@/utils/tab/documents';
import { emptyTabState } from '@/utils/tab/types';
import { listenForPopup } from './popup-prerender';

export default defineBackground(() => {
  // Documents of tabs without a panel are placed after their load, before anything reads their tab (deferred-capture.ts).
  const late: { deferred?: DeferredCapture } = {};
  const stores = createStores(browser.storage.session, browser.storage.local, {
    beforeAccess: (tabId) => late.deferred?.beforeAccess(tabId),
  });
  const now = () => Date.now();
  // Open panels: what serves them only starts with the first one of a tab and stops with the last.
  const panels = new PanelPorts({
    opened: (tabId) => {
      subresources.watch(tabId);
      void relays.injectTab(tabId);
      if (!browser.webNavigation.onCommitted.hasListener(onCommittedWithPanel))
        browser.webNavigation.onCommitted.addListener(onCommittedWithPanel);
    },
    closed: (tabId) => {
      subresources.unwatch(tabId);
      deep.panelsClosed(tabId);
      if (panels.tabIds().length === 0) browser.webNavigation.onCommitted.removeListener(onCommittedWithPanel);
    },
  });
  const views = new TabViews(stores, now, (tabId) => subresources.since(tabId));
  const badges = new TabBadges(browser.action, now);
  const updates = new TabUpdates({ stores, views, panels, badges });
  const tabChanged = (tabId: number) => updates.tabChanged(tabId);
  const extensionOrigin = browser.runtime.getURL('/');
  const crashes = new CrashDetector({
    stores,
    now,
    tabChanged,
    getTab: (id) => browser.tabs.get(id).catch(() => null),
    // Chromium knows `unloaded` (a crashed or not yet loaded tab: chrome/browser/extensions/extension_tab_util.cc
    // `GetLoadingStatus` answers it when the main frame's process is not alive); the polyfill's types do not.
    queryUnloaded: () => browser.tabs.query({ status: 'unloaded' as 'complete' }),
  });
  const deep = new DeepCapture({
    stores,
    now,
    tabChanged,
    recordCrash: (id, at, visible, detectedBy) => crashes.record(id, at, visible, detectedBy),
    isTabVisible: (id) =>
      browser.tabs.get(id).then(
        (t) => t.active ?? true,
        () => true,
      ),
    api: chromeDebugger,
  });
  const captureContext = {
    stores,
    now,
    tabChanged,
    originChanged: (origin: string) => void updates.originChanged(origin),
  };

  // Documents on every tab, subresources only of tabs with an open panel (subresource-watch.ts says why).
  // No `extraHeaders`: without it Chromium hides only `Set-Cookie` among response headers, none of the reporting
  // ones (extensions/browser/api/web_request/web_request_api_helpers.cc `ShouldHideResponseHeader`), and with it
  // every response of every page waits for a synchronous trip to the browser process.
  //
  // A document of a tab without an open panel is kept as it came and placed once the page has loaded
  // (deferred-capture.ts), and what its top frame's commit starts (the badge after the load, the crash watch, the
  // relay's fallback) starts here: with it, no `webNavigation.onCommitted` event is dispatched to the worker while
  // an http(s) page commits. Each event the worker is sent during a load competes with the page for the machine
  // (bench/paired.mjs, README "Performance").
  const deferred = (late.deferred = new DeferredCapture({
    area: browser.storage.session,
    ctx: captureContext,
    isOpen: (tabId) =>
      browser.tabs.get(tabId).then(
        () => true,
        () => false,
      ),
  }));
  // Tabs whose top frame got a response since its last load completed: a load without one was restored from the
  // back/forward cache (or is a `file:` page, marked at its commit).
  const responded = new Set<number>();
  const onResponse = (details: HeadersReceivedDetails): undefined => {
    const { tabId, type } = details;
    if (type === 'main_frame' && details.frameId === 0) responded.add(tabId);
    if (tabId >= 0 && (type === 'main_frame' || type === 'sub_frame') && !panels.has(tabId)) {
      deferred.keep(details, pickReportingHeaders(details.responseHeaders));
      documentArriving({ tabId, frameId: details.frameId, url: details.url });
      return undefined;
    }
    void handleHeadersReceived(details, captureContext);
    return undefined;
  };
  browser.webRequest.onHeadersReceived.addListener(onResponse, { urls: ['<all_urls>'], types: [...DOCUMENT_TYPES] }, [
    'responseHeaders',
  ]);
  const published = (globalThis as { chrome?: { webRequest?: { ResourceType?: Record<string, string> } } }).chrome
    ?.webRequest?.ResourceType;
  const subresources = new SubresourceWatch<HeadersReceivedDetails>(
    browser.webRequest.onHeadersReceived,
    subresourceTypes(published),
    onResponse,
    now,
  );

  // Settings read once per worker life and again after each change, not once per page-event batch.
  let settingsCache: Promise<Settings> | null = null;
  watchSettings(() => (settingsCache = null));
  const settings = (): Promise<Settings> =>
    (settingsCache ??= loadSettings().catch((e: unknown) => {
      settingsCache = null;
      throw e;
    }));

  const getTabUrl = (id: number) =>
    browser.tabs.get(id).then(
      (t) => t.url,
      () => undefined,
    );
  const requestDeps: RequestDeps = {
    stores,
    views,
    tabChanged,
    hasPanel: (tabId) => panels.has(tabId),
    extensionId: browser.runtime.id,
    extensionOrigin,
    now,
    getTabUrl,
    settings,
    deep,
    fetch: (input, init) => fetch(input, init),
    userAgent: navigator.userAgent,
    monotonic: () => performance.now(),
  };
  const answer = (message: RequestEnvelope, sender: Runtime.MessageSender): Promise<unknown> =>
    handleRequest(message, sender, requestDeps).catch((e: unknown): ErrorReply => {
      if (e instanceof RequestError) return { error: e.message };
      console.warn('Report Inspector: request failed', e);
      return { error: 'internal error' };
    });

  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
    // Not ours (or no request we know): leave it unanswered, as if this listener were not there.
    if (!isRequestEnvelope(message) || !isRequestName(message.name)) return undefined;
    return answer(message, sender);
  });

  // The popup's page, served with its headline in it (popup-prerender.ts).
  listenForPopup(self, {
    summary: async (tabId) => views.summary(tabId, await getTabUrl(tabId)),
    now,
    extensionOrigin,
    fetch: (input) => fetch(input),
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name === RELAY_PORT) {
      if (port.sender?.id !== browser.runtime.id || port.sender.tab?.id === undefined) return;
      crashes.relayConnected(port);
      serveRelayPort(port, answer, async (url) => isHookEnabled(await settings(), url));
      return;
    }
    const tabId = tabIdOfPanelPort(port.name);
    if (tabId === null || port.sender?.id !== browser.runtime.id || !port.sender.url?.startsWith(extensionOrigin)) {
      port.disconnect();
      return;
    }
    panels.add(tabId, port);
    updates.panelConnected(tabId, port);
    void crashes.sweep();
  });

  // The debugger's events (deep capture): registered now when the API is there, else once the permission is granted.
  deep.listen();
  browser.permissions?.onAdded?.addListener(() => deep.listen());

  // The page relay goes into each frame once it has loaded, at once in tabs with an open panel (relay-injection.ts).
  const relays = new RelayInjector({
    executeScript: (details) => browser.scripting.executeScript(details),
    hasPanel: (tabId) => panels.has(tabId),
    onTopFailed: (tabId) => crashes.relayMissing(tabId),
    queryTabs: () => browser.tabs.query({}),
  });
  browser.runtime.onInstalled.addListener(() => void relays.installed());

  // What a document's commit starts. For http(s) documents of tabs without a panel it starts when their response
  // arrives (`documentArriving`); `onCommitted` is listened to for `file:` documents, which webRequest does not see,
  // and for every document while a panel is open (the relay goes into the inspected tab as its document commits).
  const documentArriving = (d: FrameEvent): void => {
    if (d.frameId === 0) {
      updates.navigationCommitted(d.tabId);
      if (relayCanRun(d.url)) crashes.documentCommitted(d.tabId);
    }
    void relays.committed(d);
  };
  const isFileUrl = (url: string) => /^file:/i.test(url);
  // A commit the worker hears of also counts for crash detection (a relay port of the document before it closes).
  const committed = (d: FrameEvent): void => {
    if (d.frameId === 0) {
      if (isFileUrl(d.url)) responded.add(d.tabId);
      crashes.navigated(d.tabId);
    }
    documentArriving(d);
  };
  const onCommittedWithPanel = (d: FrameEvent): void => {
    if (panels.has(d.tabId) && !isFileUrl(d.url)) committed(d);
  };
  browser.webNavigation.onCommitted.addListener(committed, { url: [{ schemes: ['file'] }] });
  // Frames the relay can run in only: no event for `about:blank`, `data:` and the like.
  browser.webNavigation.onCompleted.addListener(
    (d) => {
      // The kept documents go on the stores' queues first, so the view pushed now has them (one push, not two).
      if (d.frameId === 0) {
        void deferred.settle(d.tabId, { quiet: true });
        if (!responded.delete(d.tabId)) {
          // A page back from the back/forward cache: no response came for it, so its document is found in the
          // tab's history; and Chromium cleared the tab's badge as it committed, so it is set again now.
          void stores.tabs
            .update(
              tabKey(d.tabId),
              () => emptyTabState(d.tabId, now()),
              (s) => restoreDocument(s, d.url, now()),
            )
            .catch(() => undefined);
          updates.navigationCommitted(d.tabId);
        }
        updates.navigationCompleted(d.tabId);
      }
      void relays.completed(d);
    },
    { url: [{ schemes: ['http', 'https', 'file'] }] },
  );

  browser.tabs.onRemoved.addListener((tabId) => {
    deferred.tabRemoved(tabId);
    responded.delete(tabId);
    crashes.tabRemoved(tabId);
    relays.tabRemoved(tabId);
    updates.tabRemoved(tabId);
    subresources.unwatch(tabId);
    void stores.tabs.remove(tabKey(tabId), { forever: true });
  });

  browser.runtime.onStartup.addListener(() => {
    void stores.origins.update(
      ORIGIN_CACHE_KEY,
      () => ({}),
      (c) => pruneCache(c, now()),
    );
  });

  initPageHookRegistration();

  // Crashes that happened while the worker was stopped (crash-detection.ts).
  void crashes.sweep();

  // Prune expired origin-cache entries on every wake (cheap: one read, a write only when something changed).
  void stores.origins.get(ORIGIN_CACHE_KEY).then((c) => {
    if (!c) return;
    const pruned = pruneCache(c, now());
    if (Object.keys(pruned).length !== Object.keys(c).length)
      void stores.origins.update(
        ORIGIN_CACHE_KEY,
        () => ({}),
        () => pruned,
      );
  });
});
