import { render } from '@testing-library/preact';
import { PanelView } from '@/components/panel/PanelView';
import type { TabName } from '@/components/panel/labels-and-filter';
import type { DeliveryControls } from '@/components/panel/delivery';
import type { ConnectionStatus } from '@/components/panel/PanelHeader';
import { createPanelStore, PanelStoreContext, type PanelStore } from '@/entrypoints/devtools-panel/store';
import type { TabView } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { fixtureAnalyse, NOW, view } from '../../fixtures/views';
import { buildDocumentRecord } from '@/utils/tab/documents';
import { analyseDocument } from '@/utils/tab/routes';
import type { CapturedHeader } from '@/utils/headers/types';
import { loadAllTabs } from '@/components/panel/lazy-tabs';

// The panel loads its tabs on first use; tests render any tab at once, so every tab's code is loaded up front.
await loadAllTabs();

interface Extra {
  tabId?: number | null;
  tab?: TabName;
  filter?: string;
  now?: number;
  status?: ConnectionStatus;
  error?: string | null;
  tabUrl?: string | null;
  copy?: (text: string) => Promise<boolean>;
  onExport?: () => void;
  onRetry?: () => void;
  onClear?: (what: 'breadcrumbs' | 'reports' | 'crashes' | 'history') => void;
  delivery?: DeliveryControls;
  breadcrumbFallbackHeight?: number;
}

/**
 * A panel store holding `view`, whose analyses are the given ones (looked up by document id, else the fixtures'
 * `fixtureAnalyse`, so hand-written fixtures stand in for `analyseDocument`), with the extras set as the app would.
 */
export function fixtureStore(
  view: TabView | null,
  analyses: readonly DocumentAnalysis[],
  extra: Extra = {},
): PanelStore {
  const byId = new Map(analyses.map((a) => [a.document.id, a]));
  const store = createPanelStore(
    (doc, origins, now) => byId.get(doc.id) ?? fixtureAnalyse(doc, origins, now),
    extra.now ?? NOW,
    {
      tabId: 'tabId' in extra ? extra.tabId : (view?.tabId ?? 1),
      tab: extra.tab,
      breadcrumbFallbackHeight: extra.breadcrumbFallbackHeight ?? 440,
      actions: {
        copy: extra.copy,
        exportTab: extra.onExport,
        retry: extra.onRetry,
        clear: extra.onClear,
        checkEndpoint: extra.delivery?.onCheckEndpoint,
        readInbox: extra.delivery?.onReadInbox,
        setDeepCapture: extra.delivery?.onDeepCapture,
        crashTab: extra.delivery?.onCrashTab,
      },
    },
  );
  if (view) store.view.value = view;
  store.status.value = extra.status ?? 'connected';
  store.error.value = extra.error ?? null;
  store.tabUrl.value = extra.tabUrl ?? null;
  store.filter.value = extra.filter ?? '';
  if (extra.delivery) {
    const d = extra.delivery;
    store.checks.value = { ...d.checks };
    store.inboxUrl.value = d.inboxUrl;
    store.inbox.value = d.inbox;
    store.deepAvailability.value = d.deepAvailability;
    store.deepPending.value = d.deepPending;
    store.deepError.value = d.deepError;
  }
  return store;
}

/** Renders the panel from a fixture store, with working tab and filter state. */
export function renderPanel(view: TabView | null, analyses: readonly DocumentAnalysis[], extra: Extra = {}) {
  const store = fixtureStore(view, analyses, extra);
  return {
    store,
    ...render(
      <PanelStoreContext.Provider value={store}>
        <PanelView />
      </PanelStoreContext.Provider>,
    ),
  };
}

/** Let pending promises and effects run. */
export const flush = () => new Promise<void>((r) => setTimeout(r, 0));

/** A tab whose top document at https://shop.acme.test/ sent `headers`, parsed and analysed by the product's own code. */
export function parsedTab(headers: CapturedHeader[], tabId = 40) {
  const d = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url: 'https://shop.acme.test/',
    type: 'main_frame',
    statusCode: 200,
    headers,
    now: NOW,
  });
  return { v: view(tabId, { documents: { '0': d } }), analyses: [analyseDocument(d, [], NOW)] };
}
