/**
 * Data shapes shared by the background, the panel, the popup and the tests.
 * Pure types and constants: no browser globals.
 */

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in a header (⚑ contract shape, plus an optional excerpt of the offending part). */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  /** The offending part of the header value, for highlighting. */
  excerpt?: string;
}

/** A diagnostic placed in context: which header of which document it came from. */
export interface HeaderDiagnostic extends Diagnostic {
  /** Lower-case header name, e.g. `report-to`; `(routes)` for problems found when joining headers. */
  header: string;
}

/** A response header as captured: lower-case name, repeated headers joined by `, `. */
export interface CapturedHeader {
  name: string;
  value: string;
  /** The stored value was cut to {@link LIMITS.headerValueChars}; the parse used the whole value. */
  truncated?: boolean;
}

export interface ReportToEndpoint {
  url: string;
  priority: number;
  weight: number;
}

export interface ReportToGroup {
  name: string;
  maxAge: number;
  includeSubdomains: boolean;
  endpoints: ReportToEndpoint[];
}

export interface NamedEndpoint {
  name: string;
  url: string;
}

/** Report types that the Reporting API knows about (the `type` of a report). */
export type ReportType =
  | 'csp-violation'
  | 'network-error'
  | 'coop'
  | 'coep'
  | 'permissions-policy-violation'
  | 'document-policy-violation'
  | 'integrity-violation'
  | 'deprecation'
  | 'intervention'
  | 'crash';

/** A header that names an endpoint for a report type, e.g. CSP `report-to csp`. */
export interface RouteReference {
  reportType: ReportType;
  /** The endpoint or group name as written (not lower-cased). */
  endpointName: string;
  /** Lower-case header name it came from. */
  header: string;
  /** A short description: the directive or feature, e.g. `report-to csp-endpoint`, `geolocation`. */
  detail: string;
  /** Report-only policies (CSP-Report-Only, COOP-Report-Only, ...). */
  reportOnly: boolean;
  /** NEL's `report_to` names a `Report-To` group only; the others resolve `Reporting-Endpoints` first. */
  namespace: 'endpoints-or-groups' | 'groups-only';
}

