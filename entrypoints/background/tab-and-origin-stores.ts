/**
 * The background's two stores: per-tab state in `storage.session` (a head per tab under `tab:<id>` and its events
 * in chunks beside it (tab-layout.ts), gone with the browser session and removed on tab close) and the `Report-To` origin cache in `storage.local` (it outlives the session
 * the way Chromium's does, pruned as groups expire).
 */
import browser from 'webextension-polyfill';
import type { OriginCache, TabState } from '@/utils/tab/types';
import { emptyTabState, LIMITS } from '@/utils/tab/types';
import { PersistedMap, type StorageAreaLike } from './persisted-map';
import { isTabPart, tabLayout } from './tab-layout';

export const ORIGIN_CACHE_KEY = 'originCache';

export function tabKey(tabId: number): string {
  return `tab:${tabId}`;
}

export function tabIdOfKey(key: string): number | null {
  const m = /^tab:(\d+)$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** Accepts a stored tab state only if it has the current shape; anything else starts fresh. */
export function reviveTabState(raw: unknown, key: string): TabState | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const s = raw as Partial<TabState>;
  if (s.v !== 1 || typeof s.documents !== 'object' || !Array.isArray(s.history) || !Array.isArray(s.breadcrumbs))
    return null;
  const fresh = emptyTabState(tabIdOfKey(key) ?? -1, Date.now());
  return { ...fresh, ...s, dropped: { ...fresh.dropped, ...(s.dropped ?? {}) } };
}

export interface Stores {
  tabs: PersistedMap<TabState>;
  origins: PersistedMap<OriginCache>;
}

/** How many breadcrumbs and reports a tab keeps after an eviction for quota. */
const EVICTED_KEEP = { breadcrumbs: Math.floor(LIMITS.breadcrumbs / 5), reports: 50, history: 3 } as const;

/** A tab state trimmed to `keep`, oldest entries first, with what went counted in `dropped`. */
export function trimForQuota(
  s: TabState,
  keep: { breadcrumbs: number; reports: number; history: number } = EVICTED_KEEP,
): TabState {
  if (s.breadcrumbs.length <= keep.breadcrumbs && s.reports.length <= keep.reports && s.history.length <= keep.history)
    return s;
  return {
    ...s,
    breadcrumbs: s.breadcrumbs.slice(Math.max(0, s.breadcrumbs.length - keep.breadcrumbs)),
    reports: s.reports.slice(Math.max(0, s.reports.length - keep.reports)),
    history: s.history.slice(0, keep.history),
    dropped: {
      ...s.dropped,
      breadcrumbs: s.dropped.breadcrumbs + Math.max(0, s.breadcrumbs.length - keep.breadcrumbs),
      reports: s.dropped.reports + Math.max(0, s.reports.length - keep.reports),
      history: s.dropped.history + Math.max(0, s.history.length - keep.history),
    },
  };
}

/**
 * Frees `storage.session` space when a write hits the quota: trims the breadcrumbs, reports and history of the
 * least recently updated half of the other tabs (their newest state, from memory when loaded), never the tab being
 * written; only when no other tab is left does the written tab lose its older half. The store retries the write
 * with the trimmed tabs. It must not wait for the store's writes: it runs inside one.
 */
async function evictForQuota(
  tabs: PersistedMap<TabState>,
  area: StorageAreaLike,
  writingKeys: string[],
): Promise<boolean> {
  // Storage areas answer `get(null)` with everything they hold.
  const stored = await (area.get as (keys: string[] | null) => Promise<Record<string, unknown>>).call(area, null);
  const heads = Object.keys(stored).filter((k) => tabIdOfKey(k) !== null);
  // Chunks no head names (a worker stopped between a write and the removal of what it replaced) go first.
  const named = new Set(heads.flatMap((k) => tabLayout.parts(k, stored[k])));
  const orphans = Object.keys(stored).filter((k) => isTabPart(k) && !named.has(k));
  const freedOrphans =
    orphans.length > 0 &&
    (await area.remove(orphans).then(
      () => true,
      () => false,
    ));
  const keys = new Set(
    [...heads, ...tabs.cachedKeys()].filter((k) => tabIdOfKey(k) !== null && !writingKeys.includes(k)),
  );
  const others: { key: string; s: TabState }[] = [];
  for (const key of keys) {
    const s = await tabs.get(key);
    if (s && trimForQuota(s) !== s) others.push({ key, s });
  }
  others.sort((a, b) => (a.s.updatedAt ?? 0) - (b.s.updatedAt ?? 0));
  for (const { key } of others.slice(0, Math.max(1, Math.ceil(others.length / 2)))) {
    await tabs.update(
      key,
      () => emptyTabState(tabIdOfKey(key) ?? -1, 0),
      (s) => trimForQuota(s),
    );
  }
  if (others.length > 0 || freedOrphans) return true;
  // Only the tabs being written are left: they keep their newest half.
  let freed = false;
  for (const key of writingKeys) {
    await tabs.update(
      key,
      () => emptyTabState(tabIdOfKey(key) ?? -1, 0),
      (s) => {
        const half = (n: number) => Math.floor(n / 2);
        const next = trimForQuota(s, {
          breadcrumbs: half(s.breadcrumbs.length),
          reports: half(s.reports.length),
          history: half(s.history.length),
        });
        if (next !== s) freed = true;
        return next;
      },
    );
  }
  return freed;
}

export function createStores(
  session: StorageAreaLike = browser.storage.session,
  local: StorageAreaLike = browser.storage.local,
  /** Tests and benches: the tab store's coalescing intervals (PersistedMap's defaults otherwise; a given
   * `minIntervalMs` alone applies to busy keys too). */
  opts: {
    minIntervalMs?: number;
    busyIntervalMs?: number;
    /** Called first by every read or change of a tab's state (`tab:<id>`, its id) or of the origin cache ('all'):
     * documents kept for later are placed then (deferred-capture.ts). */
    beforeAccess?: (tabId: number | 'all') => Promise<void> | undefined;
  } = {},
): Stores {
  const before = opts.beforeAccess;
  const tabs: PersistedMap<TabState> = new PersistedMap<TabState>({
    area: session,
    ...(before
      ? {
          beforeAccess: (key: string) => {
            const id = tabIdOfKey(key);
            return id === null ? undefined : before(id);
          },
        }
      : {}),
    layout: tabLayout,
    revive: reviveTabState,
    ...(opts.minIntervalMs !== undefined
      ? { minIntervalMs: opts.minIntervalMs, busyIntervalMs: opts.busyIntervalMs ?? opts.minIntervalMs }
      : {}),
    // Only the quota is worth trimming for; any other failure leaves the entries to the next write.
    onWriteError: async (e, keys) => /quota/i.test(String(e)) && evictForQuota(tabs, session, keys),
  });
  const origins = new PersistedMap<OriginCache>({
    area: local,
    ...(before ? { beforeAccess: () => before('all') } : {}),
    revive: (raw) => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as OriginCache) : null),
    minIntervalMs: 250,
  });
  return { tabs, origins };
}
