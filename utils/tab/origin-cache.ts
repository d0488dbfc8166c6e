/**
 * The `Report-To` origin cache as Chromium keeps it (net/reporting/reporting_cache_impl.cc), as pure functions
 * over plain data: a header replaces the origin's whole configuration, `max_age: 0` removes a group, groups
 * expire `max_age` seconds after they were received, `include_subdomains` groups serve subdomains.
 */
import type { ApplicableGroup, CachedGroup, OriginCache, OriginConfig } from './types';
import { LIMITS } from './types';
import { parseReportTo, type ReportToResult } from '@/utils/headers/reporting-headers';
import { hostOf, originOfUrl } from '@/utils/display/format';

/** Removed and expired groups stay visible this long, then are pruned. */
export const KEEP_GONE_MS = 60 * 60 * 1000;
const MAX_REMOVED_PER_ORIGIN = 20;

/** `receivedAt + maxAge` in ms. */
export function expiresAt(receivedAt: number, maxAgeSeconds: number): number {
  return receivedAt + maxAgeSeconds * 1000;
}

export interface ApplyResult {
  cache: OriginCache;
  parsed: ReportToResult;
  /** The origin's configuration after the header, or null when the header was ignored. */
  config: OriginConfig | null;
}

/**
 * Applies a `Report-To` header received on `responseUrl` at `now`. Returns a new cache object (the input is not
 * modified). A header Chromium ignores (invalid JSON, too large, not HTTPS) leaves the cache unchanged; an empty
 * or whitespace-only one removes the origin's groups like `[]`.
 */
export function applyReportTo(
  cache: OriginCache,
  value: string,
  responseUrl: string,
  resourceType: string,
  now: number,
  parsed: ReportToResult = parseReportTo(value, responseUrl),
): ApplyResult {
  const origin = originOfUrl(responseUrl);
  // A header Chromium ignores whole (not HTTPS, over 16 KiB, invalid JSON) leaves the cache alone; an empty one
  // reads as `[]` and clears the origin (the parser says which through `ignored`).
  if (!origin || parsed.diagnostics.some((d) => d.ignored === true)) {
    return { cache, parsed, config: null };
  }
  const previous = cache[origin];
  const groups: CachedGroup[] = parsed.groups.map((g) => ({
    ...g,
    receivedAt: now,
    expiresAt: expiresAt(now, g.maxAge),
  }));
  const kept = new Set(groups.map((g) => g.name));
  const removed: OriginConfig['removedGroups'] = [];
  for (const name of parsed.removedGroups)
    if (!kept.has(name)) removed.push({ name, removedAt: now, why: 'max_age 0' });
  for (const g of previous?.groups ?? []) {
    if (!kept.has(g.name) && !removed.some((r) => r.name === g.name) && g.expiresAt > now) {
      removed.push({ name: g.name, removedAt: now, why: 'replaced' });
    }
  }
  const olderRemoved = (previous?.removedGroups ?? []).filter(
    (r) => !kept.has(r.name) && !removed.some((x) => x.name === r.name),
  );
  const config: OriginConfig = {
    origin,
    receivedAt: now,
    sourceUrl: responseUrl,
    resourceType,
    header: value.length > LIMITS.headerValueChars ? value.slice(0, LIMITS.headerValueChars) : value,
    groups,
    removedGroups: [...removed, ...olderRemoved].slice(0, MAX_REMOVED_PER_ORIGIN),
    diagnostics: parsed.diagnostics,
  };
  return { cache: boundCache({ ...cache, [origin]: config }), parsed, config };
}

/**
 * Drops groups that expired more than {@link KEEP_GONE_MS} ago, removal notes as old, origins left with nothing,
 * and the least recently updated origins beyond {@link LIMITS.origins}.
 */
export function pruneCache(cache: OriginCache, now: number): OriginCache {
  const out: OriginCache = {};
  for (const [origin, c] of Object.entries(cache)) {
    const groups = c.groups.filter((g) => g.expiresAt + KEEP_GONE_MS > now);
    const removedGroups = c.removedGroups.filter((r) => r.removedAt + KEEP_GONE_MS > now);
    if (groups.length === 0 && removedGroups.length === 0 && c.receivedAt + KEEP_GONE_MS <= now) continue;
    out[origin] =
      groups.length === c.groups.length && removedGroups.length === c.removedGroups.length
        ? c
        : { ...c, groups, removedGroups };
  }
  return boundCache(out);
}

function boundCache(cache: OriginCache): OriginCache {
  const entries = Object.values(cache);
  if (entries.length <= LIMITS.origins) return cache;
  entries.sort((a, b) => b.receivedAt - a.receivedAt);
  return Object.fromEntries(entries.slice(0, LIMITS.origins).map((c) => [c.origin, c]));
}

/** True when `host` is `parent` or a subdomain of it. */
function hostWithin(host: string, parent: string): boolean {
  return host === parent || host.endsWith(`.${parent}`);
}

/** True when a cache entry for `origin` can serve a document on `host` (same host or a parent domain). */
export function originServesHost(origin: string, host: string): boolean {
  const h = hostOf(origin);
  return h !== null && hostWithin(host, h);
}

/**
 * The `Report-To` groups that serve a document: its own origin's groups first; then, for names not found there,
 * `include_subdomains` groups of the same host on another port and of parent domains, nearest first
 * (ReportingCacheImpl::GetCandidateEndpointsForDelivery walks the host and its superdomains).
 * Expired groups are included and marked, so they can be shown as expired.
 */
export function applicableGroups(
  documentUrl: string,
  origins: OriginConfig[] | OriginCache,
  now: number,
): ApplicableGroup[] {
  const origin = originOfUrl(documentUrl);
  if (!origin) return [];
  const list = Array.isArray(origins) ? origins : Object.values(origins);
  const out: ApplicableGroup[] = [];
  const own = list.find((c) => c.origin === origin);
  for (const g of own?.groups ?? []) out.push({ origin, group: g, viaSubdomains: false, expired: g.expiresAt <= now });

  const host = hostOf(origin);
  if (!host) return out;
  const byDistance = list
    .filter((c) => c.origin !== origin)
    .map((c) => ({ c, host: hostOf(c.origin) }))
    .filter((x): x is { c: OriginConfig; host: string } => x.host !== null && hostWithin(host, x.host))
    .sort((a, b) => b.host.length - a.host.length);
  for (const { c } of byDistance) {
    for (const g of c.groups) {
      if (!g.includeSubdomains) continue;
      if (out.some((x) => x.group.name === g.name && !x.expired)) continue;
      out.push({ origin: c.origin, group: g, viaSubdomains: true, expired: g.expiresAt <= now });
    }
  }
  return out;
}
