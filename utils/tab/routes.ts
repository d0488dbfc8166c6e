/**
 * Joins a document's headers with the origin cache: which report type goes to which endpoint, and why not.
 * Pure: the time and the cache are passed in. `routesOfDocument` is the one place routes are derived: the panel,
 * the popup and the badge read it through {@link analyseDocument}, and `predictDelivery` (predict-delivery.ts)
 * through the same function, so the two cannot disagree.
 *
 * Resolution follows Chromium: a name is looked up in the document's `Reporting-Endpoints` first, then in the
 * origin's `Report-To` groups (net/reporting/reporting_cache_impl.cc GetCandidateEndpointsForDelivery); NEL
 * reaches only `Report-To` groups; crash reports go to `crash-reporting`, else `default`, else the `Report-To`
 * group `default`.
 */
import { parseDictionary } from 'structured-headers';
import type { ApplicableGroup, DocumentRecord, OriginCache, OriginConfig, Route, RouteCode } from './types';
import type {
  CapturedHeader,
  HeaderDiagnostic,
  NamedEndpoint,
  ReportToEndpoint,
  RouteReference,
} from '@/utils/headers/types';
import { applicableGroups as groupsFor, applyReportTo } from './origin-cache';
import { originOfUrl } from '@/utils/display/format';
import { parseReportToCached } from './documents';
import { hasNoRegistrableDomain } from '@/utils/headers/registrable-domain';
import { isJsonNumber, isJsonObject, parseStrictJson } from '@/utils/headers/strict-json';
import { formatDuration } from '@/utils/display/format';
import { REPORT_TYPE_LABELS } from './report-types';

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
  /** The document sent the header and Chromium ignored all of it (it configures nothing, changes nothing). */
  rejected?: { reportTo: boolean; reportingEndpoints: boolean };
}

/** Chromium's defaults for a `Reporting-Endpoints` endpoint (net/reporting/reporting_endpoint.h EndpointInfo). */
const DOCUMENT_ENDPOINT_PRIORITY = 1;
const DOCUMENT_ENDPOINT_WEIGHT = 1;
const INSECURE_REASON =
  'the page is not HTTPS: Chromium sends no Reporting API reports for it (http://localhost included)';
const MAX_FEATURES_SHOWN = 12;

type Resolution =
  | {
      ok: true;
      url: string;
      via: 'reporting-endpoints' | 'report-to';
      endpoints: ReportToEndpoint[];
      group?: Route['group'];
    }
  | { ok: false; reason: string; code: RouteCode };

/** What the resolver needs besides the name: the document, the groups that serve it and what was dropped. */
interface Context {
  doc: DocumentRecord;
  secure: boolean;
  groups: ApplicableGroup[];
  /** The origin's own `Report-To` configuration (removed groups, the header that set it). */
  own: OriginConfig | undefined;
  now: number;
  /** `Reporting-Endpoints` names Chromium dropped, with why. */
  droppedEndpoints: Map<string, string>;
  /** `Report-To` groups written in the origin's header that Chromium did not keep, with why. */
  droppedGroups: Map<string, { code: RouteCode; reason: string }>;
  /** `Reporting-Endpoints` names seen on non-document responses (which Chromium ignores), with the response URL. */
  offDocument: ReadonlyMap<string, string>;
}

function isSecure(url: string): boolean {
  return url.startsWith('https:');
}

/** The order Chromium tries a group's endpoints in: lowest priority value first, then highest weight. */
export function deliveryOrder(endpoints: readonly ReportToEndpoint[]): ReportToEndpoint[] {
  return [...endpoints].sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}

/** Parser messages that concern `name`, by the structured `endpointName` when a parser sets it, else the excerpt. */
function messageAbout(
  diagnostics: readonly { message: string; excerpt?: string; endpointName?: string }[],
  name: string,
): string | null {
  const d = diagnostics.find((x) => x.endpointName === name) ?? diagnostics.find((x) => x.excerpt === name);
  return d ? d.message.replace(/\.$/, '') : null;
}

