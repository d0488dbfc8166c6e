/**
 * Up/down keyboard navigation for a list of focusable rows: rows carry `data-row`; the list element carries
 * `data-list` and gets this as its keydown handler. Rows of nested lists are skipped.
 */
export function onListKeyDown(e: KeyboardEvent): void {
  const list = e.currentTarget as HTMLElement | null;
  if (!list || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
  const target = e.target as HTMLElement | null;
  if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
  const rows = Array.from(list.querySelectorAll<HTMLElement>('[data-row]')).filter(
    (r) => r.closest('[data-list]') === list,
  );
  if (!rows.length) return;
  const current = rows.findIndex((r) => r === target || r.contains(target));
  let next: number;
  if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = rows.length - 1;
  else if (current < 0) next = 0;
  else next = Math.max(0, Math.min(rows.length - 1, current + (e.key === 'ArrowDown' ? 1 : -1)));
  e.preventDefault();
  rows[next]?.focus();
}
