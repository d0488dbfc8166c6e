import { effect } from '@preact/signals';
import { useEffect, useLayoutEffect, useMemo, useState } from 'preact/hooks';
import { PanelView } from '@/components/panel/PanelView';
import type { TabName } from '@/components/panel/labels-and-filter';
import type { Analyse } from './store';
import { createPanelStore, PanelStoreContext } from './store';
import { deliveryActions, type PanelPlatform } from './delivery-actions';
import { downloadText } from '@/components/common/download';
import type { Transport } from '@/utils/messaging/protocol';

export type { PanelPlatform } from './delivery-actions';

export interface PanelAppProps {
  transport: Transport;
  /** The inspected tab; null when it is unknown (shows how to open the panel). */
  tabId: number | null;
  /** The tab's URL when known, for tabs without captured documents (browser pages). */
  tabUrl?: string | null;
  /** Analyses documents here instead of reading the background's analyses (tests). */
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

/** The DevTools panel: wires the store to the transport once, subscribes to the tab's live view, renders it. */
export function App({
  transport,
  tabId,
  tabUrl,
  analyse,
  clock = Date.now,
  tickMs = 1000,
  initialTab = 'overview',
  download = downloadText,
  copy,
  breadcrumbFallbackHeight,
  platform,
}: PanelAppProps) {
  const [attempt, setAttempt] = useState(0);
  const store = useMemo(() => {
    const s = createPanelStore(analyse ?? null, clock(), { tabId, tab: initialTab, breadcrumbFallbackHeight });
    Object.assign(s.actions, {
      copy,
      exportTab: () => {
        const view = s.view.value;
        if (!view) return;
        const now = clock();
        const raw = s.exportRaw.value;
        // The export analyses afresh with the header parsers: loaded on the first export, not with the panel.
        import('@/utils/tab/export').then(
          ({ exportFileName, exportJson }) =>
            download(exportFileName(view, now), exportJson(view, s.tabUrl.value ?? '', now, { raw })),
          (e: unknown) => (s.error.value = messageOf(e)),
        );
      },
      clear:
        tabId === null
          ? undefined
          : (what: 'breadcrumbs' | 'reports' | 'crashes' | 'history') => {
              transport.send('clearTabData', { tabId, what }).catch((e: unknown) => (s.error.value = messageOf(e)));
            },
      retry: () => {
        s.error.value = null;
        setAttempt((a) => a + 1);
      },
      ...deliveryActions(s, transport, platform),
    });
    return s;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one store for the panel's life: its props are fixed when DevTools opens it
  }, []);
  store.tabUrl.value = tabUrl ?? null;

  // A layout effect, not a passive one: Preact runs passive effects only after the next frame, and the view may
  // already be waiting (main.tsx subscribed before loading the app).
  useLayoutEffect(() => {
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
      store.error.value = messageOf(e);
    }
    // Ask once as well: shows the state even if the port is slow, and reports a failure if nothing answers.
    transport.send('getTabView', { tabId }).then(
      (view) => {
        if (!cancelled) store.offerView(view);
      },
      (e: unknown) => {
        if (!cancelled && !store.view.value) store.error.value = messageOf(e);
      },
    );
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [store, transport, tabId, attempt]);

  // The background's analyses hold until a group expires or an "expired … ago" ages: then ask for fresh ones.
  useEffect(() => {
    if (tabId === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = effect(() => {
      const until = store.view.value?.analyses?.until ?? null;
      clearTimeout(timer);
      if (until === null) return;
      timer = setTimeout(
        () =>
          void transport.send('getTabView', { tabId }).then(
            (v) => store.offerView(v),
            () => undefined,
          ),
        Math.max(0, until - clock()),
      );
    });
    return () => {
      stop();
      clearTimeout(timer);
    };
  }, [store, transport, tabId, clock]);

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
  }, [store, platform]);

  // Deep capture turned on here stops when the panel goes away (the background also stops it when the last
  // panel port of the tab closes).
  useEffect(() => {
    if (tabId === null) return;
    const onHide = () => {
      if (store.deepOnHere.value)
        void transport.send('setDeepCapture', { tabId, on: false, panelClosed: true }).catch(() => undefined);
    };
    addEventListener('pagehide', onHide);
    return () => removeEventListener('pagehide', onHide);
  }, [store, transport, tabId]);

  useEffect(() => {
    const id = setInterval(() => {
      store.now.value = clock();
    }, tickMs);
    return () => clearInterval(id);
  }, [store, tickMs, clock]);

  return (
    <PanelStoreContext.Provider value={store}>
      <PanelView />
    </PanelStoreContext.Provider>
  );
}