/** `Reporting-Endpoints` names written in the header that Chromium did not keep (invalid or non-HTTPS URL). */
function droppedEndpointNames(doc: DocumentRecord, secure: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const header = doc.headers.find((h) => h.name === 'reporting-endpoints');
  if (!header || !secure) return out;
  let keys: string[];
  try {
    keys = [...parseDictionary(header.value).keys()];
  } catch {
    return out; // rejected whole: DocumentAnalysis.rejected says so
  }
  const own = doc.diagnostics.filter((d) => d.header === 'reporting-endpoints');
  for (const k of keys) {
    if (doc.endpoints.some((e) => e.name === k)) continue;
    out.set(k, messageAbout(own, k) ?? 'its URL is not a valid https:// URL');
  }
  return out;
}

/**
 * Groups the origin's last accepted `Report-To` header names that Chromium did not keep (no valid endpoint,
 * invalid `max_age`, `include_subdomains` on a host without a registrable domain). Read from the header as
 * written (strict JSON, the way Chromium reads it) against the groups the cache holds.
 */
function droppedGroupNames(own: OriginConfig | undefined): Map<string, { code: RouteCode; reason: string }> {
  const out = new Map<string, { code: RouteCode; reason: string }>();
  if (!own) return out;
  const parsed = parseStrictJson(`[${own.header}]`, 5);
  if (!parsed.ok || !Array.isArray(parsed.value)) return out;
  let host = '';
  try {
    host = new URL(own.origin).hostname;
  } catch {
    /* opaque origins have no groups */
  }
  for (const g of parsed.value) {
    if (!isJsonObject(g)) continue;
    const rawName = g.members.get('group');
    const name = rawName === undefined ? 'default' : typeof rawName === 'string' ? rawName : null;
    if (name === null || own.groups.some((x) => x.name === name) || out.has(name)) continue;
    const maxAge = g.members.get('max_age');
    if (isJsonNumber(maxAge) && maxAge.value === 0) continue; // removed on purpose: removedGroups says so
    // reporting_header_parser.cc: include_subdomains on a host whose registrable domain is empty (localhost, a
    // public suffix) rejects the group (verified in Chromium 156 on localhost; see DESIGN.md).
    if (g.members.get('include_subdomains') === true && host && hasNoRegistrableDomain(host)) {
      out.set(name, {
        code: 'route-include-subdomains-refused',
        reason: `Report-To group "${name}" was rejected: "include_subdomains": true on ${host}, which has no registrable domain; remove include_subdomains or use a host with a registrable domain`,
      });
      continue;
    }
    const why = messageAbout(own.diagnostics, name);
    out.set(name, {
      code: 'route-group-rejected',
      reason: `Report-To group "${name}" was rejected${why ? `: ${why}` : ' (see Problems)'}`,
    });
  }
  return out;
}

