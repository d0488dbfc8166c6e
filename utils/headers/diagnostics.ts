/**
 * The diagnostics kit every header parser uses: one typed code table (code → severity and meaning), one collector
 * that places each diagnostic (header, exact offsets of the offending bytes, what Chromium drops) and bounds the
 * list, and the small text helpers messages share. Pure.
 *
 * Severity is decided here, per code, never at the call site: one fault has one severity on every screen.
 */
import type { Dropped, HeaderDiagnostic, Severity } from './types';

const TABLE = {
  // Report-To
  'report-to-empty': [
    'warning',
    'The Report-To header is empty: Chromium reads it as `[]` and removes every group the origin set before.',
  ],
  'report-to-insecure-response': ['error', 'Report-To on a non-HTTPS response is ignored by Chromium.'],
  'report-to-too-large': ['error', 'Report-To over 16 KiB is ignored by Chromium.'],
  'report-to-invalid-json': [
    'error',
    'The value is not valid JSON (Chromium parses `[` + value + `]`: a number beyond double range or a lone surrogate escape counts too); the whole header is ignored.',
  ],
  'report-to-too-deep': [
    'error',
    'JSON nested 5 containers deep, counting the `[ ]` Chromium wraps around the value; the whole header is ignored.',
  ],
  'report-to-group-not-object': ['warning', 'A group is not a JSON object; it is ignored.'],
  'report-to-group-name-invalid': ['warning', '`group` is not a string; the group is ignored.'],
  'report-to-duplicate-group': ['warning', 'Two groups share a name; Chromium merges them.'],
  'report-to-duplicate-key': ['warning', 'A JSON member appears twice; the last one wins.'],
  'report-to-max-age-missing': ['error', '`max_age` is missing; the whole group is ignored.'],
  'report-to-max-age-invalid': [
    'error',
    '`max_age` is not a non-negative 32-bit integer written without fraction or exponent; the whole group is ignored.',
  ],
  'report-to-group-removed': ['info', '`max_age: 0` removes the group from the origin.'],
  'report-to-include-subdomains-not-boolean': [
    'warning',
    '`include_subdomains` counts only when it is literally `true`.',
  ],
  'report-to-include-subdomains-no-registrable-domain': [
    'error',
    '`include_subdomains: true` on a host without a registrable domain (`localhost`, IPv6 addresses, a public suffix): Chromium rejects the group.',
  ],
  'report-to-endpoints-missing': ['error', '`endpoints` is missing or not an array; the group is ignored.'],
  'report-to-endpoint-not-object': ['warning', 'An endpoint is not a JSON object; it is ignored.'],
  'report-to-endpoint-url-missing': ['warning', 'An endpoint has no string `url`; it is ignored.'],
  'report-to-endpoint-url-invalid': [
    'warning',
    'An endpoint URL is neither absolute nor a path with exactly one leading `/`; it is ignored.',
  ],
  'report-to-endpoint-insecure': ['warning', 'An endpoint URL is not HTTPS; Chromium drops it.'],
  'report-to-endpoint-priority-invalid': [
    'warning',
    '`priority` is not a non-negative integer (`-0` counts as not an integer); the endpoint is ignored.',
  ],
  'report-to-endpoint-weight-invalid': [
    'warning',
    '`weight` is not a non-negative integer (`-0` counts as not an integer); the endpoint is ignored.',
  ],
  'report-to-endpoint-duplicate': [
    'info',
    'An endpoint URL appears twice in a group (or in merged groups); Chromium keeps the last copy.',
  ],
  'report-to-group-no-endpoints': [
    'error',
    'A group has no valid endpoint; Chromium ignores it (and removes the group it replaces).',
  ],
  'report-to-unknown-member': ['info', 'A member Chromium does not know is ignored (often a misplaced `url`).'],
  'report-to-no-valid-groups': [
    'error',
    'No valid group: Chromium removes every Report-To group this origin set before.',
  ],
  // Reporting-Endpoints
  'reporting-endpoints-empty': ['warning', 'The Reporting-Endpoints header is empty.'],
  'reporting-endpoints-insecure-document': [
    'error',
    'Reporting-Endpoints on a non-HTTPS document is ignored by Chromium.',
  ],
  'reporting-endpoints-invalid': [
    'error',
    'Not a valid structured-field dictionary (RFC 9651); the whole header is ignored.',
  ],
  'reporting-endpoints-uppercase-key': [
    'error',
    'An endpoint name has uppercase letters; structured-field keys must be lower-case, so the whole header is ignored.',
  ],
  'reporting-endpoints-non-string': [
    'error',
    'A member is not a quoted string; Chromium rejects the whole header (the spec would skip the member).',
  ],
  'reporting-endpoints-duplicate-key': ['warning', 'An endpoint name appears twice; the last one wins.'],
  'reporting-endpoints-url-empty': ['warning', 'An endpoint URL is empty; it is ignored.'],
  'reporting-endpoints-url-invalid': [
    'warning',
    'An endpoint URL is neither absolute nor a path with exactly one leading `/`; it is ignored.',
  ],
  'reporting-endpoints-insecure-endpoint': ['warning', 'An endpoint URL is not HTTPS; Chromium drops it.'],
  'reporting-endpoints-no-valid-endpoints': ['error', 'No endpoint survived; the header configures nothing.'],
  // Both endpoint headers
  'endpoint-url-escaped': [
    'info',
    'Chromium percent-encodes `|` and `^` in an endpoint path (the URL Standard leaves them): reports go to the encoded URL.',
  ],
  // Content-Security-Policy (+ -Report-Only)
  'csp-uppercase-endpoint-name': [
    'warning',
    'CSP `report-to` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'csp-endpoint-name-not-key': [
    'warning',
    'CSP `report-to` names an endpoint that is not a valid Reporting-Endpoints name, so only a Report-To group can match it.',
  ],
  'csp-report-to-extra-tokens': ['warning', 'CSP `report-to` lists more than one name; Chromium uses only the first.'],
  'csp-report-to-empty': [
    'warning',
    'CSP `report-to` has no name; Chromium then sends no reports for that policy at all, not even to `report-uri`.',
  ],
  'csp-report-uri-ignored': [
    'info',
    'The policy has both `report-to` and `report-uri`; Chromium uses `report-to` and ignores `report-uri` (CSP3).',
  ],
  'csp-report-uri-only': [
    'info',
    'The policy reports only through the deprecated `report-uri`; consider adding `report-to`.',
  ],
  'csp-report-uri-invalid': ['warning', 'A `report-uri` target is not a valid http(s) URL and is ignored.'],
  'csp-report-uri-mixed-content': [
    'warning',
    'An `http:` `report-uri` target on an HTTPS page is ignored by Chromium as mixed content.',
  ],
  'csp-duplicate-directive': [
    'warning',
    'A directive appears twice in one policy; the first wins and later ones are ignored.',
  ],
  'csp-invalid-directive-value': [
    'warning',
    'A reporting directive contains characters outside printable ASCII, so Chromium ignores the whole directive.',
  ],
  'csp-misspelt-reporting-directive': [
    'warning',
    'A directive looks like `report-to` or `report-uri` but is misspelt, so Chromium ignores it.',
  ],
  'csp-report-only-without-endpoint': [
    'info',
    'A Content-Security-Policy-Report-Only policy has neither `report-to` nor `report-uri`: violations only reach the console.',
  ],
  // NEL
  'nel-invalid-json': ['error', 'NEL is not valid JSON (or nests 4 containers deep); Chromium ignores it.'],
  'nel-repeated': [
    'error',
    'NEL was sent more than once; Chromium joins the values into invalid JSON and ignores NEL entirely.',
  ],
  'nel-not-object': ['error', 'NEL is JSON but not a single object; Chromium ignores it.'],
  'nel-too-large': ['error', 'NEL is larger than 16 KiB; Chromium ignores it.'],
  'nel-missing-max-age': ['error', 'NEL has no `max_age`; Chromium ignores the policy.'],
  'nel-bad-max-age': ['error', 'NEL `max_age` is not a non-negative integer; Chromium ignores the policy.'],
  'nel-missing-report-to': ['error', 'NEL has no `report_to`; Chromium ignores the policy.'],
  'nel-bad-report-to': ['error', 'NEL `report_to` is not a string; Chromium ignores the policy.'],
  'nel-bad-fraction': ['warning', 'NEL `success_fraction`/`failure_fraction` is not a number between 0 and 1.'],
  'nel-bad-include-subdomains': ['warning', 'NEL `include_subdomains` is not a JSON boolean, so it counts as false.'],
  'nel-include-subdomains-no-registrable-domain': [
    'error',
    'NEL `include_subdomains` on a host without a registrable domain (`localhost`, IPv6 addresses, a public suffix): Chromium rejects the policy.',
  ],
  'nel-unknown-key': [
    'warning',
    'NEL contains a misspelt member (e.g. `report-to` instead of `report_to`), which Chromium ignores.',
  ],
  'nel-ignored-insecure': ['error', 'NEL on a non-HTTPS response is ignored by Chromium.'],
  'nel-max-age-zero': ['info', "NEL `max_age: 0` removes the origin's NEL policy instead of setting one."],
  // Cross-Origin-Opener-Policy (+ -Report-Only)
  'coop-invalid': [
    'error',
    'Cross-Origin-Opener-Policy is not a structured-field token (or was sent twice); Chromium ignores it.',
  ],
  'coop-unknown-value': [
    'warning',
    'Cross-Origin-Opener-Policy has a value Chromium does not know; it acts as `unsafe-none`.',
  ],
  'coop-report-to-token': [
    'warning',
    'COOP `report-to` is an unquoted token; Chromium only accepts a quoted string and ignores it.',
  ],
  'coop-report-to-not-string': ['warning', 'COOP `report-to` is not a string; Chromium ignores it.'],
  'coop-uppercase-endpoint-name': [
    'warning',
    'COOP `report-to` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'coop-endpoint-name-not-key': [
    'warning',
    'COOP `report-to` names an endpoint that is not a valid Reporting-Endpoints name.',
  ],
  'coop-ignored-insecure': ['error', 'Cross-Origin-Opener-Policy on a page that is not a secure context is ignored.'],
  // Cross-Origin-Embedder-Policy (+ -Report-Only)
  'coep-invalid': [
    'error',
    'Cross-Origin-Embedder-Policy is not a structured-field token (or was sent twice); Chromium ignores it.',
  ],
  'coep-unknown-value': [
    'warning',
    'Cross-Origin-Embedder-Policy has a value Chromium does not know; it acts as `unsafe-none` and never reports.',
  ],
  'coep-report-to-token': [
    'warning',
    'COEP `report-to` is an unquoted token; Chromium only accepts a quoted string and ignores it.',
  ],
  'coep-report-to-not-string': ['warning', 'COEP `report-to` is not a string; Chromium ignores it.'],
  'coep-report-to-unused': ['warning', 'COEP `unsafe-none` never produces reports, so its `report-to` is ignored.'],
  'coep-uppercase-endpoint-name': [
    'warning',
    'COEP `report-to` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'coep-endpoint-name-not-key': [
    'warning',
    'COEP `report-to` names an endpoint that is not a valid Reporting-Endpoints name.',
  ],
  'coep-ignored-insecure': ['error', 'Cross-Origin-Embedder-Policy on a page that is not a secure context is ignored.'],
  // Permissions-Policy (+ -Report-Only)
  'permissions-policy-invalid': [
    'error',
    'Permissions-Policy is not a structured-field dictionary; Chromium ignores the whole header.',
  ],
  'permissions-policy-too-large': [
    'error',
    'Permissions-Policy is longer than 65,536 characters; Chromium ignores it.',
  ],
  'permissions-policy-report-to-not-token': [
    'warning',
    'Permissions-Policy `report-to` must be an unquoted token; Chromium ignores it and reports to `default`.',
  ],
  'permissions-policy-report-to-misplaced': [
    'warning',
    'Permissions-Policy `report-to` is inside the allowlist parentheses, where Chromium ignores it.',
  ],
  'permissions-policy-bad-allowlist-item': [
    'warning',
    'A Permissions-Policy allowlist item is not `*`, `self` or a quoted origin; Chromium ignores it.',
  ],
  'permissions-policy-uppercase-endpoint-name': [
    'warning',
    'Permissions-Policy `report-to` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'permissions-policy-endpoint-name-not-key': [
    'warning',
    'Permissions-Policy `report-to` names an endpoint that is not a valid Reporting-Endpoints name.',
  ],
  // Document-Policy (+ -Report-Only)
  'document-policy-invalid': [
    'error',
    'Document-Policy is not a structured-field dictionary; Chromium ignores the whole header.',
  ],
  'document-policy-report-to-member': [
    'warning',
    'Document-Policy has a top-level `report-to` member; Chromium reads the default endpoint from `*;report-to=name` only.',
  ],
  'document-policy-report-to-not-token': [
    'warning',
    'Document-Policy `report-to` is not a token; Chromium drops the whole feature entry.',
  ],
  'document-policy-unknown-feature': [
    'warning',
    'Document-Policy names a feature Chromium does not recognise; it is ignored.',
  ],
  'document-policy-bad-value': [
    'warning',
    'A Document-Policy feature has a value of the wrong type; Chromium ignores the entry.',
  ],
  'document-policy-no-report-to': [
    'info',
    'Document-Policy names no endpoint: violations only reach ReportingObserver, nothing is sent.',
  ],
  'document-policy-uppercase-endpoint-name': [
    'warning',
    'Document-Policy `report-to` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'document-policy-endpoint-name-not-key': [
    'warning',
    'Document-Policy `report-to` names an endpoint that is not a valid Reporting-Endpoints name.',
  ],
  // Integrity-Policy (+ -Report-Only)
  'integrity-policy-invalid': ['error', 'Integrity-Policy is not a structured-field dictionary; Chromium ignores it.'],
  'integrity-policy-not-list': [
    'warning',
    'An Integrity-Policy member is not a parenthesised list; Chromium ignores it.',
  ],
  'integrity-policy-not-token': [
    'warning',
    'An Integrity-Policy list item is a quoted string; Chromium only accepts tokens and ignores it.',
  ],
  'integrity-policy-unknown-key': ['warning', 'Integrity-Policy has a member Chromium does not know; it is ignored.'],
  'integrity-policy-unknown-destination': [
    'warning',
    'Integrity-Policy blocks a destination Chromium does not support; it is ignored.',
  ],
  'integrity-policy-unknown-source': [
    'warning',
    'Integrity-Policy names a source other than `inline`; Chromium ignores it.',
  ],
  'integrity-policy-no-destinations': [
    'warning',
    'Integrity-Policy has no supported blocked destination, so it neither blocks nor reports anything.',
  ],
  'integrity-policy-no-endpoints': [
    'info',
    'Integrity-Policy has no `endpoints`: violations are blocked but not reported.',
  ],
  'integrity-policy-report-only-no-endpoints': [
    'warning',
    'Integrity-Policy-Report-Only has no `endpoints`, so it has no effect beyond the console.',
  ],
  'integrity-policy-uppercase-endpoint-name': [
    'warning',
    'Integrity-Policy `endpoints` names an endpoint with upper-case letters, which no Reporting-Endpoints name can match.',
  ],
  'integrity-policy-endpoint-name-not-key': [
    'warning',
    'Integrity-Policy `endpoints` names an endpoint that is not a valid Reporting-Endpoints name.',
  ],
  // Bounds
  'diagnostics-truncated': ['info', 'More problems were found than are listed.'],
  'referencing-references-truncated': [
    'info',
    'Too many endpoint references in these headers; the rest are not listed.',
  ],
  'referencing-unreadable-header': ['error', 'A header could not be read at all (an internal problem of the product).'],
} as const satisfies Record<string, readonly [Severity, string]>;

