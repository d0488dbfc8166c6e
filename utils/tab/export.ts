/**
 * The panel's export: a bug-report document for a tab (format `report-inspector-bug-report`, version 1, described
 * in the README's "Export" section): ISO times, the tab's one summary, each document with what its headers came
 * to, its routes and verdicts and its diagnostics, the history, observed reports, breadcrumbs and crashes. The
 * extension's raw state can be added as an optional part. Pure: the caller downloads it.
 */
import type { DocumentRecord, Route, TabSummary, TabView } from './types';
import { analyseDocument, type DocumentAnalysis } from './routes';
import { summarizeTab } from './summary';
import { analyseView } from './derive-analyses';
import { documentVerdict, type HeaderFate } from './verdicts';
import { fileStamp, hostOf } from '@/utils/display/format';
import { scrub, scrubValue } from '@/utils/page/scrub';

const REPORT_FORMAT = 'report-inspector-bug-report' as const;
const REPORT_VERSION = 1 as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export interface ReportRoute {
  reportType: string;
  endpointName: string | null;
  /** Where Chromium may deliver it; null when it goes nowhere. */
  url: string | null;
  via: Route['via'];
  header: string;
  detail: string;
  reportOnly: boolean;
  verdict: 'delivers' | 'goes nowhere';
  reason?: string;
}

export interface ReportDocument {
  /** `top` or the iframe's frame id. */
  frame: 'top' | number;
  url: string;
  status: number;
  receivedAt: string;
  headers: { name: string; value: string; truncated?: boolean }[];
  /** What each configuring header came to: not-sent, ignored, rejected, partial, kept, removes. */
  fates: Record<
    'reportingEndpoints' | 'reportTo',
    Pick<HeaderFate, 'state' | 'kept' | 'names' | 'removed' | 'why' | 'severity' | 'text'>
  >;
  endpoints: { name: string; url: string }[];
  groups: {
    origin: string;
    name: string;
    maxAge: number;
    includeSubdomains: boolean;
    viaSubdomains: boolean;
    receivedAt: string;
    expiresAt: string;
    expired: boolean;
    endpoints: { url: string; priority: number; weight: number }[];
  }[];
  routes: ReportRoute[];
  diagnostics: { severity: string; code: string; header: string; message: string; excerpt?: string }[];
  problems: { errors: number; warnings: number; infos: number };
}

export interface BugReport {
  format: typeof REPORT_FORMAT;
  version: typeof REPORT_VERSION;
  exportedAt: string;
  page: { url: string };
  summary: Omit<TabSummary, 'top' | 'frames' | 'lastCrash' | 'tabId' | 'soonestExpiry'> & {
    soonestExpiry: string | null;
  };
  documents: ReportDocument[];
  history: {
    url: string;
    receivedAt: string;
    endpoints: number;
    groups: number;
    routes: number;
    delivering: number;
    problems: number;
  }[];
  reports: { type: string; url: string; frameId: number; observedAt: string; body: unknown }[];
  appReports: {
    at: string;
    transport: string;
    destination: string;
    status: number | null;
    category: string;
    subcategory: string;
    severity: string;
    message: string;
  }[];
  breadcrumbs: { time: string; type: string; message: string; level?: string; source: string; data?: unknown }[];
  crashes: {
    at: string;
    url: string;
    reason?: string;
    detectedBy: string;
    report: unknown;
    route: ReportRoute;
    delivery?: { status: string; checkedAt: string; receivedAt?: string; endpointPath?: string };
  }[];
  /** Entries the extension's bounds dropped before the export. */
  dropped: TabView['state']['dropped'];
  /** The extension's internal state for the tab, only when asked for (`raw: true`); its shape is not versioned. */
  raw?: TabView;
}

