/**
 * Parses the response headers that *reference* reporting endpoints by name (CSP `report-to`, NEL `report_to`,
 * COOP/COEP `report-to="…"`, Permissions-Policy, Document-Policy, Integrity-Policy), the way Chromium does.
 * Pure: no browser globals; the document URL is passed in. Never throws, whatever the input.
 */
import { parseDictionary, parseItem, serializeDictionary, Token } from 'structured-headers';
import type { BareItem, Dictionary, InnerList, Item } from 'structured-headers';
import { HEADER_LIMITS } from './types';
import type { CapturedHeader, HeaderDiagnostic, RouteReference, Severity } from './types';
import { isJsonNumber, isJsonObject, parseJsonValueAt, toPlain, type JsonValue } from './strict-json';

// ─── Diagnostic codes ────────────────────────────────────────────────────────────────────────────────────────────

const CODE_TABLE = {
  // Content-Security-Policy (+ -Report-Only)
  'csp-uppercase-endpoint-name': ['warning', 'CSP report-to names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'csp-endpoint-name-not-key': ['warning', 'CSP report-to names an endpoint that is not a valid Reporting-Endpoints name, so only a Report-To group can match it.'],
  'csp-report-to-extra-tokens': ['warning', 'CSP report-to lists more than one name; Chromium uses only the first.'],
  'csp-report-to-empty': ['warning', 'CSP report-to has no name; Chromium then sends no reports for that policy at all, not even to report-uri.'],
  'csp-report-uri-ignored': ['info', 'The policy has both report-to and report-uri; Chromium uses report-to and ignores report-uri (CSP3).'],
  'csp-report-uri-only': ['info', 'The policy reports only through the deprecated report-uri; consider adding report-to.'],
  'csp-report-uri-invalid': ['warning', 'A report-uri target is not a valid http(s) URL and is ignored.'],
  'csp-report-uri-mixed-content': ['warning', 'An http: report-uri target on an HTTPS page is ignored by Chromium as mixed content.'],
  'csp-duplicate-directive': ['warning', 'A directive appears twice in one policy; the first wins and later ones are ignored.'],
  'csp-invalid-directive-value': ['warning', 'A reporting directive contains characters outside printable ASCII, so Chromium ignores the whole directive.'],
  'csp-misspelt-reporting-directive': ['warning', 'A directive looks like report-to or report-uri but is misspelt, so Chromium ignores it.'],
  'csp-report-only-without-endpoint': ['info', 'A Content-Security-Policy-Report-Only policy has neither report-to nor report-uri: violations only reach the console.'],
  // NEL
  'nel-invalid-json': ['error', 'NEL is not valid JSON (or nests deeper than Chromium allows); Chromium ignores it.'],
  'nel-repeated': ['error', 'NEL was sent more than once; Chromium joins the values into invalid JSON and ignores NEL entirely.'],
  'nel-not-object': ['error', 'NEL is JSON but not a single object; Chromium ignores it.'],
  'nel-too-large': ['error', 'NEL is larger than 16 KiB; Chromium ignores it.'],
  'nel-missing-max-age': ['error', 'NEL has no max_age; Chromium ignores the policy.'],
  'nel-bad-max-age': ['error', 'NEL max_age is not a non-negative integer; Chromium ignores the policy.'],
  'nel-missing-report-to': ['error', 'NEL has no report_to; Chromium ignores the policy.'],
  'nel-bad-report-to': ['error', 'NEL report_to is not a string; Chromium ignores the policy.'],
  'nel-bad-fraction': ['warning', 'NEL success_fraction/failure_fraction is not a number between 0 and 1.'],
  'nel-bad-include-subdomains': ['warning', 'NEL include_subdomains is not a JSON boolean, so it counts as false.'],
  'nel-include-subdomains-no-registrable-domain': ['warning', 'NEL include_subdomains on a host without a registrable domain (localhost, an IP address): Chromium rejects the policy.'],
  'nel-unknown-key': ['warning', 'NEL contains a misspelt member (e.g. report-to instead of report_to), which Chromium ignores.'],
  'nel-ignored-insecure': ['warning', 'NEL on a non-HTTPS response is ignored by Chromium.'],
  'nel-max-age-zero': ['info', 'NEL max_age 0 removes the origin\'s NEL policy instead of setting one.'],
  // Cross-Origin-Opener-Policy (+ -Report-Only)
  'coop-invalid': ['error', 'Cross-Origin-Opener-Policy is not a structured-field token (or was sent twice); Chromium ignores it.'],
  'coop-unknown-value': ['warning', 'Cross-Origin-Opener-Policy has a value Chromium does not know; it acts as unsafe-none.'],
  'coop-report-to-token': ['warning', 'COOP report-to is an unquoted token; Chromium only accepts a quoted string and ignores it.'],
  'coop-report-to-not-string': ['warning', 'COOP report-to is not a string; Chromium ignores it.'],
  'coop-uppercase-endpoint-name': ['warning', 'COOP report-to names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'coop-endpoint-name-not-key': ['warning', 'COOP report-to names an endpoint that is not a valid Reporting-Endpoints name.'],
  'coop-ignored-insecure': ['warning', 'Cross-Origin-Opener-Policy on a page that is not a secure context is ignored.'],
  // Cross-Origin-Embedder-Policy (+ -Report-Only)
  'coep-invalid': ['error', 'Cross-Origin-Embedder-Policy is not a structured-field token (or was sent twice); Chromium ignores it.'],
  'coep-unknown-value': ['warning', 'Cross-Origin-Embedder-Policy has a value Chromium does not know; it acts as unsafe-none and never reports.'],
  'coep-report-to-token': ['warning', 'COEP report-to is an unquoted token; Chromium only accepts a quoted string and ignores it.'],
  'coep-report-to-not-string': ['warning', 'COEP report-to is not a string; Chromium ignores it.'],
  'coep-report-to-unused': ['warning', 'COEP unsafe-none never produces reports, so its report-to is ignored.'],
  'coep-uppercase-endpoint-name': ['warning', 'COEP report-to names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'coep-endpoint-name-not-key': ['warning', 'COEP report-to names an endpoint that is not a valid Reporting-Endpoints name.'],
  'coep-ignored-insecure': ['warning', 'Cross-Origin-Embedder-Policy on a page that is not a secure context is ignored.'],
  // Permissions-Policy (+ -Report-Only)
  'permissions-policy-invalid': ['error', 'Permissions-Policy is not a structured-field dictionary; Chromium ignores the whole header.'],
  'permissions-policy-too-large': ['error', 'Permissions-Policy is longer than 65,536 characters; Chromium ignores it.'],
  'permissions-policy-report-to-not-token': ['warning', 'Permissions-Policy report-to must be an unquoted token; Chromium ignores it and reports to `default`.'],
  'permissions-policy-report-to-misplaced': ['warning', 'Permissions-Policy report-to is inside the allowlist parentheses, where Chromium ignores it.'],
  'permissions-policy-bad-allowlist-item': ['warning', 'A Permissions-Policy allowlist item is not *, self or a quoted origin; Chromium ignores it.'],
  'permissions-policy-uppercase-endpoint-name': ['warning', 'Permissions-Policy report-to names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'permissions-policy-endpoint-name-not-key': ['warning', 'Permissions-Policy report-to names an endpoint that is not a valid Reporting-Endpoints name.'],
  // Document-Policy (+ -Report-Only)
  'document-policy-invalid': ['error', 'Document-Policy is not a structured-field dictionary; Chromium ignores the whole header.'],
  'document-policy-report-to-member': ['warning', 'Document-Policy has a top-level report-to member; Chromium reads the default endpoint from `*;report-to=name` only.'],
  'document-policy-report-to-not-token': ['warning', 'Document-Policy report-to is not a token; Chromium drops the whole feature entry.'],
  'document-policy-unknown-feature': ['warning', 'Document-Policy names a feature Chromium does not recognise; it is ignored.'],
  'document-policy-bad-value': ['warning', 'A Document-Policy feature has a value of the wrong type; Chromium ignores the entry.'],
  'document-policy-no-report-to': ['info', 'Document-Policy names no endpoint: violations only reach ReportingObserver, nothing is sent.'],
  'document-policy-uppercase-endpoint-name': ['warning', 'Document-Policy report-to names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'document-policy-endpoint-name-not-key': ['warning', 'Document-Policy report-to names an endpoint that is not a valid Reporting-Endpoints name.'],
  // Integrity-Policy (+ -Report-Only)
  'integrity-policy-invalid': ['error', 'Integrity-Policy is not a structured-field dictionary; Chromium ignores it.'],
  'integrity-policy-not-list': ['warning', 'An Integrity-Policy member is not a parenthesised list; Chromium ignores it.'],
  'integrity-policy-not-token': ['warning', 'An Integrity-Policy list item is a quoted string; Chromium only accepts tokens and ignores it.'],
  'integrity-policy-unknown-key': ['warning', 'Integrity-Policy has a member Chromium does not know; it is ignored.'],
  'integrity-policy-unknown-destination': ['warning', 'Integrity-Policy blocks a destination Chromium does not support; it is ignored.'],
  'integrity-policy-unknown-source': ['warning', 'Integrity-Policy names a source other than inline; Chromium ignores it.'],
  'integrity-policy-no-destinations': ['warning', 'Integrity-Policy has no supported blocked destination, so it neither blocks nor reports anything.'],
  'integrity-policy-no-endpoints': ['info', 'Integrity-Policy has no endpoints: violations are blocked but not reported.'],
  'integrity-policy-report-only-no-endpoints': ['warning', 'Integrity-Policy-Report-Only has no endpoints, so it has no effect beyond the console.'],
  'integrity-policy-uppercase-endpoint-name': ['warning', 'Integrity-Policy endpoints names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.'],
  'integrity-policy-endpoint-name-not-key': ['warning', 'Integrity-Policy endpoints names an endpoint that is not a valid Reporting-Endpoints name.'],
  // Bounds
  'referencing-diagnostics-truncated': ['info', 'Too many problems in these headers; the rest are not listed.'],
  'referencing-references-truncated': ['info', 'Too many endpoint references in these headers; the rest are not listed.'],
  'referencing-unreadable-header': ['error', 'A header could not be read at all (an internal problem of the product).'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type ReferencingDiagnosticCode = keyof typeof CODE_TABLE;

function mapTable<T>(pick: (entry: readonly [Severity, string]) => T): Readonly<Record<ReferencingDiagnosticCode, T>> {
  const out = {} as Record<ReferencingDiagnosticCode, T>;
  for (const code of Object.keys(CODE_TABLE) as ReferencingDiagnosticCode[]) out[code] = pick(CODE_TABLE[code]);
  return Object.freeze(out);
}

/** Every diagnostic code this module emits, with a one-line explanation (for the README). */
export const REFERENCING_DIAGNOSTIC_CODES: Readonly<Record<ReferencingDiagnosticCode, string>> = mapTable((e) => e[1]);

/** The severity each code is always emitted with. */
export const REFERENCING_DIAGNOSTIC_SEVERITY: Readonly<Record<ReferencingDiagnosticCode, Severity>> = mapTable((e) => e[0]);

export interface ReferencingHeadersResult {
  /** One per (report type, header, endpoint name, feature/directive). */
  references: RouteReference[];
  /** Legacy CSP `report-uri` targets that Chromium will use: absolute, WHATWG-serialised, de-duplicated. */
  reportUris: string[];
  diagnostics: HeaderDiagnostic[];
}

// ─── Bounds and small helpers ────────────────────────────────────────────────────────────────────────────────────

const MAX_DIAGNOSTICS = HEADER_LIMITS.diagnosticsPerDocument;
const MAX_REFERENCES = 500;
const EXCERPT_CHARS = 160;
const QUOTE_CHARS = 60;
/** Chromium: net/network_error_logging kMaxJsonSize, kMaxJsonDepth. */
const NEL_MAX_BYTES = 16 * 1024;
const NEL_MAX_DEPTH = 4;
/** Chromium: PermissionsPolicyParser MAX_LENGTH_PARSE. */
const PERMISSIONS_POLICY_MAX_CHARS = 1 << 16;

/** Reporting-Endpoints names are structured-field keys (RFC 9651 §3.2). */
const SF_KEY = /^[a-z*][a-z0-9_\-.*]*$/;

function isAsciiWhitespace(c: number): boolean {
  // Chromium's kWhitespaceASCII: \t \n \v \f \r and space.
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Trims ASCII whitespace without a regular expression (no backtracking on huge inputs). */
function trimAscii(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isAsciiWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiWhitespace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

function splitAsciiWhitespace(s: string): string[] {
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= s.length; i++) {
    const ws = i === s.length || isAsciiWhitespace(s.charCodeAt(i));
    if (ws) {
      if (start >= 0) out.push(s.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return out;
}

function firstAsciiWhitespace(s: string): number {
  for (let i = 0; i < s.length; i++) if (isAsciiWhitespace(s.charCodeAt(i))) return i;
  return -1;
}

/** Makes a piece of a header safe and short enough to quote in a message or an excerpt (at most `max` characters). */
function clip(s: string, max: number): string {
  let out = '';
  let i = 0;
  for (; i < s.length && out.length <= max; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : (s[i] ?? '');
  }
  return i === s.length && out.length <= max ? out : `${out.slice(0, max - 1)}…`;
}

const q = (s: string): string => `\`${clip(s, QUOTE_CHARS)}\``;

function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** A name someone could use instead of one that cannot be a Reporting-Endpoints key. */
function keyLike(name: string): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9_\-.*]/g, '-');
  let i = 0;
  while (i < lower.length && !/[a-z*]/.test(lower[i] ?? '')) i++;
  return lower.slice(i) || 'default';
}

function parseUrl(url: string, base?: string): URL | null {
  try {
    return base === undefined ? new URL(url) : new URL(url, base);
  } catch {
    return null;
  }
}

function isLocalHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '[::1]';
}

/** "Potentially trustworthy" in the Secure Contexts sense (what Chromium's IsUrlPotentiallyTrustworthy checks). */
function isPotentiallyTrustworthy(url: URL | null): boolean {
  if (!url) return false;
  if (url.protocol === 'https:' || url.protocol === 'wss:' || url.protocol === 'file:') return true;
  return (url.protocol === 'http:' || url.protocol === 'ws:') && isLocalHost(url.hostname);
}

/** True for hosts Chromium finds no registry for: IP addresses, single labels like `localhost`. */
function hasNoRegistrableDomain(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, '');
  return h.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || !h.includes('.');
}

function parseErrorDetail(e: unknown): { message: string; offset: number | null } {
  const raw = e instanceof Error ? e.message : String(e);
  const m = /^Parse error: (.*) at offset (\d+)$/s.exec(raw);
  if (m) return { message: m[1] ?? raw, offset: Number(m[2]) };
  return { message: raw, offset: null };
}

function around(value: string, offset: number | null): string {
  if (offset === null) return value;
  const start = Math.max(0, offset - 20);
  return `${start > 0 ? '…' : ''}${value.slice(start, offset + 20)}`;
}

function bareItemText(item: BareItem): string {
  if (item instanceof Token) return item.toString();
  if (typeof item === 'string') return `"${item}"`;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  return '(non-text value)';
}

function describeType(item: BareItem): string {
  if (item instanceof Token) return 'a token';
  if (typeof item === 'string') return 'a string';
  if (typeof item === 'number') return Number.isInteger(item) ? 'an integer' : 'a decimal';
  if (typeof item === 'boolean') return 'a boolean';
  return 'a byte sequence or other value';
}

function memberText(key: string, member: Item | InnerList): string {
  try {
    return serializeDictionary(new Map([[key, member]]));
  } catch {
    return key;
  }
}

// ─── Collector ───────────────────────────────────────────────────────────────────────────────────────────────────

class Collector {
  readonly references: RouteReference[] = [];
  readonly reportUris: string[] = [];
  readonly diagnostics: HeaderDiagnostic[] = [];
  private readonly referenceKeys = new Set<string>();
  private readonly uriKeys = new Set<string>();
  private readonly diagnosticKeys = new Set<string>();
  private droppedDiagnostics = 0;
  private droppedReferences = 0;

  diag(header: string, code: ReferencingDiagnosticCode, message: string, excerpt?: string): void {
    const clipped = excerpt === undefined ? undefined : clip(excerpt, EXCERPT_CHARS);
    const key = `${header}\u0000${code}\u0000${message}\u0000${clipped ?? ''}`;
    if (this.diagnosticKeys.has(key)) return;
    // Two places stay free for the notes that say something was left out.
    if (this.diagnostics.length >= MAX_DIAGNOSTICS - 2) {
      this.droppedDiagnostics++;
      return;
    }
    this.diagnosticKeys.add(key);
    const d: HeaderDiagnostic = { header, severity: CODE_TABLE[code][0], code, message };
    if (clipped !== undefined && clipped !== '') d.excerpt = clipped;
    this.diagnostics.push(d);
  }

  ref(r: RouteReference): void {
    const key = `${r.reportType}\u0000${r.header}\u0000${r.endpointName}\u0000${r.detail}`;
    if (this.referenceKeys.has(key)) return;
    if (this.references.length >= MAX_REFERENCES) {
      this.droppedReferences++;
      return;
    }
    this.referenceKeys.add(key);
    this.references.push(r);
  }

  uri(url: string): void {
    if (this.uriKeys.has(url) || this.uriKeys.size >= MAX_REFERENCES) return;
    this.uriKeys.add(url);
    this.reportUris.push(url);
  }

  result(): ReferencingHeadersResult {
    if (this.droppedReferences > 0) {
      this.diagnostics.push({
        header: '(headers)', severity: 'info', code: 'referencing-references-truncated',
        message: `${this.droppedReferences} more endpoint references are not listed: these headers name more than ${MAX_REFERENCES}. Simplify the policies to see them all.`,
      });
    }
    if (this.droppedDiagnostics > 0) {
      this.diagnostics.push({
        header: '(headers)', severity: 'info', code: 'referencing-diagnostics-truncated',
        message: `${this.droppedDiagnostics} more problems are not listed. Fix the ones above first.`,
      });
    }
    return { references: this.references, reportUris: this.reportUris, diagnostics: this.diagnostics };
  }
}

interface Context {
  out: Collector;
  documentUrl: string;
  doc: URL | null;
  /** HTTPS (or WSS) document: NEL needs a cryptographic scheme. */
  https: boolean;
  /** Secure context: COOP and COEP apply only there. */
  trustworthy: boolean;
}

type Family = 'csp' | 'coop' | 'coep' | 'permissions-policy' | 'document-policy' | 'integrity-policy';

/**
 * Upper-case or otherwise non-key names can never match a `Reporting-Endpoints` entry, whose names are
 * structured-field keys; they can still match a `Report-To` group of exactly that name.
 */
function checkEndpointName(
  ctx: Context, family: Family, header: string, label: string, name: string,
  written: (n: string) => string,
): void {
  const excerpt = written(name);
  if (hasUpper(name)) {
    const lower = name.toLowerCase();
    ctx.out.diag(header, `${family}-uppercase-endpoint-name`,
      `${label} ${q(excerpt)}: endpoint names in Reporting-Endpoints are lower-case structured-field keys, so ${q(name)} can never match one; write ${q(written(lower))} (it can still match a Report-To group named exactly ${q(name)}).`,
      excerpt);
  } else if (!SF_KEY.test(name)) {
    ctx.out.diag(header, `${family}-endpoint-name-not-key`,
      `${label} ${q(excerpt)}: ${name === '' ? 'an empty name' : q(name)} is not a valid Reporting-Endpoints name (names start with a-z or * and contain only a-z, 0-9, _, -, . and *), so only a Report-To group of exactly that name can receive these reports; rename the endpoint, e.g. ${q(written(keyLike(name)))}.`,
      excerpt);
  }
}

// ─── Content-Security-Policy ─────────────────────────────────────────────────────────────────────────────────────

/** Directive names Chromium knows (services/network/.../content_security_policy.cc ToCSPDirectiveName). */
const CSP_DIRECTIVES = new Set([
  'base-uri', 'block-all-mixed-content', 'child-src', 'connect-src', 'default-src', 'fenced-frame-src',
  'frame-ancestors', 'frame-src', 'font-src', 'form-action', 'img-src', 'manifest-src', 'media-src', 'object-src',
  'report-uri', 'require-trusted-types-for', 'sandbox', 'script-src', 'script-src-attr', 'script-src-elem',
  'style-src', 'style-src-attr', 'style-src-elem', 'treat-as-public-address', 'trusted-types',
  'upgrade-insecure-requests', 'worker-src', 'report-to', 'navigate-to',
]);

function isCspDirectiveNameChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d;
}

function isCspValueChar(c: number): boolean {
  // Whitespace + VCHAR, but not ',' and ';' (those were split on already).
  return isAsciiWhitespace(c) || (c >= 0x21 && c <= 0x7e);
}

function misspeltReportingDirective(name: string): 'report-to' | 'report-uri' | null {
  const letters = name.toLowerCase().replace(/[^a-z]/g, '');
  if (letters === 'reportto') return 'report-to';
  if (letters === 'reporturi' || letters === 'reporturl') return 'report-uri';
  return null;
}

function parseCsp(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Content-Security-Policy-Report-Only' : 'CSP';
  for (const value of values) {
    // Chromium parses each comma-separated chunk as its own policy (RFC 7230 §3.2.2).
    for (const chunk of value.split(',')) {
      const policy = trimAscii(chunk);
      if (policy !== '') parseCspPolicy(ctx, header, label, policy, reportOnly);
    }
  }
}

function parseCspPolicy(ctx: Context, header: string, label: string, policy: string, reportOnly: boolean): void {
  const seen = new Set<string>();
  let useReportingApi = false;
  let reportToName: string | null = null;
  let reportUriDirective: string | null = null;
  let reportUriTokens: string[] = [];

  for (const piece of policy.split(';')) {
    const directive = trimAscii(piece);
    if (directive === '') continue;
    const ws = firstAsciiWhitespace(directive);
    const name = ws < 0 ? directive : directive.slice(0, ws);
    const value = ws < 0 ? '' : trimAscii(directive.slice(ws + 1));

    let validName = name.length > 0;
    for (let i = 0; i < name.length && validName; i++) validName = isCspDirectiveNameChar(name.charCodeAt(i));
    const lname = name.toLowerCase();
    if (!validName || !CSP_DIRECTIVES.has(lname)) {
      const meant = misspeltReportingDirective(name);
      if (meant) {
        ctx.out.diag(header, 'csp-misspelt-reporting-directive',
          `${label} ${q(directive)}: ${q(name)} is not a CSP directive, so Chromium ignores it and no reports are sent through it; write ${q(`${meant} ${value || (meant === 'report-to' ? 'csp-endpoint' : '/csp-reports')}`)}.`,
          directive);
      }
      continue;
    }
    if (seen.has(lname)) {
      ctx.out.diag(header, 'csp-duplicate-directive',
        `${label} ${q(directive)}: the policy already has a ${q(lname)} directive; the first one wins and this one is ignored. Merge them into one directive.`,
        directive);
      continue;
    }
    seen.add(lname);
    if (lname !== 'report-to' && lname !== 'report-uri') continue;

    let validValue = true;
    for (let i = 0; i < value.length && validValue; i++) validValue = isCspValueChar(value.charCodeAt(i));
    if (!validValue) {
      ctx.out.diag(header, 'csp-invalid-directive-value',
        `${label} ${q(directive)}: the value contains characters outside printable ASCII (non-ASCII letters or control characters), so Chromium ignores the whole ${lname} directive; use only ASCII (percent-encode URLs).`,
        directive);
      continue;
    }

    if (lname === 'report-to') {
      useReportingApi = true;
      const tokens = splitAsciiWhitespace(value);
      const first = tokens[0];
      if (first === undefined) {
        ctx.out.diag(header, 'csp-report-to-empty',
          `${label} ${q(directive)}: report-to has no endpoint name, and Chromium then sends this policy's reports nowhere (report-uri is ignored too); write ${q('report-to csp-endpoint')} with a matching Reporting-Endpoints entry.`,
          directive);
      } else {
        reportToName = first;
        if (tokens.length > 1) {
          ctx.out.diag(header, 'csp-report-to-extra-tokens',
            `${label} ${q(directive)}: report-to takes a single endpoint name; only ${q(first)} is used and ${q(tokens.slice(1).join(' '))} is ignored. To send reports to several URLs, give one endpoint name several URLs in Report-To, or keep one name.`,
            directive);
        }
      }
    } else {
      reportUriDirective = directive;
      reportUriTokens = splitAsciiWhitespace(value);
    }
  }

  if (useReportingApi && reportToName !== null) {
    const name = reportToName;
    ctx.out.ref({
      reportType: 'csp-violation', endpointName: name, header, detail: `report-to ${name}`, reportOnly,
      namespace: 'endpoints-or-groups',
    });
    checkEndpointName(ctx, 'csp', header, label, name, (n) => `report-to ${n}`);
  }

  if (reportUriDirective !== null) {
    if (useReportingApi) {
      ctx.out.diag(header, 'csp-report-uri-ignored',
        `${label} ${q(reportUriDirective)}: the policy also has report-to, so Chromium sends its reports only to the report-to endpoint and ignores report-uri (CSP3). Keep report-uri only as a fallback for browsers without report-to.`,
        reportUriDirective);
    } else {
      let kept = 0;
      for (const token of new Set(reportUriTokens)) {
        const url = parseUrl(token, ctx.documentUrl);
        if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
          ctx.out.diag(header, 'csp-report-uri-invalid',
            `${label} report-uri ${q(token)}: not a valid http(s) URL${ctx.doc ? '' : ' relative to this document'}, so it is ignored; use an absolute https:// URL or a path such as /csp-reports.`,
            token);
          continue;
        }
        if (ctx.doc?.protocol === 'https:' && !isPotentiallyTrustworthy(url)) {
          ctx.out.diag(header, 'csp-report-uri-mixed-content',
            `${label} report-uri ${q(token)}: an http: endpoint on an HTTPS page is ignored by Chromium as mixed content; use ${q(url.href.replace(/^http:/, 'https:'))}.`,
            token);
          continue;
        }
        ctx.out.uri(url.href);
        kept++;
      }
      if (kept > 0) {
        ctx.out.diag(header, 'csp-report-uri-only',
          `${label} ${q(reportUriDirective)}: report-uri is deprecated in CSP3. Add ${q('report-to csp-endpoint')} and a Reporting-Endpoints entry ${q('csp-endpoint="https://…"')}; Chromium then uses report-to, and browsers without it keep using report-uri.`,
          reportUriDirective);
      }
    }
  }

  if (reportOnly && !seen.has('report-to') && !seen.has('report-uri')) {
    ctx.out.diag(header, 'csp-report-only-without-endpoint',
      `${label} ${q(policy)}: a report-only policy without report-to or report-uri sends no reports; its violations only show in the console. Add ${q('report-to csp-endpoint')}.`,
      policy);
  }
}

// ─── NEL (strict JSON) ───────────────────────────────────────────────────────────────────────────────────────────

/** A JSON value as written in a NEL message: numbers as written, objects as `{}`. */
function shownJson(v: JsonValue): string {
  if (isJsonNumber(v)) return v.raw;
  if (isJsonObject(v)) return '{}';
  return JSON.stringify(toPlain(v)) ?? String(v);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
    if (n > NEL_MAX_BYTES) return n; // enough to decide
  }
  return n;
}

const NEL_MISSPELLINGS: Record<string, string> = {
  'report-to': 'report_to', reportTo: 'report_to', reportto: 'report_to', group: 'report_to',
  'max-age': 'max_age', maxAge: 'max_age', maxage: 'max_age',
  'include-subdomains': 'include_subdomains', includeSubdomains: 'include_subdomains', includeSubDomains: 'include_subdomains',
  'success-fraction': 'success_fraction', successFraction: 'success_fraction',
  'failure-fraction': 'failure_fraction', failureFraction: 'failure_fraction',
};

const NEL_EXAMPLE = '{"report_to":"default","max_age":86400}';

function parseNel(ctx: Context, header: string, values: string[]): void {
  // Chromium reads NEL with GetNormalizedHeader: repeated headers are joined with ", ".
  const value = values.join(', ');
  if (!ctx.https) {
    ctx.out.diag(header, 'nel-ignored-insecure',
      `NEL on ${ctx.doc ? q(`${ctx.doc.protocol}//${ctx.doc.host}`) : 'a page that is not HTTPS'}: Chromium accepts NEL policies only from HTTPS responses with a valid certificate, so this one is ignored; serve the page over HTTPS.`,
      value);
  }
  if (trimAscii(value) === '') {
    ctx.out.diag(header, 'nel-invalid-json', `NEL is empty, which is not JSON; Chromium ignores it. Send one object such as ${q(NEL_EXAMPLE)}.`);
    return;
  }
  if (utf8Length(value) > NEL_MAX_BYTES) {
    ctx.out.diag(header, 'nel-too-large',
      `NEL is larger than 16 KiB (${value.length.toLocaleString('en')} characters); Chromium ignores it. Send one short object such as ${q(NEL_EXAMPLE)}.`,
      value);
    return;
  }

  // base::JSONReader skips a byte order mark at the start.
  const first = parseJsonValueAt(value, value.charCodeAt(0) === 0xfeff ? 1 : 0, NEL_MAX_DEPTH);
  if (!first.ok) {
    const { position: pos, message: reason } = first;
    ctx.out.diag(header, 'nel-invalid-json',
      `NEL is not valid JSON: ${reason} at character ${pos + 1} (${q(around(value, pos))}); Chromium ignores the header. Send one strict JSON object such as ${q(NEL_EXAMPLE)}.`,
      around(value, pos));
    return;
  }
  let rest = first.end;
  while (rest < value.length && isAsciiWhitespace(value.charCodeAt(rest))) rest++;
  if (rest < value.length) {
    const tail = value.slice(rest);
    const repeat = value[rest] === ',' ? parseJsonValueAt(value, rest + 1, NEL_MAX_DEPTH) : null;
    if (repeat?.ok && isJsonObject(repeat.value) && isJsonObject(first.value)) {
      ctx.out.diag(header, 'nel-repeated',
        `NEL was sent more than once (or holds several objects): Chromium joins repeated NEL headers with ", " and parses the result as one JSON value, which fails, so it ignores NEL entirely (the NEL spec would use the first policy). Send a single NEL header with one object.`,
        tail);
    } else {
      ctx.out.diag(header, 'nel-invalid-json',
        `NEL is not valid JSON: unexpected data after the JSON value at character ${rest + 1} (${q(around(value, rest))}); Chromium ignores the header. Send exactly one JSON object such as ${q(NEL_EXAMPLE)}.`,
        tail);
    }
    return;
  }

  const value0 = first.value;
  if (!isJsonObject(value0)) {
    const what = Array.isArray(value0) ? 'an array' : isJsonNumber(value0) ? 'a number' : value0 === null ? 'null' : `a ${typeof value0}`;
    ctx.out.diag(header, 'nel-not-object',
      `NEL is ${what}, not a JSON object; Chromium ignores it${Array.isArray(value0) ? ' (unlike Report-To, NEL is one object, not a list)' : ''}. Send ${q(NEL_EXAMPLE)}.`,
      value);
    return;
  }
  const policy = value0.members;

  for (const key of policy.keys()) {
    const meant = NEL_MISSPELLINGS[key];
    if (meant !== undefined && !policy.has(meant)) {
      ctx.out.diag(header, 'nel-unknown-key',
        `NEL member ${q(`"${key}"`)} is not a NEL field, so Chromium ignores it; the field is spelt ${q(`"${meant}"`)}.`,
        `"${key}"`);
    }
  }

  let usable = true;
  const maxAge = policy.get('max_age');
  let maxAgeValue = -1;
  if (maxAge === undefined) {
    usable = false;
    ctx.out.diag(header, 'nel-missing-max-age',
      `NEL has no ${q('max_age')}, which is required, so Chromium ignores the policy; add ${q('"max_age": 86400')} (seconds to keep the policy).`,
      value);
  } else if (!isJsonNumber(maxAge) || !maxAge.isInt || maxAge.value < 0) {
    usable = false;
    const shown = shownJson(maxAge);
    const hint = isJsonNumber(maxAge) && maxAge.value >= 0 && Number.isFinite(maxAge.value)
      ? (maxAge.value > 2147483647 ? ' (it must fit in 32 bits)' : ' (write it without a fraction or exponent)')
      : typeof maxAge === 'string' ? ' (a number, not a string)' : '';
    ctx.out.diag(header, 'nel-bad-max-age',
      `NEL ${q(`"max_age": ${shown}`)}: max_age must be a non-negative integer${hint}, so Chromium ignores the policy; write e.g. ${q('"max_age": 86400')}.`,
      `"max_age": ${shown}`);
  } else {
    maxAgeValue = maxAge.value;
  }

  const reportTo = policy.get('report_to');
  // Chromium requires report_to only when max_age > 0 (a removal needs no group).
  if (maxAgeValue !== 0) {
    if (reportTo === undefined) {
      usable = false;
      ctx.out.diag(header, 'nel-missing-report-to',
        `NEL has no ${q('report_to')}, which names the Report-To group to send network errors to, so Chromium ignores the policy; add ${q('"report_to": "default"')} and a Report-To group of that name.`,
        value);
    } else if (typeof reportTo !== 'string') {
      usable = false;
      const shown = shownJson(reportTo);
      ctx.out.diag(header, 'nel-bad-report-to',
        `NEL ${q(`"report_to": ${shown}`)}: report_to must be a string naming a Report-To group, so Chromium ignores the policy; write e.g. ${q('"report_to": "default"')}.`,
        `"report_to": ${shown}`);
    }
  }

  const includeSubdomainsRaw = policy.get('include_subdomains');
  if (includeSubdomainsRaw !== undefined && typeof includeSubdomainsRaw !== 'boolean') {
    const shown = shownJson(includeSubdomainsRaw);
    ctx.out.diag(header, 'nel-bad-include-subdomains',
      `NEL ${q(`"include_subdomains": ${shown}`)}: only the JSON literal true counts, so Chromium treats this as false; write ${q('"include_subdomains": true')} or remove it.`,
      `"include_subdomains": ${shown}`);
  }
  const includeSubdomains = includeSubdomainsRaw === true;

  for (const [field, fallback] of [['success_fraction', 0], ['failure_fraction', 1]] as const) {
    const f = policy.get(field);
    if (f === undefined) continue;
    if (!isJsonNumber(f)) {
      const shown = shownJson(f);
      ctx.out.diag(header, 'nel-bad-fraction',
        `NEL ${q(`"${field}": ${shown}`)}: the fraction must be a JSON number, so Chromium uses the default ${fallback}; write a number between 0 and 1, e.g. ${q(`"${field}": ${fallback === 0 ? '0.01' : '1'}`)}.`,
        `"${field}": ${shown}`);
    } else if (!(f.value >= 0 && f.value <= 1)) {
      ctx.out.diag(header, 'nel-bad-fraction',
        `NEL ${q(`"${field}": ${f.raw}`)}: the NEL spec requires a number between 0 and 1; Chromium uses it as is, so it samples ${f.value > 1 ? 'every request' : 'no request'}. Write a value between 0 and 1.`,
        `"${field}": ${f.raw}`);
    }
  }

  if (!usable) return;
  if (maxAgeValue === 0) {
    ctx.out.diag(header, 'nel-max-age-zero',
      `NEL ${q('"max_age": 0')} removes this origin's NEL policy instead of setting one, so no network errors are reported; use a positive max_age (e.g. 86400) to collect them.`,
      '"max_age": 0');
    return;
  }
  if (includeSubdomains && ctx.doc && hasNoRegistrableDomain(ctx.doc.hostname)) {
    ctx.out.diag(header, 'nel-include-subdomains-no-registrable-domain',
      `NEL ${q('"include_subdomains": true')} on ${q(ctx.doc.hostname)}: Chromium rejects include_subdomains policies from hosts without a registrable domain (localhost, IP addresses, public suffixes), so the whole policy is ignored; remove include_subdomains or test on a real domain.`,
      '"include_subdomains": true');
    return;
  }
  if (!ctx.https || typeof reportTo !== 'string') return;
  ctx.out.ref({
    reportType: 'network-error', endpointName: reportTo, header, detail: `report_to ${reportTo}`, reportOnly: false,
    namespace: 'groups-only',
  });
}

// ─── Cross-Origin-Opener-Policy / Cross-Origin-Embedder-Policy ───────────────────────────────────────────────────

const COOP_VALUES = new Set(['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none']);
const COEP_VALUES = new Set(['require-corp', 'credentialless']);

function parseCoopCoep(ctx: Context, kind: 'coop' | 'coep', header: string, values: string[], reportOnly: boolean): void {
  const base = kind === 'coop' ? 'Cross-Origin-Opener-Policy' : 'Cross-Origin-Embedder-Policy';
  const label = reportOnly ? `${base}-Report-Only` : base;
  const example = kind === 'coop' ? 'same-origin; report-to="coop"' : 'require-corp; report-to="coep"';
  // Chromium reads these with GetNormalizedHeader: repeated headers are joined with ", ".
  const value = values.join(', ');
  const insecure = !ctx.trustworthy;
  if (insecure) {
    ctx.out.diag(header, `${kind}-ignored-insecure`,
      `${label} on ${ctx.doc ? q(ctx.doc.origin) : 'this page'}: the policy applies only to secure contexts (HTTPS or localhost), so it is ignored and sends no reports; serve the page over HTTPS.`,
      value);
  }

  let item: Item;
  try {
    item = parseItem(value);
  } catch (e) {
    const { message, offset } = parseErrorDetail(e);
    const repeated = values.length > 1 || (offset !== null && value[offset] === ',');
    ctx.out.diag(header, `${kind}-invalid`,
      repeated
        ? `${label} was sent more than once (${q(value)}): Chromium joins the values with ", ", which is not a single structured-field item, so it ignores the policy; send the header once, e.g. ${q(example)}.`
        : `${label} ${q(value)} is not a valid structured-field item (${message.toLowerCase()}${offset !== null ? ` at character ${offset + 1}` : ''}), so Chromium ignores it; write e.g. ${q(example)}.`,
      around(value, offset));
    return;
  }

  const [bare, params] = item;
  if (!(bare instanceof Token)) {
    ctx.out.diag(header, `${kind}-invalid`,
      `${label} ${q(value)}: the policy must be an unquoted token, not ${describeType(bare)}, so Chromium ignores it; write e.g. ${q(example)}.`,
      value);
    return;
  }
  const policy = bare.toString();
  const known = kind === 'coop' ? COOP_VALUES : COEP_VALUES;
  let keepsEndpoint = true;
  if (!known.has(policy) && !(kind === 'coep' && policy === 'unsafe-none')) {
    const lower = policy.toLowerCase();
    const suggestion = known.has(lower) ? `values are case-sensitive: write ${q(lower)}` : `use one of ${[...known].map((v) => q(v)).join(', ')}`;
    const extra = kind === 'coop' && policy === 'restrict-properties' ? ' (restrict-properties was an experiment Chromium no longer enables)' : '';
    ctx.out.diag(header, `${kind}-unknown-value`,
      kind === 'coop'
        ? `${label} ${q(policy)} is not a value Chromium knows${extra}, so the page behaves as unsafe-none; ${suggestion}.`
        : `${label} ${q(policy)} is not a value Chromium knows, so the page behaves as unsafe-none and sends no COEP reports; ${suggestion}.`,
      policy);
    // Chromium's COEP parser drops the endpoint with an unknown value; COOP keeps it.
    if (kind === 'coep') keepsEndpoint = false;
  }

  const endpoint = params.get('report-to');
  if (endpoint === undefined) return;
  if (typeof endpoint !== 'string') {
    if (endpoint instanceof Token) {
      const name = endpoint.toString();
      ctx.out.diag(header, `${kind}-report-to-token`,
        `${label} ${q(`report-to=${name}`)}: the endpoint name must be a quoted string; Chromium ignores an unquoted token, so no ${kind.toUpperCase()} reports are sent. Write ${q(`report-to="${name}"`)}.`,
        `report-to=${name}`);
    } else {
      ctx.out.diag(header, `${kind}-report-to-not-string`,
        `${label} ${q(`report-to=${bareItemText(endpoint)}`)}: the endpoint name must be a quoted string, not ${describeType(endpoint)}, so Chromium ignores it; write ${q(`report-to="${kind}"`)}.`,
        `report-to=${bareItemText(endpoint)}`);
    }
    return;
  }
  if (kind === 'coep' && policy === 'unsafe-none') {
    ctx.out.diag(header, 'coep-report-to-unused',
      `${label} ${q(`unsafe-none; report-to="${endpoint}"`)}: unsafe-none embeds anything and never produces reports, so Chromium ignores report-to; use ${q(`require-corp; report-to="${endpoint}"`)} (or the -Report-Only header) to be told what would break.`,
      value);
    return;
  }
  if (!keepsEndpoint) return;
  checkEndpointName(ctx, kind, header, label, endpoint, (n) => `report-to="${n}"`);
  if (insecure) return;
  ctx.out.ref({
    reportType: kind, endpointName: endpoint, header, detail: policy, reportOnly, namespace: 'endpoints-or-groups',
  });
}

// ─── Permissions-Policy ──────────────────────────────────────────────────────────────────────────────────────────

function structuredDictionary(
  ctx: Context, header: string, value: string, code: ReferencingDiagnosticCode, label: string, example: string, hint = '',
): Dictionary | null {
  try {
    return parseDictionary(value);
  } catch (e) {
    const { message, offset } = parseErrorDetail(e);
    ctx.out.diag(header, code,
      `${label} is not a valid structured-field dictionary (${message.toLowerCase()}${offset !== null ? ` at character ${offset + 1}: ${q(around(value, offset))}` : ''}), so Chromium ignores the whole header.${hint} Write members such as ${q(example)}.`,
      around(value, offset));
    return null;
  }
}

function parsePermissionsPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Permissions-Policy-Report-Only' : 'Permissions-Policy';
  const value = values.join(', ');
  if (value.length > PERMISSIONS_POLICY_MAX_CHARS) {
    ctx.out.diag(header, 'permissions-policy-too-large',
      `${label} is ${value.length.toLocaleString('en')} characters long; Chromium ignores policies over 65,536 characters. Keep only the features you restrict.`,
      value);
    return;
  }
  const looksLegacy = value.includes("'") || /(^|[;,]\s*)[a-z-]+\s+[^=,;]/i.test(value.slice(0, 4096));
  const dict = structuredDictionary(ctx, header, value, 'permissions-policy-invalid', label,
    'geolocation=(), camera=(self "https://video.example");report-to=pp',
    looksLegacy ? " It looks like the old Feature-Policy syntax (`geolocation 'none'`): Permissions-Policy uses `geolocation=()`, `self` without quotes and origins in double quotes." : '');
  if (!dict) return;

  for (const [feature, member] of dict) {
    const [content, params] = member;
    const items: Item[] = Array.isArray(content) ? content : [[content, new Map()]];
    let restricts = true;
    for (const [item, itemParams] of items) {
      if (itemParams.has('report-to')) {
        const written = itemParams.get('report-to');
        const name = written === undefined ? '' : bareItemText(written);
        ctx.out.diag(header, 'permissions-policy-report-to-misplaced',
          `${label} ${q(memberText(feature, member))}: report-to is inside the allowlist parentheses, where Chromium ignores it; put it after them: ${q(`${feature}=(…);report-to=${name.replace(/^"|"$/g, '')}`)}.`,
          memberText(feature, member));
      }
      if (item instanceof Token) {
        const t = item.toString();
        if (t === '*') restricts = false;
        else if (t !== 'self') {
          const fix = t === 'none' ? `use ${q(`${feature}=()`)} to allow no origin` : `use self, * or an origin in double quotes`;
          ctx.out.diag(header, 'permissions-policy-bad-allowlist-item',
            `${label} ${q(memberText(feature, member))}: ${q(t)} is not an allowlist item, so Chromium ignores it; ${fix}.`,
            memberText(feature, member));
        }
      } else if (typeof item === 'string') {
        const url = parseUrl(item);
        if (!url || url.origin === 'null') {
          const bareWord = item.replace(/^'|'$/g, '');
          const fix = bareWord === 'self' || bareWord === '*' ? `write ${bareWord} without quotes` : bareWord === 'none' ? `use ${q(`${feature}=()`)}` : 'write a full origin such as "https://example.com"';
          ctx.out.diag(header, 'permissions-policy-bad-allowlist-item',
            `${label} ${q(memberText(feature, member))}: ${q(`"${item}"`)} is not an origin, so Chromium ignores it; ${fix}.`,
            memberText(feature, member));
        }
      } else {
        ctx.out.diag(header, 'permissions-policy-bad-allowlist-item',
          `${label} ${q(memberText(feature, member))}: the allowlist item is ${describeType(item)}, which Chromium ignores${item === true && !Array.isArray(content) ? ` (a bare ${q(feature)} allows no origin)` : ''}; write ${q(`${feature}=(self)`)} or ${q(`${feature}=()`)}.`,
          memberText(feature, member));
      }
    }

    const endpoint = params.get('report-to');
    let name: string | null = null;
    if (endpoint instanceof Token) {
      name = endpoint.toString();
    } else if (endpoint !== undefined) {
      const shown = bareItemText(endpoint);
      const unquoted = typeof endpoint === 'string' ? endpoint : 'pp';
      ctx.out.diag(header, 'permissions-policy-report-to-not-token',
        `${label} ${q(`${feature}=…;report-to=${shown}`)}: Permissions-Policy takes report-to as an unquoted token (unlike COOP/COEP), so Chromium ignores this one and sends ${feature} reports to ${q('default')}; write ${q(`report-to=${SF_KEY.test(unquoted) ? unquoted : keyLike(unquoted)}`)}.`,
        memberText(feature, member));
    }

    if (name !== null) {
      checkEndpointName(ctx, 'permissions-policy', header, label, name, (n) => `${feature}=…;report-to=${n}`);
      ctx.out.ref({
        reportType: 'permissions-policy-violation', endpointName: name, header, detail: feature, reportOnly,
        namespace: 'endpoints-or-groups',
      });
    } else if (restricts) {
      // Without report-to, Blink queues the violation for the endpoint named `default`.
      ctx.out.ref({
        reportType: 'permissions-policy-violation', endpointName: 'default', header,
        detail: `${feature} (default endpoint)`, reportOnly, namespace: 'endpoints-or-groups',
      });
    }
  }
}

// ─── Document-Policy ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Features Chromium's Document-Policy parser recognises (document_policy_features.json5) and their value type.
 * `*` carries the default endpoint (`*;report-to=name`).
 */
const DOCUMENT_POLICY_FEATURES: Record<string, 'boolean'> = {
  '*': 'boolean',
  'force-load-at-top': 'boolean',
  'js-profiling': 'boolean',
  'sync-xhr': 'boolean',
  'include-js-call-stacks-in-crash-reports': 'boolean',
  'expect-no-linked-resources': 'boolean',
};

function parseDocumentPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Document-Policy-Report-Only' : 'Document-Policy';
  const value = values.join(', ');
  if (trimAscii(value) === '') return;
  const dict = structuredDictionary(ctx, header, value, 'document-policy-invalid', label,
    '*;report-to=dp, js-profiling');
  if (!dict) return;

  let defaultEndpoint: string | null = null;
  const features: { name: string; endpoint: string | null }[] = [];
  for (const [key, member] of dict) {
    const [content, params] = member;
    const text = memberText(key, member);
    if (key === 'report-to') {
      const shown = Array.isArray(content) ? '(…)' : bareItemText(content).replace(/^"|"$/g, '');
      ctx.out.diag(header, 'document-policy-report-to-member',
        `${label} ${q(text)}: Chromium takes the default endpoint from the ${q('*')} member, so ${q('report-to')} here is read as an unknown feature and ignored; write ${q(`*;report-to=${SF_KEY.test(shown) ? shown : keyLike(shown)}`)}.`,
        text);
      continue;
    }
    if (Array.isArray(content)) {
      ctx.out.diag(header, 'document-policy-bad-value',
        `${label} ${q(text)}: a Document-Policy feature takes a single value, not a list, so Chromium ignores this entry; write e.g. ${q(`${key}=?0`)}.`,
        text);
      continue;
    }
    const type = DOCUMENT_POLICY_FEATURES[key];
    if (type === undefined) {
      ctx.out.diag(header, 'document-policy-unknown-feature',
        `${label} ${q(key)} is not a Document-Policy feature Chromium recognises, so the entry is ignored; known features: ${Object.keys(DOCUMENT_POLICY_FEATURES).filter((f) => f !== '*').join(', ')}.`,
        text);
      continue;
    }
    if (typeof content !== 'boolean') {
      ctx.out.diag(header, 'document-policy-bad-value',
        `${label} ${q(text)}: ${q(key)} takes a boolean (${q(key)} or ${q(`${key}=?0`)}), not ${describeType(content)}, so Chromium ignores this entry.`,
        text);
      continue;
    }
    let endpoint: string | null = null;
    let dropped = false;
    for (const [param, v] of params) {
      if (param !== 'report-to') continue;
      if (v instanceof Token) {
        endpoint = v.toString();
      } else {
        const shown = bareItemText(v);
        const unquoted = typeof v === 'string' ? v : 'dp';
        ctx.out.diag(header, 'document-policy-report-to-not-token',
          `${label} ${q(text)}: report-to must be an unquoted token, not ${describeType(v)}; Chromium drops the whole ${q(key)} entry. Write ${q(`report-to=${SF_KEY.test(unquoted) ? unquoted : keyLike(unquoted)}`)} (got ${q(shown)}).`,
          text);
        dropped = true;
      }
    }
    if (dropped) continue;
    if (key === '*') {
      if (endpoint !== null) defaultEndpoint = endpoint;
      continue;
    }
    features.push({ name: key, endpoint });
  }

  let referenced = false;
  const checked = new Set<string>();
  for (const f of features) {
    const own = f.endpoint !== null;
    const name = own ? f.endpoint : defaultEndpoint;
    // `none` (as the feature's own or the default endpoint) turns reporting off.
    if (name === null || name === '' || name === 'none') continue;
    if (!checked.has(name)) {
      checked.add(name);
      checkEndpointName(ctx, 'document-policy', header, label, name,
        (n) => (own ? `${f.name};report-to=${n}` : `*;report-to=${n}`));
    }
    referenced = true;
    ctx.out.ref({
      reportType: 'document-policy-violation', endpointName: name, header,
      detail: own ? f.name : `${f.name} (default endpoint from *)`, reportOnly, namespace: 'endpoints-or-groups',
    });
  }
  if (features.length > 0 && !referenced) {
    ctx.out.diag(header, 'document-policy-no-report-to',
      `${label} names no reporting endpoint, so violations only reach ReportingObserver in the page and nothing is sent; add ${q('*;report-to=dp')} (default for all features) or ${q(`${features[0]?.name ?? 'feature'};report-to=dp`)}.`,
      value);
  }
}

// ─── Integrity-Policy ────────────────────────────────────────────────────────────────────────────────────────────

/** Chromium 156 blocks only scripts (services/network/public/cpp/integrity_policy_parser.cc). */
const INTEGRITY_DESTINATIONS = new Set(['script']);

function parseIntegrityPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Integrity-Policy-Report-Only' : 'Integrity-Policy';
  const value = values.join(', ');
  if (trimAscii(value) === '') return;
  const dict = structuredDictionary(ctx, header, value, 'integrity-policy-invalid', label,
    'blocked-destinations=(script), endpoints=(integrity)');
  if (!dict) return;

  const destinations: string[] = [];
  const endpoints: string[] = [];
  for (const [key, member] of dict) {
    const [content] = member;
    const text = memberText(key, member);
    if (key !== 'blocked-destinations' && key !== 'sources' && key !== 'endpoints') {
      ctx.out.diag(header, 'integrity-policy-unknown-key',
        `${label} ${q(text)}: ${q(key)} is not an Integrity-Policy member, so Chromium ignores it; the members are blocked-destinations, sources and endpoints.`,
        text);
      continue;
    }
    if (!Array.isArray(content)) {
      ctx.out.diag(header, 'integrity-policy-not-list',
        `${label} ${q(text)}: the value must be a parenthesised list, so Chromium ignores it; write ${q(`${key}=(${bareItemText(content).replace(/^"|"$/g, '')})`)}.`,
        text);
      continue;
    }
    for (const [item] of content) {
      if (!(item instanceof Token)) {
        const shown = bareItemText(item);
        ctx.out.diag(header, 'integrity-policy-not-token',
          `${label} ${q(text)}: ${q(shown)} is ${describeType(item)}; Chromium accepts only unquoted tokens and ignores it. Write ${q(`${key}=(${shown.replace(/^"|"$/g, '')})`)}.`,
          text);
        continue;
      }
      const t = item.toString();
      if (key === 'blocked-destinations') {
        if (INTEGRITY_DESTINATIONS.has(t)) destinations.push(t);
        else {
          ctx.out.diag(header, 'integrity-policy-unknown-destination',
            `${label} ${q(text)}: Chromium does not support the destination ${q(t)} (it supports only script) and ignores it${t === 'style' ? ', so stylesheets without integrity are neither blocked nor reported' : ''}.`,
            text);
        }
      } else if (key === 'sources') {
        if (t !== 'inline') {
          ctx.out.diag(header, 'integrity-policy-unknown-source',
            `${label} ${q(text)}: the only source Chromium supports is inline; ${q(t)} is ignored. Write ${q('sources=(inline)')} or leave sources out.`,
            text);
        }
      } else {
        endpoints.push(t);
      }
    }
  }

  if (destinations.length === 0) {
    ctx.out.diag(header, 'integrity-policy-no-destinations',
      `${label} has no supported blocked destination, so it neither blocks nor reports anything; add ${q('blocked-destinations=(script)')}.`,
      value);
    return;
  }
  if (endpoints.length === 0) {
    if (reportOnly) {
      ctx.out.diag(header, 'integrity-policy-report-only-no-endpoints',
        `${label} has no endpoints, so scripts without integrity metadata are only logged to the console; add ${q('endpoints=(integrity)')} and a Reporting-Endpoints entry of that name.`,
        value);
    } else {
      ctx.out.diag(header, 'integrity-policy-no-endpoints',
        `${label} has no endpoints: scripts without integrity metadata are blocked but not reported; add ${q('endpoints=(integrity)')} and a Reporting-Endpoints entry of that name to hear about them.`,
        value);
    }
    return;
  }
  const detail = `blocked-destinations=(${destinations.join(' ')})`;
  for (const name of endpoints) {
    checkEndpointName(ctx, 'integrity-policy', header, label, name, (n) => `endpoints=(${n})`);
    ctx.out.ref({
      reportType: 'integrity-violation', endpointName: name, header, detail, reportOnly,
      namespace: 'endpoints-or-groups',
    });
  }
}

