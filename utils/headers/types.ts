/**
 * Shapes of what the header parsers read and produce: captured headers, diagnostics, endpoints, groups and the
 * references other headers make to endpoint names. Pure types and constants.
 */

export type Severity = 'error' | 'warning' | 'info';

/** What a fault makes Chromium throw away. */
export type Dropped = 'header' | 'group' | 'endpoint' | 'policy' | 'directive' | 'entry' | 'nothing';

/**
 * A problem found in a header (⚑ contract shape: severity, code, message), with structured facts so no other
 * module needs to read codes or message text.
 */
export interface Diagnostic {
  severity: Severity;
  code: string;
  message: string;
  /** Lower-case name of the header that caused it, e.g. `report-to`; `(routes)` for problems found when joining headers. */
  header?: string;
  /** The offending bytes as written (`value.slice(start, end)`, clipped for display). */
  excerpt?: string;
  /** UTF-16 offsets of the offending bytes in the header's (combined) value. */
  start?: number;
  end?: number;
  /** Chromium ignores the whole header because of this: the state it set before stays as it was. */
  ignored?: boolean;
  /** What this fault makes Chromium throw away (`nothing` for advice). */
  dropped?: Dropped;
  /** The endpoint or `Report-To` group name the diagnostic concerns, as written. */
  endpointName?: string;
}

/** A diagnostic placed in context: which header of which document it came from. */
export interface HeaderDiagnostic extends Diagnostic {
  header: string;
}

/** A response header as captured: lower-case name, repeated headers joined by `, `. */
export interface CapturedHeader {
  name: string;
  value: string;
  /** The stored value was cut to {@link HEADER_LIMITS.headerValueChars}; the parse used the whole value. */
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

/** Bounds on header values and their diagnostics. */
export const HEADER_LIMITS = {
  headerValueChars: 16 * 1024,
  diagnosticsPerDocument: 200,
  /** Chromium ignores `Report-To` headers longer than this. */
  reportToMaxBytes: 16 * 1024,
} as const;
