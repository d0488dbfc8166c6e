import type { TabView } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { formatClock, isBrowserPage, plural, safeHttpsUrl } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText, UrlText } from '@/components/common/text';
import { onListKeyDown } from '@/components/common/list-keys';
import { matchesFilter, problemCounts } from './derive';
import { callStacksOptedIn } from '@/utils/tab/crash-report';
import { CallStackNote } from './CrashReport';

export interface OverviewTabProps {
  view: TabView;
  /** Top document first. */
  analyses: readonly DocumentAnalysis[];
  now: number;
  /** The tab's URL when known (for tabs without a captured document, e.g. browser pages). */
  tabUrl?: string | null;
  filter?: string;
}

/** Why there is nothing to show for a tab without a captured document. */
export function NoDocumentState({ tabUrl }: { tabUrl?: string | null }) {
  if (tabUrl && isBrowserPage(tabUrl)) {
    return (
      <EmptyState title="This is a browser page" testId="state-browser-page">
        <CappedText text={tabUrl} max={200} class="mono" /> is the browser's own page: it has no response headers and
        sends no reports. Open a website in this tab to inspect its reporting configuration.
      </EmptyState>
    );
  }
  if (tabUrl && /^(http|file):/i.test(tabUrl)) {
    return (
      <EmptyState title="This page is not served over HTTPS" testId="state-insecure" tone="warning">
        <CappedText text={tabUrl} max={200} class="mono" />: Chromium registers no reporting endpoints and sends no
        reports for pages that are not HTTPS (localhost included). Serve the page over HTTPS, then reload it.
      </EmptyState>
    );
  }
  return (
    <EmptyState title="No data for this page yet" testId="state-no-data">
      Reload the page to capture its headers: Report Inspector sees responses that arrive while it is installed.
    </EmptyState>
  );
}

