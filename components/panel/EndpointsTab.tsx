import { useState } from 'preact/hooks';
import type { ApplicableGroup, CachedGroup, OriginConfig } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { formatAgo, formatClock, formatExpiry } from '@/utils/display/format';
import { migrateToReportingEndpoints } from '@/utils/headers/convert-report-to';
import { CopyButton } from '@/components/common/CopyButton';
import { EmptyState } from '@/components/common/EmptyState';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { onListKeyDown } from '@/components/common/list-keys';
import { CappedText, UrlText } from '@/components/common/text';
import { docLabel, matchesFilter } from './derive';
import { originOfUrl as originOf } from '@/utils/tab/origin-cache';
import type { DeliveryControls } from './delivery';
import { checkKey } from './delivery';
import { EndpointCheck } from './EndpointCheck';

/** The endpoint checks' state and trigger, as the Endpoints tab needs them. */
export type EndpointChecks = Pick<DeliveryControls, 'checks' | 'onCheckEndpoint'>;

export interface GroupRowProps {
  applicable: ApplicableGroup;
  now: number;
  /** The document the group applies to (the page a check reports for). */
  pageUrl?: string;
  checks?: EndpointChecks;
}

/** One `Report-To` group: name, origin, endpoints with priority and weight, received time and live expiry. */
export function GroupRow({ applicable, now, pageUrl, checks }: GroupRowProps) {
  const { group, origin, viaSubdomains, expired } = applicable;
  return (
    <ExpandableRow
      testId="group-row"
      class={expired ? 'dim' : ''}
      data={{ state: expired ? 'expired' : 'live', group: group.name }}
      summary={
        <>
          <div class="line">
            <code class="mono name" data-testid="group-name"><CappedText text={group.name} max={200} /></code>{' '}
            <span class="muted">from {origin}</span>
            {viaSubdomains && <span class="badge">via include_subdomains</span>}
            {expired && <span class="badge bad">expired</span>}{' '}
            <span class={`expiry ${expired ? 'bad' : ''}`} data-testid="group-expiry">
              {formatExpiry(group.expiresAt, now)}
            </span>
          </div>
          <div class="line sub">
            {group.endpoints.map((e, i) => (
              <span class="endpoint" data-testid="group-endpoint" key={`${e.url}#${i}`}>
                <UrlText url={e.url} /> <span class="muted">priority {e.priority}, weight {e.weight}</span>
                {checks && pageUrl && !expired && (
                  <EndpointCheck url={e.url} pageUrl={pageUrl} state={checks.checks[checkKey(e.url, pageUrl)]} onCheck={checks.onCheckEndpoint} />
                )}
              </span>
            ))}
          </div>
        </>
      }
      detail={
        <div class="kvs">
          <div>include_subdomains: {group.includeSubdomains ? 'true' : 'false'}</div>
          <div>max_age: {group.maxAge.toLocaleString('en-US')} s</div>
          <div>
            received at {formatClock(group.receivedAt)} ({formatAgo(group.receivedAt, now)})
          </div>
          <div>expires at {formatClock(group.expiresAt)}</div>
        </div>
      }
    />
  );
}

export interface RemovedGroupRowProps {
  origin: string;
  removed: OriginConfig['removedGroups'][number];
  now: number;
}

