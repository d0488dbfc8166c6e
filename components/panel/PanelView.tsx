import { useEffect, useRef } from 'preact/hooks';
import { usePanelStore } from '@/entrypoints/devtools-panel/store';
import { hostOf } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { CopyContext } from '@/components/common/copy-context';
import { copyText } from '@/components/common/clipboard';
import type { TabName } from './labels-and-filter';
import { orderedDocuments } from '@/utils/tab/analyses';
import { useLazyTabs } from './lazy-tabs';
import { SubresourceNote } from './SubresourceNote';
import { OverviewTab } from './OverviewTab';
import { PanelHeader } from './PanelHeader';
import { TabBar } from './TabBar';

/** The whole DevTools panel: header bar, tabs, and the active tab, all read from the panel's store. */
export function PanelView() {
  const store = usePanelStore();
  const { tabId, actions } = store;
  const view = store.view.value;
  const analyses = store.analyses.value;
  const now = store.now.value;
  const status = store.status.value;
  const error = store.error.value;
  const tab = store.tab.value;
  const filter = store.filter.value;
  const onTab = (t: TabName) => (store.tab.value = t);
  const onFilter = (f: string) => (store.filter.value = f);
  const { copy, clear: onClear, retry: onRetry } = actions;
  const delivery = store.delivery.value;
  const filterRef = useRef<HTMLInputElement>(null);
  // The other tabs' code is fetched once the first view shows, so switching to them does not wait.
  const { tabs: lazy, error: tabError } = useLazyTabs(tab, view !== null);
  const EndpointsTab = lazy.endpoints?.EndpointsTab;
  const RoutesTab = lazy.routes?.RoutesTab;
  const ProblemsTab = lazy.problems?.ProblemsTab;
  const HeadersTab = lazy.headers?.HeadersTab;
  const HistoryTab = lazy.history?.HistoryTab;
  const ReportsTab = lazy.reports?.ReportsTab;
  const BreadcrumbsTab = lazy.breadcrumbs?.BreadcrumbsTab;
  const CrashesTab = lazy.crashes?.CrashesTab;
  const tabReady = tab === 'overview' || lazy[tab] !== undefined;

  useEffect(() => {
    const doc = filterRef.current?.ownerDocument ?? document;
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        filterRef.current?.focus();
        filterRef.current?.select();
      }
    };
    doc.addEventListener('keydown', onKey);
    return () => doc.removeEventListener('keydown', onKey);
  }, []);

  let body;
  if (tabId === null) {
    body = (
      <EmptyState title="No tab to inspect" testId="state-no-tab">
        Open DevTools on a page and choose the Report Inspector panel, or open this page with{' '}
        <code class="mono">?tabId=N</code> to inspect tab N.
      </EmptyState>
    );
  } else if (!view && error) {
    body = (
      <EmptyState title="Cannot load this tab's data" testId="panel-error" tone="error">
        <div class="mono wrap">{error}</div>
        <div>
          Report Inspector's background did not answer. If the extension was just updated or reloaded, close and reopen
          DevTools.{' '}
          {onRetry && (
            <button type="button" class="btn" data-testid="retry-button" onClick={onRetry}>
              Try again
            </button>
          )}
        </div>
      </EmptyState>
    );
  } else if (!view) {
    body = (
      <EmptyState
        title={status === 'reconnecting' ? 'Reconnecting to the background…' : 'Loading…'}
        testId="panel-loading"
      >
        Waiting for the state of tab {tabId}.
      </EmptyState>
    );
  } else {
    const documents = orderedDocuments(view);
    const top = analyses.find((a) => a.document.frameId === 0);
    const counts = store.summary.value.allProblems;
    const s = view.state;
    const topDoc = documents[0]?.frameId === 0 ? documents[0] : undefined;
    body = (
      <>
        <TabBar
          active={tab}
          onSelect={onTab}
          badges={{
            problems:
              counts.errors + counts.warnings > 0
                ? { text: String(counts.errors + counts.warnings), tone: counts.errors ? 'bad' : 'warn' }
                : undefined,
            reports:
              s.reports.length + s.appReports.length > 0
                ? { text: String(s.reports.length + s.appReports.length) }
                : undefined,
            crashes: s.crashes.length ? { text: String(s.crashes.length), tone: 'bad' } : undefined,
          }}
        />
        <div
          class={`tabpanel tabpanel-${tab}`}
          role="tabpanel"
          id={`tabpanel-${tab}`}
          aria-labelledby={`tab-${tab}`}
          data-testid={`tabpanel-${tab}`}
          key={`${tab} ${documents[0]?.id ?? ''}`}
        >
          {tab === 'overview' && <OverviewTab />}
          {!tabReady &&
            (tabError ? (
              <EmptyState title="Cannot load this tab" testId="tab-error" tone="error">
                <div class="mono wrap">{tabError}</div>
              </EmptyState>
            ) : (
              <EmptyState title="Loading…" testId="tab-loading" />
            ))}
          {(tab === 'endpoints' || tab === 'headers') && (
            <SubresourceNote since={view.subresourcesSince} documentAt={topDoc?.receivedAt} documentId={topDoc?.id} />
          )}
          {tab === 'endpoints' && EndpointsTab && (
            <EndpointsTab
              analyses={analyses}
              verdicts={[store.summary.value.top, ...store.summary.value.frames]}
              origins={view.origins}
              now={now}
              filter={filter}
              copy={copy}
              checks={delivery}
            />
          )}
          {tab === 'routes' && RoutesTab && (
            <RoutesTab analyses={analyses} filter={filter} now={now} checks={delivery} />
          )}
          {tab === 'problems' && ProblemsTab && <ProblemsTab analyses={analyses} filter={filter} />}
          {tab === 'headers' && HeadersTab && (
            <HeadersTab documents={documents} origins={view.origins} filter={filter} copy={copy} />
          )}
          {tab === 'history' && HistoryTab && <HistoryTab />}
          {tab === 'reports' && ReportsTab && (
            <ReportsTab
              reports={s.reports}
              appReports={s.appReports}
              top={top}
              dropped={s.dropped}
              filter={filter}
              copy={copy}
            />
          )}
          {tab === 'breadcrumbs' && BreadcrumbsTab && (
            <BreadcrumbsTab
              breadcrumbs={s.breadcrumbs}
              crashes={s.crashes}
              checkpoint={s.checkpoint}
              dropped={s.dropped.breadcrumbs}
              filter={filter}
              onClear={onClear ? () => onClear('breadcrumbs') : undefined}
              fallbackHeight={store.breadcrumbFallbackHeight}
            />
          )}
          {tab === 'crashes' && CrashesTab && (
            <CrashesTab
              crashes={s.crashes}
              dropped={s.dropped.crashes}
              filter={filter}
              deep={s.deep}
              analyses={analyses}
              now={now}
              delivery={delivery}
              live={s.live}
            />
          )}
        </div>
      </>
    );
  }

  return (
    <CopyContext.Provider value={copy ?? copyText}>
      <div class="panel">
        <PanelHeader
          filter={filter}
          onFilter={onFilter}
          onExport={view ? actions.exportTab : undefined}
          exportDisabled={!view}
          status={status}
          filterRef={filterRef}
          exportRaw={store.exportRaw.value}
          onExportRaw={(on) => (store.exportRaw.value = on)}
          host={store.summary.value.url ? hostOf(store.summary.value.url) : null}
        />
        {body}
      </div>
    </CopyContext.Provider>
  );
}
