/**
 * The panel's state as signals: the live view pushed by the background, connection status, the ticking clock
 * (for countdowns), the active tab and the filter. Created by the app, readable by any component.
 */
import { computed, signal } from '@preact/signals';
import type { ReadonlySignal, Signal } from '@preact/signals';
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { TabView } from '@/utils/tab/types';
import { documentVerdict, type DocumentVerdict } from '@/utils/tab/verdicts';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { DEFAULT_INBOX_URL } from '@/utils/delivery/inbox';
import type { InboxResult } from '@/utils/messaging/protocol';
import type { AsyncState, DeepAvailability, DeliveryControls } from '@/components/panel/delivery';
import type { TabName } from '@/components/panel/labels-and-filter';
import type { TabSummary } from '@/utils/tab/types';
import { summarizeTab } from '@/utils/tab/summary';
import { analysesOf, historyAnalysesOf, orderedDocuments, safeAnalyse, type Analyse } from '@/utils/tab/analyses';
import type { ConnectionStatus } from '@/components/panel/PanelHeader';

export type { Analyse } from '@/utils/tab/analyses';

/** What the panel can do, wired by the app to the transport and the browser; absent where it cannot be done. */
export interface PanelActions {
  copy?: (text: string) => Promise<boolean>;
  exportTab?: () => void;
  clear?: (what: 'breadcrumbs' | 'reports' | 'crashes' | 'history') => void;
  retry?: () => void;
  checkEndpoint?: (url: string, pageUrl: string) => void;
  readInbox?: () => void;
  setDeepCapture?: (on: boolean) => void;
  crashTab?: () => void;
}

export interface PanelStore {
  /** The inspected tab, null when unknown. */
  tabId: number | null;
  /** The tab's URL as the browser reports it, for tabs without a captured document (browser pages). */
  tabUrl: Signal<string | null>;
  view: Signal<TabView | null>;
  status: Signal<ConnectionStatus>;
  error: Signal<string | null>;
  now: Signal<number>;
  tab: Signal<TabName>;
  filter: Signal<string>;
  /**
   * One analysis per document, top first: those the view carries (the background's), or, with an `analyse`
   * function (tests), recomputed when the view changes and every clock tick.
   */
  analyses: ReadonlySignal<DocumentAnalysis[]>;
  /**
   * The tab's one summary (utils/tab/summary.ts), the same derivation the badge and the popup use: every count the
   * panel shows comes from it.
   */
  summary: ReadonlySignal<TabSummary>;
  /** Verdicts of the tab's previous documents, newest first, by the same derivation as the current one's. */
  history: ReadonlySignal<DocumentVerdict[]>;
  /** Accept a view unless it is older than the one shown (a late reply racing a push). */
  offerView(view: TabView): void;
  /** Endpoint checks the user asked for, by `checkKey`. */
  checks: Signal<Record<string, AsyncState<EndpointCheckResult>>>;
  inboxUrl: Signal<string>;
  inbox: Signal<AsyncState<InboxResult> | null>;
  deepAvailability: Signal<DeepAvailability>;
  deepPending: Signal<boolean>;
  deepError: Signal<string | null>;
  /** Deep capture was turned on from this panel (so closing it turns it off). */
  deepOnHere: Signal<boolean>;
  actions: PanelActions;
  /** Export adds the raw internal state to the bug report. */
  exportRaw: Signal<boolean>;
  /** The subresource note is shown once per panel: for the first document it applies to, until dismissed. */
  subresourceNote: Signal<{ shownFor: string | null; dismissed: boolean }>;
  /** The delivery features' state and callbacks, as the components take them. */
  delivery: ReadonlySignal<DeliveryControls>;
  /** Breadcrumb list height when it cannot be measured (tests). */
  breadcrumbFallbackHeight?: number;
}

export interface PanelStoreOptions {
  tabId?: number | null;
  tab?: TabName;
  actions?: PanelActions;
  breadcrumbFallbackHeight?: number;
}

export function createPanelStore(analyse: Analyse | null, now: number, options: PanelStoreOptions = {}): PanelStore {
  const { tabId = null, tab = 'overview', actions = {}, breadcrumbFallbackHeight } = options;
  const view = signal<TabView | null>(null);
  const nowSig = signal(now);
  const checks = signal<Record<string, AsyncState<EndpointCheckResult>>>({});
  const inboxUrl = signal(DEFAULT_INBOX_URL);
  const inbox = signal<AsyncState<InboxResult> | null>(null);
  const deepAvailability = signal<DeepAvailability>('unavailable');
  const deepPending = signal(false);
  const deepError = signal<string | null>(null);
  const store: PanelStore = {
    tabId,
    tabUrl: signal<string | null>(null),
    view,
    status: signal<ConnectionStatus>('connecting'),
    error: signal<string | null>(null),
    now: nowSig,
    tab: signal(tab),
    filter: signal(''),
    analyses: computed(() => {
      const v = view.value;
      if (!v || !analyse) return analysesOf(v);
      const t = nowSig.value;
      return orderedDocuments(v).map((d) => safeAnalyse(analyse, d, v.origins, t));
    }),
    history: computed(() => {
      const v = view.value;
      if (!v || !analyse) return historyAnalysesOf(v).map(documentVerdict);
      const t = nowSig.value;
      return v.state.history.map((d) => documentVerdict(safeAnalyse(analyse, d, v.origins, t)));
    }),
    summary: computed(() => summarizeTab(view.value, store.tabUrl.value ?? '', nowSig.value, store.analyses.value)),
    checks,
    inboxUrl,
    inbox,
    deepAvailability,
    deepPending,
    deepError,
    deepOnHere: signal(false),
    actions,
    exportRaw: signal(false),
    subresourceNote: signal({ shownFor: null, dismissed: false }),
    breadcrumbFallbackHeight,
    delivery: computed(() => ({
      checks: checks.value,
      onCheckEndpoint: actions.checkEndpoint,
      inboxUrl: inboxUrl.value,
      onInboxUrl: (url: string) => (inboxUrl.value = url),
      inbox: inbox.value,
      onReadInbox: actions.readInbox,
      deepAvailability: deepAvailability.value,
      deepPending: deepPending.value,
      deepError: deepError.value,
      onDeepCapture: actions.setDeepCapture,
      onCrashTab: actions.crashTab,
    })),
    offerView(v) {
      const current = view.value;
      if (current && current.tabId === v.tabId && v.generatedAt < current.generatedAt) return;
      // Subresources have been recorded since this panel connected: a worker restart (the panel reconnects and the
      // background starts watching afresh) does not make that later.
      const earlier = current?.tabId === v.tabId ? current.subresourcesSince : null;
      view.value =
        earlier != null && v.subresourcesSince != null && earlier < v.subresourcesSince
          ? { ...v, subresourcesSince: earlier }
          : v;
      store.error.value = null;
    },
  };
  return store;
}

export const PanelStoreContext = createContext<PanelStore | null>(null);

/**
 * The panel's store, for any component under the app (preact-devtools' views read their store the same way).
 * Reading a signal's `.value` while rendering subscribes the component to it.
 */
export function usePanelStore(): PanelStore {
  const store = useContext(PanelStoreContext);
  if (!store) throw new Error('usePanelStore() needs a <PanelStoreContext.Provider> above it');
  return store;
}
