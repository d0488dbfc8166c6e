import { useState } from 'preact/hooks';
import type { ApplicableGroup, CachedGroup, OriginConfig } from '@/utils/tab/types';
import type { NamedEndpoint } from '@/utils/headers/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { formatAgo, formatClock, formatDateTime, formatExpiry } from '@/utils/display/format';
import { migrateToReportingEndpoints } from '@/utils/headers/convert-report-to';
import { CopyButton } from '@/components/common/CopyButton';
import { EmptyState } from '@/components/common/EmptyState';
import type { GridColumn } from '@/components/common/Grid';
import { Grid } from '@/components/common/Grid';
import { CappedText, UrlText } from '@/components/common/text';
import { docLabel, matchesFilter } from './labels-and-filter';
import { originOfUrl as originOf } from '@/utils/display/format';
import type { DeliveryControls } from './delivery';
import { checkKey } from './delivery';
import { CHECK_HELP, EndpointCheckButton, EndpointCheckResult } from './EndpointCheck';
import { documentVerdict, type DocumentVerdict, type HeaderFate } from '@/utils/tab/verdicts';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { MessageText } from '@/components/common/MessageText';

/** The endpoint checks' state and trigger, as the Endpoints tab needs them. */
export type EndpointChecks = Pick<DeliveryControls, 'checks' | 'onCheckEndpoint'>;

/** A row of the Report-To grid: a group that applies to the document, or one a later header removed. */
export type GroupGridRow =
  | { kind: 'live'; g: ApplicableGroup }
  | { kind: 'removed'; origin: string; removed: OriginConfig['removedGroups'][number] };

const groupName = (r: GroupGridRow) => (r.kind === 'live' ? r.g.group.name : r.removed.name);
const groupOrigin = (r: GroupGridRow) => (r.kind === 'live' ? r.g.origin : r.origin);

/** The Report-To grid's columns: every fact of a group on its row, `include_subdomains` and `max_age` included. */
export function groupColumns(now: number, pageUrl: string, checks?: EndpointChecks): GridColumn<GroupGridRow>[] {
  return [
    {
      id: 'name',
      title: 'Group',
      width: 'minmax(60px, 1fr)',
      render: (r) => (
        <code class="mono name" data-testid="group-name">
          <CappedText text={groupName(r)} max={200} />
        </code>
      ),
      sort: groupName,
    },
    {
      id: 'endpoints',
      title: 'Endpoints',
      width: 'minmax(100px, 3fr)',
      help: 'URL (priority, weight) of each endpoint of the group',
      render: (r) =>
        r.kind === 'live' ? (
          <span>
            {r.g.group.endpoints.map((e, i) => (
              <span class="endpoint" data-testid="group-endpoint" key={`${e.url}#${i}`}>
                <UrlText url={e.url} />
                {(e.priority !== 1 || e.weight !== 1) && (
                  <span class="muted">
                    {' '}
                    (priority {e.priority}, weight {e.weight})
                  </span>
                )}
                {checks && !r.g.expired && (
                  <>
                    {' '}
                    <EndpointCheckButton
                      url={e.url}
                      pageUrl={pageUrl}
                      state={checks.checks[checkKey(e.url, pageUrl)]}
                      onCheck={checks.onCheckEndpoint}
                    />
                  </>
                )}
              </span>
            ))}
          </span>
        ) : (
          <span class="muted">—</span>
        ),
      sort: (r) => (r.kind === 'live' ? (r.g.group.endpoints[0]?.url ?? '') : ''),
    },
    {
      id: 'origin',
      title: 'Origin',
      width: 'minmax(70px, 1.3fr)',
      help: 'The origin whose response set the group',
      render: (r) => (
        <span>
          {groupOrigin(r)}
          {r.kind === 'live' && r.g.viaSubdomains && <span class="badge">via include_subdomains</span>}
        </span>
      ),
      sort: groupOrigin,
    },
    {
      id: 'subdomains',
      title: 'include_subdomains',
      width: 'minmax(50px, 0.8fr)',
      render: (r) =>
        r.kind === 'live' ? (
          <span data-testid="group-subdomains">{r.g.group.includeSubdomains ? 'true' : 'false'}</span>
        ) : (
          ''
        ),
      sort: (r) => (r.kind === 'live' && r.g.group.includeSubdomains ? 1 : 0),
    },
    {
      id: 'maxage',
      title: 'max_age',
      width: 'minmax(50px, 0.7fr)',
      help: 'Seconds the browser keeps the group',
      render: (r) =>
        r.kind === 'live' ? (
          <span class="mono" data-testid="group-max-age">
            {r.g.group.maxAge.toLocaleString('en-US')} s
          </span>
        ) : (
          <span class="mono">0</span>
        ),
      sort: (r) => (r.kind === 'live' ? r.g.group.maxAge : 0),
    },
    {
      id: 'received',
      title: 'Received',
      width: 'minmax(60px, 0.8fr)',
      render: (r) =>
        r.kind === 'live' ? (
          <span class="mono" data-testid="group-received" title={formatAgo(r.g.group.receivedAt, now)}>
            {formatClock(r.g.group.receivedAt)}
          </span>
        ) : (
          <span class="muted">{formatAgo(r.removed.removedAt, now)}</span>
        ),
      sort: (r) => (r.kind === 'live' ? r.g.group.receivedAt : r.removed.removedAt),
    },
    {
      id: 'expiry',
      title: 'Expires',
      width: 'minmax(80px, 1.2fr)',
      render: (r) =>
        r.kind === 'live' ? (
          <span
            class={`expiry ${r.g.expired ? 'bad' : ''}`}
            data-testid="group-expiry"
            title={`at ${formatClock(r.g.group.expiresAt)}`}
          >
            {formatExpiry(r.g.group.expiresAt, now)}
          </span>
        ) : (
          <span class="badge bad" data-testid="group-removed">
            {r.removed.why === 'max_age 0' ? 'removed (max_age 0)' : 'removed (replaced by a newer Report-To header)'}
          </span>
        ),
      sort: (r) => (r.kind === 'live' ? r.g.group.expiresAt : -1),
    },
  ];
}