/** Where one report type goes, or why it goes nowhere. */
export interface Route {
  reportType: ReportType;
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

/** CrashSense `Breadcrumb` (⚑ contract) plus where it came from. */
export interface Breadcrumb {
  type: 'click' | 'navigation' | 'network' | 'console' | 'state' | 'custom';
  timestamp: number;
  message: string;
  data?: Record<string, unknown>;
}

export interface BreadcrumbEntry extends Breadcrumb {
  /** Monotonic per tab, for stable ordering and de-duplication. */
  seq: number;
  frameId: number;
  /** `page` for the extension's own recorder, `crashsense` for entries read from an app's checkpoint. */
  source: 'page' | 'crashsense';
  /** Console level or error kind, for icons and filters. */
  level?: 'log' | 'info' | 'warn' | 'error' | 'debug';
}

/** A report observed in the page through `ReportingObserver`. */
export interface LiveReport {
  seq: number;
  frameId: number;
  type: string;
  url: string;
  body: Record<string, unknown>;
  observedAt: number;
}

/** A CrashSense checkpoint (`sessionStorage['__crashsense_checkpoint']`), validated and bounded. */
export interface CrashSenseCheckpoint {
  version: number;
  timestamp: number;
  sessionId: string;
  appId: string;
  url: string;
  breadcrumbs: Breadcrumb[];
  systemState: Record<string, unknown>;
  device: Record<string, unknown>;
  preCrashWarnings: { level: 'elevated' | 'critical' | 'imminent'; reason: string; timestamp: number }[];
  memoryTrend: unknown;
  checkpointCount: number;
}

export interface CheckpointRecord {
  seenAt: number;
  frameId: number;
  /** The document that held it. */
  url: string;
  checkpoint: CrashSenseCheckpoint;
  /**
   * Found at load time in a document that followed a crash of this tab: the previous session ended
   * abnormally and this is its last state.
   */
  abnormalEnd: boolean;
}

/** A CrashSense report the page sent to its own backend. */
export interface AppCrashReport {
  seq: number;
  at: number;
  frameId: number;
  transport: 'fetch' | 'xhr' | 'beacon';
  destination: string;
  /** HTTP status of the upload, null for beacons and while pending, 0 for network failures. */
  status: number | null;
  shape: 'CrashReport' | 'CrashEvent' | 'subset';
  category: string;
  subcategory: string;
  severity: string;
  confidence: number | null;
  message: string;
  fingerprint: string;
  contributingFactors: { factor: string; weight: number; evidence: string }[];
  breadcrumbs: Breadcrumb[];
  /** The upload that carried it (one per fetch/XHR/beacon, shared by a batch), so its status can follow. */
  uploadId?: string;
}

/** A crash of the tab's renderer, with the report Chromium is expected to send. */
export interface CrashEntry {
  id: string;
  at: number;
  url: string;
  detectedBy: 'port-disconnect' | 'debugger';
  reason?: 'oom' | 'unresponsive';
  breadcrumbs: BreadcrumbEntry[];
  predicted: {
    body: { type: 'crash'; url: string; is_top_level: boolean; visibility_state: string; reason?: string };
    route: Route;
  };
  /** What the last read of a collector's inbox found for this crash (set only when the user reads an inbox). */
  delivery?: CrashDelivery;
}

/** Whether a collector received a crash's report, as the last inbox read found. */
export interface CrashDelivery {
  status: 'delivered' | 'not-seen';
  /** When the inbox was read (ms epoch). */
  checkedAt: number;
  /** The inbox that was read. */
  inboxUrl: string;
  /** When the collector received the upload that carried the report. */
  receivedAt?: number;
  /** Path of the collector endpoint the upload reached, e.g. `/reports/default`. */
  endpointPath?: string;
}

/** A report in the browser's own queue, as the DevTools protocol shows it (`Network.ReportingApiReport`). */
export interface BrowserReport {
  id: string;
  type: string;
  initiatorUrl: string;
  destination: string;
  /** Queued, Pending, MarkedForRemoval, Success. */
  status: string;
  completedAttempts: number;
  /** ms epoch */
  timestamp: number;
  body: Record<string, unknown>;
  updatedAt: number;
}

/** Deep capture (the optional `debugger` permission) for a tab: what the browser itself says. */
export interface DeepCaptureState {
  attached: boolean;
  since: number;
  /** Why it stopped: the user cancelled the bar, the tab closed, the panel turned it off, an error. */
  detachReason?: string;
  reports: BrowserReport[];
  /** Endpoints the browser registered, per origin (`Network.reportingApiEndpointsChangedForOrigin`). */
  endpoints: Record<string, { url: string; groupName: string }[]>;
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

/** What the popup and the badge show for a tab, derived by the background. */
export interface TabSummary {
  tabId: number;
  url: string;
  /** `browser-page`: chrome://, about:, extension pages; `insecure`: http: pages; `unknown`: no response seen yet. */
  kind: 'browser-page' | 'insecure' | 'unknown' | 'nothing-configured' | 'configured';
  headline: string;
  endpoints: number;
  groups: number;
  soonestExpiry: number | null;
  routes: number;
  problems: { errors: number; warnings: number };
  crash: Route;
  lines: SummaryLine[];
  lastCrash: CrashEntry | null;
  badge: { text: string; color: string };
}

/** Bounds on what is kept, so storage stays small whatever a page does. */
export const LIMITS = {
  history: 20,
  /**
   * JSON characters the history may take: 20 documents with every reporting header at its stored maximum would
   * be ~2.7 MB, beyond the 1 MB a tab may use in `storage.session` (10 MB for all tabs). Oldest go first.
   */
  historyChars: 384 * 1024,
  frames: 50,
  headerValueChars: 16 * 1024,
  diagnosticsPerDocument: 200,
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
  /** Chromium ignores `Report-To` headers longer than this. */
  reportToMaxBytes: 16 * 1024,
} as const;

/** Header names (lower case) that configure or reference reporting. */
export const REPORTING_HEADERS = [
  'report-to',
  'reporting-endpoints',
  'content-security-policy',
  'content-security-policy-report-only',
  'nel',
  'cross-origin-opener-policy',
  'cross-origin-opener-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-embedder-policy-report-only',
  'permissions-policy',
  'permissions-policy-report-only',
  'document-policy',
  'document-policy-report-only',
  'require-document-policy',
  'integrity-policy',
  'integrity-policy-report-only',
] as const;

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
