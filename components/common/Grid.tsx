import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { VirtualList } from './VirtualList';

export type SortDirection = 'asc' | 'desc';

export interface GridColumn<T> {
  id: string;
  title: string;
  /** A CSS grid track: `90px`, `minmax(120px, 2fr)`, … */
  width: string;
  /** The cell's content: one line, cut with an ellipsis (the details pane shows everything). */
  render: (row: T) => ComponentChildren;
  /** The sort key; a column without one does not sort. */
  sort?: (row: T) => string | number;
  /** The header's tooltip: what the column means. */
  help?: string;
  /** Class of every cell of the column. */
  class?: string;
}

export interface GridSort {
  column: string;
  dir: SortDirection;
}

export interface GridProps<T> {
  rows: readonly T[];
  columns: readonly GridColumn<T>[];
  /** A stable key per row: the selection follows it through sorting and updates. */
  rowKey: (row: T) => string;
  /** Attributes of a row (`data-testid`, `data-*`). */
  rowAttrs?: (row: T) => Record<string, string | undefined>;
  rowClass?: (row: T) => string;
  /** The details pane of the selected row; without it rows only select. */
  details?: (row: T) => ComponentChildren;
  /** The details pane's title. */
  detailsTitle?: (row: T) => string;
  /** The order before a header is clicked; absent: the rows' own order. */
  initialSort?: GridSort;
  rowHeight?: number;
  /**
   * Fill the parent's height (the parent must be a bounded flex column): for long lists such as breadcrumbs.
   * Otherwise the grid is as tall as its rows, up to `maxBodyHeight`, and scrolls inside.
   */
  fill?: boolean;
  maxBodyHeight?: number;
  /** Viewport height when the body cannot be measured (no layout). */
  fallbackHeight?: number;
  /** Keep the last row in view as rows arrive, while scrolled to the bottom (a console's tail). */
  followTail?: boolean;
  /** Select this row and scroll to it; change `token` to do it again. */
  reveal?: { key: string; token: number } | null;
  /** Shown in the body when there are no rows. */
  empty?: ComponentChildren;
  testId?: string;
  label: string;
  /** The selection changed (null: none). */
  onSelect?: (key: string | null) => void;
}

/** Rows in the order of `sort` (stable: equal keys keep their order). */
export function sortRows<T>(
  rows: readonly T[],
  columns: readonly GridColumn<T>[],
  sort: GridSort | null,
): readonly T[] {
  const col = sort && columns.find((c) => c.id === sort.column);
  if (!sort || !col?.sort) return rows;
  const key = col.sort;
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = rows.map((row, i) => ({ row, i, k: key(row) }));
  keyed.sort((a, b) => {
    const c =
      typeof a.k === 'number' && typeof b.k === 'number'
        ? a.k - b.k
        : String(a.k).localeCompare(String(b.k), 'en', { numeric: true, sensitivity: 'base' });
    return c !== 0 && !Number.isNaN(c) ? c * sign : a.i - b.i;
  });
  return keyed.map((k) => k.row);
}

const MIN_COLUMN = 36;
/** Up to this many rows, all are rendered. */
const FULL_RENDER = 200;

/**
 * A data grid in DevTools' manner (its Network and Reporting API panes): column headers that sort on click (▲▼,
 * `aria-sort`) and resize by dragging their right edge, virtualised rows of one line (thousands stay smooth), and a
 * details pane under the selected row. Keyboard: ↑/↓ (Page, Home, End) move the selection, Enter opens the details,
 * Esc closes them. A click selects a row and opens its details.
 */
