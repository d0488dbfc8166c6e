import type { Breadcrumb, BreadcrumbEntry } from '@/utils/page/types';
import { formatClockMs, formatRelative } from '@/utils/display/format';
import { CappedText } from '@/components/common/text';

const SHORT: Record<Breadcrumb['type'], string> = {
  click: 'click',
  navigation: 'nav',
  network: 'net',
  console: 'log',
  state: 'state',
  custom: 'custom',
};

/** A breadcrumb's type as a small coloured tag; console entries take their level's colour. */
export function BreadcrumbIcon({ type, level }: { type: Breadcrumb['type']; level?: BreadcrumbEntry['level'] }) {
  const label = type === 'console' && level ? level : (SHORT[type] ?? 'custom');
  return (
    <span class={`bc-icon bc-${type} ${level ? `lvl-${level}` : ''}`} title={type} data-type={type}>
      {label}
    </span>
  );
}

export interface BreadcrumbListProps {
  crumbs: readonly (Breadcrumb | BreadcrumbEntry)[];
  /** Relative times are given before this instant (e.g. the crash). */
  anchor?: { at: number; name: string };
}

/** A short, non-virtualised list of breadcrumbs (a crash's last ones, an app report's). */
export function BreadcrumbList({ crumbs, anchor }: BreadcrumbListProps) {
  if (!crumbs.length) return <div class="muted">No breadcrumbs.</div>;
  return (
    <div class="bc-list" data-testid="breadcrumb-mini-list">
      {crumbs.map((b, i) => (
        <div class="bc-mini" key={i}>
          <BreadcrumbIcon type={b.type} level={'level' in b ? b.level : undefined} />
          <span class="mono muted time">
            {anchor ? formatRelative(b.timestamp, anchor.at, anchor.name) : formatClockMs(b.timestamp)}
          </span>
          <CappedText text={b.message} max={300} />
        </div>
      ))}
    </div>
  );
}