/** Every code a header parser emits. */
export type DiagnosticCode = keyof typeof TABLE;

function mapTable<T>(pick: (entry: readonly [Severity, string]) => T): Readonly<Record<DiagnosticCode, T>> {
  const out = {} as Record<DiagnosticCode, T>;
  for (const code of Object.keys(TABLE) as DiagnosticCode[]) out[code] = pick(TABLE[code]);
  return Object.freeze(out);
}

/** Every code the header parsers emit, with a one-line meaning (for the README and the panel). */
export const DIAGNOSTIC_CODES: Readonly<Record<DiagnosticCode, string>> = mapTable((e) => e[1]);

/** The one severity each code is emitted with. */
export const DIAGNOSTIC_SEVERITY: Readonly<Record<DiagnosticCode, Severity>> = mapTable((e) => e[0]);

/** Where a diagnostic points and what it means for Chromium's state (see {@link Diagnostic}). */
export interface DiagnosticFacts {
  /** The header value the offsets are in; with `start`/`end` it gives the excerpt. */
  value?: string;
  start?: number;
  end?: number;
  /** An excerpt when no offsets can be given (e.g. a value of another response). */
  excerpt?: string;
  ignored?: boolean;
  dropped?: Dropped;
  endpointName?: string;
}

/** Longest excerpt kept for display (offsets stay exact). */
export const EXCERPT_CHARS = 160;

