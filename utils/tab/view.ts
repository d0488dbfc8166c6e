/** Assembles what the panel receives for a tab. Pure. */
import type { OriginCache, OriginConfig, TabState, TabView } from './types';

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u.hostname;
  } catch {
    return null;
  }
}

/** Hosts of every document the tab holds (current frames and history). */
export function hostsOfTab(state: TabState): Set<string> {
  const hosts = new Set<string>();
  for (const d of [...Object.values(state.documents), ...state.history]) {
    const h = hostOf(d.url);
    if (h) hosts.add(h);
  }
  return hosts;
}

/** True when a cache entry for `origin` can serve a document on `host` (same host or a parent domain). */
export function originServesHost(origin: string, host: string): boolean {
  const h = hostOf(origin);
  return h !== null && (h === host || host.endsWith(`.${h}`));
}

/** The origin cache entries that matter to a tab: its documents' own origins and their parent domains. */
function relevantOrigins(state: TabState, cache: OriginCache): OriginConfig[] {
  const hosts = hostsOfTab(state);
  if (hosts.size === 0) return [];
  return Object.values(cache).filter((c) => [...hosts].some((h) => originServesHost(c.origin, h)));
}

export function buildTabView(state: TabState, cache: OriginCache, now: number): TabView {
  return { tabId: state.tabId, state, origins: relevantOrigins(state, cache), generatedAt: now };
}