function GroupDetails({
  row,
  now,
  pageUrl,
  checks,
}: {
  row: GroupGridRow;
  now: number;
  pageUrl: string;
  checks?: EndpointChecks;
}) {
  if (row.kind === 'removed') {
    return (
      <div class="kvs">
        <div>
          Removed {formatAgo(row.removed.removedAt, now)} ({formatDateTime(row.removed.removedAt)}):{' '}
          {row.removed.why === 'max_age 0'
            ? 'a Report-To header of the origin gave it max_age 0.'
            : 'a newer Report-To header of the origin no longer lists it.'}
        </div>
      </div>
    );
  }
  const { group, origin, expired } = row.g;
  return (
    <div class="kvs">
      <div class="kv-table">
        <span class="k">origin</span>
        <span class="v">{origin}</span>
        <span class="k">received</span>
        <span class="v">
          {formatDateTime(group.receivedAt)} ({formatAgo(group.receivedAt, now)})
        </span>
        <span class="k">expires</span>
        <span class="v">
          {formatDateTime(group.expiresAt)} ({formatExpiry(group.expiresAt, now)})
        </span>
      </div>
      <h4>Endpoints</h4>
      {group.endpoints.map((e, i) => (
        <div key={`${e.url}#${i}`} class="detail-endpoint">
          <div class="line">
            <UrlText url={e.url} />{' '}
            <span class="muted">
              priority {e.priority}, weight {e.weight}
            </span>
            {checks && !expired && (
              <EndpointCheckButton
                url={e.url}
                pageUrl={pageUrl}
                state={checks.checks[checkKey(e.url, pageUrl)]}
                onCheck={checks.onCheckEndpoint}
              />
            )}
          </div>
          {checks && <EndpointCheckResult state={checks.checks[checkKey(e.url, pageUrl)]} />}
        </div>
      ))}
    </div>
  );
}

/** The Reporting-Endpoints grid's columns. */
function endpointColumns(pageUrl: string, source: string, checks?: EndpointChecks): GridColumn<NamedEndpoint>[] {
  const cols: GridColumn<NamedEndpoint>[] = [
    {
      id: 'name',
      title: 'Name',
      width: 'minmax(60px, 1fr)',
      render: (e) => (
        <code class="mono name">
          <CappedText text={e.name} max={200} />
        </code>
      ),
      sort: (e) => e.name,
    },
    {
      id: 'url',
      title: 'URL',
      width: 'minmax(120px, 4fr)',
      render: (e) => <UrlText url={e.url} testId="endpoint-url" />,
      sort: (e) => e.url,
    },
    {
      id: 'document',
      title: 'Set by',
      width: 'minmax(50px, 1.2fr)',
      render: () => (
        <span class="muted" title={source}>
          <CappedText text={source} max={120} />
        </span>
      ),
    },
  ];
  if (checks) {
    cols.push({
      id: 'check',
      title: 'Check',
      width: 'minmax(60px, 100px)',
      help: CHECK_HELP,
      render: (e) => (
        <EndpointCheckButton
          url={e.url}
          pageUrl={pageUrl}
          state={checks.checks[checkKey(e.url, pageUrl)]}
          onCheck={checks.onCheckEndpoint}
        />
      ),
    });
  }
  return cols;
}

