import type { DocumentRecord } from '@/utils/tab/types';
import type { DocumentVerdict } from '@/utils/tab/verdicts';
import { scrub } from '@/utils/page/scrub';
import { usePanelStore } from '@/entrypoints/devtools-panel/store';
import { formatAgo, formatDateTime, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { ExpandableRow } from '@/components/common/ExpandableRow';
import { onListKeyDown } from '@/components/common/list-keys';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText, UrlText } from '@/components/common/text';
import { headerTitle, matchesFilter } from './labels-and-filter';

function CountsLine({ v }: { v: DocumentVerdict }) {
  const problems = v.problems.errors + v.problems.warnings;
  return (
    <span class="muted counts-line" data-testid="history-counts">
      {plural(v.endpoints.length, 'endpoint')} · {plural(v.groups.length, 'group')} · {plural(v.routes.length, 'route')}{' '}
      ({v.delivering} delivering) ·{' '}
      <span class={v.problems.errors ? 'bad' : problems ? 'warn' : ''}>{plural(problems, 'problem')}</span>
    </span>
  );
}

/** What a document configured: headers, endpoints, groups, references, problems. */
export function DocumentDetail({ doc, verdict }: { doc: DocumentRecord; verdict?: DocumentVerdict }) {
  return (
    <div class="doc-detail">
      {verdict && (
        <>
          <h4>What Chromium kept</h4>
          <div data-testid="history-fate-reporting-endpoints" data-state={verdict.reportingEndpoints.state}>
            Reporting-Endpoints: <CappedText text={verdict.reportingEndpoints.text} max={600} />
          </div>
          <div data-testid="history-fate-report-to" data-state={verdict.reportTo.state}>
            Report-To: <CappedText text={verdict.reportTo.text} max={600} />
          </div>
        </>
      )}
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
              <span class="muted">
                ({headerTitle(r.header)}
                {r.reportOnly ? ', report-only' : ''})
              </span>
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

/** Previous documents of the tab with their configuration, to compare before and after a deploy. */
export function HistoryTab() {
  const store = usePanelStore();
  const view = store.view.value;
  const filter = store.filter.value;
  const now = store.now.value;
  const summary = store.summary.value;
  const verdicts = store.history.value;
  const history = view?.state.history ?? [];
  const dropped = view?.state.dropped.history ?? 0;
  const current = store.analyses.value.find((a) => a.document.frameId === 0)?.document;
  const rows = history
    .map((d, i) => ({ d, v: verdicts[i] }))
    .filter(({ d }) => matchesFilter(filter, d.url, ...d.headers.map((h) => h.value)));
  return (
    <div class="sections">
      {current && summary.top && (
        <section class="card">
          <h3>Current document</h3>
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            <ExpandableRow
              testId="history-current"
              summary={
                <div class="line">
                  <UrlText url={scrub(current.url)} /> <span class="muted">{formatDateTime(current.receivedAt)}</span>{' '}
                  <CountsLine v={summary.top} />
                </div>
              }
              detail={<DocumentDetail doc={current} verdict={summary.top} />}
            />
          </div>
        </section>
      )}
      <section class="card">
        <h3>Previous documents</h3>
        {history.length === 0 ? (
          <EmptyState title="No previous documents" testId="empty-history">
            Each time this tab loads a new page, the previous document and its configuration move here, newest first, so
            you can compare before and after a deploy. Reload the page to add an entry.
          </EmptyState>
        ) : (
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {rows.map(({ d, v }) => (
              <ExpandableRow
                key={d.id}
                testId="history-row"
                summary={
                  <div class="line">
                    <UrlText url={scrub(d.url)} />{' '}
                    <span class="muted">
                      {formatDateTime(d.receivedAt)} ({formatAgo(d.receivedAt, now)})
                    </span>{' '}
                    {v && <CountsLine v={v} />}
                  </div>
                }
                detail={<DocumentDetail doc={d} verdict={v} />}
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
