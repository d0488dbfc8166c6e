/**
 * A tab's state as the background keeps it, the origin cache, routes, crashes and what the panel and the popup
 * receive. Pure types and constants.
 */

import type {
  CapturedHeader,
  Diagnostic,
  HeaderDiagnostic,
  NamedEndpoint,
  ReportToEndpoint,
  ReportToGroup,
  ReportType,
  RouteReference,
} from '@/utils/headers/types';
import { HEADER_LIMITS } from '@/utils/headers/types';
import type { AppCrashReport, BreadcrumbEntry, CheckpointRecord, LiveReport } from '@/utils/page/types';
import type { CrashDelivery, DeepCaptureState } from '@/utils/delivery/types';
import type { CrashContextState } from '@/utils/page/crash-context';

/**
 * The `type` of a report as Chromium sends it: the types the referencing headers name, plus `csp-hash` (CSP
 * `'report-sha256'`) and `potential-permissions-policy-violation` (an iframe's `allow` delegates a feature the
 * embedder's Permissions-Policy blocks), which routes derive from those headers.
 */
export type RouteReportType = ReportType | 'csp-hash' | 'potential-permissions-policy-violation';

/** Why a route delivers nothing, as data (the doctor and the diagnostics read this, not the reason's text). */
export type RouteCode =
  | 'route-insecure-page'
  | 'route-unresolved'
  | 'route-uppercase-name'
  | 'route-nel-needs-report-to'
  | 'route-group-expired'
  | 'route-group-removed'
  | 'route-group-rejected'
  | 'route-include-subdomains-refused'
  | 'route-endpoint-dropped'
  | 'route-needs-report-to'
  | 'route-endpoint-not-on-document'
  | 'crash-no-endpoint';
import type { DocumentVerdict } from './verdicts';
import type { DocumentAnalysis } from './routes';

/** Where one report type goes, or why it goes nowhere. */
export interface Route {
  reportType: RouteReportType;
  endpointName: string | null;
  /** Resolved endpoint URL when the report will be sent. */
  url: string | null;
  /** Which configuration resolved the name. */
  via: 'reporting-endpoints' | 'report-to' | 'report-uri' | null;
  /** Lower-case header that configured it, or `(implicit)` for deprecation, intervention and crash. */
  header: string;
  detail: string;
  reportOnly: boolean;
  willDeliver: boolean;
  /** Why the report will not be delivered (set when `willDeliver` is false). */
  reason?: string;
  /** What `reason` says, as data. */
  code?: RouteCode;
  /**
   * Every endpoint Chromium may deliver to, in the order it tries them (priority, then weight); `url` is the
   * first. One entry for a `Reporting-Endpoints` name, a group's endpoints for a `Report-To` group.
   */
  endpoints?: ReportToEndpoint[];
  /** For a `Report-To` group: the origin whose header set it, and whether it serves this host by `include_subdomains`. */
  group?: { origin: string; name: string; viaSubdomains: boolean; expiresAt: number };
}

/** The crash route when nothing routes a crash report (no document, a browser page, no response yet): `reason` says why. */
export function noCrashRoute(reason: string): Route {
  return {
    reportType: 'crash',
    endpointName: null,
    url: null,
    via: null,
    header: '(implicit)',
    detail: 'crash-reporting, else default',
    reportOnly: false,
    willDeliver: false,
    reason,
  };
}

/** A `Report-To` group as kept in the origin cache. */
export interface CachedGroup extends ReportToGroup {
  receivedAt: number;
  /** `receivedAt + maxAge * 1000`. */
  expiresAt: number;
}

/** What one origin's last `Report-To` header configured (Chromium keys this cache by origin). */
export interface OriginConfig {
  origin: string;
  receivedAt: number;
  /** The response that carried the header. */
  sourceUrl: string;
  resourceType: string;
  /** Raw combined header value (possibly truncated for storage). */
  header: string;
  groups: CachedGroup[];
  /** Groups removed by `max_age: 0` or dropped because a newer header no longer lists them. */
  removedGroups: { name: string; removedAt: number; why: 'max_age 0' | 'replaced' }[];
  diagnostics: Diagnostic[];
}

/** Origin → its configuration. */
export type OriginCache = Record<string, OriginConfig>;

/** A `Report-To` group that applies to a document, with where it came from. */
export interface ApplicableGroup {
  origin: string;
  group: CachedGroup;
  /** True when the group belongs to a parent domain and applies through `include_subdomains`. */
  viaSubdomains: boolean;
  expired: boolean;
}

