import type { DocumentRecord } from '@/utils/tab/types';
import { formatAgo, formatDateTime, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { onListKeyDown } from '@/components/common/list-keys';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText, UrlText } from '@/components/common/text';
import { headerTitle, matchesFilter } from './derive';

/** Counts that summarise one document's reporting configuration. */
export function configCounts(doc: DocumentRecord) {
  const errors = doc.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = doc.diagnostics.filter((d) => d.severity === 'warning').length;
  return {
    endpoints: doc.endpoints.length,
    groups: doc.reportTo?.groups.length ?? 0,
    routes: doc.references.length + doc.reportUris.length,
    problems: errors + warnings,
    errors,
  };
}

function CountsLine({ doc }: { doc: DocumentRecord }) {
  const c = configCounts(doc);
  return (
    <span class="muted counts-line" data-testid="history-counts">
      {plural(c.endpoints, 'endpoint')} · {plural(c.groups, 'group')} · {plural(c.routes, 'route')} ·{' '}
      <span class={c.errors ? 'bad' : c.problems ? 'warn' : ''}>{plural(c.problems, 'problem')}</span>
    </span>
  );
}

/** What a document configured: headers, endpoints, groups, references, problems. */
export function DocumentDetail({ doc }: { doc: DocumentRecord }) {
  return (
    <div class="doc-detail">
      <h4>Headers</h4>
      {doc.headers.length === 0 ? (
        <div class="muted">No reporting headers.</div>
      ) : (
        doc.headers.map((h, i) => (
          <div class="mono wrap" key={`${h.name}${i}`}>
            <span class="hname">{headerTitle(h.name)}:</span> <CappedText text={h.value} />
          </div>
        ))
      )}
      {doc.endpoints.length > 0 && (
        <>
          <h4>Reporting-Endpoints</h4>
          {doc.endpoints.map((e) => (
            <div key={e.name}>
              <code class="mono name">{e.name}</code> → <UrlText url={e.url} />
            </div>
          ))}
        </>
      )}
      {doc.reportTo && doc.reportTo.groups.length > 0 && (
        <>
          <h4>Report-To groups</h4>
          {doc.reportTo.groups.map((g) => (
            <div key={g.name}>
              <code class="mono name">{g.name}</code> max_age {g.maxAge} s
              {g.includeSubdomains && ', include_subdomains'}: {g.endpoints.map((e) => e.url).join(', ')}
            </div>
          ))}
        </>
      )}
      {doc.references.length > 0 && (
        <>
          <h4>References</h4>
          {doc.references.map((r, i) => (
            <div key={i}>
              {r.reportType} → <code class="mono name">{r.endpointName}</code>{' '}
              <span class="muted">({headerTitle(r.header)}{r.reportOnly ? ', report-only' : ''})</span>
            </div>
          ))}
        </>
      )}
      {doc.diagnostics.length > 0 && (
        <>
          <h4>Problems</h4>
          {doc.diagnostics.map((d, i) => (
            <div key={i} class="problem-line">
              <SeverityIcon severity={d.severity} /> <span class="hname">{headerTitle(d.header)}</span>{' '}
              <CappedText text={d.message} max={1000} />
            </div>
          ))}
        </>
      )}
    </div>
  );
}

export interface HistoryTabProps {
  /** Previous top-level documents, newest first. */
  history: readonly DocumentRecord[];
  /** The current top document, shown first for comparison. */
  current?: DocumentRecord;
  dropped: number;
  now: number;
  filter?: string;
}

/** Previous documents of the tab with their configuration, to compare before and after a deploy. */
export function HistoryTab({ history, current, dropped, now, filter = '' }: HistoryTabProps) {
  const rows = history.filter((d) => matchesFilter(filter, d.url, ...d.headers.map((h) => h.value)));
  return (
    <div class="sections">
      {current && (
        <section class="card">
          <h3>Current document</h3>
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            <ExpandableRow
              testId="history-current"
              summary={
                <div class="line">
                  <UrlText url={current.url} /> <span class="muted">{formatDateTime(current.receivedAt)}</span>{' '}
                  <CountsLine doc={current} />
                </div>
              }
              detail={<DocumentDetail doc={current} />}
            />
          </div>
        </section>
      )}
      <section class="card">
        <h3>Previous documents</h3>
        {history.length === 0 ? (
          <EmptyState title="No previous documents" testId="empty-history">
            Each time this tab loads a new page, the previous document and its configuration move here, newest first,
            so you can compare before and after a deploy. Reload the page to add an entry.
          </EmptyState>
        ) : (
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {rows.map((d) => (
              <ExpandableRow
                key={d.id}
                testId="history-row"
                summary={
                  <div class="line">
                    <UrlText url={d.url} /> <span class="muted">{formatDateTime(d.receivedAt)} ({formatAgo(d.receivedAt, now)})</span>{' '}
                    <CountsLine doc={d} />
                  </div>
                }
                detail={<DocumentDetail doc={d} />}
              />
            ))}
          </div>
        )}
        {dropped > 0 && (
          <div class="muted dropped" data-testid="history-dropped">
            {plural(dropped, 'older entry', 'older entries')} dropped
          </div>
        )}
      </section>
    </div>
  );
}
