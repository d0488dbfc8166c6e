import { useRef } from 'preact/hooks';
import type { TabName } from './derive';
import { TABS } from './derive';

export interface TabBarProps {
  active: TabName;
  onSelect: (tab: TabName) => void;
  /** Small counts after the labels, e.g. problems: 3. */
  badges?: Partial<Record<TabName, { text: string; tone?: 'bad' | 'warn' | 'neutral' }>>;
}

/** The panel's tabs. Left/right arrows (and Home/End) move between them, like DevTools. */
export function TabBar({ active, onSelect, badges = {} }: TabBarProps) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = TABS.findIndex((t) => t.name === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % TABS.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = TABS.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const tab = TABS[next]!;
    onSelect(tab.name);
    // Focus follows the selection (roving tabindex).
    queueMicrotask(() => ref.current?.querySelector<HTMLElement>(`[data-testid="tab-${tab.name}"]`)?.focus());
  };
  return (
    <div class="tabbar" role="tablist" aria-label="Report Inspector views" ref={ref} onKeyDown={onKeyDown}>
      {TABS.map((t) => {
        const badge = badges[t.name];
        return (
          <button
            type="button"
            role="tab"
            key={t.name}
            id={`tab-${t.name}`}
            aria-selected={t.name === active}
            aria-controls={`tabpanel-${t.name}`}
            tabIndex={t.name === active ? 0 : -1}
            class={`tab ${t.name === active ? 'active' : ''}`}
            data-testid={`tab-${t.name}`}
            onClick={() => onSelect(t.name)}
          >
            {t.label}
            {badge && <span class={`tab-badge tone-${badge.tone ?? 'neutral'}`}>{badge.text}</span>}
          </button>
        );
      })}
    </div>
  );
}
