/**
 * What the parsers of the headers that *reference* endpoints (CSP, NEL, COOP/COEP, Permissions-, Document- and
 * Integrity-Policy) share: the result collector (references, legacy report-uri targets, diagnostics placed at the
 * offending bytes), the parse context and small text and structured-field helpers. Pure.
 */
import { parseDictionary, Token } from 'structured-headers';
import type { BareItem, Dictionary } from 'structured-headers';
import type { Dropped, HeaderDiagnostic, RouteReference } from './types';
import { HEADER_LIMITS } from './types';
import { DiagnosticCollector, clip, q, type DiagnosticCode } from './diagnostics';
import { firstInvalidMember, lastMemberByKey, memberSpans, type MemberSpan } from './sf-members';

export { clip, q };

export interface ReferencingHeadersResult {
  /** One per (report type, header, endpoint name, feature/directive). */
  references: RouteReference[];
  /** Legacy CSP `report-uri` targets that Chromium will use: absolute, WHATWG-serialised, de-duplicated. */
  reportUris: string[];
  diagnostics: HeaderDiagnostic[];
}

export const MAX_REFERENCES = 500;

/** Where a diagnostic points (beyond its excerpt) and what it means for Chromium's state. */
export interface Facts {
  /** Search for the excerpt from this offset of the header value (the place the parser is reading). */
  at?: number;
  /** Exact offsets in the header value, when the parser knows them. */
  start?: number;
  end?: number;
  endpointName?: string;
  dropped?: Dropped;
  ignored?: boolean;
}

/** Collects what the referencing parsers find; diagnostics are placed in the (combined) value of their header. */
export class Collector {
  readonly references: RouteReference[] = [];
  readonly reportUris: string[] = [];
  private readonly referenceKeys = new Set<string>();
  private readonly uriKeys = new Set<string>();
  private readonly values = new Map<string, string>();
  // One place stays free for the note that says references were left out.
  private readonly diags = new DiagnosticCollector('(headers)', HEADER_LIMITS.diagnosticsPerDocument - 1);
  private droppedReferences = 0;

  /** The value of `header` that offsets refer to (repeated headers joined by `, `). */
  setValue(header: string, value: string): void {
    this.values.set(header, value);
  }

  /** A diagnostic; `excerpt` is the offending text as written, found in the header value from `facts.at`. */
  diag(header: string, code: DiagnosticCode, message: string, excerpt?: string, facts: Facts = {}): void {
    if (this.diags.full) {
      this.diags.add(code, message);
      return;
    }
    const value = this.values.get(header);
    const { at, start, end, ...rest } = facts;
    let span: { start: number; end: number } | null = null;
    if (value !== undefined && start !== undefined && end !== undefined) span = { start, end };
    else if (value !== undefined && excerpt !== undefined && excerpt !== '') {
      let i = value.indexOf(excerpt, at ?? 0);
      if (i < 0 && at !== undefined) i = value.indexOf(excerpt);
      if (i >= 0) span = { start: i, end: i + excerpt.length };
    }
    this.diags.add(code, message, span ? { ...rest, value, ...span } : { ...rest, excerpt }, header);
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
    const diagnostics = this.diags.done();
    if (this.droppedReferences > 0) {
      diagnostics.push({
        header: '(headers)',
        severity: 'info',
        code: 'referencing-references-truncated',
        ignored: false,
        dropped: 'nothing',
        message: `${this.droppedReferences} more endpoint references are not listed: these headers name more than ${MAX_REFERENCES}. Simplify the policies to see them all.`,
      });
    }
    return { references: this.references, reportUris: this.reportUris, diagnostics };
  }
}

export interface Context {
  out: Collector;
  documentUrl: string;
  doc: URL | null;
  /** HTTPS (or WSS) document: NEL needs a cryptographic scheme. */
  https: boolean;
  /** Secure context: COOP and COEP apply only there. */
  trustworthy: boolean;
}

/** Reporting-Endpoints names are structured-field keys (RFC 9651 §3.2). */
export const SF_KEY = /^[a-z*][a-z0-9_\-.*]*$/;

export function isAsciiWhitespace(c: number): boolean {
  // Chromium's kWhitespaceASCII: \t \n \v \f \r and space.
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** Trims ASCII whitespace without a regular expression (no backtracking on huge inputs). */
export function trimAscii(s: string): string {
  const { start, end } = trimmedSpan(s, 0, s.length);
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** The part of `s.slice(start, end)` without ASCII whitespace at either end, as offsets in `s`. */
export function trimmedSpan(s: string, start: number, end: number): { start: number; end: number } {
  while (start < end && isAsciiWhitespace(s.charCodeAt(start))) start++;
  while (end > start && isAsciiWhitespace(s.charCodeAt(end - 1))) end--;
  return { start, end };
}

/**
 * Pieces of `s.slice(start, end)` between `sep`, trimmed, with their offsets in `s`, one at a time: a 1 MB value of
 * separators is a million pieces, and none of them outlives its turn.
 */
export function* splitWithOffsets(
  s: string,
  sep: string,
  start = 0,
  end = s.length,
): Generator<{ text: string; start: number; end: number }, void, undefined> {
  const c = sep.charCodeAt(0);
  let from = start;
  for (let i = start; i <= end; i++) {
    if (i < end && s.charCodeAt(i) !== c) continue;
    const t = trimmedSpan(s, from, i);
    yield { text: s.slice(t.start, t.end), start: t.start, end: t.end };
    from = i + 1;
  }
}

export function splitAsciiWhitespace(s: string): string[] {
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

export function firstAsciiWhitespace(s: string): number {
  for (let i = 0; i < s.length; i++) if (isAsciiWhitespace(s.charCodeAt(i))) return i;
  return -1;
}

export function hasUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return true;
  }
  return false;
}

/** A name someone could use instead of one that cannot be a Reporting-Endpoints key. */
export function keyLike(name: string): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9_\-.*]/g, '-');
  let i = 0;
  while (i < lower.length && !/[a-z*]/.test(lower[i] ?? '')) i++;
  return lower.slice(i) || 'default';
}

