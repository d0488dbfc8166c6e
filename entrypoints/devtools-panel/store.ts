/**
 * The panel's state as signals: the live view pushed by the background, connection status, the ticking clock
 * (for countdowns), the active tab and the filter. Created by the app, readable by any component.
 */
import { computed, signal } from '@preact/signals';
import type { ReadonlySignal, Signal } from '@preact/signals';
import { createContext } from 'preact';
import type { OriginCache, OriginConfig, TabView } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import { DEFAULT_INBOX_URL } from '@/utils/delivery/inbox';
import type { InboxResult } from '@/utils/messaging/protocol';
import type { AsyncState, DeepAvailability } from '@/components/panel/delivery';
import type { TabName } from '@/components/panel/derive';
import { orderedDocuments } from '@/components/panel/derive';
import type { ConnectionStatus } from '@/components/panel/PanelHeader';

export type Analyse = (
  doc: TabView['state']['documents'][string],
  origins: OriginConfig[] | OriginCache,
  now: number,
) => DocumentAnalysis;

export interface PanelStore {
  view: Signal<TabView | null>;
  status: Signal<ConnectionStatus>;
  error: Signal<string | null>;
  now: Signal<number>;
  tab: Signal<TabName>;
  filter: Signal<string>;
  /** One analysis per document, top first; recomputed when the view changes and every clock tick. */
  analyses: ReadonlySignal<DocumentAnalysis[]>;
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
}

export function createPanelStore(analyse: Analyse, now: number, tab: TabName = 'overview'): PanelStore {
  const view = signal<TabView | null>(null);
  const nowSig = signal(now);
  const store: PanelStore = {
    view,
    status: signal<ConnectionStatus>('connecting'),
    error: signal<string | null>(null),
    now: nowSig,
    tab: signal(tab),
    filter: signal(''),
    analyses: computed(() => {
      const v = view.value;
      if (!v) return [];
      const t = nowSig.value;
      return orderedDocuments(v).map((d) => {
        try {
          return analyse(d, v.origins, t);
        } catch (e) {
          // A bug in the analysis must not blank the panel: show the document with the failure as a problem.
          const message = `Report Inspector could not analyse this document: ${e instanceof Error ? e.message : String(e)}`;
          return {
            document: d,
            secure: d.url.startsWith('https:'),
            endpoints: d.endpoints,
            groups: [],
            routes: [],
            crash: { reportType: 'crash', endpointName: null, url: null, via: null, header: '(implicit)', detail: 'crash', reportOnly: false, willDeliver: false, reason: 'unknown (analysis failed)' },
            diagnostics: [...d.diagnostics, { severity: 'error', code: 'analysis-failed', message, header: '(routes)' }],
          } satisfies DocumentAnalysis;
        }
      });
    }),
    checks: signal({}),
    inboxUrl: signal(DEFAULT_INBOX_URL),
    inbox: signal(null),
    deepAvailability: signal<DeepAvailability>('unavailable'),
    deepPending: signal(false),
    deepError: signal<string | null>(null),
    deepOnHere: signal(false),
    offerView(v) {
      const current = view.value;
      if (current && current.tabId === v.tabId && v.generatedAt < current.generatedAt) return;
      // Subresources have been recorded since this panel connected: a worker restart (the panel reconnects and the
      // background starts watching afresh) does not make that later.
      const earlier = current?.tabId === v.tabId ? current.subresourcesSince : null;
      view.value = earlier != null && v.subresourcesSince != null && earlier < v.subresourcesSince ? { ...v, subresourcesSince: earlier } : v;
      store.error.value = null;
    },
  };
  return store;
}

export const PanelStoreContext = createContext<PanelStore | null>(null);