/**
 * Collects the diagnostics of one parse: severity from the code table, the header named, duplicates folded, at most
 * `max` kept (the last place says how many more there were).
 */
export class DiagnosticCollector {
  private readonly list: HeaderDiagnostic[] = [];
  private readonly keys = new Set<string>();
  private dropped = 0;

  constructor(
    private readonly header: string,
    private readonly max = 100,
  ) {}

  /** No more diagnostics are kept (later ones are only counted). */
  get full(): boolean {
    return this.list.length >= this.max - 1;
  }

  add(code: DiagnosticCode, message: string, facts: DiagnosticFacts = {}, header = this.header): void {
    if (this.full) {
      this.dropped++;
      return;
    }
    const { value, start, end } = facts;
    const hasSpan =
      value !== undefined &&
      start !== undefined &&
      end !== undefined &&
      start >= 0 &&
      end >= start &&
      end <= value.length;
    const raw = hasSpan ? value.slice(start, end) : facts.excerpt;
    const excerpt = raw === undefined || raw === '' ? undefined : clip(raw, EXCERPT_CHARS);
    const key = `${header}\u0000${code}\u0000${message}\u0000${hasSpan ? `${start}:${end}` : (excerpt ?? '')}`;
    if (this.keys.has(key)) return;
    this.keys.add(key);
    const d: HeaderDiagnostic = { severity: DIAGNOSTIC_SEVERITY[code], code, message, header };
    if (excerpt !== undefined) d.excerpt = excerpt;
    if (hasSpan) {
      d.start = start;
      d.end = end;
    }
    d.ignored = facts.ignored ?? false;
    if (facts.dropped !== undefined) d.dropped = facts.dropped;
    if (facts.endpointName !== undefined) d.endpointName = facts.endpointName;
    this.list.push(d);
  }