export function parseUrl(url: string, base?: string): URL | null {
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
export function isPotentiallyTrustworthy(url: URL | null): boolean {
  if (!url) return false;
  if (url.protocol === 'https:' || url.protocol === 'wss:' || url.protocol === 'file:') return true;
  return (url.protocol === 'http:' || url.protocol === 'ws:') && isLocalHost(url.hostname);
}

export function bareItemText(item: BareItem): string {
  if (item instanceof Token) return item.toString();
  if (typeof item === 'string') return `"${item}"`;
  if (typeof item === 'number' || typeof item === 'boolean') return String(item);
  return '(non-text value)';
}

export function describeType(item: BareItem): string {
  if (item instanceof Token) return 'a token';
  if (typeof item === 'string') return 'a string';
  if (typeof item === 'number') return Number.isInteger(item) ? 'an integer' : 'a decimal';
  if (typeof item === 'boolean') return 'a boolean';
  return 'a byte sequence or other value';
}

/** The members of a structured-field dictionary as written, by key (the last occurrence, as the parser keeps). */
export class WrittenMembers {
  private readonly byKey: Map<string, MemberSpan>;
  constructor(readonly value: string) {
    this.byKey = lastMemberByKey(memberSpans(value));
  }
  /** The member `key` as written (`key=(…);params`), or the key alone if it cannot be found. */
  text(key: string): string {
    const s = this.byKey.get(key);
    return s ? this.value.slice(s.start, s.end) : key;
  }
  /** Exact offsets of the member `key`. */
  facts(key: string): Facts {
    const s = this.byKey.get(key);
    return s ? { start: s.start, end: s.end } : {};
  }
}

export type Family = 'csp' | 'coop' | 'coep' | 'permissions-policy' | 'document-policy' | 'integrity-policy';

/**
 * Upper-case or otherwise non-key names can never match a `Reporting-Endpoints` entry, whose names are
 * structured-field keys; they can still match a `Report-To` group of exactly that name.
 */
export function checkEndpointName(
  ctx: Context,
  family: Family,
  header: string,
  label: string,
  name: string,
  written: (n: string) => string,
  facts: Facts = {},
): void {
  const excerpt = written(name);
  const about = { ...facts, endpointName: name, dropped: 'nothing' as const };
  if (hasUpper(name)) {
    const lower = name.toLowerCase();
    ctx.out.diag(
      header,
      `${family}-uppercase-endpoint-name`,
      `${label} ${q(excerpt)}: endpoint names in \`Reporting-Endpoints\` are lower-case structured-field keys, so ${q(name)} can never match one; write ${q(written(lower))} (it can still match a \`Report-To\` group named exactly ${q(name)}).`,
      excerpt,
      about,
    );
  } else if (!SF_KEY.test(name)) {
    ctx.out.diag(
      header,
      `${family}-endpoint-name-not-key`,
      `${label} ${q(excerpt)}: ${name === '' ? 'an empty name' : q(name)} is not a valid \`Reporting-Endpoints\` name (names start with a-z or \`*\` and contain only a-z, 0-9, \`_\`, \`-\`, \`.\` and \`*\`), so only a \`Report-To\` group of exactly that name can receive these reports; rename the endpoint, e.g. ${q(written(keyLike(name)))}.`,
      excerpt,
      about,
    );
  }
}

/** Parses a structured-field dictionary, or says which member makes it invalid (the whole header is then ignored). */
export function structuredDictionary(
  ctx: Context,
  header: string,
  value: string,
  code: DiagnosticCode,
  label: string,
  example: string,
  hint = '',
): Dictionary | null {
  try {
    return parseDictionary(value);
  } catch {
    const bad = firstInvalidMember(value, parseDictionary);
    const facts: Facts = { ignored: true, dropped: 'header' };
    let where = '';
    if (bad?.empty) {
      const comma = Math.max(0, value.lastIndexOf(',', bad.span.start));
      where = ` (an empty member: a stray comma at character ${comma + 1})`;
      Object.assign(facts, { start: comma, end: comma + 1 });
    } else if (bad) {
      where = ` (${q(value.slice(bad.span.start, bad.span.end))} at character ${bad.span.start + 1} is not a valid member)`;
      Object.assign(facts, { start: bad.span.start, end: bad.span.end });
    } else {
      Object.assign(facts, { start: 0, end: value.length });
    }
    ctx.out.diag(
      header,
      code,
      `${label} is not a valid structured-field dictionary${where}, so Chromium ignores the whole header.${hint} Write members such as ${q(example)}.`,
      undefined,
      facts,
    );
    return null;
  }
}
