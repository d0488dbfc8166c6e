/**
 * Deep capture's pure part: turning the DevTools protocol's Reporting API events into the tab's
 * `DeepCaptureState`, and comparing the endpoints the browser registered with the ones the extension parsed.
 *
 * Events (https://chromedevtools.github.io/devtools-protocol/tot/Network/):
 * `Network.reportingApiReportAdded` / `reportingApiReportUpdated` carry a `ReportingApiReport`
 * `{ id, initiatorUrl, destination, type, timestamp (s), depth, completedAttempts, body, status }`;
 * `Network.reportingApiEndpointsChangedForOrigin` carries `{ origin, endpoints: [{ url, groupName }] }`.
 * Crash reports never appear in these events (Chromium queues them outside the renderer's network context).
 */
import type { BrowserReport, DeepCaptureState } from './types';
import { LIMITS } from '@/utils/tab/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';
import { cut, isObj } from '@/utils/page/untrusted';

/** Bounds on what deep capture keeps. */
const DEEP_LIMITS = {
  origins: 50,
  /** Chromium keeps at most 40 endpoints per origin (net/reporting/reporting_policy.cc `max_endpoints_per_origin`). */
  endpointsPerOrigin: 40,
  bodyChars: 4 * 1024,
  urlChars: 2048,
} as const;

export function emptyDeepState(now: number): DeepCaptureState {
  return { attached: false, since: now, reports: [], endpoints: {} };
}

/** A `Network.ReportingApiReport` as kept, or null when the value does not have its shape. */
export function browserReportOf(raw: unknown, now: number): BrowserReport | null {
  if (!isObj(raw) || typeof raw.id !== 'string' || raw.id === '' || typeof raw.type !== 'string') return null;
  let body: Record<string, unknown> = isObj(raw.body) ? raw.body : {};
  const json = JSON.stringify(body);
  if (json.length > DEEP_LIMITS.bodyChars) body = { truncated: true, preview: json.slice(0, DEEP_LIMITS.bodyChars) };
  const seconds = typeof raw.timestamp === 'number' && Number.isFinite(raw.timestamp) ? raw.timestamp : now / 1000;
  return {
    id: cut(raw.id, 200),
    type: cut(raw.type, 200),
    initiatorUrl: cut(raw.initiatorUrl, DEEP_LIMITS.urlChars),
    destination: cut(raw.destination, 200),
    status: cut(raw.status, 40) || 'Queued',
    completedAttempts:
      typeof raw.completedAttempts === 'number' && raw.completedAttempts >= 0 ? Math.floor(raw.completedAttempts) : 0,
    timestamp: Math.round(seconds * 1000),
    body,
    updatedAt: now,
  };
}

/** Adds or updates (by id) a report in the browser's queue as shown; the oldest go first past the bound. */
function upsertBrowserReport(deep: DeepCaptureState, report: BrowserReport): DeepCaptureState {
  const i = deep.reports.findIndex((r) => r.id === report.id);
  let reports: BrowserReport[];
  if (i >= 0) {
    reports = deep.reports.slice();
    reports[i] = report;
  } else {
    reports = [...deep.reports, report];
    if (reports.length > LIMITS.browserReports) reports = reports.slice(reports.length - LIMITS.browserReports);
  }
  return { ...deep, reports };
}

/** Replaces the endpoints the browser has for an origin (`reportingApiEndpointsChangedForOrigin`). */
function setBrowserEndpoints(deep: DeepCaptureState, raw: unknown): DeepCaptureState {
  if (!isObj(raw) || typeof raw.origin !== 'string' || !Array.isArray(raw.endpoints)) return deep;
  const origin = cut(raw.origin, DEEP_LIMITS.urlChars);
  const endpoints = raw.endpoints
    .filter(isObj)
    .slice(0, DEEP_LIMITS.endpointsPerOrigin)
    .map((e) => ({ url: cut(e.url, DEEP_LIMITS.urlChars), groupName: cut(e.groupName, 200) }))
    .filter((e) => e.url !== '');
  const next = { ...deep.endpoints };
  delete next[origin];
  if (endpoints.length > 0) next[origin] = endpoints;
  const keys = Object.keys(next);
  // Bounded: the origins seen longest ago go first (insertion order).
  for (const k of keys.slice(0, Math.max(0, keys.length - DEEP_LIMITS.origins))) delete next[k];
  return { ...deep, endpoints: next };
}