/** The groups to convert: live ones, the document's own origin before parent domains, one per name. */
function groupsToMigrate(a: DocumentAnalysis): CachedGroup[] {
  const live = a.groups.filter((g) => !g.expired).sort((x, y) => Number(x.viaSubdomains) - Number(y.viaSubdomains));
  const seen = new Set<string>();
  const out: CachedGroup[] = [];
  for (const g of live) {
    if (seen.has(g.group.name)) continue;
    seen.add(g.group.name);
    out.push(g.group);
  }
  return out;
}

export interface MigrateBoxProps {
  analysis: DocumentAnalysis;
  copy?: (text: string) => Promise<boolean>;
}

/** "Convert to Reporting-Endpoints": the equivalent header and what it loses. */
export function MigrateBox({ analysis, copy }: MigrateBoxProps) {
  const [open, setOpen] = useState(false);
  const groups = groupsToMigrate(analysis);
  if (!groups.length) return null;
  const m = open ? migrateToReportingEndpoints(groups, analysis.document.references) : null;
  return (
    <div class="migrate">
      <button
        type="button"
        class="btn"
        data-testid="convert-button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        Convert to Reporting-Endpoints
      </button>
      {m && (
        <div class="migrate-out" data-testid="migrate-output">
          {m.header ? (
            <div class="line">
              <pre class="mono wrap" data-testid="migrate-header">
                Reporting-Endpoints: {m.header}
              </pre>
              <CopyButton text={`Reporting-Endpoints: ${m.header}`} testId="copy-migrated" copy={copy} />
            </div>
          ) : (
            <div class="muted">No group converts.</div>
          )}
          {m.notes.length > 0 && (
            <ul class="notes">
              {m.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * What the header came to, in the words every screen uses (the one derivation, utils/tab/verdicts.ts): not sent,
 * sent and ignored or rejected (why), sent and partly kept (why), kept.
 */
function FateNote({ fate, testId }: { fate: HeaderFate; testId: string }) {
  const sentence: Record<HeaderFate['state'], string> = {
    'not-sent': 'Not sent.',
    ignored: 'Sent and ignored: Chromium ignores reporting headers on pages that are not HTTPS.',
    rejected: `Sent and rejected: ${fate.why ?? 'nothing usable'}`,
    partial: `Sent, partly kept (${fate.names.join(', ')}); dropped: ${fate.why ?? 'see Problems'}`,
    removes: `Sent: removes ${fate.removed.map((n) => `\`${n}\``).join(', ')} (max_age 0).`,
    kept: fate.severity ? `Kept, with a ${fate.severity}: see Problems.` : '',
  };
  const text = sentence[fate.state];
  if (!text) return null;
  const severity = fate.state === 'not-sent' || fate.state === 'removes' ? 'info' : (fate.severity ?? 'warning');
  return (
    <div class={`line fate fate-${fate.state}`} data-testid={testId} data-state={fate.state}>
      <SeverityIcon severity={severity} /> <MessageText text={text} max={600} />
    </div>
  );
}

export interface EndpointsTabProps {
  analyses: readonly DocumentAnalysis[];
  /** The tab's verdicts (the summary's top and frames); a document without one gets its own derivation. */
  verdicts?: readonly (DocumentVerdict | null)[];
  origins: readonly OriginConfig[];
  now: number;
  filter?: string;
  copy?: (text: string) => Promise<boolean>;
  /** "Check endpoint" buttons and their results; without it no button shows. */
  checks?: EndpointChecks;
}

/** `Reporting-Endpoints` of each document and the `Report-To` groups that apply to it, as grids. */
export function EndpointsTab({ analyses, verdicts = [], origins, now, filter = '', copy, checks }: EndpointsTabProps) {
  const byDoc = new Map(verdicts.filter((v) => v !== null).map((v) => [v.documentId, v]));
  if (!analyses.length) {
    return (
      <EmptyState title="No endpoints yet" testId="empty-endpoints">
        Endpoints from Reporting-Endpoints and Report-To headers appear here. Reload the page to capture its headers:
        Report Inspector sees responses that arrive while it is installed.
      </EmptyState>
    );
  }
  return (
    <div class="sections">
      {checks && (
        <div class="muted help-line" data-testid="endpoint-check-help">
          {CHECK_HELP}
        </div>
      )}
      {analyses.map((a) => {
        const doc = a.document;
        const source = doc.frameId === 0 ? 'top' : doc.url;
        const endpoints = a.endpoints.filter((e) => matchesFilter(filter, e.name, e.url));
        const relevant = new Set([originOf(doc.url), ...a.groups.map((g) => g.origin)]);
        const groupRows: GroupGridRow[] = [
          ...a.groups
            .filter((g) => matchesFilter(filter, g.group.name, g.origin, ...g.group.endpoints.map((e) => e.url)))
            .map((g): GroupGridRow => ({ kind: 'live', g })),
          ...origins
            .filter((o) => relevant.has(o.origin))
            .flatMap((o) =>
              o.removedGroups.map((removed): GroupGridRow => ({ kind: 'removed', origin: o.origin, removed })),
            )
            .filter((r) => matchesFilter(filter, groupName(r), groupOrigin(r), 'removed')),
        ];
        const anyGroups = a.groups.length > 0 || groupRows.length > 0;
        const verdict = byDoc.get(doc.id) ?? documentVerdict(a);
        const re = verdict.reportingEndpoints;
        return (
          <section class="card" key={doc.id} data-testid="endpoints-section" data-frame={String(doc.frameId)}>
            <h3>
              {doc.frameId === 0 ? 'Top document' : 'Iframe'} <UrlText url={doc.url} />
            </h3>
            <h4>Reporting-Endpoints</h4>
            {a.endpoints.length === 0 && (re.state === 'not-sent' || !a.secure) ? (
              <div class="muted" data-testid="no-reporting-endpoints" data-state={re.state}>
                {a.secure
                  ? 'Not sent.'
                  : re.state === 'not-sent'
                    ? 'Not sent (and Chromium ignores Reporting-Endpoints on pages that are not HTTPS).'
                    : 'Sent and ignored: Chromium ignores Reporting-Endpoints on pages that are not HTTPS.'}
              </div>
            ) : a.endpoints.length === 0 ? (
              <FateNote fate={re} testId="endpoints-fate-reporting-endpoints" />
            ) : (
              <>
                <FateNote fate={re} testId="endpoints-fate-reporting-endpoints" />
                <Grid
                  rows={endpoints}
                  columns={endpointColumns(doc.url, source === 'top' ? 'top' : docLabel(doc), checks)}
                  rowKey={(e) => e.name}
                  rowAttrs={(e) => ({ 'data-testid': 'endpoint-row', 'data-name': e.name })}
                  details={(e) => (
                    <div class="kvs">
                      <div class="kv-table">
                        <span class="k">name</span>
                        <span class="v mono">{e.name}</span>
                        <span class="k">URL</span>
                        <span class="v">
                          <UrlText url={e.url} />
                        </span>
                        <span class="k">set by</span>
                        <span class="v">{docLabel(doc)}</span>
                      </div>
                      {checks && <EndpointCheckResult state={checks.checks[checkKey(e.url, doc.url)]} />}
                    </div>
                  )}
                  detailsTitle={(e) => `Endpoint ${e.name}`}
                  testId="endpoints-grid"
                  label="Reporting-Endpoints"
                  empty="No endpoint matches the filter."
                />
              </>
            )}
            <h4>Report-To groups</h4>
            {verdict.reportTo.state !== 'not-sent' && (
              <FateNote fate={verdict.reportTo} testId="endpoints-fate-report-to" />
            )}
            {!anyGroups ? (
              <div class="muted" data-testid="no-groups">
                {verdict.reportTo.state === 'not-sent' ? 'This document sent no Report-To. ' : ''}No Report-To group
                applies to {originOf(doc.url) ?? 'this document'} (own origin or parent domains with
                include_subdomains).
              </div>
            ) : (
              <Grid
                rows={groupRows}
                columns={groupColumns(now, doc.url, checks)}
                rowKey={(r) => `${r.kind} ${groupOrigin(r)} ${groupName(r)}`}
                rowAttrs={(r) => ({
                  'data-testid': 'group-row',
                  'data-group': groupName(r),
                  'data-state': r.kind === 'removed' ? 'removed' : r.g.expired ? 'expired' : 'live',
                })}
                rowClass={(r) => (r.kind === 'removed' || r.g.expired ? 'dim' : '')}
                details={(r) => <GroupDetails row={r} now={now} pageUrl={doc.url} checks={checks} />}
                detailsTitle={(r) => `Report-To group ${groupName(r)} of ${groupOrigin(r)}`}
                testId="groups-grid"
                label="Report-To groups"
                empty="No group matches the filter."
              />
            )}
            <MigrateBox analysis={a} copy={copy} />
          </section>
        );
      })}
    </div>
  );
}
