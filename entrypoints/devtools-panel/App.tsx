import { useEffect, useMemo, useState } from 'preact/hooks';
import { PanelView } from '../../components/panel/PanelView';
import type { TabName } from '../../components/panel/derive';
import type { Analyse } from '../../components/panel/store';
import { createPanelStore, PanelStoreContext } from '../../components/panel/store';
import { downloadText } from '../../components/common/download';
import { exportFileName, exportJson } from '../../utils/export';
import type { Transport } from '../../utils/protocol';
import { analyseDocument } from '../../utils/routes';

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
}

/** The DevTools panel: subscribes to the tab's live view through the transport and renders it. */
export function App({
  transport, tabId, tabUrl, analyse = analyseDocument, clock = Date.now, tickMs = 1000, initialTab = 'overview',
  download = downloadText, copy, breadcrumbFallbackHeight,
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
      />
    </PanelStoreContext.Provider>
  );
}