/** One document (top frame or iframe) and what its response headers configured. */
export interface DocumentRecord {
  /** Unique id: `<frameId>@<receivedAt>`. */
  id: string;
  frameId: number;
  parentFrameId: number;
  url: string;
  type: 'main_frame' | 'sub_frame';
  statusCode: number;
  receivedAt: number;
  /** Reporting-related response headers only. */
  headers: CapturedHeader[];
  /** Effective `Reporting-Endpoints` (empty on non-HTTPS pages, where Chromium ignores the header). */
  endpoints: NamedEndpoint[];
  /** What this document's own `Report-To` header said, if it sent one (the origin cache holds the effect). */
  reportTo: { groups: ReportToGroup[]; removedGroups: string[] } | null;
  /** Report types that referencing headers send to named endpoints. */
  references: RouteReference[];
  /** Legacy CSP `report-uri` targets. */
  reportUris: string[];
  /** Problems in this document's headers. */
  diagnostics: HeaderDiagnostic[];
}

/**
 * A crash report as Chromium delivers it (Chromium 156, measured): the report's fields, then its body.
 * `body.reason` is `oom` or `unresponsive` when known; `body.stack` only in `unresponsive` reports.
 */
export interface CrashReportShape {
  age: number;
  type: 'crash';
  url: string;
  user_agent: string;
  body: {
    crash_report_api?: Record<string, string>;
    is_top_level: boolean;
    visibility_state: string;
    reason?: string;
    stack?: string;
  };
}

/** What a frame's page hook said last: its URL now (after pushState, replaceState, hash changes), visibility, crash context. */
export interface FrameLive {
  /** When the document's hook started (its `load` breadcrumb, ms epoch): tells this document from the previous one. */
  loadedAt?: number;
  /** The document's URL now, scrubbed like breadcrumbs. */
  url?: string;
  visibility?: 'visible' | 'hidden';
  context?: CrashContextState;
}

/** A crash's context as it was at the crash (kept with the crash record). */
export interface CrashContextSnapshot {
  requested: number | null;
  status: CrashContextState['status'];
  /** Bytes used as Chromium counts them. */
  used: number;
  entries: { key: string; value: string; bytes: number; exact: boolean }[];
  /** Entries not kept with the crash (bounds). */
  omitted: number;
}

/** A crash of the tab's renderer, with the report Chromium is expected to send. */
export interface CrashEntry {
  id: string;
  at: number;
  /** The document's URL at the crash (after same-document navigations), as the report carries it. */
  url: string;
  /** The URL the document was loaded with, when it changed since (records from before this field: absent). */
  loadUrl?: string;
  detectedBy: 'port-disconnect' | 'debugger';
  reason?: 'oom' | 'unresponsive';
  breadcrumbs: BreadcrumbEntry[];
  /** The crash context the page had set (absent when the page never used `window.crashReport`). */
  context?: CrashContextSnapshot;
  /** The document opted in to JS call stacks in `unresponsive` reports (`Document-Policy`). */
  callStacks?: boolean;
  predicted: {
    /**
     * The predicted body. Records from before the report shape was exact hold the old
     * `{type, url, is_top_level, visibility_state, reason?}`; {@link CrashEntry.predicted.report} is then absent.
     */
    body:
      | CrashReportShape['body']
      | { type: 'crash'; url: string; is_top_level: boolean; visibility_state: string; reason?: string };
    /** The whole predicted report (its `body` is `predicted.body`); `age` is 0 at the crash. */
    report?: Omit<CrashReportShape, 'body'>;
    route: Route;
  };
  /** What the last read of a collector's inbox found for this crash (set only when the user reads an inbox). */
  delivery?: CrashDelivery;
}

/** Everything the extension knows about one tab. Stored in `storage.session` under `tab:<id>`. */
export interface TabState {
  v: 1;
  tabId: number;
  updatedAt: number;
  /** Current document of each frame, by frame id (`0` is the top frame). */
  documents: Record<string, DocumentRecord>;
  /** Previous top-level documents, newest first, at most {@link LIMITS.history}. */
  history: DocumentRecord[];
  breadcrumbs: BreadcrumbEntry[];
  reports: LiveReport[];
  crashes: CrashEntry[];
  /** The last CrashSense checkpoint seen in the tab, if the page runs CrashSense. */
  checkpoint: CheckpointRecord | null;
  appReports: AppCrashReport[];
  /** Present once deep capture was turned on for the tab. */
  deep?: DeepCaptureState;
  /** Counters of entries evicted by the bounds, shown as "N older entries dropped". */
  dropped: { history: number; breadcrumbs: number; reports: number; crashes: number; appReports: number };
  nextSeq: number;
  /** Names of the last page-event batches applied (newest last), so a resent batch is applied once. */
  batches?: string[];
  /** Per frame id: what its page hook last said about the live document (absent in records from before). */
  live?: Record<string, FrameLive>;
}