/** Applies one debugger event to a tab's deep state; returns the same object when the event is not about reporting. */
export function applyDebuggerEvent(
  deep: DeepCaptureState,
  method: string,
  params: unknown,
  now: number,
): DeepCaptureState {
  switch (method) {
    case 'Network.reportingApiReportAdded':
    case 'Network.reportingApiReportUpdated': {
      const report = isObj(params) ? browserReportOf(params.report, now) : null;
      return report ? upsertBrowserReport(deep, report) : deep;
    }
    case 'Network.reportingApiEndpointsChangedForOrigin':
      return setBrowserEndpoints(deep, params);
    default:
      return deep;
  }
}

/** One endpoint in the side-by-side comparison. */
export interface EndpointComparisonRow {
  origin: string;
  name: string;
  url: string;
  /** `same`: both have it; `browser-only`: registered by the browser, not parsed; `parsed-only`: parsed, not registered. */
  status: 'same' | 'browser-only' | 'parsed-only';
  /** Which header the extension parsed it from. */
  parsedFrom?: 'Reporting-Endpoints' | 'Report-To';
  /**
   * The browser and the parse name this endpoint with different URLs. The browser lists endpoints per origin, so
   * another document of the origin (open, or closed moments ago) may have defined the name differently.
   */
  urlDiffers?: boolean;
}

/**
 * The browser's endpoints (per origin) beside what the extension parsed for the tab's documents: Reporting-Endpoints
 * of each document, and the live Report-To groups that apply. Only origins the browser told about are compared
 * (it reports an origin when its endpoints change).
 */
export function compareEndpoints(
  browserEndpoints: DeepCaptureState['endpoints'],
  analyses: readonly Pick<DocumentAnalysis, 'document' | 'endpoints' | 'groups'>[],
): EndpointComparisonRow[] {
  const parsed = new Map<
    string,
    { origin: string; name: string; url: string; from: EndpointComparisonRow['parsedFrom'] }
  >();
  const key = (origin: string, name: string, url: string) => `${origin}\n${name}\n${url}`;
  for (const a of analyses) {
    let origin: string;
    try {
      origin = new URL(a.document.url).origin;
    } catch {
      continue;
    }
    for (const e of a.endpoints)
      parsed.set(key(origin, e.name, e.url), { origin, name: e.name, url: e.url, from: 'Reporting-Endpoints' });
    for (const g of a.groups) {
      if (g.expired) continue;
      for (const e of g.group.endpoints) {
        const k = key(g.origin, g.group.name, e.url);
        if (!parsed.has(k)) parsed.set(k, { origin: g.origin, name: g.group.name, url: e.url, from: 'Report-To' });
      }
    }
  }
  const rows: EndpointComparisonRow[] = [];
  const seen = new Set<string>();
  for (const [origin, list] of Object.entries(browserEndpoints)) {
    for (const e of list) {
      const k = key(origin, e.groupName, e.url);
      if (seen.has(k)) continue;
      seen.add(k);
      const p = parsed.get(k);
      rows.push(
        p
          ? { origin, name: e.groupName, url: e.url, status: 'same', parsedFrom: p.from! }
          : { origin, name: e.groupName, url: e.url, status: 'browser-only' },
      );
    }
  }
  for (const [k, p] of parsed) {
    if (seen.has(k) || !(p.origin in browserEndpoints)) continue;
    rows.push({ origin: p.origin, name: p.name, url: p.url, status: 'parsed-only', parsedFrom: p.from! });
  }
  const named = (r: EndpointComparisonRow, status: EndpointComparisonRow['status']) =>
    rows.some((o) => o.status === status && o.origin === r.origin && o.name === r.name);
  for (const r of rows) {
    if (
      (r.status === 'browser-only' && named(r, 'parsed-only')) ||
      (r.status === 'parsed-only' && named(r, 'browser-only'))
    )
      r.urlDiffers = true;
  }
  return rows;
}

/** The reason a deep-capture session ended, in words. */
export function detachReasonText(reason: string): string {
  switch (reason) {
    case 'canceled_by_user':
      return 'stopped: the debugging bar was cancelled';
    case 'target_closed':
      return 'stopped: the tab was closed or its page went away';
    case 'panel_closed':
      return 'stopped: the panel was closed';
    case 'turned_off':
      return 'stopped';
    default:
      return `stopped: ${reason.slice(0, 200)}`;
  }
}