// ─── Entry point ─────────────────────────────────────────────────────────────────────────────────────────────────

type Handler = (ctx: Context, header: string, values: string[]) => void;

/** In a fixed order, so results do not depend on the order headers arrived in. */
const HANDLERS: [string, Handler][] = [
  ['content-security-policy', (c, h, v) => parseCsp(c, h, v, false)],
  ['content-security-policy-report-only', (c, h, v) => parseCsp(c, h, v, true)],
  ['nel', (c, h, v) => parseNel(c, h, v)],
  ['cross-origin-opener-policy', (c, h, v) => parseCoopCoep(c, 'coop', h, v, false)],
  ['cross-origin-opener-policy-report-only', (c, h, v) => parseCoopCoep(c, 'coop', h, v, true)],
  ['cross-origin-embedder-policy', (c, h, v) => parseCoopCoep(c, 'coep', h, v, false)],
  ['cross-origin-embedder-policy-report-only', (c, h, v) => parseCoopCoep(c, 'coep', h, v, true)],
  ['permissions-policy', (c, h, v) => parsePermissionsPolicy(c, h, v, false)],
  ['permissions-policy-report-only', (c, h, v) => parsePermissionsPolicy(c, h, v, true)],
  ['document-policy', (c, h, v) => parseDocumentPolicy(c, h, v, false)],
  ['document-policy-report-only', (c, h, v) => parseDocumentPolicy(c, h, v, true)],
  ['integrity-policy', (c, h, v) => parseIntegrityPolicy(c, h, v, false)],
  ['integrity-policy-report-only', (c, h, v) => parseIntegrityPolicy(c, h, v, true)],
];
const HANDLED = new Set(HANDLERS.map(([name]) => name));

