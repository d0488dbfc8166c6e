import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export interface ExpandableRowProps {
  /** The always-visible line(s). */
  summary: ComponentChildren;
  /** Shown when expanded; without it the row is not expandable. */
  detail?: ComponentChildren;
  testId?: string;
  class?: string;
  defaultExpanded?: boolean;
  /** Extra attributes for tests (`data-state`, `data-severity`, ...). */
  data?: Record<string, string>;
}

/** A focusable list row; Enter or a click toggles its detail. Pair with `onListKeyDown` on the list. */
export function ExpandableRow({
  summary,
  detail,
  testId,
  class: cls,
  defaultExpanded = false,
  data,
}: ExpandableRowProps) {
  const [open, setOpen] = useState(defaultExpanded);
  const expandable = detail !== undefined && detail !== null && detail !== false;
  const toggle = () => expandable && setOpen((o) => !o);
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(data ?? {})) attrs[`data-${k}`] = v;
  return (
    <div
      class={`row ${cls ?? ''} ${expandable ? 'expandable' : ''} ${open ? 'open' : ''}`}
      data-testid={testId}
      data-row=""
      tabIndex={0}
      aria-expanded={expandable ? open : undefined}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && e.target === e.currentTarget) {
          e.preventDefault();
          toggle();
        }
      }}
      {...attrs}
    >
      <div
        class="row-summary"
        onClick={(e) => {
          // Let links and buttons inside the summary do their own thing.
          if ((e.target as HTMLElement).closest('a,button,input')) return;
          toggle();
        }}
      >
        {expandable && (
          <span class="twisty" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
        )}
        <div class="row-main">{summary}</div>
      </div>
      {expandable && open && <div class="row-detail">{detail}</div>}
    </div>
  );
}