function reportRoute(r: Route): ReportRoute {
  return {
    reportType: r.reportType,
    endpointName: r.endpointName,
    url: r.url,
    via: r.via,
    header: r.header,
    detail: r.detail,
    reportOnly: r.reportOnly,
    verdict: r.willDeliver ? 'delivers' : 'goes nowhere',
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

function fateOf(f: HeaderFate) {
  const { state, kept, names, removed, why, severity, text } = f;
  return { state, kept, names, removed, why, severity, text };
}

function reportDocument(a: DocumentAnalysis): ReportDocument {
  const v = documentVerdict(a);
  const d = a.document;
  return {
    frame: d.frameId === 0 ? 'top' : d.frameId,
    url: scrub(d.url),
    status: d.statusCode,
    receivedAt: iso(d.receivedAt),
    headers: d.headers.map((h) => ({ name: h.name, value: h.value, ...(h.truncated ? { truncated: true } : {}) })),
    fates: { reportingEndpoints: fateOf(v.reportingEndpoints), reportTo: fateOf(v.reportTo) },
    endpoints: a.endpoints.map((e) => ({ name: e.name, url: e.url })),
    groups: a.groups.map((g) => ({
      origin: g.origin,
      name: g.group.name,
      maxAge: g.group.maxAge,
      includeSubdomains: g.group.includeSubdomains,
      viaSubdomains: g.viaSubdomains,
      receivedAt: iso(g.group.receivedAt),
      expiresAt: iso(g.group.expiresAt),
      expired: g.expired,
      endpoints: g.group.endpoints.map((e) => ({ ...e })),
    })),
    routes: a.routes.map(reportRoute),
    diagnostics: a.diagnostics.map((x) => ({
      severity: x.severity,
      code: x.code,
      header: x.header,
      message: x.message,
      ...(x.excerpt !== undefined ? { excerpt: x.excerpt } : {}),
    })),
    problems: v.problems,
  };
}

/**
 * The bug-report document for a tab. `tabUrl` is the tab's URL as the browser reports it ('' when unknown);
 * `raw` adds the internal state as the optional `raw` part.
 */
export function buildReport(
  view: TabView,
  tabUrl: string,
  now: number,
  { raw = false }: { raw?: boolean } = {},
): BugReport {
  const analyses = analyseView(view, now);
  const s = summarizeTab(view, tabUrl, now, analyses);
  const { top: _top, frames: _frames, lastCrash: _last, tabId: _id, soonestExpiry, ...rest } = s;
  const st = view.state;
  const report: BugReport = {
    format: REPORT_FORMAT,
    version: REPORT_VERSION,
    exportedAt: iso(now),
    page: { url: s.url },
    summary: { ...rest, soonestExpiry: soonestExpiry === null ? null : iso(soonestExpiry) },
    documents: analyses.map(reportDocument),
    history: st.history.map((d: DocumentRecord) => {
      const v = documentVerdict(analyseDocument(d, view.origins, now));
      return {
        url: scrub(d.url),
        receivedAt: iso(d.receivedAt),
        endpoints: v.endpoints.length,
        groups: v.groups.length,
        routes: v.routes.length,
        delivering: v.delivering,
        problems: v.problems.errors + v.problems.warnings,
      };
    }),
    reports: st.reports.map((r) => ({
      type: r.type,
      url: scrub(r.url),
      frameId: r.frameId,
      observedAt: iso(r.observedAt),
      body: scrubValue(r.body),
    })),
    appReports: st.appReports.map((r) => ({
      at: iso(r.at),
      transport: r.transport,
      destination: scrub(r.destination),
      status: r.status,
      category: r.category,
      subcategory: r.subcategory,
      severity: r.severity,
      message: scrub(r.message),
    })),
    breadcrumbs: st.breadcrumbs.map((b) => ({
      time: iso(b.timestamp),
      type: b.type,
      message: b.message,
      source: b.source,
      ...(b.level ? { level: b.level } : {}),
      ...(b.data !== undefined ? { data: b.data } : {}),
    })),
    crashes: st.crashes.map((c) => ({
      at: iso(c.at),
      url: scrub(c.url),
      ...(c.reason ? { reason: c.reason } : {}),
      detectedBy: c.detectedBy,
      report: scrubValue(c.predicted.body),
      route: reportRoute(c.predicted.route),
      ...(c.delivery
        ? {
            delivery: {
              status: c.delivery.status,
              checkedAt: iso(c.delivery.checkedAt),
              ...(c.delivery.receivedAt !== undefined ? { receivedAt: iso(c.delivery.receivedAt) } : {}),
              ...(c.delivery.endpointPath ? { endpointPath: c.delivery.endpointPath } : {}),
            },
          }
        : {}),
    })),
    dropped: { ...st.dropped },
  };
  if (raw) report.raw = view;
  return report;
}

/** The bug report as indented JSON text. */
export function exportJson(view: TabView, tabUrl: string, now: number, options: { raw?: boolean } = {}): string {
  return JSON.stringify(buildReport(view, tabUrl, now, options), null, 2);
}

/** `report-inspector-<host>-<date>.json`, host of the top document (`tab-<id>` when there is none). */
export function exportFileName(view: TabView, now: number): string {
  const top = view.state.documents['0'];
  const host = (top && hostOf(top.url)) || `tab-${view.tabId}`;
  const safe = host
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '_')
    .slice(0, 100);
  return `report-inspector-${safe}-${fileStamp(now)}.json`;
}

/** Reads a bug report back, checking its format and version; null when it is not one. */
export function parseReport(text: string): BugReport | null {
  try {
    const v = JSON.parse(text) as Partial<BugReport> | null;
    if (
      !v ||
      v.format !== REPORT_FORMAT ||
      v.version !== REPORT_VERSION ||
      typeof v.summary !== 'object' ||
      !Array.isArray(v.documents)
    )
      return null;
    return v as BugReport;
  } catch {
    return null;
  }
}