export function Grid<T>({
  rows,
  columns,
  rowKey,
  rowAttrs,
  rowClass,
  details,
  detailsTitle,
  initialSort,
  rowHeight = 22,
  fill = false,
  maxBodyHeight = 330,
  fallbackHeight,
  followTail,
  reveal,
  empty,
  testId,
  label,
  onSelect,
}: GridProps<T>) {
  const [sort, setSort] = useState<GridSort | null>(initialSort ?? null);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [widths, setWidths] = useState<Record<string, number>>({});
  const [scrollTo, setScrollTo] = useState<{ index: number; token: number } | null>(null);
  const bodyRef = useRef<HTMLDivElement>(null);

  const sorted = useMemo(() => sortRows(rows, columns, sort), [rows, columns, sort]);
  const keys = useMemo(() => sorted.map(rowKey), [sorted, rowKey]);

  // A reveal request selects its row, opens it and scrolls to it (e.g. "Jump to last crash").
  useEffect(() => {
    if (!reveal) return;
    const index = keys.indexOf(reveal.key);
    if (index < 0) return;
    setSelectedKey(reveal.key);
    setOpen(true);
    setScrollTo({ index, token: reveal.token });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per request (token): rows that arrive later must not re-select it
  }, [reveal?.token]);

  const selectedIndex = selectedKey === null ? -1 : keys.indexOf(selectedKey);
  const selectedRow = selectedIndex >= 0 ? sorted[selectedIndex] : undefined;

  const select = (index: number | null) => {
    const key = index === null ? null : (keys[index] ?? null);
    setSelectedKey(key);
    onSelect?.(key);
  };

  const template = columns.map((c) => (widths[c.id] !== undefined ? `${widths[c.id]}px` : c.width)).join(' ');

  const toggleSort = (col: GridColumn<T>) => {
    if (!col.sort) return;
    setSort((s) =>
      s?.column === col.id ? { column: col.id, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { column: col.id, dir: 'asc' },
    );
  };

  const startResize = (e: PointerEvent, col: GridColumn<T>) => {
    e.preventDefault();
    e.stopPropagation();
    const cell = (e.currentTarget as HTMLElement).parentElement;
    const start = e.clientX;
    const from = cell?.getBoundingClientRect().width ?? MIN_COLUMN;
    const doc = (e.currentTarget as HTMLElement).ownerDocument;
    const move = (m: PointerEvent) =>
      setWidths((w) => ({ ...w, [col.id]: Math.max(MIN_COLUMN, Math.round(from + m.clientX - start)) }));
    const up = () => {
      doc.removeEventListener('pointermove', move);
      doc.removeEventListener('pointerup', up);
    };
    doc.addEventListener('pointermove', move);
    doc.addEventListener('pointerup', up);
  };

  const renderRow = (i: number) => {
    const row = sorted[i]!;
    return (
      <div class={`grid-row ${rowClass?.(row) ?? ''}`} {...attrsOf(rowAttrs?.(row))}>
        {columns.map((c) => (
          <div class={`grid-cell ${c.class ?? ''}`} role="gridcell" key={c.id} data-column={c.id}>
            {c.render(row)}
          </div>
        ))}
      </div>
    );
  };

  const bodyHeight = fill ? undefined : Math.min(maxBodyHeight, Math.max(1, sorted.length) * rowHeight + 2);
  const showDetails = open && details !== undefined && selectedRow !== undefined;

  return (
    <div
      class={`grid ${fill ? 'grid-fill' : ''} ${showDetails ? 'with-details' : ''}`}
      role="grid"
      aria-label={label}
      aria-rowcount={sorted.length + 1}
      data-testid={testId}
      data-count={String(sorted.length)}
      style={`--grid-cols: ${template}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.preventDefault();
          e.stopPropagation();
          setOpen(false);
          bodyRef.current?.querySelector<HTMLElement>('.vlist')?.focus();
        }
      }}
    >
      <div class="grid-header" role="row">
        {columns.map((c) => {
          const dir = sort?.column === c.id ? sort.dir : null;
          return (
            <div
              class={`grid-th ${c.sort ? 'sortable' : ''} ${c.class ?? ''}`}
              role="columnheader"
              key={c.id}
              aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : c.sort ? 'none' : undefined}
              title={c.help}
              data-testid={`grid-header-${c.id}`}
            >
              {c.sort ? (
                <button type="button" class="grid-sort" onClick={() => toggleSort(c)}>
                  <span class="grid-th-title">{c.title}</span>
                  <span class="grid-sort-arrow" aria-hidden="true">
                    {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
                  </span>
                </button>
              ) : (
                <span class="grid-th-title">{c.title}</span>
              )}
              <span class="grid-resizer" aria-hidden="true" onPointerDown={(e) => startResize(e, c)} />
            </div>
          );
        })}
      </div>
      <div class="grid-body-wrap" ref={bodyRef}>
        {sorted.length === 0 && empty ? (
          <div class="grid-empty muted" data-testid={testId ? `${testId}-empty` : undefined}>
            {empty}
          </div>
        ) : (
          <VirtualList
            count={sorted.length}
            rowHeight={rowHeight}
            renderRow={renderRow}
            selected={selectedIndex >= 0 ? selectedIndex : null}
            onSelect={(i, via) => {
              select(i);
              if (via === 'click') setOpen(true);
            }}
            onActivate={(i) => {
              select(i);
              setOpen(true);
            }}
            scrollTo={scrollTo}
            // Short grids keep every row in the DOM (find in page, tests); long ones render a window of rows.
            overscan={sorted.length <= FULL_RENDER ? sorted.length : 8}
            followTail={followTail}
            fallbackHeight={fallbackHeight ?? bodyHeight ?? 480}
            listRole="rowgroup"
            rowRole="row"
            class="grid-body"
            style={bodyHeight === undefined ? undefined : { height: `${bodyHeight}px` }}
            testId={testId ? `${testId}-body` : undefined}
            label={label}
          />
        )}
      </div>
      {showDetails && (
        <DetailsPane
          title={detailsTitle?.(selectedRow) ?? ''}
          onClose={() => setOpen(false)}
          testId={testId ? `${testId}-details` : undefined}
        >
          {details(selectedRow)}
        </DetailsPane>
      )}
    </div>
  );
}

function attrsOf(attrs: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== undefined) out[k] = v;
  return out;
}

export interface DetailsPaneProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
}

/** The pane under a grid that shows the selected row in full, with a close button (Esc closes it too). */
export function DetailsPane({ title, onClose, children, testId }: DetailsPaneProps) {
  return (
    <section class="details-pane" data-testid={testId} aria-label={title || 'Details'}>
      <div class="details-head">
        <span class="details-title">{title}</span>
        <button
          type="button"
          class="details-close"
          aria-label="Close details"
          title="Close (Esc)"
          data-testid="details-close"
          onClick={onClose}
        >
          ×
        </button>
      </div>
      <div class="details-body">{children}</div>
    </section>
  );
}
