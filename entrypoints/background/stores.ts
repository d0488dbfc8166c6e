/**
 * The background's two stores: per-tab state in `storage.session` (one key per tab, gone with the browser
 * session and removed on tab close) and the `Report-To` origin cache in `storage.local` (it outlives the session
 * the way Chromium's does, pruned as groups expire).
 */
import browser from 'webextension-polyfill';
import type { OriginCache, TabState } from '@/utils/model';
import { emptyTabState, LIMITS } from '@/utils/model';
import { KeyedStore, type StorageAreaLike } from './keyed-store';

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
  if (s.v !== 1 || typeof s.documents !== 'object' || !Array.isArray(s.history) || !Array.isArray(s.breadcrumbs)) return null;
  const fresh = emptyTabState(tabIdOfKey(key) ?? -1, Date.now());
  return { ...fresh, ...s, dropped: { ...fresh.dropped, ...(s.dropped ?? {}) } } as TabState;
}

export interface Stores {
  tabs: KeyedStore<TabState>;
  origins: KeyedStore<OriginCache>;
}

/**
 * Frees `storage.session` space when a write hits the quota: trims the breadcrumbs, reports and history of the
 * least recently updated other tabs, never the tab being written.
 */
async function evictForQuota(tabs: KeyedStore<TabState>, writingKeys: string[]): Promise<boolean> {
  const all = await browser.storage.session.get(null);
  const others = Object.entries(all)
    .filter(([k]) => k.startsWith('tab:') && !writingKeys.includes(k))
    .map(([k, v]) => [k, v as TabState] as const)
    .sort((a, b) => (a[1].updatedAt ?? 0) - (b[1].updatedAt ?? 0));
  let freed = false;
  for (const [key, s] of others.slice(0, Math.max(1, Math.ceil(others.length / 2)))) {
    const trimmed: TabState = {
      ...s,
      breadcrumbs: s.breadcrumbs.slice(-Math.floor(LIMITS.breadcrumbs / 5)),
      reports: s.reports.slice(-50),
      history: s.history.slice(0, 3),
      dropped: {
        ...s.dropped,
        breadcrumbs: s.dropped.breadcrumbs + Math.max(0, s.breadcrumbs.length - Math.floor(LIMITS.breadcrumbs / 5)),
        reports: s.dropped.reports + Math.max(0, s.reports.length - 50),
        history: s.dropped.history + Math.max(0, s.history.length - 3),
      },
    };
    await tabs.replace(key, trimmed);
    freed = true;
  }
  if (!freed) {
    // Only the tabs being written are left: trim them to their newest half.
    for (const key of writingKeys) {
      const s = await tabs.get(key);
      if (!s) continue;
      const keep = Math.floor(s.breadcrumbs.length / 2);
      await tabs.replace(key, { ...s, breadcrumbs: s.breadcrumbs.slice(-keep), dropped: { ...s.dropped, breadcrumbs: s.dropped.breadcrumbs + s.breadcrumbs.length - keep } });
      freed = true;
    }
  }
  await tabs.flush();
  return freed;
}

export function createStores(
  session: StorageAreaLike = browser.storage.session as unknown as StorageAreaLike,
  local: StorageAreaLike = browser.storage.local as unknown as StorageAreaLike,
): Stores {
  const tabs: KeyedStore<TabState> = new KeyedStore<TabState>({
    area: session,
    revive: reviveTabState,
    onWriteError: (_e, keys) => evictForQuota(tabs, keys),
  });
  const origins = new KeyedStore<OriginCache>({
    area: local,
    revive: (raw) => (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as OriginCache) : null),
    minIntervalMs: 250,
  });
  return { tabs, origins };
}