/** The inspected document at a glance: can reports be delivered, counts, where crash reports go, iframes. */
export function OverviewTab({ view, analyses, tabUrl, filter = '' }: OverviewTabProps) {
  const top = analyses.find((a) => a.document.frameId === 0);
  if (!top) return <NoDocumentState tabUrl={tabUrl} />;
  const doc = top.document;
  const secure = top.secure;
  const counts = problemCounts(analyses);
  const endpoints = analyses.reduce((n, a) => n + a.endpoints.length, 0);
  const groupKeys = new Set<string>();
  for (const a of analyses) for (const g of a.groups) if (!g.expired) groupKeys.add(`${g.origin} ${g.group.name}`);
  const routes = analyses.flatMap((a) => a.routes);
  const delivering = routes.filter((r) => r.willDeliver).length;
  const insecureUrls = new Set<string>();
  for (const a of analyses) {
    for (const e of a.endpoints) if (!safeHttpsUrl(e.url)) insecureUrls.add(e.url);
    for (const g of a.groups) for (const e of g.group.endpoints) if (!safeHttpsUrl(e.url)) insecureUrls.add(e.url);
  }
  const configured = doc.headers.length > 0 || top.groups.some((g) => !g.expired);
  const frames = analyses.filter((a) => a.document.frameId !== 0 && a.document.headers.length > 0);
  const lastCrash = view.state.crashes.reduce<(typeof view.state.crashes)[number] | null>(
    (l, c) => (!l || c.at > l.at ? c : l),
    null,
  );

  return (
    <div class="overview">
      <section class="card">
        <div class="kv">
          <span class="k">Document</span>
          <span class="v">
            <span class="line">
              <UrlText url={doc.url} testId="overview-url" />
              <span class="muted">HTTP {doc.statusCode} · captured {formatClock(doc.receivedAt)}</span>
            </span>
          </span>
        </div>
        <div class="kv" data-testid="overview-delivery" data-ok={String(secure && insecureUrls.size === 0)}>
          <span class="k">Delivery</span>
          <span class="v">
            {secure ? (
              <span class="line">
                <SeverityIcon severity="ok" /> The page is HTTPS: Chromium can deliver its reports.
              </span>
            ) : (
              <span class="line" data-testid="state-insecure">
                <SeverityIcon severity="error" /> The page is not HTTPS: Chromium registers no endpoints and sends no
                reports for it (localhost included). Serve it over HTTPS.
              </span>
            )}
            {insecureUrls.size > 0 ? (
              <span class="line">
                <SeverityIcon severity="error" /> {plural(insecureUrls.size, 'endpoint URL')} not HTTPS (Chromium drops
                them): {[...insecureUrls].map((u) => <code class="mono" key={u}><CappedText text={u} max={200} /> </code>)}
              </span>
            ) : (
              endpoints + groupKeys.size > 0 && (
                <span class="line">
                  <SeverityIcon severity="ok" /> Every endpoint is HTTPS.
                </span>
              )
            )}
          </span>
        </div>
        <div class="counts" data-testid="overview-counts">
          <span class="count" data-testid="count-endpoints">{plural(endpoints, 'endpoint')}</span>
          <span class="count" data-testid="count-groups">{plural(groupKeys.size, 'Report-To group')}</span>
          <span class="count" data-testid="count-routes">
            {plural(routes.length, 'route')} ({delivering} delivering)
          </span>
          <span class={`count ${counts.errors ? 'bad' : counts.warnings ? 'warn' : ''}`} data-testid="count-problems">
            {plural(counts.errors + counts.warnings, 'problem')}
            {counts.errors + counts.warnings > 0 && ` (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')})`}
          </span>
        </div>
        <div class="kv">
          <span class="k">Crashes</span>
          <span class="v">
            <RouteVerdict route={top.crash} subject="crash reports" testId="crash-verdict" />
          </span>
        </div>
        <div class="kv">
          <span class="k">Hang reports</span>
          <span class="v">
            <CallStackNote optedIn={callStacksOptedIn(doc)} testId="overview-call-stacks" />
          </span>
        </div>
        {lastCrash && (
          <div class="kv">
            <span class="k">Last crash</span>
            <span class="v">
              <span class="line" data-testid="overview-last-crash">
                <span>
                  {formatClock(lastCrash.at)}
                  {lastCrash.reason && ` (${lastCrash.reason})`}: its report
                </span>
                <RouteVerdict route={lastCrash.predicted.route} future />
              </span>
            </span>
          </div>
        )}
        {view.state.checkpoint?.abnormalEnd && (
          <div class="kv">
            <span class="k">CrashSense</span>
            <span class="v bad" data-testid="overview-abnormal-end">
              The previous session ended abnormally: its last checkpoint is on the Breadcrumbs tab.
            </span>
          </div>
        )}
      </section>

      {!configured && (
        <EmptyState title="Nothing configured" testId="state-nothing-configured">
          This document sent no reporting headers and no Report-To group of its origin applies, so crash, CSP and
          deprecation reports go nowhere. To receive them, send for example{' '}
          <code class="mono">Reporting-Endpoints: default="https://reports.example/endpoint"</code> with the page,
          then reload it.
        </EmptyState>
      )}

      {frames.length > 0 && (
        <section class="card">
          <h3>Iframes with their own configuration</h3>
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {frames
              .filter((a) => matchesFilter(filter, a.document.url))
              .map((a) => {
                const c = problemCounts([a]);
                return (
                  <div class="row" data-row="" tabIndex={0} data-testid="iframe-row" key={a.document.id}>
                    <div class="row-main">
                      <UrlText url={a.document.url} /> <span class="muted">frame {a.document.frameId}</span>
                      <div class="muted">
                        {plural(a.endpoints.length, 'endpoint')} · {plural(a.routes.length, 'route')} ·{' '}
                        {plural(c.errors + c.warnings, 'problem')} · <RouteVerdict route={a.crash} subject="crash reports" />
                      </div>
                    </div>
                  </div>
                );
              })}
          </div>
        </section>
      )}
      <p class="hint muted">
        Report Inspector predicts where reports go from the headers it saw; browsers do not let extensions see the
        report uploads themselves.
      </p>
    </div>
  );
}
