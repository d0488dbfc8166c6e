import type { TabSummary } from '@/utils/tab/types';
import type { HeaderFate } from '@/utils/tab/verdicts';
import { formatClock, isBrowserPage, plural } from '@/utils/display/format';
import { matchesFilter } from './labels-and-filter';
import { scrub } from '@/utils/page/scrub';
import { usePanelStore } from '@/entrypoints/devtools-panel/store';
import { EmptyState } from '@/components/common/EmptyState';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText, UrlText } from '@/components/common/text';
import { onListKeyDown } from '@/components/common/list-keys';
import { callStacksOptedIn } from '@/utils/tab/crash-report';
import { CallStackNote } from './CrashReport';

/** Why there is nothing to show for a tab without a captured document. */
export function NoDocumentState({ tabUrl }: { tabUrl?: string | null }) {
  const shown = tabUrl ? scrub(tabUrl) : '';
  if (tabUrl && isBrowserPage(tabUrl)) {
    return (
      <EmptyState title="This is a browser page" testId="state-browser-page">
        <CappedText text={shown} max={200} class="mono" /> is the browser's own page: it has no response headers and
        sends no reports. Open a website in this tab to inspect its reporting configuration.
      </EmptyState>
    );
  }
  if (tabUrl && /^(http|file):/i.test(tabUrl)) {
    return (
      <EmptyState title="This page is not served over HTTPS" testId="state-insecure" tone="warning">
        <CappedText text={shown} max={200} class="mono" />: Chromium registers no reporting endpoints and sends no
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

const FATE_SEVERITY: Record<HeaderFate['state'], 'ok' | 'none' | null> = {
  'not-sent': 'none',
  kept: null,
  removes: 'ok',
  ignored: null,
  rejected: null,
  partial: null,
};

/** What one configuring header came to: not sent, sent and rejected (why), partly kept, kept. */
function FateLine({ label, fate }: { label: string; fate: HeaderFate }) {
  const severity = FATE_SEVERITY[fate.state] ?? fate.severity ?? (fate.state === 'kept' ? 'ok' : 'warning');
  return (
    <span class="line" data-testid={`overview-fate-${fate.header}`} data-state={fate.state}>
      <SeverityIcon severity={severity} /> <b>{label}</b>: <CappedText text={fate.text} max={600} />
    </span>
  );
}

function Counts({ s }: { s: TabSummary }) {
  const p = s.allProblems;
  return (
    <div class="counts" data-testid="overview-counts">
      <span class="count" data-testid="count-endpoints">
        {plural(s.endpoints, 'endpoint')}
      </span>
      <span class="count" data-testid="count-groups">
        {plural(s.groups, 'Report-To group')}
      </span>
      <span class="count" data-testid="count-routes">
        {plural(s.routes, 'route')} ({s.delivering} delivering)
      </span>
      <span class={`count ${p.errors ? 'bad' : p.warnings ? 'warn' : ''}`} data-testid="count-problems">
        {plural(p.errors + p.warnings, 'problem')}
        {p.errors + p.warnings > 0 && ` (${plural(p.errors, 'error')}, ${plural(p.warnings, 'warning')})`}
      </span>
    </div>
  );
}

/** The inspected document at a glance, from the tab's one summary: headline, what each header came to, counts, crashes. */
export function OverviewTab() {
  const store = usePanelStore();
  const s = store.summary.value;
  const filter = store.filter.value;
  const view = store.view.value;
  const top = s.top;
  const doc = store.analyses.value.find((a) => a.document.frameId === 0)?.document;
  if (!top || !doc) return <NoDocumentState tabUrl={store.tabUrl.value} />;
  const secure = top.secure;
  const insecureUrls = top.insecureEndpointUrls;

  return (
    <div class="overview">
      <section class="card">
        <div class={`overview-headline level-${s.level}`} data-testid="overview-headline" data-level={s.level}>
          <SeverityIcon severity={s.level} /> {s.headline}
        </div>
        <div class="kv">
          <span class="k">Document</span>
          <span class="v">
            <span class="line">
              <UrlText url={scrub(doc.url)} testId="overview-url" />
              <span class="muted">
                HTTP {doc.statusCode} · captured {formatClock(doc.receivedAt)}
              </span>
            </span>
          </span>
        </div>
        <div class="kv" data-testid="overview-delivery" data-ok={String(secure && insecureUrls.length === 0)}>
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
            {insecureUrls.length > 0 ? (
              <span class="line" data-testid="overview-insecure-endpoints">
                <SeverityIcon severity="warning" /> {plural(insecureUrls.length, 'endpoint URL')} sent that{' '}
                {insecureUrls.length === 1 ? 'is' : 'are'} not HTTPS, dropped by Chromium:{' '}
                {insecureUrls.map((u) => (
                  <code class="mono" key={u}>
                    <CappedText text={u} max={200} />{' '}
                  </code>
                ))}
              </span>
            ) : (
              top.destinations > 0 && (
                <span class="line">
                  <SeverityIcon severity="ok" /> Every endpoint kept is HTTPS.
                </span>
              )
            )}
          </span>
        </div>
        <div class="kv">
          <span class="k">Headers</span>
          <span class="v">
            <FateLine label="Reporting-Endpoints" fate={top.reportingEndpoints} />
            <FateLine label="Report-To" fate={top.reportTo} />
            {top.groupsFromElsewhere.length > 0 && (
              <span class="line muted" data-testid="overview-groups-elsewhere">
                {plural(top.groupsFromElsewhere.length, 'Report-To group')} set by an earlier response of the origin
                also {top.groupsFromElsewhere.length === 1 ? 'serves' : 'serve'} this page:{' '}
                {top.groupsFromElsewhere.map((g) => g.group.name).join(', ')}
              </span>
            )}
          </span>
        </div>
        <Counts s={s} />
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
        {s.lastCrashText && (
          <div class="kv">
            <span class="k">Last crash</span>
            <span class="v">
              <span class="line" data-testid="overview-last-crash">
                <CappedText text={s.lastCrashText} max={600} />
              </span>
            </span>
          </div>
        )}
        {view?.state.checkpoint?.abnormalEnd && (
          <div class="kv">
            <span class="k">CrashSense</span>
            <span class="v bad" data-testid="overview-abnormal-end">
              The previous session ended abnormally: its last checkpoint is on the Breadcrumbs tab.
            </span>
          </div>
        )}
      </section>

      {s.kind === 'nothing-configured' && (
        <EmptyState title="Nothing configured" testId="state-nothing-configured">
          This document sent no reporting headers and no Report-To group of its origin applies, so crash, CSP and
          deprecation reports go nowhere. To receive them, send for example{' '}
          <code class="mono">Reporting-Endpoints: default="https://reports.example/endpoint"</code> with the page, then
          reload it.
        </EmptyState>
      )}

      {s.frames.length > 0 && (
        <section class="card">
          <h3>Iframes with their own configuration</h3>
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {s.frames
              .filter((f) => matchesFilter(filter, f.url))
              .map((f) => (
                <div class="row" data-row="" tabIndex={0} data-testid="iframe-row" key={f.documentId}>
                  <div class="row-main">
                    <UrlText url={scrub(f.url)} /> <span class="muted">frame {f.frameId}</span>
                    <div class="muted">
                      {plural(f.endpoints.length, 'endpoint')} · {plural(f.routes.length, 'route')} ({f.delivering}{' '}
                      delivering) · {plural(f.problems.errors + f.problems.warnings, 'problem')} ·{' '}
                      <RouteVerdict route={f.crash} subject="crash reports" />
                    </div>
                  </div>
                </div>
              ))}
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
