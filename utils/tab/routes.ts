/**
 * Joins a document's headers with the origin cache: which report type goes to which endpoint, and why not.
 * Pure: the time and the cache are passed in.
 *
 * Resolution follows Chromium: a name is looked up in the document's `Reporting-Endpoints` first, then in the
 * origin's `Report-To` groups (ReportingCacheImpl::GetCandidateEndpointsForDelivery); NEL reaches only
 * `Report-To` groups; crash reports go to `crash-reporting`, else `default`, else the `Report-To` group `default`.
 */
import type { ApplicableGroup, DocumentRecord, OriginCache, OriginConfig, Route } from './types';
import type { HeaderDiagnostic, NamedEndpoint, ReportType, RouteReference } from '@/utils/headers/types';
import { applicableGroups as groupsFor, primaryEndpoint } from './origin-cache';
import { formatDuration } from '@/utils/display/format';


export interface DocumentAnalysis {
  document: DocumentRecord;
  /** HTTPS page: Chromium registers endpoints and delivers reports only for these. */
  secure: boolean;
  endpoints: NamedEndpoint[];
  /** `Report-To` groups that apply to the document's origin (own and parent domains), expired ones included. */
  groups: ApplicableGroup[];
  /** One route per configured (report type, header, name), plus deprecation, intervention and crash. */
  routes: Route[];
  /** Where a crash report of this document goes. */
  crash: Route;
  /** The document's header diagnostics plus problems found when joining them. */
  diagnostics: HeaderDiagnostic[];
}

/** Human names of report types, for the panel and the popup. */
export const REPORT_TYPE_LABELS: Record<ReportType, string> = {
  'csp-violation': 'CSP violation',
  'network-error': 'Network error (NEL)',
  coop: 'COOP',
  coep: 'COEP',
  'permissions-policy-violation': 'Permissions-Policy violation',
  'document-policy-violation': 'Document-Policy violation',
  'integrity-violation': 'Integrity-Policy violation',
  deprecation: 'Deprecation',
  intervention: 'Intervention',
  crash: 'Crash',
};

type Resolution =
  | { ok: true; url: string; via: 'reporting-endpoints' | 'report-to' }
  | { ok: false; reason: string; code: string };

function isSecure(url: string): boolean {
  return url.startsWith('https:');
}

/** Resolves a name for a document: `Reporting-Endpoints` first (unless groups only), then live `Report-To` groups. */
function resolveName(
  name: string,
  namespace: RouteReference['namespace'],
  doc: DocumentRecord,
  groups: ApplicableGroup[],
  now: number,
): Resolution {
  if (namespace !== 'groups-only') {
    const e = doc.endpoints.find((x) => x.name === name);
    if (e) return { ok: true, url: e.url, via: 'reporting-endpoints' };
  }
  const live = groups.find((g) => g.group.name === name && !g.expired);
  if (live) {
    const url = primaryEndpoint(live.group);
    if (url) return { ok: true, url, via: 'report-to' };
  }
  const expired = groups.find((g) => g.group.name === name && g.expired);
  if (expired) {
    return {
      ok: false,
      code: 'route-group-expired',
      reason: `Report-To group "${name}" expired ${formatDuration(now - expired.group.expiresAt)} ago (max_age ${expired.group.maxAge} s); send the header again or move to Reporting-Endpoints`,
    };
  }
  if (namespace === 'groups-only' && doc.endpoints.some((x) => x.name === name)) {
    return {
      ok: false,
      code: 'route-nel-needs-report-to',
      reason: `NEL's report_to names only Report-To groups, and "${name}" exists only in Reporting-Endpoints; add a Report-To group named "${name}"`,
    };
  }
  const lower = name.toLowerCase();
  if (lower !== name && doc.endpoints.some((x) => x.name === lower)) {
    return {
      ok: false,
      code: 'route-uppercase-name',
      reason: `no endpoint named "${name}": names are case-sensitive and Reporting-Endpoints names are lower-case; write "${lower}"`,
    };
  }
  if (droppedEndpointNames(doc).has(name)) {
    return { ok: false, code: 'route-endpoint-dropped', reason: `endpoint "${name}" was dropped (see Problems: it is not a valid HTTPS URL)` };
  }
  const where = namespace === 'groups-only' ? 'Report-To' : 'Reporting-Endpoints or Report-To';
  return { ok: false, code: 'route-unresolved', reason: `no endpoint named "${name}" in ${where}; define it, e.g. Reporting-Endpoints: ${lower.replace(/[^a-z0-9_.*-]/g, '-') || 'name'}="https://…"` };
}

