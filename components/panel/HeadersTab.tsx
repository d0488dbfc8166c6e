import type { DocumentRecord, OriginConfig } from '@/utils/tab/types';
import { formatClock } from '@/utils/display/format';
import { CopyButton } from '@/components/common/CopyButton';
import { EmptyState } from '@/components/common/EmptyState';
import { onListKeyDown } from '@/components/common/list-keys';
import { CappedText, UrlText } from '@/components/common/text';
import { headerTitle, matchesFilter } from './labels-and-filter';
import { originOfUrl as originOf } from '@/utils/display/format';

export interface HeadersTabProps {
  /** Top document first. */
  documents: readonly DocumentRecord[];
  /** Origin cache entries: `Report-To` headers that arrived with other responses. */
  origins?: readonly OriginConfig[];
  filter?: string;
  copy?: (text: string) => Promise<boolean>;
}

function HeaderRow({
  name,
  value,
  truncated,
  copy,
}: {
  name: string;
  value: string;
  truncated?: boolean;
  copy?: HeadersTabProps['copy'];
}) {
  return (
    <div class="row header-row" data-row="" tabIndex={0} data-testid="header-row" data-name={name}>
      <div class="row-main">
        <div class="line">
          <span class="hname">{headerTitle(name)}:</span>
          <CopyButton text={`${headerTitle(name)}: ${value}`} testId="copy-header" label="Copy" copy={copy} />
        </div>
        <div class="mono wrap value" data-testid="header-value">
          <CappedText text={value} />
          {truncated && <span class="omitted"> (stored value cut at 16 KiB; the analysis used the whole value)</span>}
        </div>
      </div>
    </div>
  );
}

/** All headers as `Name: value` lines, document by document. */
export function allHeadersText(documents: readonly DocumentRecord[]): string {
  return documents
    .map((d) =>
      [
        `# ${d.frameId === 0 ? 'top document' : 'iframe'} ${d.url}`,
        ...d.headers.map((h) => `${headerTitle(h.name)}: ${h.value}`),
      ].join('\n'),
    )
    .join('\n\n');
}

/** Raw reporting headers of the document and its frames, with copy buttons. */
export function HeadersTab({ documents, origins = [], filter = '', copy }: HeadersTabProps) {
  if (!documents.length) {
    return (
      <EmptyState title="No headers captured yet" testId="empty-headers">
        The reporting headers of the page and its iframes (Reporting-Endpoints, Report-To, CSP, NEL, COOP/COEP,
        Permissions-Policy, …) appear here. Reload the page to capture them: Report Inspector sees responses that arrive
        while it is installed.
      </EmptyState>
    );
  }
  const docOrigins = new Set(documents.map((d) => originOf(d.url)));
  const others = origins.filter((o) => !documents.some((d) => d.url === o.sourceUrl) && o.header);
  return (
    <div class="sections">
      <div class="toolbar">
        <CopyButton text={() => allHeadersText(documents)} label="Copy all" testId="copy-all-headers" copy={copy} />
      </div>
      {documents.map((d) => {
        const headers = d.headers.filter((h) => matchesFilter(filter, h.name, h.value));
        return (
          <section class="card" key={d.id} data-testid="headers-section">
            <h3>
              {d.frameId === 0 ? 'Top document' : 'Iframe'} <UrlText url={d.url} />{' '}
              <span class="muted">
                HTTP {d.statusCode} · {formatClock(d.receivedAt)}
              </span>
            </h3>
            {d.headers.length === 0 ? (
              <div class="muted">No reporting headers in this response.</div>
            ) : (
              <div class="list" data-list="" onKeyDown={onListKeyDown}>
                {headers.map((h, i) => (
                  <HeaderRow name={h.name} value={h.value} truncated={h.truncated} copy={copy} key={`${h.name} ${i}`} />
                ))}
              </div>
            )}
          </section>
        );
      })}
      {others.length > 0 && (
        <section class="card">
          <h3>Report-To headers of other responses</h3>
          <div class="muted">
            Report-To is per origin: any response of the origin sets its groups, not only the document.
          </div>
          <div class="list" data-list="" onKeyDown={onListKeyDown}>
            {others
              .filter((o) => matchesFilter(filter, o.origin, o.header, o.sourceUrl))
              .map((o) => (
                <div key={o.origin}>
                  <div class="muted">
                    {o.origin}
                    {docOrigins.has(o.origin) ? '' : ' (parent domain)'} · {o.resourceType}{' '}
                    <CappedText text={o.sourceUrl} max={200} /> · {formatClock(o.receivedAt)}
                  </div>
                  <HeaderRow name="report-to" value={o.header} copy={copy} />
                </div>
              ))}
          </div>
        </section>
      )}
    </div>
  );
}
