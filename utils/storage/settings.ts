/**
 * User settings for in-page capture. Pure: types, defaults, normalisation and the per-site decision.
 * Stored by `settings-item.ts`; the background (un)registers the page hook from them.
 */

export interface Settings {
  /** Record breadcrumbs, live reports and CrashSense data in pages at all. */
  hookEnabled: boolean;
  /** Hostnames where nothing is recorded; an entry covers its subdomains too (`example.com` → `www.example.com`). */
  disabledSites: string[];
  /** Breadcrumbs kept per tab. */
  breadcrumbBuffer: number;
}

export const BREADCRUMB_BUFFER = { min: 50, max: 5000, default: 500 } as const;
/** Sites at most in the list (each becomes a match pattern of the hook's registration). */
const MAX_DISABLED_SITES = 500;

/** The `storage.local` key the settings live under (readers normalise whatever they find there). */
export const SETTINGS_KEY = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  hookEnabled: true,
  disabledSites: [],
  breadcrumbBuffer: BREADCRUMB_BUFFER.default,
};

/** A hostname, an IPv4 address or a bracketed IPv6 address, as `URL` serialises them. */
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])$/;

/**
 * The hostname a person means by `input`: `https://www.Example.com/path` → `www.example.com`,
 * `example.com:8080` → `example.com`, `*.example.com` → `example.com`. Null when it is not one.
 */
export function normaliseSite(input: string): string | null {
  let s = input.trim().toLowerCase().replace(/^\*\./, '');
  if (!s) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(s)) s = `http://${s}`;
  let host: string;
  try {
    host = new URL(s).hostname;
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '');
  return host && HOST.test(host) ? host : null;
}

/** Clamp a buffer size into 50..5000 (default for anything not a number). */
export function clampBuffer(n: unknown): number {
  if (typeof n !== 'number' || !Number.isFinite(n)) return BREADCRUMB_BUFFER.default;
  return Math.min(BREADCRUMB_BUFFER.max, Math.max(BREADCRUMB_BUFFER.min, Math.round(n)));
}

/** Settings from anything stored: wrong or missing fields take their defaults, sites are normalised. */
export function normaliseSettings(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof Settings, unknown>>;
  const sites: string[] = [];
  if (Array.isArray(r.disabledSites)) {
    for (const s of r.disabledSites) {
      const host = typeof s === 'string' ? normaliseSite(s) : null;
      if (host && !sites.includes(host) && sites.length < MAX_DISABLED_SITES) sites.push(host);
    }
  }
  return {
    hookEnabled: typeof r.hookEnabled === 'boolean' ? r.hookEnabled : DEFAULT_SETTINGS.hookEnabled,
    disabledSites: sites,
    breadcrumbBuffer: clampBuffer(r.breadcrumbBuffer),
  };
}

/** The entry of `sites` that covers `hostname` (itself or a parent domain), if any. */
export function matchingSite(sites: readonly string[], hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return sites.find((site) => host === site || host.endsWith(`.${site}`));
}

/**
 * Whether the page hook records in a document at `url`: on globally and the host is not in the list.
 * Documents without a host (`file:`, `data:`) follow the global switch.
 */
export function isHookEnabled(settings: Settings, url: string): boolean {
  if (!settings.hookEnabled) return false;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return true;
  }
  return !host || matchingSite(settings.disabledSites, host) === undefined;
}

/**
 * Match patterns that exclude the listed sites from the hook's registration: `*://example.com/*` and
 * `*://*.example.com/*` for a name (ports are not part of match patterns), the exact address for an IP.
 */
export function excludeMatchesFor(sites: readonly string[]): string[] {
  const out: string[] = [];
  for (const site of sites) {
    out.push(`*://${site}/*`);
    if (!/^[\d.]+$|^\[/.test(site)) out.push(`*://*.${site}/*`);
  }
  return out;
}
