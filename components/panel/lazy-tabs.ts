/**
 * The panel's tabs other than the Overview, loaded on first use (dynamic `import()`): the first paint needs only
 * the panel's shell and the tab it opens on, and the rest is fetched once the first view shows.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TabName } from './labels-and-filter';

const LOADERS = {
  endpoints: () => import('./EndpointsTab'),
  routes: () => import('./RoutesTab'),
  problems: () => import('./ProblemsTab'),
  headers: () => import('./HeadersTab'),
  history: () => import('./HistoryTab'),
  reports: () => import('./ReportsTab'),
  breadcrumbs: () => import('./BreadcrumbsTab'),
  crashes: () => import('./CrashesTab'),
} satisfies Record<Exclude<TabName, 'overview'>, () => Promise<unknown>>;

export type LazyTabName = keyof typeof LOADERS;
export type LazyTabs = { [K in LazyTabName]?: Awaited<ReturnType<(typeof LOADERS)[K]>> };

const loaded: LazyTabs = {};
const loading = new Map<LazyTabName, Promise<unknown>>();

const isLazy = (name: TabName): name is LazyTabName => name in LOADERS;

/** Loads a tab's code (once); the Overview is always there. */
export function loadTab(name: TabName): Promise<void> {
  if (!isLazy(name) || loaded[name]) return Promise.resolve();
  let p = loading.get(name);
  if (!p) {
    p = LOADERS[name]().then(
      (m) => {
        (loaded as Record<LazyTabName, unknown>)[name] = m;
      },
      (e: unknown) => {
        loading.delete(name); // a later visit tries again
        throw e;
      },
    );
    loading.set(name, p);
  }
  return p.then(() => undefined);
}

/** Loads every tab's code. */
export function loadAllTabs(): Promise<void> {
  return Promise.all(Object.keys(LOADERS).map((n) => loadTab(n as LazyTabName))).then(() => undefined);
}

/**
 * The tabs loaded so far, loading `active` when it is not (the caller renders again once it is), and every other
 * tab once `prefetch` turns true. `error` says why `active` could not be loaded.
 */
export function useLazyTabs(active: TabName, prefetch: boolean): { tabs: LazyTabs; error: string | null } {
  const [, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const missing = isLazy(active) && !loaded[active];
  useEffect(() => {
    if (!missing) return;
    let live = true;
    setError(null);
    loadTab(active).then(
      () => live && setVersion((v) => v + 1),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [active, missing]);
  useEffect(() => {
    if (!prefetch) return;
    let live = true;
    loadAllTabs().then(
      () => live && setVersion((v) => v + 1),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [prefetch]);
  return { tabs: loaded, error: missing ? error : null };
}