/** A group that a later header removed (`max_age: 0`) or no longer lists. */
export function RemovedGroupRow({ origin, removed, now }: RemovedGroupRowProps) {
  return (
    <div class="row dim" data-row="" tabIndex={0} data-testid="group-row" data-state="removed" data-group={removed.name}>
      <div class="row-main line">
        <code class="mono name" data-testid="group-name"><CappedText text={removed.name} max={200} /></code>{' '}
        <span class="muted">from {origin}</span>{' '}
        <span class="badge bad" data-testid="group-removed">
          {removed.why === 'max_age 0' ? 'removed (max_age 0)' : 'removed (replaced by a newer Report-To header)'}
        </span>{' '}
        <span class="muted">{formatAgo(removed.removedAt, now)}</span>
      </div>
    </div>
  );
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
      <button type="button" class="btn" data-testid="convert-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Convert to Reporting-Endpoints
      </button>
      {m && (
        <div class="migrate-out" data-testid="migrate-output">
          {m.header ? (
            <div class="line">
              <pre class="mono wrap" data-testid="migrate-header">Reporting-Endpoints: {m.header}</pre>
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

export interface EndpointsTabProps {
  analyses: readonly DocumentAnalysis[];
  origins: readonly OriginConfig[];
  now: number;
  filter?: string;
  copy?: (text: string) => Promise<boolean>;
  /** "Check endpoint" buttons and their results; without it no button shows. */
  checks?: EndpointChecks;
}

/** `Reporting-Endpoints` of each document and the `Report-To` groups that apply to it. */
export function EndpointsTab({ analyses, origins, now, filter = '', copy, checks }: EndpointsTabProps) {
  if (!analyses.length) {
    return (
      <EmptyState title="No endpoints yet" testId="empty-endpoints">
        Endpoints from Reporting-Endpoints and Report-To headers appear here. Reload the page to capture its
        headers: Report Inspector sees responses that arrive while it is installed.
      </EmptyState>
    );
  }
  return (
    <div class="sections">
      {analyses.map((a) => {
        const doc = a.document;
        const source = doc.frameId === 0 ? 'top' : doc.url;
        const endpoints = a.endpoints.filter((e) => matchesFilter(filter, e.name, e.url));
        const groups = a.groups.filter((g) =>
          matchesFilter(filter, g.group.name, g.origin, ...g.group.endpoints.map((e) => e.url)),
        );
        const relevant = new Set([originOf(doc.url), ...a.groups.map((g) => g.origin)]);
        const removed = origins
          .filter((o) => relevant.has(o.origin))
          .flatMap((o) => o.removedGroups.map((r) => ({ origin: o.origin, r })))
          .filter(({ r, origin }) => matchesFilter(filter, r.name, origin, 'removed'));
        return (
          <section class="card" key={doc.id} data-testid="endpoints-section" data-frame={String(doc.frameId)}>
            <h3>
              {doc.frameId === 0 ? 'Top document' : 'Iframe'} <UrlText url={doc.url} />
            </h3>
            <h4>Reporting-Endpoints</h4>
            {a.endpoints.length === 0 ? (
              <div class="muted" data-testid="no-reporting-endpoints">
                {a.secure
                  ? 'No Reporting-Endpoints header.'
                  : 'None: Chromium ignores Reporting-Endpoints on pages that are not HTTPS.'}
              </div>
            ) : (
              <div class="list table" data-list="" onKeyDown={onListKeyDown}>
                {endpoints.map((e) => (
                  <div class="row" data-row="" tabIndex={0} data-testid="endpoint-row" data-name={e.name} key={e.name}>
                    <div class="row-main line">
                      <code class="mono name"><CappedText text={e.name} max={200} /></code>
                      <span class="arrow">→</span>
                      <UrlText url={e.url} testId="endpoint-url" />
                      <span class="muted source" title={docLabel(doc)}>
                        {source === 'top' ? 'top' : <CappedText text={source} max={120} />}
                      </span>
                    </div>
                    {checks && (
                      <EndpointCheck url={e.url} pageUrl={doc.url} state={checks.checks[checkKey(e.url, doc.url)]} onCheck={checks.onCheckEndpoint} />
                    )}
                  </div>
                ))}
              </div>
            )}
            <h4>Report-To groups</h4>
            {a.groups.length === 0 && removed.length === 0 ? (
              <div class="muted" data-testid="no-groups">
                No Report-To group applies to {originOf(doc.url) ?? 'this document'} (own origin or parent domains with
                include_subdomains).
              </div>
            ) : (
              <div class="list" data-list="" onKeyDown={onListKeyDown}>
                {groups.map((g) => (
                  <GroupRow applicable={g} now={now} pageUrl={doc.url} checks={checks} key={`${g.origin} ${g.group.name}`} />
                ))}
                {removed.map(({ origin, r }) => (
                  <RemovedGroupRow origin={origin} removed={r} now={now} key={`${origin} ${r.name} removed`} />
                ))}
              </div>
            )}
            <MigrateBox analysis={a} copy={copy} />
          </section>
        );
      })}
    </div>
  );
}
