import { useEffect, useMemo, useState } from 'preact/hooks';
import { PanelView } from '@/components/panel/PanelView';
import type { TabName } from '@/components/panel/derive';
import type { Analyse, PanelStore } from './store';
import type { DeepAvailability, DeliveryControls } from '@/components/panel/delivery';
import { checkKey } from '@/components/panel/delivery';
import { createPanelStore, PanelStoreContext } from './store';
import { downloadText } from '@/components/common/download';
import { exportFileName, exportJson } from '@/utils/tab/export';
import type { Transport } from '@/utils/messaging/protocol';
import { analyseDocument } from '@/utils/tab/routes';

/** What the panel needs of the browser beyond the transport: the debugger permission and a remembered inbox address. */
export interface PanelPlatform {
  /** Whether deep capture can be used here. */
  deepAvailability(): Promise<DeepAvailability>;
  /** Asks the browser for the debugger permission. Called first thing in a click handler (the user's gesture). */
  requestDebugger(): Promise<boolean>;
  loadInboxUrl(): Promise<string | null>;
  saveInboxUrl(url: string): Promise<void>;
}

export interface PanelAppProps {
  transport: Transport;
  /** The inspected tab; null when it is unknown (shows how to open the panel). */
  tabId: number | null;
  /** The tab's URL when known, for tabs without captured documents (browser pages). */
  tabUrl?: string | null;
  /** Replaces `analyseDocument` (harness, tests). */
  analyse?: Analyse;
  clock?: () => number;
  /** How often countdowns and expiry are recomputed. */
  tickMs?: number;
  initialTab?: TabName;
  download?: (fileName: string, text: string) => void;
  copy?: (text: string) => Promise<boolean>;
  breadcrumbFallbackHeight?: number;
  /** Permission and storage for the delivery features; without it deep capture does not show. */
  platform?: PanelPlatform;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The delivery controls (endpoint checks, inbox, deep capture), wired to the transport and the store. */
function deliveryControls(store: PanelStore, transport: Transport, tabId: number | null, platform: PanelPlatform | undefined): DeliveryControls {
  return {
    checks: store.checks.value,
    onCheckEndpoint: (url, pageUrl) => {
      const key = checkKey(url, pageUrl);
      const previous = store.checks.value[key];
      store.checks.value = { ...store.checks.value, [key]: { pending: true, result: previous?.result } };
      transport.send('checkEndpoint', { url, pageUrl }).then(
        (result) => (store.checks.value = { ...store.checks.value, [key]: { pending: false, result } }),
        (e: unknown) => (store.checks.value = { ...store.checks.value, [key]: { pending: false, error: messageOf(e) } }),
      );
    },
    inboxUrl: store.inboxUrl.value,
    onInboxUrl: (url) => (store.inboxUrl.value = url),
    inbox: store.inbox.value,
    onReadInbox:
      tabId === null
        ? undefined
        : () => {
            const url = store.inboxUrl.value.trim();
            void platform?.saveInboxUrl(url).catch(() => undefined);
            store.inbox.value = { pending: true, result: store.inbox.value?.result };
            transport.send('readInbox', { url, tabId }).then(
              (result) => (store.inbox.value = { pending: false, result }),
              (e: unknown) => (store.inbox.value = { pending: false, error: messageOf(e) }),
            );
          },
    deepAvailability: store.deepAvailability.value,
    deepPending: store.deepPending.value,
    deepError: store.deepError.value,
    onDeepCapture:
      tabId === null || !platform
        ? undefined
        : (on) => {
            // The permission prompt needs the click's user gesture: ask before anything is awaited.
            const permitted = on && store.deepAvailability.value === 'requestable' ? platform.requestDebugger() : Promise.resolve(true);
            store.deepPending.value = true;
            store.deepError.value = null;
            permitted
              .then((granted) => {
                if (!granted) throw new Error('The browser did not grant access to the page debugger: deep capture stays off.');
                if (on) store.deepAvailability.value = 'granted';
                return transport.send('setDeepCapture', { tabId, on });
              })
              .then(
                () => (store.deepOnHere.value = on),
                (e: unknown) => (store.deepError.value = messageOf(e)),
              )
              .finally(() => (store.deepPending.value = false));
          },
    onCrashTab:
      tabId === null
        ? undefined
        : () => {
            store.deepError.value = null;
            transport.send('crashTab', { tabId }).catch((e: unknown) => (store.deepError.value = messageOf(e)));
          },
  };
}

/** The DevTools panel: subscribes to the tab's live view through the transport and renders it. */
export function App({
  transport, tabId, tabUrl, analyse = analyseDocument, clock = Date.now, tickMs = 1000, initialTab = 'overview',
  download = downloadText, copy, breadcrumbFallbackHeight, platform,
}: PanelAppProps) {
  const store = useMemo(() => createPanelStore(analyse, clock(), initialTab), []);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (tabId === null) return;
    store.status.value = 'connecting';
    let unsubscribe: (() => void) | null = null;
    let cancelled = false;
    try {
      unsubscribe = transport.subscribe(
        tabId,
        (view) => {
          store.offerView(view);
          store.status.value = 'connected';
        },
        (status) => {
          store.status.value = status;
        },
      );
    } catch (e) {
      store.error.value = e instanceof Error ? e.message : String(e);
    }
    // Ask once as well: shows the state even if the port is slow, and reports a failure if nothing answers.
    transport.send('getTabView', { tabId }).then(
      (view) => {
        if (!cancelled) store.offerView(view);
      },
      (e: unknown) => {
        if (!cancelled && !store.view.value) store.error.value = e instanceof Error ? e.message : String(e);
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [transport, tabId, attempt]);

  useEffect(() => {
    if (!platform) return;
    platform.deepAvailability().then(
      (a) => (store.deepAvailability.value = a),
      () => undefined,
    );
    platform.loadInboxUrl().then(
      (url) => {
        if (url) store.inboxUrl.value = url;
      },
      () => undefined,
    );
  }, [platform]);

  // Deep capture turned on here stops when the panel goes away (the background also stops it when the last
  // panel port of the tab closes).
  useEffect(() => {
    if (tabId === null) return;
    const onHide = () => {
      if (store.deepOnHere.value) void transport.send('setDeepCapture', { tabId, on: false, panelClosed: true }).catch(() => undefined);
    };
    addEventListener('pagehide', onHide);
    return () => removeEventListener('pagehide', onHide);
  }, [transport, tabId]);

  useEffect(() => {
    const id = setInterval(() => {
      store.now.value = clock();
    }, tickMs);
    return () => clearInterval(id);
  }, [tickMs, clock]);

  const view = store.view.value;
  return (
    <PanelStoreContext.Provider value={store}>
      <PanelView
        tabId={tabId}
        view={view}
        analyses={store.analyses.value}
        now={store.now.value}
        status={store.status.value}
        error={store.error.value}
        tabUrl={tabUrl}
        tab={store.tab.value}
        onTab={(t) => (store.tab.value = t)}
        filter={store.filter.value}
        onFilter={(f) => (store.filter.value = f)}
        onExport={
          view
            ? () => {
                const now = clock();
                download(exportFileName(view, now), exportJson(view, now));
              }
            : undefined
        }
        onClear={
          tabId === null
            ? undefined
            : (what) => {
                transport.send('clearTabData', { tabId, what }).catch((e: unknown) => {
                  store.error.value = e instanceof Error ? e.message : String(e);
                });
              }
        }
        onRetry={() => {
          store.error.value = null;
          setAttempt((a) => a + 1);
        }}
        copy={copy}
        breadcrumbFallbackHeight={breadcrumbFallbackHeight}
        delivery={deliveryControls(store, transport, tabId, platform)}
      />
    </PanelStoreContext.Provider>
  );
}
