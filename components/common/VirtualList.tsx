import type { AriaRole, ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

export interface VirtualListProps {
  count: number;
  /** Every row has this height in pixels. */
  rowHeight: number;
  /** The content of row `index` (the list positions it). */
  renderRow: (index: number) => ComponentChildren;
  /** Attributes of row `index` (e.g. `data-testid`), besides position and selection. */
  rowProps?: (index: number) => Record<string, string>;
  selected: number | null;
  /** A row was chosen by a click or by the keyboard. */
  onSelect: (index: number, via: 'click' | 'key') => void;
  /** Enter on the selected row. */
  onActivate?: (index: number) => void;
  /** Scroll so this row is visible; change `token` to scroll again to the same row. */
  scrollTo?: { index: number; token: number } | null;
  /** Rows rendered above and below the visible ones. */
  overscan?: number;
  /** Viewport height used when the element cannot be measured (no layout). */
  fallbackHeight?: number;
  /** Keep showing the last row as rows are appended, while scrolled to the bottom. */
  followTail?: boolean;
  testId?: string;
  label?: string;
  /** ARIA roles of the list and its rows (a grid's body uses `rowgroup` and `row`). */
  listRole?: AriaRole;
  rowRole?: AriaRole;
  /** Extra class and inline style of the scrolling element (e.g. a fixed height). */
  class?: string;
  style?: Record<string, string>;
}

/**
 * A windowed list: fixed row height, only the visible rows (plus overscan) are in the DOM, so 10,000 rows stay
 * smooth. Keyboard: up/down, page up/down, home/end move the selection; Enter activates.
 */
export function VirtualList({
  count,
  rowHeight,
  renderRow,
  rowProps,
  selected,
  onSelect,
  onActivate,
  scrollTo,
  overscan = 8,
  fallbackHeight = 480,
  followTail = false,
  testId,
  label,
  listRole = 'listbox',
  rowRole = 'option',
  class: cls,
  style,
}: VirtualListProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(fallbackHeight);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : fallbackHeight);
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [fallbackHeight]);

  const setTop = (top: number) => {
    const el = ref.current;
    const vh = el && el.clientHeight > 0 ? el.clientHeight : height;
    const max = Math.max(0, count * rowHeight - vh);
    const t = Math.max(0, Math.min(max, top));
    if (el) el.scrollTop = t;
    setScrollTop(t);
  };

  const reveal = (index: number, center = false) => {
    const top = index * rowHeight;
    const current = ref.current?.scrollTop ?? scrollTop;
    if (center) setTop(top - height / 2 + rowHeight / 2);
    else if (top < current) setTop(top);
    else if (top + rowHeight > current + height) setTop(top + rowHeight - height);
  };

  useEffect(() => {
    if (scrollTo && scrollTo.index >= 0 && scrollTo.index < count) reveal(scrollTo.index, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per request (token), not on every scroll or new row
  }, [scrollTo?.token]);

  // Follow appended rows when the view was at the bottom, like a console.
  useLayoutEffect(() => {
    if (followTail && atBottom.current) setTop(count * rowHeight);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- follows appended rows only: a new count, not a new prop
  }, [count]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (!count) return;
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const cur = selected ?? -1;
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = Math.min(count - 1, cur + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, cur < 0 ? 0 : cur - 1);
    else if (e.key === 'PageDown') next = Math.min(count - 1, cur + page);
    else if (e.key === 'PageUp') next = Math.max(0, cur - page);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = count - 1;
    else if (e.key === 'Enter' && selected !== null) {
      e.preventDefault();
      onActivate?.(selected);
      return;
    }
    if (next === null) return;
    e.preventDefault();
    onSelect(next, 'key');
    reveal(next);
  };

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ComponentChildren[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={i}
        role={rowRole}
        aria-selected={i === selected}
        class={`vrow ${i === selected ? 'selected' : ''}`}
        style={{ top: `${i * rowHeight}px`, height: `${rowHeight}px` }}
        data-index={String(i)}
        onClick={() => onSelect(i, 'click')}
        onDblClick={() => onActivate?.(i)}
        {...(rowProps?.(i) ?? {})}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      class={`vlist ${cls ?? ''}`}
      style={style}
      role={listRole}
      aria-label={label}
      tabIndex={0}
      data-testid={testId}
      data-count={String(count)}
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;
        setScrollTop(el.scrollTop);
      }}
      onKeyDown={onKeyDown}
    >
      <div class="vlist-inner" style={{ height: `${count * rowHeight}px` }}>
        {rows}
      </div>
    </div>
  );
}