/**
 * Parses CSP (+Report-Only), NEL, COOP/COEP (+Report-Only), Permissions-Policy (+Report-Only),
 * Document-Policy (+Report-Only) and Integrity-Policy (+Report-Only): which report type goes to which endpoint name.
 */
export function parseReferencingHeaders(headers: CapturedHeader[], documentUrl: string): ReferencingHeadersResult {
  const out = new Collector();
  const url = typeof documentUrl === 'string' ? documentUrl : '';
  const doc = parseUrl(url);
  const ctx: Context = {
    out, documentUrl: url, doc,
    https: doc?.protocol === 'https:' || doc?.protocol === 'wss:',
    trustworthy: isPotentiallyTrustworthy(doc),
  };

  const byName = new Map<string, string[]>();
  for (const h of Array.isArray(headers) ? headers : []) {
    if (!h || typeof h !== 'object' || typeof h.name !== 'string') continue;
    const name = trimAscii(h.name).toLowerCase();
    if (!HANDLED.has(name)) continue;
    const value = typeof h.value === 'string' ? h.value : String(h.value ?? '');
    const list = byName.get(name);
    if (list) list.push(value);
    else byName.set(name, [value]);
  }

  for (const [name, handler] of HANDLERS) {
    const values = byName.get(name);
    if (!values) continue;
    try {
      handler(ctx, name, values);
    } catch (e) {
      // Defence in depth: a parser bug must show up as a diagnostic, never break the caller.
      out.diag(name, 'referencing-unreadable-header',
        `The header could not be read (${clip(e instanceof Error ? e.message : String(e), 80)}); please report this value to the Report Inspector project.`,
        values.join(', '));
    }
  }
  return out.result();
}