  /** The diagnostics, plus a note when some were left out. */
  done(): HeaderDiagnostic[] {
    if (this.dropped > 0) {
      this.list.push({
        severity: DIAGNOSTIC_SEVERITY['diagnostics-truncated'],
        code: 'diagnostics-truncated',
        header: this.header,
        message: `${this.dropped} more problems are not listed. Fix the ones above first.`,
        ignored: false,
        dropped: 'nothing',
      });
      this.dropped = 0;
    }
    return this.list;
  }
}

/** Makes a piece of a header safe and short enough to quote (control characters escaped, at most `max` characters). */
export function clip(s: string, max = 120): string {
  let out = '';
  let i = 0;
  for (; i < s.length && out.length <= max; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c === 0x7f ? `\\x${c.toString(16).padStart(2, '0')}` : (s[i] ?? '');
  }
  return i === s.length && out.length <= max ? out : `${out.slice(0, max - 1)}…`;
}

/** Quotes a piece of a header as code (the panel renders backticks as code). */
export function q(s: string, max = 60): string {
  return `\`${clip(s, max)}\``;
}

/** UTF-8 length of a string, counting up to `stopAfter` at most (enough to decide a limit). */
export function utf8Length(s: string, stopAfter = Infinity): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
    if (n > stopAfter) return n;
  }
  return n;
}
