import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TabName } from './labels-and-filter';
import { TABS } from './labels-and-filter';

export interface TabBarProps {
  active: TabName;
  onSelect: (tab: TabName) => void;
  /** Small counts after the labels, e.g. problems: 3. */
  badges?: Partial<Record<TabName, { text: string; tone?: 'bad' | 'warn' | 'neutral' }>>;
}

/**
 * Which tabs fit in `available` pixels, in their order: the active tab always, then the others from the left while
 * they fit; when some do not, room is kept for the » button. Like DevTools' TabbedPane, which moves the tabs that do
 * not fit into a drop-down menu and keeps the selected one shown.
 */
export function fitTabs(widths: readonly number[], available: number, active: number, moreWidth: number): boolean[] {
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= available) return widths.map(() => true);
  const room = available - moreWidth;
  const shown = widths.map(() => false);
  let used = 0;
  if (active >= 0 && active < widths.length) {
    shown[active] = true;
    used = widths[active]!;
  }
  for (let i = 0; i < widths.length; i++) {
    if (shown[i]) continue;
    if (used + widths[i]! > room) break;
    shown[i] = true;
    used += widths[i]!;
  }
  return shown;
}

const MORE_WIDTH = 30;

/** The panel's tabs. Left/right arrows (and Home/End) move between them, like DevTools; those that do not fit are in the » menu. */
export function TabBar({ active, onSelect, badges = {} }: TabBarProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState<boolean[]>(() => TABS.map(() => true));
  const [menuOpen, setMenuOpen] = useState(false);
  const activeIndex = TABS.findIndex((t) => t.name === active);
  const badgeKey = TABS.map((t) => badges[t.name]?.text ?? '').join('|');

  // Measures every tab (overflowed ones stay laid out, invisibly) against the bar's width.
  useLayoutEffect(() => {
    const bar = ref.current;
    if (!bar) return;
    const measure = () => {
      const tabs = [...bar.querySelectorAll<HTMLElement>('[role=tab]')];
      const widths = tabs.map((t) => t.getBoundingClientRect().width);
      const available = bar.clientWidth;
      // Without layout (no width at all) everything counts as fitting.
      const next = available > 0 ? fitTabs(widths, available, activeIndex, MORE_WIDTH) : TABS.map(() => true);
      setShown((prev) => (prev.length === next.length && prev.every((v, i) => v === next[i]) ? prev : next));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(bar);
    return () => ro.disconnect();
  }, [activeIndex, badgeKey]);

  useEffect(() => {
    if (!menuOpen) return;
    const doc = ref.current?.ownerDocument;
    const close = (e: Event) => {
      if (!(e.target instanceof Node) || !ref.current?.querySelector('.tab-menu-wrap')?.contains(e.target))
        setMenuOpen(false);
    };
    doc?.addEventListener('pointerdown', close);
    return () => doc?.removeEventListener('pointerdown', close);
  }, [menuOpen]);

  const focusTab = (name: TabName) =>
    queueMicrotask(() => ref.current?.querySelector<HTMLElement>(`[data-testid="tab-${name}"]`)?.focus());

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('.tab-menu-wrap')) return;
    const i = activeIndex;
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = TABS[next]!;
    onSelect(tab.name);
    // Focus follows the selection (roving tabindex); a tab from the menu is shown once selected.
    focusTab(tab.name);
  };

  const hidden = TABS.filter((_, i) => !shown[i]);

  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('.tab-menu-item') ?? [])];
    const at = items.indexOf(e.target as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      setMenuOpen(false);
      ref.current?.querySelector<HTMLElement>('.tab-more')?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      items[(at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n]?.focus();
    }
  };

  return (
    <div class="tabbar" role="tablist" aria-label="Report Inspector views" ref={ref} onKeyDown={onKeyDown}>
      {TABS.map((t, i) => {
        const badge = badges[t.name];
        const over = !shown[i];
        return (
          <button
            type="button"
            role="tab"
            key={t.name}
            id={`tab-${t.name}`}
            aria-selected={t.name === active}
            aria-controls={`tabpanel-${t.name}`}
            aria-hidden={over ? 'true' : undefined}
            tabIndex={t.name === active && !over ? 0 : -1}
            class={`tab ${t.name === active ? 'active' : ''} ${over ? 'overflowed' : ''}`}
            data-testid={`tab-${t.name}`}
            data-overflowed={over ? 'true' : undefined}
            onClick={() => onSelect(t.name)}
          >
            {t.label}
            {badge && <span class={`tab-badge tone-${badge.tone ?? 'neutral'}`}>{badge.text}</span>}
          </button>
        );
      })}
      {hidden.length > 0 && (
        <span class="tab-menu-wrap" onKeyDown={onMenuKey}>
          <button
            type="button"
            class="tab-more"
            data-testid="tab-more"
            aria-haspopup="menu"
            aria-expanded={menuOpen}
            title={`More tabs: ${hidden.map((t) => t.label).join(', ')}`}
            onClick={() => {
              setMenuOpen(!menuOpen);
              if (!menuOpen) queueMicrotask(() => ref.current?.querySelector<HTMLElement>('.tab-menu-item')?.focus());
            }}
          >
            »
          </button>
          {menuOpen && (
            <div class="tab-menu" role="menu" data-testid="tab-menu">
              {hidden.map((t) => {
                const badge = badges[t.name];
                return (
                  <button
                    type="button"
                    role="menuitem"
                    class="tab-menu-item"
                    key={t.name}
                    data-testid={`tab-menu-${t.name}`}
                    onClick={() => {
                      setMenuOpen(false);
                      onSelect(t.name);
                      focusTab(t.name);
                    }}
                  >
                    {t.label}
                    {badge && <span class={`tab-badge tone-${badge.tone ?? 'neutral'}`}>{badge.text}</span>}
                  </button>
                );
              })}
            </div>
          )}
        </span>
      )}
    </div>
  );
}