/** Everything the panel needs for one tab. */
export interface TabView {
  tabId: number;
  state: TabState;
  /** Origin cache entries relevant to the tab's documents (own origins and their parent domains). */
  origins: OriginConfig[];
  generatedAt: number;
  /**
   * Since when the background records this tab's subresource responses (while a panel is open for it), or null
   * when it records only its documents. Absent in views built outside the background.
   */
  subresourcesSince?: number | null;
  /**
   * Every document analysed by the background (utils/tab/derive-analyses.ts), so the panel needs no header parser.
   * Absent in views built by hand (tests).
   */
  analyses?: TabAnalyses;
}

/** A document's analysis without the document itself (the view holds it). */
export type DocumentFacts = Omit<DocumentAnalysis, 'document'>;

/** The analyses of a view's documents at one moment. */
export interface TabAnalyses {
  /** By frame id, as `state.documents`. */
  documents: Record<string, DocumentFacts>;
  /** One per `state.history` entry, in its order. */
  history: DocumentFacts[];
  /** When time alone changes them (a group expires, a "removed … ago" ages); null when it never does. */
  until: number | null;
}

export type Level = 'ok' | 'warning' | 'error' | 'none';

/** A line of the popup: one aspect of the tab's configuration and its verdict. */
export interface SummaryLine {
  key: 'reporting-endpoints' | 'report-to' | 'crash' | 'problems' | 'routes';
  label: string;
  value: string;
  verdict: string;
  level: Level;
}

/**
 * What every screen shows for a tab, derived once by `summarizeTab` (utils/tab/summary.ts): the badge, the popup,
 * the panel's Overview, History and counts, and the export all read these numbers.
 */
export interface TabSummary {
  tabId: number;
  /** The tab's URL with secrets scrubbed (`?token=[redacted]`), as every screen shows it. */
  url: string;
  /**
   * `browser-page`: chrome://, about:, extension pages; `insecure`: http: pages; `unknown`: no response seen yet;
   * `nothing-configured`: no reporting header and no group; `nothing-kept`: headers sent, but Chromium keeps no
   * endpoint or group from them (rejected, or groups removed); `configured`: reports have somewhere to go.
   */
  kind: 'browser-page' | 'insecure' | 'unknown' | 'nothing-configured' | 'nothing-kept' | 'configured';
  headline: string;
  /** The one level of the tab (the top document's): see `DocumentVerdict.level`. */
  level: Level;
  /** Reporting-Endpoints entries kept for the top document. */
  endpoints: number;
  /** Live Report-To groups serving the top document. */
  groups: number;
  /** `endpoints + groups`: the badge's number. */
  destinations: number;
  soonestExpiry: number | null;
  /** Every route of the top document (configured, then deprecation, intervention, crash). */
  routes: number;
  /** Of those, the ones that deliver. */
  delivering: number;
  /** Routes a header of the top document configured. */
  configuredRoutes: number;
  problems: { errors: number; warnings: number };
  /** Problems of every document of the tab (top and iframes): the Problems tab's rows. */
  allProblems: { errors: number; warnings: number; infos: number };
  crash: Route;
  /** Whether a crash of this tab can produce a report at all (an HTTPS page): offer crash controls only then. */
  canCrash: boolean;
  lines: SummaryLine[];
  lastCrash: CrashEntry | null;
  /** The last crash in words, in the past tense: it happened, so its report went (or did not). */
  lastCrashText: string | null;
  badge: { text: string; color: string };
  /** The top document's verdicts, and each iframe's that sent reporting headers (frame id order). */
  top: DocumentVerdict | null;
  frames: DocumentVerdict[];
}

/** Bounds on what is kept, so storage stays small whatever a page does. */
export const LIMITS = {
  ...HEADER_LIMITS,
  history: 20,
  /**
   * JSON characters the history may take: 20 documents with every reporting header at its stored maximum would
   * be ~2.7 MB, beyond the 1 MB a tab may use in `storage.session` (10 MB for all tabs). Oldest go first.
   */
  historyChars: 384 * 1024,
  frames: 50,
  breadcrumbs: 500,
  /**
   * JSON characters the breadcrumb buffer may take, whatever its length in the settings: 500 breadcrumbs of a busy
   * page take ~0.1 MB, 5,000 ~0.9 MB, and long URLs make each one up to ~5 KB. Oldest go first.
   */
  breadcrumbChars: 512 * 1024,
  reports: 500,
  crashes: 20,
  appReports: 200,
  browserReports: 200,
  /** Page-event batch names remembered per tab for de-duplication. */
  batchIds: 64,
  crashBreadcrumbs: 30,
  origins: 500,
} as const;

export function emptyTabState(tabId: number, now: number): TabState {
  return {
    v: 1,
    tabId,
    updatedAt: now,
    documents: {},
    history: [],
    breadcrumbs: [],
    reports: [],
    crashes: [],
    checkpoint: null,
    appReports: [],
    dropped: { history: 0, breadcrumbs: 0, reports: 0, crashes: 0, appReports: 0 },
    nextSeq: 1,
  };
}
