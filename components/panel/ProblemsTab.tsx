import type { DocumentRecord } from '@/utils/tab/types';
import type { HeaderDiagnostic } from '@/utils/headers/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { capWithNote, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import type { GridColumn } from '@/components/common/Grid';
import { Grid } from '@/components/common/Grid';
import { Highlighted } from '@/components/common/Highlighted';
import { MessageText } from '@/components/common/MessageText';
import { SeverityIcon } from '@/components/common/SeverityIcon';
import { CappedText, UrlText } from '@/components/common/text';
import { clip, EXCERPT_CHARS } from '@/utils/headers/diagnostics';
import { headerTitle, matchesFilter } from './labels-and-filter';

type ProblemGridRow = { d: HeaderDiagnostic; doc: DocumentRecord; i: number };

const RANK = { error: 0, warning: 1, info: 2 } as const;

const COLUMNS: readonly GridColumn<ProblemGridRow>[] = [
  {
    id: 'severity',
    title: '',
    width: '22px',
    help: 'Severity',
    render: ({ d }) => <SeverityIcon severity={d.severity} />,
    sort: ({ d }) => RANK[d.severity],
  },
  {
    id: 'header',
    title: 'Header',
    width: 'minmax(70px, 1fr)',
    render: ({ d }) => <span class="hname">{headerTitle(d.header)}</span>,
    sort: ({ d }) => d.header,
  },
  {
    id: 'message',
    title: 'Problem',
    width: 'minmax(140px, 5fr)',
    render: ({ d }) => <MessageText text={d.message} max={1000} testId="problem-message" />,
    sort: ({ d }) => d.message,
  },
  {
    id: 'value',
    title: 'Value',
    width: 'minmax(60px, 1.5fr)',
    help: 'The offending part of the header, as written',
    render: ({ d }) =>
      d.excerpt ? (
        <mark class="mono" data-testid="problem-excerpt">
          {capWithNote(d.excerpt, 300)}
        </mark>
      ) : (
        ''
      ),
  },
  {
    id: 'document',
    title: 'Document',
    width: 'minmax(50px, 1fr)',
    render: ({ doc }) =>
      doc.frameId === 0 ? (
        <span class="muted">top</span>
      ) : (
        <span class="muted">
          iframe <CappedText text={doc.url} max={200} />
        </span>
      ),
    sort: ({ doc }) => doc.frameId,
  },
];

/**
 * The diagnostic's offsets when they are offsets into `value`: a diagnostic of the origin's Report-To from another
 * response carries offsets into that response's value, which its excerpt (the bytes as written) tells apart.
 */
function spanIn(value: string, d: HeaderDiagnostic): { start: number; end: number } | null {
  const { start, end } = d;
  if (start === undefined || end === undefined || end > value.length) return null;
  if (d.excerpt !== undefined && clip(value.slice(start, end), EXCERPT_CHARS) !== d.excerpt) return null;
  return { start, end };
}

function ProblemDetails({ d, doc }: { d: HeaderDiagnostic; doc: DocumentRecord }) {
  const found = doc.headers.find((h) => h.name === d.header);
  const span = found ? spanIn(found.value, d) : null;
  // Offsets that do not fit this document's header point into another response's: show that excerpt alone.
  const raw = found && (span || d.start === undefined) ? found : undefined;
  return (
    <div class="kvs problem-details">
      <div class="line">
        <SeverityIcon severity={d.severity} /> <span class="hname">{headerTitle(d.header)}</span>
        <MessageText text={d.message} max={4000} testId="problem-detail-message" />
      </div>
      <div class="kv-table">
        <span class="k">code</span>
        <span class="v mono">{d.code}</span>
        <span class="k">document</span>
        <span class="v">
          {doc.frameId === 0 ? 'top document' : 'iframe'} <UrlText url={doc.url} />
        </span>
      </div>
      {raw ? (
        <>
          <h4>{headerTitle(raw.name)} as received</h4>
          <div class="rawbox">
            <Highlighted value={raw.value} start={span?.start} end={span?.end} testId="problem-highlight" />
          </div>
        </>
      ) : (
        d.excerpt && (
          <div class="rawbox">
            <mark class="mono" data-testid="problem-highlight">
              <CappedText text={d.excerpt} max={500} />
            </mark>
          </div>
        )
      )}
    </div>
  );
}

export interface ProblemsTabProps {
  analyses: readonly DocumentAnalysis[];
  filter?: string;
}

/** Every diagnostic of every document in a grid, errors first; the details show the header with the fault marked. */
export function ProblemsTab({ analyses, filter = '' }: ProblemsTabProps) {
  const all = analyses.flatMap((a) => a.diagnostics.map((d, i) => ({ d, doc: a.document, i })));
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
  const rows = all.filter(({ d, doc }) =>
    matchesFilter(filter, d.message, d.header, d.code, d.severity, d.excerpt, doc.url),
  );
  const errors = all.filter((x) => x.d.severity === 'error').length;
  const warnings = all.filter((x) => x.d.severity === 'warning').length;
  const infos = all.length - errors - warnings;
  return (
    <div class="sections">
      <div class="summary muted" data-testid="problems-summary">
        {plural(errors, 'error')}, {plural(warnings, 'warning')}, {plural(infos, 'note')}
      </div>
      <Grid
        rows={rows}
        columns={COLUMNS}
        rowKey={({ doc, d, i }) => `${doc.id} ${d.code} ${i}`}
        rowAttrs={({ d }) => ({ 'data-testid': 'problem-row', 'data-severity': d.severity, 'data-code': d.code })}
        rowClass={({ d }) => `sev-row-${d.severity}`}
        initialSort={{ column: 'severity', dir: 'asc' }}
        details={({ d, doc }) => <ProblemDetails d={d} doc={doc} />}
        detailsTitle={({ d }) => `${headerTitle(d.header)}: ${d.code}`}
        testId="problems-grid"
        label="Problems"
        empty="No problem matches the filter."
        maxBodyHeight={440}
      />
    </div>
  );
}
