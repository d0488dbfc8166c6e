import type { Route } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { diagnoseRoute, reportingDisabledBy, type DoctorFacts, type RouteVerdict } from '@/utils/tab/doctor';
import { EmptyState } from '@/components/common/EmptyState';
import { onListKeyDown } from '@/components/common/list-keys';
import { CappedText, UrlText } from '@/components/common/text';
import { headerTitle, matchesFilter } from './labels-and-filter';
import { checkKey, type DeliveryControls } from './delivery';
import { RouteDoctor } from './RouteDoctor';

/** Red when a configured report goes nowhere; amber for implicit routes without an endpoint (common, fixable). */
export function routeTone(route: Route): 'ok' | 'warn' | 'bad' {
  if (route.willDeliver) return 'ok';
  return route.header === '(implicit)' && route.reportType !== 'crash' ? 'warn' : 'bad';
}

export function RouteRow({ route, doctor }: { route: Route; doctor?: RouteVerdict }) {
  const tone = routeTone(route);
  return (
    <div
      class={`row route tone-${tone}`}
      data-row=""
      tabIndex={0}
      data-testid="route-row"
      data-type={route.reportType}
      data-deliver={String(route.willDeliver)}
    >
      <div class="row-main">
        <div class="line">
          <span class="rtype">{route.reportType}</span>
          <span class="arrow">→</span>
          {route.endpointName !== null ? (
            <code class="mono name">
              <CappedText text={route.endpointName} max={200} />
            </code>
          ) : (
            <span class="muted">(no name)</span>
          )}
          <span class="arrow">→</span>
          {route.willDeliver && route.url ? (
            <UrlText url={route.url} testId="route-url" />
          ) : (
            <span class={`reason tone-${tone}`} data-testid="route-reason">
              <CappedText text={route.reason ?? 'goes nowhere'} max={500} />
            </span>
          )}
        </div>
        <div class="line sub muted">
          from {headerTitle(route.header)}
          {route.detail && (
            <>
              {' '}
              <code class="mono">
                <CappedText text={route.detail} max={200} />
              </code>
            </>
          )}
          {route.via && (
            <>
              {' '}
              · via{' '}
              {route.via === 'reporting-endpoints'
                ? 'Reporting-Endpoints'
                : route.via === 'report-to'
                  ? 'Report-To'
                  : 'report-uri'}
            </>
          )}
          {route.reportOnly && <span class="badge">report-only</span>}
        </div>
        {doctor && <RouteDoctor verdict={doctor} />}
      </div>
    </div>
  );
}

export interface RoutesTabProps {
  analyses: readonly DocumentAnalysis[];
  filter?: string;
  /** When given, each route shows the "Why no report?" checklist, judged at this time. */
  now?: number;
  /** Endpoint checks the user ran (the doctor reads their preflight and upload answers). */
  checks?: Pick<DeliveryControls, 'checks'>;
  /** What else is known (Background Sync, cookies, the browser); unknown facts show as "not visible from here". */
  facts?: Omit<DoctorFacts, 'now' | 'endpointCheck'>;
}

/** The browser's own facts, read once: Brave turns the Reporting API off. */
const BROWSER_FACTS: Omit<DoctorFacts, 'now' | 'endpointCheck'> = {
  reportingDisabledBy: reportingDisabledBy(
    typeof navigator === 'undefined' ? undefined : (navigator as Parameters<typeof reportingDisabledBy>[0]),
  ),
};

/** Every route of every document: report type → endpoint name → URL, or why it goes nowhere, and why. */
export function RoutesTab({ analyses, filter = '', now, checks, facts = BROWSER_FACTS }: RoutesTabProps) {
  if (!analyses.length) {
    return (
      <EmptyState title="No routes yet" testId="empty-routes">
        Each report type the page's headers configure (CSP, NEL, COOP/COEP, Permissions-Policy, crash, deprecation)
        appears here with the endpoint it goes to. Reload the page to capture its headers.
      </EmptyState>
    );
  }
  return (
    <div class="sections">
      {analyses.map((a) => {
        const routes = a.routes.filter((r) =>
          matchesFilter(filter, r.reportType, r.endpointName, r.url, r.reason, r.header, r.detail),
        );
        return (
          <section class="card" key={a.document.id}>
            <h3>
              {a.document.frameId === 0 ? 'Top document' : 'Iframe'} <UrlText url={a.document.url} />
            </h3>
            {routes.length === 0 ? (
              <div class="muted">{filter ? 'No route matches the filter.' : 'No routes.'}</div>
            ) : (
              <div class="list" data-list="" onKeyDown={onListKeyDown}>
                {routes.map((r, i) => (
                  <RouteRow
                    route={r}
                    key={`${r.reportType} ${r.header} ${r.endpointName} ${i}`}
                    doctor={
                      now === undefined
                        ? undefined
                        : diagnoseRoute(r, a, {
                            ...facts,
                            now,
                            endpointCheck: (url) => checks?.checks[checkKey(url, a.document.url)]?.result,
                          })
                    }
                  />
                ))}
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