/** Names whose Reporting-Endpoints entry Chromium dropped (not HTTPS, invalid URL). */
function droppedEndpointNames(doc: DocumentRecord): Set<string> {
  const out = new Set<string>();
  for (const d of doc.diagnostics) {
    if (d.code === 'reporting-endpoints-insecure-endpoint' || d.code === 'reporting-endpoints-url-invalid' || d.code === 'reporting-endpoints-url-empty') {
      const m = /^endpoint `([^`]+)`/.exec(d.message);
      if (m) out.add(m[1]!);
    }
  }
  return out;
}

function route(base: Omit<Route, 'url' | 'via' | 'willDeliver' | 'reason'>, r: Resolution): Route {
  return r.ok ? { ...base, url: r.url, via: r.via, willDeliver: true } : { ...base, url: null, via: null, willDeliver: false, reason: r.reason };
}

/** Where a crash report of this document goes (crash-reporting, else default, else Report-To group default). */
export function crashRoute(doc: DocumentRecord, groups: ApplicableGroup[], now: number): Route {
  const base = { reportType: 'crash' as const, header: '(implicit)', detail: 'crash-reporting, else default', reportOnly: false };
  if (!isSecure(doc.url)) {
    return { ...base, endpointName: null, url: null, via: null, willDeliver: false, reason: 'the page is not HTTPS: Chromium sends no Reporting API reports for it' };
  }
  for (const name of ['crash-reporting', 'default']) {
    const e = doc.endpoints.find((x) => x.name === name);
    if (e) return { ...base, endpointName: name, url: e.url, via: 'reporting-endpoints', willDeliver: true };
  }
  const r = resolveName('default', 'groups-only', doc, groups, now);
  if (r.ok) return { ...base, endpointName: 'default', url: r.url, via: 'report-to', willDeliver: true };
  const reason =
    r.code === 'route-group-expired'
      ? r.reason
      : 'no "crash-reporting" or "default" endpoint: add Reporting-Endpoints: default="https://…" (or crash-reporting="https://…")';
  return { ...base, endpointName: null, url: null, via: null, willDeliver: false, reason };
}

/** Analyses one document against the origin cache at `now`. */
export function analyseDocument(doc: DocumentRecord, origins: OriginConfig[] | OriginCache, now: number): DocumentAnalysis {
  const secure = isSecure(doc.url);
  const groups = secure ? groupsFor(doc.url, origins, now) : [];
  const routes: Route[] = [];
  const diagnostics: HeaderDiagnostic[] = [...doc.diagnostics];

  for (const ref of doc.references) {
    const base = {
      reportType: ref.reportType,
      endpointName: ref.endpointName,
      header: ref.header,
      detail: ref.detail,
      reportOnly: ref.reportOnly,
    };
    const r: Resolution = secure
      ? resolveName(ref.endpointName, ref.namespace, doc, groups, now)
      : { ok: false, code: 'route-insecure-page', reason: 'the page is not HTTPS: Chromium sends no Reporting API reports for it' };
    const rt = route(base, r);
    routes.push(rt);
    if (!r.ok && r.code !== 'route-insecure-page') {
      diagnostics.push({
        severity: 'error',
        code: r.code,
        header: ref.header,
        message: `${REPORT_TYPE_LABELS[ref.reportType]} reports (${ref.detail}) go nowhere: ${r.reason}.`,
        excerpt: ref.endpointName,
      });
    }
  }
  for (const uri of doc.reportUris) {
    if (doc.references.some((r) => r.reportType === 'csp-violation' && r.header.startsWith('content-security-policy'))) continue;
    routes.push({
      reportType: 'csp-violation', endpointName: null, url: uri, via: 'report-uri', header: 'content-security-policy',
      detail: 'report-uri (legacy)', reportOnly: false, willDeliver: true,
    });
  }

  for (const type of ['deprecation', 'intervention'] as const) {
    const base = { reportType: type, endpointName: 'default', header: '(implicit)', detail: 'always sent to "default"', reportOnly: false };
    routes.push(
      route(base, secure ? resolveName('default', 'endpoints-or-groups', doc, groups, now) : { ok: false, code: 'route-insecure-page', reason: 'the page is not HTTPS' }),
    );
  }
  const crash = crashRoute(doc, groups, now);
  routes.push(crash);
  if (secure && !crash.willDeliver && (doc.endpoints.length > 0 || groups.length > 0)) {
    diagnostics.push({
      severity: 'warning',
      code: 'crash-no-endpoint',
      header: 'reporting-endpoints',
      message: `Crash reports of this page will not be sent: ${crash.reason}.`,
    });
  }

  // Report-To diagnostics that came from another response of the origin (e.g. a subresource).
  const own = (Array.isArray(origins) ? origins : Object.values(origins)).find((c) => secure && c.origin === safeOrigin(doc.url));
  if (own && own.sourceUrl !== doc.url) {
    for (const d of own.diagnostics) diagnostics.push({ ...d, header: 'report-to', message: `${d.message} (from ${own.sourceUrl})` });
  }
  return { document: doc, secure, endpoints: doc.endpoints, groups, routes, crash, diagnostics };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Diagnostic codes added when joining headers (beyond the parsers' own). */
export const ROUTE_DIAGNOSTIC_CODES = {
  'route-unresolved': 'A header names an endpoint that neither Reporting-Endpoints nor Report-To defines.',
  'route-uppercase-name': 'A header names an endpoint in upper case; Reporting-Endpoints names are lower-case.',
  'route-nel-needs-report-to': 'NEL names a group that exists only in Reporting-Endpoints; NEL reaches only Report-To groups.',
  'route-group-expired': 'The named Report-To group has expired (max_age passed).',
  'route-endpoint-dropped': 'The named endpoint was dropped because its URL is not valid HTTPS.',
  'crash-no-endpoint': 'Crash reports will not be sent: no crash-reporting or default endpoint.',
} as const;
