import type { DocumentRecord } from '@/utils/tab/types';
import type { HeaderDiagnostic } from '@/utils/headers/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { Highlighted } from '@/components/common/Highlighted';
import { onListKeyDown } from '@/components/common/list-keys';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText } from '@/components/common/text';
import { bySeverity, headerTitle, matchesFilter } from './derive';

export interface ProblemRowProps {
  diagnostic: HeaderDiagnostic;
  document: DocumentRecord;
}

/** One diagnostic: severity, header, message (which says how to fix it), and the offending part marked. */
export function ProblemRow({ diagnostic: d, document: doc }: ProblemRowProps) {
  const raw = doc.headers.find((h) => h.name === d.header);
  return (
    <div class={`row problem sev-row-${d.severity}`} data-row="" tabIndex={0} data-testid="problem-row" data-severity={d.severity} data-code={d.code}>
      <div class="row-main">
        <div class="line">
          <SeverityIcon severity={d.severity} />
          <span class="hname">{headerTitle(d.header)}</span>
          <span class="message" data-testid="problem-message">
            <CappedText text={d.message} max={1000} />
          </span>
        </div>
        <div class="line sub muted">
          <code class="mono">{d.code}</code>
          {doc.frameId !== 0 && (
            <>
              {' '}
              · iframe <CappedText text={doc.url} max={200} />
            </>
          )}
        </div>
        {raw ? (
          <div class="rawbox">
            <Highlighted value={raw.value} excerpt={d.excerpt} />
          </div>
        ) : (
          d.excerpt && (
            <div class="rawbox">
              <mark class="mono" data-testid="problem-excerpt">
                <CappedText text={d.excerpt} max={500} />
              </mark>
            </div>
          )
        )}
      </div>
    </div>
  );
}

export interface ProblemsTabProps {
  analyses: readonly DocumentAnalysis[];
  filter?: string;
}

/** Every diagnostic of every document, errors first. */
export function ProblemsTab({ analyses, filter = '' }: ProblemsTabProps) {
  const all = analyses.flatMap((a) => a.diagnostics.map((d) => ({ d, doc: a.document })));
  if (!analyses.length) {
    return (
      <EmptyState title="No headers checked yet" testId="empty-problems">
        Problems in the page's reporting headers (unknown endpoint names, invalid JSON, http:// endpoints, …) appear
        here with how to fix them. Reload the page to capture its headers.
      </EmptyState>
    );
  }
  if (!all.length) {
    return (
      <EmptyState title="No problems found" testId="empty-problems">
        The reporting headers of this page and its frames have no problem Report Inspector knows about.
      </EmptyState>
    );
  }
  const rows = all
    .filter(({ d, doc }) => matchesFilter(filter, d.message, d.header, d.code, d.severity, d.excerpt, doc.url))
    .sort((x, y) => bySeverity(x.d, y.d));
  const errors = all.filter((x) => x.d.severity === 'error').length;
  const warnings = all.filter((x) => x.d.severity === 'warning').length;
  const infos = all.length - errors - warnings;
  return (
    <div class="sections">
      <div class="summary muted" data-testid="problems-summary">
        {plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'note')}
      </div>
      <div class="list" data-list="" onKeyDown={onListKeyDown}>
        {rows.map(({ d, doc }, i) => (
          <ProblemRow diagnostic={d} document={doc} key={`${doc.id} ${d.code} ${i}`} />
        ))}
      </div>
    </div>
  );
}
