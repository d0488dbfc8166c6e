/** Assembles what the panel receives for a tab. Pure. */
import { hostOf } from '@/utils/display/format';
import { originServesHost } from './origin-cache';
import { AnalysisCache, deriveAnalyses } from './derive-analyses';
import type { OriginCache, OriginConfig, TabState, TabView } from './types';

/** Hosts of every document the tab holds (current frames and history). */
export function hostsOfTab(state: TabState): Set<string> {
  const hosts = new Set<string>();
  for (const d of [...Object.values(state.documents), ...state.history]) {
    const h = hostOf(d.url);
    if (h) hosts.add(h);
  }
  return hosts;
}

/** The origin cache entries that matter to a tab: its documents' own origins and their parent domains. */
function relevantOrigins(state: TabState, cache: OriginCache): OriginConfig[] {
  const hosts = hostsOfTab(state);
  if (hosts.size === 0) return [];
  return Object.values(cache).filter((c) => [...hosts].some((h) => originServesHost(c.origin, h)));
}

/** The tab's view with its documents analysed at `now` (through `analyses`, which keeps unchanged ones). */
export function buildTabView(
  state: TabState,
  cache: OriginCache,
  now: number,
  analyses: AnalysisCache = new AnalysisCache(),
): TabView {
  const origins = relevantOrigins(state, cache);
  return {
    tabId: state.tabId,
    state,
    origins,
    generatedAt: now,
    analyses: deriveAnalyses(state, origins, now, analyses),
  };
}