/** Resolves a name for a document: `Reporting-Endpoints` first (unless groups only), then live `Report-To` groups. */
function resolveName(name: string, namespace: RouteReference['namespace'], ctx: Context): Resolution {
  const { doc, groups, now } = ctx;
  if (!ctx.secure) return { ok: false, code: 'route-insecure-page', reason: INSECURE_REASON };
  if (namespace !== 'groups-only') {
    const e = doc.endpoints.find((x) => x.name === name);
    if (e) {
      return {
        ok: true,
        url: e.url,
        via: 'reporting-endpoints',
        endpoints: [{ url: e.url, priority: DOCUMENT_ENDPOINT_PRIORITY, weight: DOCUMENT_ENDPOINT_WEIGHT }],
      };
    }
  }
  const live = groups.find((g) => g.group.name === name && !g.expired);
  if (live && live.group.endpoints.length > 0) {
    const endpoints = deliveryOrder(live.group.endpoints);
    return {
      ok: true,
      url: endpoints[0]!.url,
      via: 'report-to',
      endpoints,
      group: { origin: live.origin, name, viaSubdomains: live.viaSubdomains, expiresAt: live.group.expiresAt },
    };
  }
  // The page's own headers first: NEL naming one of its Reporting-Endpoints is the fault to fix, whatever became of
  // an earlier Report-To group of that name on the origin.
  if (namespace === 'groups-only' && doc.endpoints.some((x) => x.name === name)) {
    return {
      ok: false,
      code: 'route-nel-needs-report-to',
      reason: `NEL's report_to names only Report-To groups, and "${name}" exists only in Reporting-Endpoints; add a Report-To group named "${name}"`,
    };
  }
  const expired = groups.find((g) => g.group.name === name && g.expired);
  if (expired) {
    return {
      ok: false,
      code: 'route-group-expired',
      reason: `Report-To group "${name}" expired ${formatDuration(now - expired.group.expiresAt)} ago (max_age ${expired.group.maxAge} s); send the header again or move to Reporting-Endpoints`,
    };
  }
  const removed = ctx.own?.removedGroups.find((r) => r.name === name);
  if (removed) {
    const how =
      removed.why === 'max_age 0'
        ? 'by "max_age": 0'
        : `because a later Report-To header of ${ctx.own!.origin} (${ctx.own!.sourceUrl}) no longer lists it (a header replaces all of the origin's groups)`;
    return {
      ok: false,
      code: 'route-group-removed',
      reason: `Report-To group "${name}" was removed ${formatDuration(Math.max(0, now - removed.removedAt))} ago ${how}; list it again in every Report-To header the origin sends`,
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
  const droppedEndpoint = namespace === 'groups-only' ? undefined : ctx.droppedEndpoints.get(name);
  if (droppedEndpoint !== undefined) {
    return { ok: false, code: 'route-endpoint-dropped', reason: `endpoint "${name}" was dropped: ${droppedEndpoint}` };
  }
  const droppedGroup = ctx.droppedGroups.get(name);
  if (droppedGroup) return { ok: false, ...droppedGroup };
  const offDocument = namespace === 'groups-only' ? undefined : ctx.offDocument.get(name);
  if (offDocument !== undefined) {
    return {
      ok: false,
      code: 'route-endpoint-not-on-document',
      reason: `"${name}" is defined by Reporting-Endpoints on ${offDocument}, a response that is not the document: Chromium reads Reporting-Endpoints only from the page's own response; send it with the HTML`,
    };
  }
  const where = namespace === 'groups-only' ? 'Report-To' : 'Reporting-Endpoints or Report-To';
  return {
    ok: false,
    code: 'route-unresolved',
    reason: `no endpoint named "${name}" in ${where}; define it, e.g. Reporting-Endpoints: ${lower.replace(/[^a-z0-9_.*-]/g, '-') || 'name'}="https://…"`,
  };
}

type RouteBase = Pick<Route, 'reportType' | 'endpointName' | 'header' | 'detail' | 'reportOnly'>;

function route(base: RouteBase, r: Resolution): Route {
  if (r.ok) {
    const out: Route = { ...base, url: r.url, via: r.via, willDeliver: true, endpoints: r.endpoints };
    if (r.group) out.group = r.group;
    return out;
  }
  return { ...base, url: null, via: null, willDeliver: false, reason: r.reason, code: r.code, endpoints: [] };
}

/**
 * Where a crash report of the document goes: `crash-reporting`, else `default` in its `Reporting-Endpoints`, else
 * the origin's `Report-To` group `default` (verified in Chromium 156, see DESIGN.md).
 */
function crashRouteIn(ctx: Context): Route {
  const base: RouteBase = {
    reportType: 'crash',
    endpointName: null,
    header: '(implicit)',
    detail: 'crash-reporting, else default',
    reportOnly: false,
  };
  if (!ctx.secure) return route(base, { ok: false, code: 'route-insecure-page', reason: INSECURE_REASON });
  for (const name of ['crash-reporting', 'default']) {
    if (ctx.doc.endpoints.some((x) => x.name === name))
      return route({ ...base, endpointName: name }, resolveName(name, 'endpoints-or-groups', ctx));
  }
  const r = resolveName('default', 'groups-only', ctx);
  if (r.ok) return route({ ...base, endpointName: 'default' }, r);
  if (r.code === 'route-group-expired') return route(base, r);
  const missing =
    'no "crash-reporting" or "default" endpoint: add Reporting-Endpoints: default="https://…" (or crash-reporting="https://…")';
  // A removed or rejected group `default` is why the fallback failed too: say so after the usual advice.
  const fallback: RouteCode[] = ['route-group-removed', 'route-include-subdomains-refused', 'route-group-rejected'];
  if (fallback.includes(r.code))
    return route(base, {
      ok: false,
      code: r.code,
      reason: `${missing}; the fallback, ${r.reason.replace(/^Report-To group/, "the origin's Report-To group")}`,
    });
  const off = ctx.offDocument.get('crash-reporting') ?? ctx.offDocument.get('default');
  if (off !== undefined) {
    return route(base, {
      ok: false,
      code: 'route-endpoint-not-on-document',
      reason: `${missing}; Reporting-Endpoints came on ${off}, which is not the document, and Chromium ignores it there`,
    });
  }
  return route(base, { ok: false, code: 'crash-no-endpoint', reason: missing });
}

/** Where a crash report of this document goes (crash-reporting, else default, else Report-To group default). */
export function crashRoute(doc: DocumentRecord, groups: ApplicableGroup[], now: number, own?: OriginConfig): Route {
  const secure = isSecure(doc.url);
  return crashRouteIn({
    doc,
    secure,
    groups,
    own,
    now,
    droppedEndpoints: droppedEndpointNames(doc, secure),
    droppedGroups: droppedGroupNames(own),
    offDocument: new Map(),
  });
}

// ─── Report types derived from the referencing headers ────────────────────────────────────────────────────────────

const HASH_REPORT_KEYWORDS = new Set(["'report-sha256'", "'report-sha384'", "'report-sha512'"]);

/**
 * `csp-hash` references: a CSP policy whose operative directive for scripts (`script-src-elem`, else `script-src`,
 * else `default-src`) holds `'report-sha256'` (or -384/-512) makes Chromium queue one `csp-hash` report per
 * script to that policy's `report-to` endpoint (csp_directive_list.cc CSPDirectiveListHashToReport,
 * content_security_policy.cc AddHashReportIfNeeded: `QueueReport(report, policy->report_endpoints)`). A policy
 * with only `report-uri` gets none: Chromium 156 queues the report for an endpoint named after the report-uri URL
 * (measured with CDP Network.reportingApiReportAdded), which no endpoint name can match.
 */
export function cspHashReferences(
  headers: readonly CapturedHeader[],
): { endpointName: string | null; header: string; detail: string; reportOnly: boolean }[] {
  const out: { endpointName: string | null; header: string; detail: string; reportOnly: boolean }[] = [];
  for (const h of headers) {
    if (h.name !== 'content-security-policy' && h.name !== 'content-security-policy-report-only') continue;
    for (const policy of h.value.split(',')) {
      const directives = new Map<string, string[]>();
      for (const piece of policy.split(';')) {
        const tokens = piece
          .trim()
          .split(/[\t\n\f\r ]+/)
          .filter(Boolean);
        const name = tokens[0]?.toLowerCase();
        if (name && !directives.has(name)) directives.set(name, tokens.slice(1)); // the first one wins
      }
      const operative =
        directives.get('script-src-elem') ?? directives.get('script-src') ?? directives.get('default-src');
      const keyword = operative?.map((t) => t.toLowerCase()).find((t) => HASH_REPORT_KEYWORDS.has(t));
      if (!keyword) continue;
      const reportTo = directives.get('report-to')?.[0] ?? null; // report-to takes one name; the first is used
      out.push({
        endpointName: reportTo,
        header: h.name,
        detail: keyword,
        reportOnly: h.name.endsWith('-report-only'),
      });
      if (out.length >= 20) return out;
    }
  }
  return out;
}

export interface DocumentRoutes {
  routes: Route[];
  crash: Route;
  /** Problems found when joining the headers (beyond the parsers' own). */
  diagnostics: HeaderDiagnostic[];
}

/** What else is known about the responses around the document. */
export interface RoutingExtras {
  /** `Reporting-Endpoints` names that came on non-document responses (Chromium ignores them), with the response URL. */
  offDocumentEndpoints?: ReadonlyMap<string, string>;
}

/** Every route of one document against the origin cache at `now`: the shared core of the panel and predictDelivery. */
export function routesOfDocument(
  doc: DocumentRecord,
  origins: OriginConfig[] | OriginCache,
  now: number,
  extras: RoutingExtras = {},
): DocumentRoutes {
  const secure = isSecure(doc.url);
  const list = Array.isArray(origins) ? origins : Object.values(origins);
  const origin = originOfUrl(doc.url);
  const own = secure ? list.find((c) => c.origin === origin) : undefined;
  const ctx: Context = {
    doc,
    secure,
    now,
    own,
    groups: secure ? groupsFor(doc.url, list, now) : [],
    droppedEndpoints: droppedEndpointNames(doc, secure),
    droppedGroups: droppedGroupNames(own),
    offDocument: extras.offDocumentEndpoints ?? new Map(),
  };
  const routes: Route[] = [];
  const diagnostics: HeaderDiagnostic[] = [];
  const add = (base: RouteBase, r: Resolution) => {
    routes.push(route(base, r));
    if (!r.ok && r.code !== 'route-insecure-page') {
      diagnostics.push({
        severity: 'error',
        code: r.code,
        header: base.header,
        message: `${REPORT_TYPE_LABELS[base.reportType]} reports (${base.detail}) go nowhere: ${r.reason}.`,
        excerpt: base.endpointName ?? undefined,
      });
    }
  };

  for (const ref of doc.references) {
    add(
      {
        reportType: ref.reportType,
        endpointName: ref.endpointName,
        header: ref.header,
        detail: ref.detail,
        reportOnly: ref.reportOnly,
      },
      resolveName(ref.endpointName, ref.namespace, ctx),
    );
  }

  // Potential violations: when an iframe is loaded whose `allow` attribute delegates a feature the document's
  // Permissions-Policy (enforced or report-only) blocks, Chromium queues a `potential-permissions-policy-violation`
  // (local_dom_window.cc ReportPotentialPermissionsPolicyViolation; spec: w3c/webappsec-permissions-policy#546).
  // Measured in Chromium 156 (CDP Network.reportingApiReportAdded): it goes to `default`, even for a feature with
  // its own `report-to=name`, from both headers (disposition "enforce" and "report").
  const potential = new Map<string, { ref: RouteReference; features: string[] }>();
  for (const ref of doc.references) {
    if (ref.reportType !== 'permissions-policy-violation') continue;
    const entry = potential.get(ref.header) ?? { ref, features: [] };
    entry.features.push(ref.detail.replace(/ \(default endpoint\)$/, ''));
    potential.set(ref.header, entry);
  }
  for (const { ref, features } of potential.values()) {
    const shown =
      features.slice(0, MAX_FEATURES_SHOWN).join(', ') +
      (features.length > MAX_FEATURES_SHOWN ? `, +${features.length - MAX_FEATURES_SHOWN} more` : '');
    routes.push(
      route(
        {
          reportType: 'potential-permissions-policy-violation',
          endpointName: 'default',
          header: ref.header,
          detail: `iframes allowed ${shown}`,
          reportOnly: ref.reportOnly,
        },
        resolveName('default', 'endpoints-or-groups', ctx),
      ),
    );
  }

  for (const h of cspHashReferences(doc.headers)) {
    const base: RouteBase = {
      reportType: 'csp-hash',
      endpointName: h.endpointName,
      header: h.header,
      detail: h.detail,
      reportOnly: h.reportOnly,
    };
    add(
      base,
      h.endpointName === null
        ? {
            ok: false,
            code: 'route-needs-report-to',
            reason: `${h.detail} reports go only to the policy's report-to endpoint, and this policy has none; add report-to <name>`,
          }
        : resolveName(h.endpointName, 'endpoints-or-groups', ctx),
    );
  }

  const hasCspReportTo = doc.references.some(
    (r) => r.reportType === 'csp-violation' && r.header.startsWith('content-security-policy'),
  );
  for (const uri of doc.reportUris) {
    if (hasCspReportTo) continue;
    routes.push({
      reportType: 'csp-violation',
      endpointName: null,
      url: uri,
      via: 'report-uri',
      header: 'content-security-policy',
      detail: 'report-uri (legacy)',
      reportOnly: false,
      willDeliver: true,
      endpoints: [{ url: uri, priority: DOCUMENT_ENDPOINT_PRIORITY, weight: DOCUMENT_ENDPOINT_WEIGHT }],
    });
  }

  for (const type of ['deprecation', 'intervention'] as const) {
    routes.push(
      route(
        {
          reportType: type,
          endpointName: 'default',
          header: '(implicit)',
          detail: 'always sent to "default"',
          reportOnly: false,
        },
        resolveName('default', 'endpoints-or-groups', ctx),
      ),
    );
  }
  const crash = crashRouteIn(ctx);
  routes.push(crash);
  if (secure && !crash.willDeliver && (doc.endpoints.length > 0 || ctx.groups.length > 0)) {
    diagnostics.push({
      severity: 'warning',
      code: 'crash-no-endpoint',
      header: 'reporting-endpoints',
      message: `Crash reports of this page will not be sent: ${crash.reason}.`,
    });
  }
  return { routes, crash, diagnostics };
}

/** Whether Chromium ignored the whole header (it configures nothing): `Report-To` as the origin cache decides it. */
function rejectedHeaders(doc: DocumentRecord, secure: boolean): { reportTo: boolean; reportingEndpoints: boolean } {
  const rt = doc.headers.find((h) => h.name === 'report-to');
  const re = doc.headers.find((h) => h.name === 'reporting-endpoints');
  const reportTo =
    rt !== undefined &&
    applyReportTo({}, rt.value, doc.url, doc.type, doc.receivedAt, parseReportToCached(rt.value, doc.url)).config ===
      null;
  const reportingEndpoints =
    re !== undefined &&
    (!secure || doc.diagnostics.some((d) => d.header === 'reporting-endpoints' && d.ignored === true));
  return { reportTo, reportingEndpoints };
}

/** Analyses one document against the origin cache at `now`. */
export function analyseDocument(
  doc: DocumentRecord,
  origins: OriginConfig[] | OriginCache,
  now: number,
): DocumentAnalysis {
  const secure = isSecure(doc.url);
  const list = Array.isArray(origins) ? origins : Object.values(origins);
  const groups = secure ? groupsFor(doc.url, list, now) : [];
  const joined = routesOfDocument(doc, list, now);
  const diagnostics: HeaderDiagnostic[] = [...doc.diagnostics, ...joined.diagnostics];

  // Report-To diagnostics that came from another response of the origin (e.g. a subresource).
  const own = secure ? list.find((c) => c.origin === originOfUrl(doc.url)) : undefined;
  if (own && own.sourceUrl !== doc.url) {
    for (const d of own.diagnostics)
      diagnostics.push({ ...d, header: 'report-to', message: `${d.message} (from ${own.sourceUrl})` });
  }
  return {
    document: doc,
    secure,
    endpoints: doc.endpoints,
    groups,
    routes: joined.routes,
    crash: joined.crash,
    diagnostics,
    rejected: rejectedHeaders(doc, secure),
  };
}

/** Diagnostic codes added when joining headers (beyond the parsers' own). */
export const ROUTE_DIAGNOSTIC_CODES: Record<Exclude<RouteCode, 'route-insecure-page'>, string> = {
  'route-unresolved': 'A header names an endpoint that neither Reporting-Endpoints nor Report-To defines.',
  'route-uppercase-name': 'A header names an endpoint in upper case; Reporting-Endpoints names are lower-case.',
  'route-nel-needs-report-to':
    'NEL names a group that exists only in Reporting-Endpoints; NEL reaches only Report-To groups.',
  'route-group-expired': 'The named Report-To group has expired (max_age passed).',
  'route-group-removed':
    'The named Report-To group was removed (max_age 0, or a later header of the origin no longer lists it).',
  'route-group-rejected':
    'The named Report-To group is in the header, but Chromium rejected it (see its own diagnostic).',
  'route-include-subdomains-refused':
    'The named Report-To group asks for include_subdomains on a host without a registrable domain, so Chromium rejects it.',
  'route-endpoint-dropped': 'The named endpoint was dropped because its URL is not valid HTTPS.',
  'route-needs-report-to':
    "A CSP 'report-sha256' policy has no report-to endpoint, so its csp-hash reports go nowhere.",
  'route-endpoint-not-on-document':
    "The name is defined by Reporting-Endpoints on a subresource response, where Chromium ignores it; only the document's own response counts.",
  'crash-no-endpoint': 'Crash reports will not be sent: no crash-reporting or default endpoint.',
};
