/** The panel's vocabulary: its tab names and labels, how documents and headers are titled, the filter's match, severity order. Pure. */
import type { DocumentRecord } from '@/utils/tab/types';
import type { HeaderDiagnostic } from '@/utils/headers/types';

export type TabName =
  'overview' | 'endpoints' | 'routes' | 'problems' | 'headers' | 'history' | 'reports' | 'breadcrumbs' | 'crashes';

export const TABS: readonly { name: TabName; label: string }[] = [
  { name: 'overview', label: 'Overview' },
  { name: 'endpoints', label: 'Endpoints' },
  { name: 'routes', label: 'Routes' },
  { name: 'problems', label: 'Problems' },
  { name: 'headers', label: 'Headers' },
  { name: 'history', label: 'History' },
  { name: 'reports', label: 'Reports' },
  { name: 'breadcrumbs', label: 'Breadcrumbs' },
  { name: 'crashes', label: 'Crashes' },
];

export function isTabName(s: string | null | undefined): s is TabName {
  return TABS.some((t) => t.name === s);
}

/** `top document` or `iframe https://…`. */
export function docLabel(doc: DocumentRecord): string {
  return doc.frameId === 0 ? 'top document' : `iframe ${doc.url}`;
}

/** Case-insensitive: does any part contain the filter text? An empty filter matches everything. */
export function matchesFilter(filter: string, ...parts: (string | number | null | undefined)[]): boolean {
  const f = filter.trim().toLowerCase();
  if (!f) return true;
  return parts.some((p) => p !== null && p !== undefined && String(p).toLowerCase().includes(f));
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

export function bySeverity(a: HeaderDiagnostic, b: HeaderDiagnostic): number {
  return RANK[a.severity] - RANK[b.severity];
}

/** A header's display name: `reporting-endpoints` → `Reporting-Endpoints`, `nel` → `NEL`. */
export function headerTitle(name: string): string {
  if (name === 'nel') return 'NEL';
  if (name.startsWith('(')) return name;
  return name
    .split('-')
    .map((w) => (w === 'coop' || w === 'coep' ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('-');
}
