import type { AppCrashReport, LiveReport } from '@/utils/page/types';
import type { Route } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { formatClockMs, formatDateTime, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import type { GridColumn } from '@/components/common/Grid';
import { Grid } from '@/components/common/Grid';
import { JsonBlock } from '@/components/common/JsonBlock';
import { MessageText } from '@/components/common/MessageText';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { SeverityChip } from '@/components/common/SeverityChip';
import { CappedText, UrlText } from '@/components/common/text';
import { BreadcrumbList } from './Breadcrumb';
import { matchesFilter } from './labels-and-filter';

/** The routes a report of this type takes from the top document (enforced and report-only policies may differ). */
export function routesForType(type: string, analysis: DocumentAnalysis | undefined): Route[] {
  return analysis ? analysis.routes.filter((r) => r.reportType === type) : [];
}

/** What a report is about, read from its (untrusted) body: the three columns after its type. */
export interface ReportFacts {
  /** The CSP directive, the deprecation or intervention id, the policy feature. */
  subject: string;
  /** The blocked URL or the message. */
  detail: string;
  /** `enforce` or `report`, when the body says. */
  disposition: string;
}

const CAP = 2000;

/** The first string among the body's fields (ReportingObserver's camelCase or the delivered kebab-case). */
function field(body: Record<string, unknown>, ...names: string[]): string {
  for (const n of names) {
    const v = body[n];
    if (typeof v === 'string' && v) return v.length > CAP ? v.slice(0, CAP) : v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  }
  return '';
}

/**
 * The key fields of a report by type, as DevTools' Reporting API pane would make columns of them: a CSP report's
 * violated directive, blocked URL and disposition; a deprecation's or intervention's id and message; a policy
 * violation's feature. Field names follow the report bodies of the Reporting API and CSP specs (w3c.github.io/
 * reporting/#generic-reporting, w3c.github.io/webappsec-csp/#reporting).
 */
export function reportFacts(report: Pick<LiveReport, 'type' | 'body'>): ReportFacts {
  const b = report.body && typeof report.body === 'object' ? report.body : {};
  const disposition = field(b, 'disposition');
  switch (report.type) {
    case 'csp-violation':
      return {
        subject: field(b, 'effectiveDirective', 'effective-directive', 'violatedDirective', 'violated-directive'),
        detail:
          field(b, 'blockedURL', 'blocked-url', 'blockedURI', 'blocked-uri') || field(b, 'sample', 'script-sample'),
        disposition,
      };
    case 'integrity-violation':
      return {
        subject: field(b, 'destination'),
        detail: field(b, 'blockedURL', 'blocked-url'),
        disposition: b.reportOnly === true ? 'report' : disposition,
      };
    case 'permissions-policy-violation':
    case 'document-policy-violation':
    case 'potential-permissions-policy-violation':
      return {
        subject: field(b, 'featureId', 'feature-id', 'policyId'),
        detail: field(b, 'message') || field(b, 'sourceFile', 'source-file'),
        disposition,
      };
    default:
      return {
        subject: field(b, 'id', 'featureId', 'reason'),
        detail: field(b, 'message', 'blockedURL', 'blocked-url'),
        disposition,
      };
  }
}

function RoutesText({ type, routes }: { type: string; routes: Route[] }) {
  return (
    <span data-testid="report-route">
      {routes.length === 0 ? (
        <span class="verdict bad">
          will not be sent: no header of the top document sends {type} reports to an endpoint
        </span>
      ) : (
        routes.map((r, i) => (
          <span key={i} class="route-item">
            <RouteVerdict route={r} future />
            {r.reportOnly && <span class="badge">report-only</span>}
          </span>
        ))
      )}
    </span>
  );
}

type LiveRow = { r: LiveReport; facts: ReportFacts; routes: Route[] };

const LIVE_COLUMNS: readonly GridColumn<LiveRow>[] = [
  {
    id: 'time',
    title: 'Time',
    width: '86px',
    render: ({ r }) => <span class="mono">{formatClockMs(r.observedAt)}</span>,
    sort: ({ r }) => r.observedAt,
  },
  {
    id: 'type',
    title: 'Type',
    width: 'minmax(70px, 1fr)',
    render: ({ r }) => <span class="rtype">{r.type}</span>,
    sort: ({ r }) => r.type,
  },
  {
    id: 'subject',
    title: 'Directive / ID',
    width: 'minmax(70px, 1fr)',
    help: "A CSP report's violated directive, a deprecation's or intervention's id, a policy's feature",
    render: ({ facts }) => (
      <code class="mono" data-testid="report-subject">
        {facts.subject}
      </code>
    ),
    sort: ({ facts }) => facts.subject,
  },
  {
    id: 'detail',
    title: 'Blocked URL / message',
    width: 'minmax(90px, 2.5fr)',
    render: ({ facts }) => <CappedText text={facts.detail} max={300} testId="report-detail" />,
    sort: ({ facts }) => facts.detail,
  },
  {
    id: 'disposition',
    title: 'Disposition',
    width: 'minmax(56px, 80px)',
    help: 'enforce: blocked; report: report-only, nothing was blocked',
    render: ({ facts }) => <span data-testid="report-disposition">{facts.disposition}</span>,
    sort: ({ facts }) => facts.disposition,
  },
  {
    id: 'url',
    title: 'Document',
    width: 'minmax(80px, 1.5fr)',
    render: ({ r }) => <CappedText text={r.url} max={300} class="mono" />,
    sort: ({ r }) => r.url,
  },
  {
    id: 'route',
    title: 'Goes to',
    width: 'minmax(90px, 2fr)',
    render: ({ r, routes }) => <RoutesText type={r.type} routes={routes} />,
  },
];

function LiveDetails({ row: { r, facts, routes }, copy }: { row: LiveRow; copy?: (text: string) => Promise<boolean> }) {
  return (
    <div class="report-details">
      <div class="kv-table">
        <span class="k">observed</span>
        <span class="v">{formatDateTime(r.observedAt)}</span>
        <span class="k">document</span>
        <span class="v">
          <UrlText url={r.url} />
        </span>
        {facts.subject && (
          <>
            <span class="k">{r.type === 'csp-violation' ? 'directive' : 'id'}</span>
            <span class="v mono">{facts.subject}</span>
          </>
        )}
        <span class="k">goes to</span>
        <span class="v">
          <RoutesText type={r.type} routes={routes} />
        </span>
      </div>
      <h4>Body</h4>
      <JsonBlock value={r.body} testId="report-body" copy={copy} />
    </div>
  );
}

type AppRow = AppCrashReport;

function statusText(r: AppCrashReport): string {
  return r.status === null
    ? r.transport === 'beacon'
      ? 'beacon (no status)'
      : 'pending'
    : r.status === 0
      ? 'network error'
      : `HTTP ${r.status}`;
}

const APP_COLUMNS: readonly GridColumn<AppRow>[] = [
  {
    id: 'time',
    title: 'Time',
    width: '86px',
    render: (r) => <span class="mono">{formatClockMs(r.at)}</span>,
    sort: (r) => r.at,
  },
  {
    id: 'severity',
    title: 'Severity',
    width: 'minmax(60px, 80px)',
    render: (r) => <SeverityChip severity={r.severity || 'unknown'} testId="app-report-severity" />,
    sort: (r) => ['critical', 'high', 'medium', 'low'].indexOf(r.severity.toLowerCase()) >>> 0,
  },
  {
    id: 'category',
    title: 'Category',
    width: 'minmax(70px, 1.2fr)',
    render: (r) => (
      <span class="rtype">
        {r.category}
        {r.subcategory && ` / ${r.subcategory}`}
      </span>
    ),
    sort: (r) => `${r.category}/${r.subcategory}`,
  },
  {
    id: 'message',
    title: 'Message',
    width: 'minmax(90px, 2.5fr)',
    render: (r) => <CappedText text={r.message} max={300} />,
    sort: (r) => r.message,
  },
  {
    id: 'destination',
    title: 'Sent to',
    width: 'minmax(80px, 1.5fr)',
    render: (r) => (
      <span>
        <span class="muted">{r.transport}</span> <CappedText text={r.destination} max={300} />
      </span>
    ),
    sort: (r) => r.destination,
  },
  {
    id: 'status',
    title: 'Status',
    width: 'minmax(60px, 90px)',
    render: (r) => {
      const ok = r.status !== null && r.status >= 200 && r.status < 300;
      return (
        <span class={r.status === null ? '' : ok ? 'good' : 'bad'} data-testid="app-report-status">
          {statusText(r)}
        </span>
      );
    },
    sort: (r) => r.status ?? -1,
  },
];

function AppDetails({ r, copy }: { r: AppCrashReport; copy?: (text: string) => Promise<boolean> }) {
  return (
    <div class="kvs">
      <div class="kv-table">
        <span class="k">sent</span>
        <span class="v">
          {formatDateTime(r.at)} by {r.transport} to <UrlText url={r.destination} /> · {statusText(r)}
        </span>
        <span class="k">shape</span>
        <span class="v">
          {r.shape}
          {r.confidence !== null && ` · confidence ${Math.round(r.confidence * 100)} %`}
        </span>
        <span class="k">fingerprint</span>
        <span class="v mono">
          <CappedText text={r.fingerprint} max={200} />
        </span>
        <span class="k">message</span>
        <span class="v">
          <MessageText text={r.message} max={2000} />
        </span>
      </div>
      {r.contributingFactors.length > 0 && (
        <>
          <h4>Contributing factors</h4>
          <ul class="factors">
            {r.contributingFactors.map((f, i) => (
              <li key={i}>
                <b>{f.factor}</b> <span class="muted">weight {f.weight}</span>:{' '}
                <CappedText text={f.evidence} max={500} />
              </li>
            ))}
          </ul>
        </>
      )}
      <h4>Breadcrumbs ({r.breadcrumbs.length})</h4>
      <BreadcrumbList crumbs={r.breadcrumbs} />
      <h4>Report</h4>
      <JsonBlock
        value={{
          category: r.category,
          subcategory: r.subcategory,
          severity: r.severity,
          message: r.message,
          fingerprint: r.fingerprint,
          contributingFactors: r.contributingFactors,
          breadcrumbs: r.breadcrumbs,
        }}
        testId="app-report-body"
        copy={copy}
      />
    </div>
  );
}

export interface ReportsTabProps {
  reports: readonly LiveReport[];
  appReports: readonly AppCrashReport[];
  /** The top document's analysis, for the route each report takes. */
  top?: DocumentAnalysis;
  dropped: { reports: number; appReports: number };
  filter?: string;
  copy?: (text: string) => Promise<boolean>;
}

/** Reports observed in the page, with their route; and crash reports the app sent to its own backend. Newest first. */
export function ReportsTab({ reports, appReports, top, dropped, filter = '', copy }: ReportsTabProps) {
  const live: LiveRow[] = reports
    .filter((r) => matchesFilter(filter, r.type, r.url, JSON.stringify(r.body).slice(0, 5000)))
    .map((r) => ({ r, facts: reportFacts(r), routes: routesForType(r.type, top) }))
    .reverse();
  const app = appReports
    .filter((r) =>
      matchesFilter(filter, r.category, r.subcategory, r.message, r.destination, r.fingerprint, r.severity),
    )
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
          <Grid
            rows={live}
            columns={LIVE_COLUMNS}
            rowKey={(x) => String(x.r.seq)}
            rowAttrs={(x) => ({ 'data-testid': 'report-row', 'data-type': x.r.type })}
            details={(x) => <LiveDetails row={x} copy={copy} />}
            detailsTitle={(x) => `${x.r.type} at ${formatClockMs(x.r.observedAt)}`}
            testId="reports-grid"
            label="Reports observed in the page"
            empty="No report matches the filter."
          />
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
          <Grid
            rows={app}
            columns={APP_COLUMNS}
            rowKey={(r) => String(r.seq)}
            rowAttrs={(r) => ({ 'data-testid': 'app-report-row', 'data-severity': r.severity })}
            details={(r) => <AppDetails r={r} copy={copy} />}
            detailsTitle={(r) => `${r.category}${r.subcategory ? ` / ${r.subcategory}` : ''} at ${formatClockMs(r.at)}`}
            testId="app-reports-grid"
            label="Crash reports sent by the app"
            empty="No report matches the filter."
          />
        )}
        {dropped.appReports > 0 && (
          <div class="muted dropped">{plural(dropped.appReports, 'older entry', 'older entries')} dropped</div>
        )}
      </section>
    </div>
  );
}
