import type { AppCrashReport, LiveReport } from '@/utils/page/types';
import type { Route } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { formatClockMs, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { JsonBlock } from '@/components/common/JsonBlock';
import { onListKeyDown } from '@/components/common/list-keys';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { CappedText, UrlText } from '@/components/common/text';
import { BreadcrumbList } from './Breadcrumb';
import { matchesFilter } from './derive';

/** The routes a report of this type takes from the top document (enforced and report-only policies may differ). */
export function routesForType(type: string, analysis: DocumentAnalysis | undefined): Route[] {
  return analysis ? analysis.routes.filter((r) => r.reportType === type) : [];
}

export function ReportRow({ report, routes }: { report: LiveReport; routes: Route[] }) {
  return (
    <ExpandableRow
      testId="report-row"
      data={{ type: report.type }}
      summary={
        <>
          <div class="line">
            <span class="rtype">{report.type}</span> <span class="muted">{formatClockMs(report.observedAt)}</span>{' '}
            <CappedText text={report.url} max={300} class="mono" />
          </div>
          <div class="line sub" data-testid="report-route">
            {routes.length === 0 ? (
              <span class="verdict bad">
                will not be sent: no header of the top document sends {report.type} reports to an endpoint
              </span>
            ) : (
              routes.map((r, i) => (
                <span key={i} class="route-item">
                  <RouteVerdict route={r} future />
                  {r.reportOnly && <span class="badge">report-only</span>}
                </span>
              ))
            )}
          </div>
        </>
      }
      detail={<JsonBlock value={report.body} testId="report-body" />}
    />
  );
}

export function AppReportRow({ report: r }: { report: AppCrashReport }) {
  const status =
    r.status === null ? (r.transport === 'beacon' ? 'beacon (no status)' : 'pending') : r.status === 0 ? 'network error' : `HTTP ${r.status}`;
  const ok = r.status !== null && r.status >= 200 && r.status < 300;
  return (
    <ExpandableRow
      testId="app-report-row"
      summary={
        <>
          <div class="line">
            <span class={`badge sev-${r.severity}`}>{r.severity || 'severity ?'}</span>
            <span class="rtype">
              {r.category}
              {r.subcategory && ` / ${r.subcategory}`}
            </span>
            <CappedText text={r.message} max={300} />
          </div>
          <div class="line sub muted">
            {formatClockMs(r.at)} · {r.transport} to <UrlText url={r.destination} /> ·{' '}
            <span class={r.status === null ? '' : ok ? 'good' : 'bad'} data-testid="app-report-status">{status}</span> · {r.shape}
            {r.confidence !== null && ` · confidence ${Math.round(r.confidence * 100)} %`}
          </div>
        </>
      }
      detail={
        <div class="kvs">
          <div>
            fingerprint <code class="mono"><CappedText text={r.fingerprint} max={200} /></code>
          </div>
          {r.contributingFactors.length > 0 && (
            <>
              <h4>Contributing factors</h4>
              <ul class="factors">
                {r.contributingFactors.map((f, i) => (
                  <li key={i}>
                    <b>{f.factor}</b> <span class="muted">weight {f.weight}</span>: <CappedText text={f.evidence} max={500} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <h4>Breadcrumbs ({r.breadcrumbs.length})</h4>
          <BreadcrumbList crumbs={r.breadcrumbs} />
        </div>
      }
    />
  );
}

export interface ReportsTabProps {
  reports: readonly LiveReport[];
  appReports: readonly AppCrashReport[];
  /** The top document's analysis, for the route each report takes. */
  top?: DocumentAnalysis;
  dropped: { reports: number; appReports: number };
  filter?: string;
}

/** Reports observed in the page, with their route; and crash reports the app sent to its own backend. */
export function ReportsTab({ reports, appReports, top, dropped, filter = '' }: ReportsTabProps) {
  const live = reports
    .filter((r) => matchesFilter(filter, r.type, r.url, JSON.stringify(r.body).slice(0, 5000)))
    .slice()
    .reverse();
  const app = appReports
    .filter((r) => matchesFilter(filter, r.category, r.subcategory, r.message, r.destination, r.fingerprint, r.severity))
    .slice()
    .reverse();
  return (
    <div class="sections">
      <section class="card">
        <h3>Observed in the page</h3>
        {reports.length === 0 ? (
          <EmptyState title="No reports observed yet" testId="empty-reports">
            Reports the page can observe (CSP, deprecation, intervention, permissions and document policy, …) appear
            here as they happen, with the endpoint each one goes to. Crash and network error reports cannot be observed
            in the page: see Crashes and Routes.
          </EmptyState>
        ) : (
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {live.map((r) => (
              <ReportRow report={r} routes={routesForType(r.type, top)} key={r.seq} />
            ))}
          </div>
        )}
        {dropped.reports > 0 && (
          <div class="muted dropped">{plural(dropped.reports, 'older entry', 'older entries')} dropped</div>
        )}
      </section>
      <section class="card">
        <h3>Sent by the app</h3>
        {appReports.length === 0 ? (
          <EmptyState title="No crash reports sent by the app" testId="empty-app-reports">
            When the page runs CrashSense and posts its crash reports to its backend (fetch, XMLHttpRequest or
            sendBeacon), each one appears here with its destination, status, category and contributing factors.
          </EmptyState>
        ) : (
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {app.map((r) => (
              <AppReportRow report={r} key={r.seq} />
            ))}
          </div>
        )}
        {dropped.appReports > 0 && (
          <div class="muted dropped">{plural(dropped.appReports, 'older entry', 'older entries')} dropped</div>
        )}
      </section>
    </div>
  );
}
