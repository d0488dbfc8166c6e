/**
 * `Report-To` and `Reporting-Endpoints` parsed exactly as Chromium keeps them, with diagnostics that say what is
 * wrong and how to fix it. Pure: no browser globals.
 *
 * Chromium: net/reporting/reporting_header_parser.cc, net/reporting/reporting_service.cc.
 * Spec: https://w3c.github.io/reporting/#header (Reporting-Endpoints), and the 2018 draft for Report-To.
 */
import { parseDictionary, Token, type InnerList, type Item } from 'structured-headers';
import type { Diagnostic, NamedEndpoint, ReportToEndpoint, ReportToGroup } from './types';
import { HEADER_LIMITS } from './types';
import { isJsonNumber, isJsonObject, jsonPreview, parseStrictJson, type JsonObject, type JsonValue } from './strict-json';

export interface ReportToResult {
  groups: ReportToGroup[];
  removedGroups: string[];
  diagnostics: Diagnostic[];
}

export interface ReportingEndpointsResult {
  endpoints: NamedEndpoint[];
  diagnostics: Diagnostic[];
}

/** Chromium's `Report-To` JSON depth limit (reporting_service.cc kMaxJsonDepth), counting the wrapping `[...]`. */
const REPORT_TO_MAX_DEPTH = 5;
const INT32_MAX = 2147483647;
const MAX_DIAGNOSTICS = 100;

/** Every diagnostic code these parsers emit, with a one-line explanation (for the README and the panel). */
export const REPORTING_DIAGNOSTIC_CODES = {
  'report-to-empty': 'The Report-To header is empty.',
  'report-to-insecure-response': 'Report-To on a non-HTTPS response is ignored by Chromium.',
  'report-to-too-large': 'Report-To over 16 KiB is ignored by Chromium.',
  'report-to-invalid-json': 'The value is not valid JSON (Chromium parses `[` + value + `]`); the whole header is ignored.',
  'report-to-too-deep': 'JSON nested deeper than Chromium allows (5 levels); the whole header is ignored.',
  'report-to-group-not-object': 'A group is not a JSON object; it is ignored.',
  'report-to-group-name-invalid': '`group` is not a string; the group is ignored.',
  'report-to-duplicate-group': 'Two groups share a name; Chromium merges them.',
  'report-to-duplicate-key': 'A JSON member appears twice; the last one wins.',
  'report-to-max-age-missing': '`max_age` is missing; the whole group is ignored.',
  'report-to-max-age-invalid': '`max_age` is not a non-negative 32-bit integer; the whole group is ignored.',
  'report-to-group-removed': '`max_age: 0` removes the group from the origin.',
  'report-to-include-subdomains-not-boolean': '`include_subdomains` counts only when it is literally `true`.',
  'report-to-include-subdomains-no-registrable-domain':
    '`include_subdomains: true` on a host without a registrable domain (localhost, a public suffix): Chromium rejects the group.',
  'report-to-endpoints-missing': '`endpoints` is missing or not an array; the group is ignored.',
  'report-to-endpoint-not-object': 'An endpoint is not a JSON object; it is ignored.',
  'report-to-endpoint-url-missing': 'An endpoint has no string `url`; it is ignored.',
  'report-to-endpoint-url-invalid': 'An endpoint URL is neither absolute nor a path with exactly one leading `/`; it is ignored.',
  'report-to-endpoint-insecure': 'An endpoint URL is not HTTPS; Chromium drops it.',
  'report-to-endpoint-priority-invalid': '`priority` is not a non-negative integer; the endpoint is ignored.',
  'report-to-endpoint-weight-invalid': '`weight` is not a non-negative integer; the endpoint is ignored.',
  'report-to-endpoint-duplicate': 'An endpoint URL appears twice in a group; the copy is ignored.',
  'report-to-group-no-endpoints': 'A group has no valid endpoint; Chromium ignores it (and removes the group it replaces).',
  'report-to-unknown-member': 'A member Chromium does not know is ignored (often a misplaced `url`).',
  'report-to-no-valid-groups': 'No valid group: Chromium removes every Report-To group this origin set before.',
  'reporting-endpoints-empty': 'The Reporting-Endpoints header is empty.',
  'reporting-endpoints-insecure-document': 'Reporting-Endpoints on a non-HTTPS document is ignored by Chromium.',
  'reporting-endpoints-invalid': 'Not a valid structured-field dictionary (RFC 9651); the whole header is ignored.',
  'reporting-endpoints-uppercase-key': 'An endpoint name has uppercase letters; structured-field keys must be lower-case.',
  'reporting-endpoints-non-string': 'A member is not a quoted string; Chromium rejects the whole header (the spec would skip the member).',
  'reporting-endpoints-duplicate-key': 'An endpoint name appears twice; the last one wins.',
  'reporting-endpoints-url-empty': 'An endpoint URL is empty; it is ignored.',
  'reporting-endpoints-url-invalid': 'An endpoint URL is neither absolute nor a path with exactly one leading `/`; it is ignored.',
  'reporting-endpoints-insecure-endpoint': 'An endpoint URL is not HTTPS; Chromium drops it.',
  'reporting-endpoints-no-valid-endpoints': 'No endpoint survived; the header configures nothing.',
  'diagnostics-truncated': 'More problems were found than are listed.',
} as const;

export type ReportingDiagnosticCode = keyof typeof REPORTING_DIAGNOSTIC_CODES;

class Diagnostics {
  readonly list: Diagnostic[] = [];
  private dropped = 0;
  add(severity: Diagnostic['severity'], code: ReportingDiagnosticCode, message: string, excerpt?: string): void {
    if (this.list.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    const d: Diagnostic = { severity, code, message };
    if (excerpt !== undefined && excerpt !== '') d.excerpt = clip(excerpt, 200);
    this.list.push(d);
  }
  done(): Diagnostic[] {
    if (this.dropped > 0) {
      this.list.push({ severity: 'info', code: 'diagnostics-truncated', message: `${this.dropped} more problems not listed.` });
    }
    return this.list;
  }
}

function clip(s: string, max = 120): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The origin of a URL, or null for opaque / unparsable URLs. */
function originOf(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u;
  } catch {
    return null;
  }
}

function isHttps(url: URL | null): boolean {
  return url !== null && url.protocol === 'https:';
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

type EndpointUrl = { ok: true; url: string } | { ok: false; reason: 'invalid' | 'insecure'; message: string };

/**
 * Chromium's ProcessEndpointURLString: a string with exactly one leading `/` is resolved against the origin,
 * anything else must be an absolute URL; the result must be valid and cryptographic (https, wss).
 */
export function resolveEndpointUrl(raw: string, origin: URL): EndpointUrl {
  const leadingSlashes = /^\/*/.exec(raw)![0].length;
  let url: URL;
  try {
    url = leadingSlashes === 1 ? new URL(raw, origin.origin) : new URL(raw);
  } catch {
    const hint =
      leadingSlashes > 1
        ? 'a path must start with exactly one `/` (protocol-relative `//host/...` is not accepted)'
        : 'use an absolute https:// URL or a path starting with `/`';
    return { ok: false, reason: 'invalid', message: `endpoint URL \`${clip(raw)}\` is not valid: ${hint}` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'wss:') {
    const local = url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]');
    return {
      ok: false,
      reason: 'insecure',
      message:
        `endpoint ${clip(url.href)} is not HTTPS: Chromium drops it; serve the collector over https://` +
        (local ? ' (the spec counts http://localhost as potentially trustworthy, Chromium does not)' : ''),
    };
  }
  return { ok: true, url: url.href };
}

/**
 * True when Chromium would refuse `include_subdomains` for this host: it has no registrable domain
 * (net::registry_controlled_domains::GetRegistryLength(...INCLUDE_UNKNOWN_REGISTRIES...) == 0), as for
 * `localhost` or any single-label host. IPv4 addresses pass (their last label counts as an unknown registry).
 * A host that is itself a public suffix (`github.io`) is also refused; that needs the public suffix list,
 * so only the common cases below are recognised.
 */
export function hasNoRegistrableDomain(hostname: string): boolean {
  const host = hostname.replace(/\.$/, '').toLowerCase();
  if (host.startsWith('[')) return false;
  if (!host.includes('.')) return true;
  return COMMON_PUBLIC_SUFFIXES.has(host);
}

const COMMON_PUBLIC_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.jp', 'co.nz', 'com.br', 'com.cn',
  'github.io', 'gitlab.io', 'netlify.app', 'vercel.app', 'pages.dev', 'workers.dev', 'herokuapp.com',
  'appspot.com', 'web.app', 'firebaseapp.com', 'azurewebsites.net', 'cloudfront.net', 'blogspot.com',
]);

/** Parses a `Report-To` header value (repeated headers joined by `, `) as Chromium does. */
export function parseReportTo(value: string, responseUrl: string): ReportToResult {
  const diags = new Diagnostics();
  const groups: ReportToGroup[] = [];
  const removedGroups: string[] = [];
  const result = () => ({ groups, removedGroups, diagnostics: diags.done() });
  const text = typeof value === 'string' ? value : '';

  if (text.trim() === '') {
    diags.add('warning', 'report-to-empty', 'Report-To is empty: it configures nothing. Remove it or give it a JSON group.');
    return result();
  }
  const origin = originOf(responseUrl);
  if (!isHttps(origin)) {
    diags.add(
      'error',
      'report-to-insecure-response',
      `Report-To on ${origin ? origin.protocol.replace(':', '') : 'a non-HTTPS'} response ${clip(responseUrl)} is ignored: Chromium reads it only from HTTPS responses with a valid certificate.`,
    );
    return result();
  }
  const bytes = utf8Length(text);
  if (bytes > HEADER_LIMITS.reportToMaxBytes) {
    diags.add(
      'error',
      'report-to-too-large',
      `Report-To is ${Math.ceil(bytes / 1024)} KiB: Chromium ignores Report-To headers over 16 KiB. Use fewer groups or endpoints, or move to Reporting-Endpoints.`,
    );
    return result();
  }

  // reporting_service.cc: JSONReader::Read("[" + header + "]", JSON_PARSE_RFC, kMaxJsonDepth)
  const parsed = parseStrictJson(`[${text}]`, REPORT_TO_MAX_DEPTH);
  if (!parsed.ok) {
    const at = Math.max(0, Math.min(text.length, parsed.position - 1));
    const near = text.slice(Math.max(0, at - 12), at + 12);
    if (parsed.tooDeep) {
      diags.add(
        'error',
        'report-to-too-deep',
        `Report-To is nested too deeply at position ${at}: Chromium allows 5 levels (including the list it wraps the value in), so the whole header is ignored.`,
        near,
      );
    } else {
      diags.add(
        'error',
        'report-to-invalid-json',
        `invalid JSON at position ${at}: ${parsed.message}. Chromium ignores the whole header; each group must be a JSON object, groups separated by commas.`,
        near,
      );
    }
    return result();
  }

  const list = parsed.value as JsonValue[];
  const byName = new Map<string, ReportToGroup>();
  for (const [index, groupValue] of list.entries()) {
    const label = `group ${index + 1}`;
    if (!isJsonObject(groupValue)) {
      diags.add('warning', 'report-to-group-not-object', `${label} is ${jsonPreview(groupValue, 40)}, not a JSON object: it is ignored.`, jsonPreview(groupValue, 60));
      continue;
    }
    const group = processGroup(groupValue, label, origin!, diags, removedGroups);
    if (!group) continue;
    const existing = byName.get(group.name);
    if (existing) {
      diags.add(
        'warning',
        'report-to-duplicate-group',
        `group "${clip(group.name, 60)}" appears more than once: Chromium merges the copies (endpoints of both, \`max_age\` and \`include_subdomains\` of the last). Write it once.`,
        group.name,
      );
      existing.maxAge = group.maxAge;
      existing.includeSubdomains = group.includeSubdomains;
      for (const e of group.endpoints) {
        if (!existing.endpoints.some((x) => x.url === e.url)) existing.endpoints.push(e);
      }
      continue;
    }
    byName.set(group.name, group);
    groups.push(group);
  }
  // A name both kept and removed (a valid copy and a `max_age: 0` copy) stays: Chromium removes the cached
  // group while parsing, then OnParsedHeader adds the valid copy back.
  if (groups.length === 0) {
    if (removedGroups.length === 0) {
      diags.add(
        'error',
        'report-to-no-valid-groups',
        'Report-To has no valid group: nothing is configured, and Chromium removes every Report-To group this origin set before.',
      );
    }
  }
  return result();
}

function processGroup(
  g: JsonObject,
  label: string,
  origin: URL,
  diags: Diagnostics,
  removedGroups: string[],
): ReportToGroup | null {
  for (const key of g.duplicateKeys) {
    diags.add('warning', 'report-to-duplicate-key', `${label} has \`${clip(key, 40)}\` twice: the last one wins. Keep one.`, key);
  }
  let name = 'default';
  const nameValue = g.members.get('group');
  if (nameValue !== undefined) {
    if (typeof nameValue !== 'string') {
      diags.add('warning', 'report-to-group-name-invalid', `${label}: \`group\` is ${jsonPreview(nameValue, 40)}, not a string: the whole group is ignored. Write "group": "name".`, jsonPreview(nameValue, 40));
      return null;
    }
    name = nameValue;
  }
  const named = `group "${clip(name, 60)}"`;

  const maxAge = g.members.get('max_age');
  if (maxAge === undefined) {
    diags.add('error', 'report-to-max-age-missing', `${named}: \`max_age\` missing: the whole group is ignored. Add "max_age": 86400 (seconds).`, name);
    return null;
  }
  if (!isJsonNumber(maxAge) || !maxAge.isInt || maxAge.value < 0) {
    diags.add(
      'error',
      'report-to-max-age-invalid',
      `${named}: \`max_age\` is ${jsonPreview(maxAge, 40)}: it must be a non-negative whole number of seconds up to ${INT32_MAX}, written without a fraction or exponent; the whole group is ignored.`,
      isJsonNumber(maxAge) ? maxAge.raw : jsonPreview(maxAge, 40),
    );
    return null;
  }
  if (maxAge.value === 0) {
    removedGroups.push(name);
    diags.add('info', 'report-to-group-removed', `${named}: \`max_age: 0\` removes this group from the origin's configuration.`, name);
    return null;
  }

  let includeSubdomains = false;
  const sub = g.members.get('include_subdomains');
  if (sub !== undefined && typeof sub !== 'boolean') {
    diags.add(
      'warning',
      'report-to-include-subdomains-not-boolean',
      `${named}: \`include_subdomains\` is ${jsonPreview(sub, 40)}; Chromium counts it only when it is literally true, so subdomains are not included.`,
      jsonPreview(sub, 40),
    );
  }
  if (sub === true) {
    if (hasNoRegistrableDomain(origin.hostname)) {
      diags.add(
        'error',
        'report-to-include-subdomains-no-registrable-domain',
        `${named}: \`include_subdomains: true\` on ${origin.hostname}, which has no registrable domain: Chromium rejects the whole group. Remove include_subdomains${origin.hostname === 'localhost' ? ', or test on 127.0.0.1' : ''}.`,
        'include_subdomains',
      );
      return null;
    }
    includeSubdomains = true;
  }

  for (const key of g.members.keys()) {
    if (!GROUP_KEYS.has(key)) {
      diags.add(
        'info',
        'report-to-unknown-member',
        `${named}: \`${clip(key, 40)}\` is not a Report-To group member and is ignored${key === 'url' ? '; put URLs inside "endpoints": [{"url": "…"}]' : ''}.`,
        key,
      );
    }
  }

  const list = g.members.get('endpoints');
  if (!Array.isArray(list)) {
    diags.add(
      'error',
      'report-to-endpoints-missing',
      `${named}: \`endpoints\` ${list === undefined ? 'is missing' : 'is not an array'}: the whole group is ignored. Add "endpoints": [{"url": "https://…"}].`,
      list === undefined ? name : jsonPreview(list, 40),
    );
    return null;
  }

  const endpoints: ReportToEndpoint[] = [];
  for (const [i, e] of list.entries()) {
    const at = `${named}, endpoint ${i + 1}`;
    if (!isJsonObject(e)) {
      diags.add('warning', 'report-to-endpoint-not-object', `${at} is ${jsonPreview(e, 40)}, not an object: it is ignored. Write {"url": "https://…"}.`, jsonPreview(e, 60));
      continue;
    }
    const rawUrl = e.members.get('url');
    if (typeof rawUrl !== 'string') {
      diags.add('warning', 'report-to-endpoint-url-missing', `${at} has no string \`url\`: it is ignored.`, jsonPreview(e, 60));
      continue;
    }
    const resolved = resolveEndpointUrl(rawUrl, origin);
    if (!resolved.ok) {
      diags.add(
        'warning',
        resolved.reason === 'insecure' ? 'report-to-endpoint-insecure' : 'report-to-endpoint-url-invalid',
        `${at}: ${resolved.message}.`,
        rawUrl,
      );
      continue;
    }
    const priority = intMember(e, 'priority', 1);
    if (priority === null) {
      diags.add('warning', 'report-to-endpoint-priority-invalid', `${at}: \`priority\` is ${jsonPreview(e.members.get('priority'), 30)}: it must be a non-negative integer; the endpoint is ignored.`, jsonPreview(e.members.get('priority'), 30));
      continue;
    }
    const weight = intMember(e, 'weight', 1);
    if (weight === null) {
      diags.add('warning', 'report-to-endpoint-weight-invalid', `${at}: \`weight\` is ${jsonPreview(e.members.get('weight'), 30)}: it must be a non-negative integer; the endpoint is ignored.`, jsonPreview(e.members.get('weight'), 30));
      continue;
    }
    if (endpoints.some((x) => x.url === resolved.url)) {
      diags.add('info', 'report-to-endpoint-duplicate', `${at}: ${clip(resolved.url)} is listed twice; the copy is ignored.`, rawUrl);
      continue;
    }
    endpoints.push({ url: resolved.url, priority, weight });
  }
  if (endpoints.length === 0) {
    diags.add(
      'error',
      'report-to-group-no-endpoints',
      `${named} has no valid endpoint: Chromium ignores the whole group${list.length === 0 ? ' (the endpoints list is empty)' : ''}. Give it at least one https:// endpoint.`,
      name,
    );
    return null;
  }
  return { name, maxAge: maxAge.value, includeSubdomains, endpoints };
}

const GROUP_KEYS = new Set(['group', 'max_age', 'include_subdomains', 'endpoints']);

/** A non-negative int32 member, its default when absent, or null when present but invalid. */
function intMember(o: JsonObject, key: string, fallback: number): number | null {
  const v = o.members.get(key);
  if (v === undefined) return fallback;
  if (!isJsonNumber(v) || !v.isInt || v.value < 0) return null;
  return v.value;
}

/** Parses a `Reporting-Endpoints` header value (repeated headers joined by `, `) as Chromium does. */
export function parseReportingEndpoints(value: string, responseUrl: string): ReportingEndpointsResult {
  const diags = new Diagnostics();
  const endpoints: NamedEndpoint[] = [];
  const result = () => ({ endpoints, diagnostics: diags.done() });
  const text = typeof value === 'string' ? value : '';

  if (text.trim() === '') {
    diags.add('warning', 'reporting-endpoints-empty', 'Reporting-Endpoints is empty: it configures nothing. Write name="https://…" pairs.');
    return result();
  }
  const origin = originOf(responseUrl);
  if (!isHttps(origin)) {
    diags.add(
      'error',
      'reporting-endpoints-insecure-document',
      `Reporting-Endpoints on ${clip(responseUrl)} is ignored: Chromium registers endpoints only for HTTPS documents (http://localhost included). Serve the page over https://.`,
    );
    return result();
  }

  let dict: Map<string, Item | InnerList>;
  try {
    dict = parseDictionary(text);
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const m = /^Parse error: (.*) at offset (\d+)$/.exec(raw);
    const at = m ? Number(m[2]) : 0;
    const near = text.slice(Math.max(0, at - 12), at + 12);
    const upper = /(?:^|,)\s*([A-Za-z*][A-Za-z0-9_.*-]*)\s*=/.exec(text);
    const hasUpper = upper !== null && /[A-Z]/.test(upper[1]!);
    if (hasUpper) {
      diags.add(
        'error',
        'reporting-endpoints-uppercase-key',
        `endpoint name \`${clip(upper![1]!, 40)}\` has uppercase letters: structured-field keys must be lower-case, so the whole header fails to parse and is ignored. Write ${upper![1]!.toLowerCase()}="https://…" (and refer to it in lower case).`,
        upper![1]!,
      );
    } else {
      diags.add(
        'error',
        'reporting-endpoints-invalid',
        `Reporting-Endpoints is not a valid structured-field dictionary (${m ? `${m[1]} at position ${at}` : clip(raw)}): the whole header is ignored. Write name="https://…" pairs separated by commas, URLs in double quotes.`,
        near,
      );
    }
    return result();
  }

  for (const key of duplicateDictionaryKeys(text)) {
    diags.add('warning', 'reporting-endpoints-duplicate-key', `endpoint \`${clip(key, 40)}\` is defined more than once: the last definition wins. Keep one.`, key);
  }

  // reporting_header_parser.cc ParseReportingEndpoints: any member that is not a string item rejects everything.
  for (const [name, member] of dict) {
    const isInnerList = Array.isArray(member[0]);
    const bare = member[0];
    if (isInnerList || typeof bare !== 'string') {
      const what = isInnerList ? 'an inner list' : bare instanceof Token ? `the token ${clip(bare.toString(), 60)}` : `a ${typeof bare}`;
      diags.add(
        'error',
        'reporting-endpoints-non-string',
        `non-string member \`${clip(name, 40)}\` rejects the whole header in Chromium (the spec would skip only that member): it is ${what}. Quote the URL: ${clip(name, 40)}="https://…".`,
        name,
      );
      endpoints.length = 0;
      return result();
    }
  }

  for (const [name, member] of dict) {
    const raw = member[0] as string;
    if (raw === '') {
      diags.add('warning', 'reporting-endpoints-url-empty', `endpoint \`${clip(name, 40)}\` has an empty URL: it is ignored.`, name);
      continue;
    }
    const resolved = resolveEndpointUrl(raw, origin!);
    if (!resolved.ok) {
      diags.add(
        'warning',
        resolved.reason === 'insecure' ? 'reporting-endpoints-insecure-endpoint' : 'reporting-endpoints-url-invalid',
        `endpoint \`${clip(name, 40)}\`: ${resolved.message}.`,
        raw,
      );
      continue;
    }
    endpoints.push({ name, url: resolved.url });
  }
  if (endpoints.length === 0) {
    diags.add('error', 'reporting-endpoints-no-valid-endpoints', 'Reporting-Endpoints has no valid endpoint: the header configures nothing. Give each name an https:// URL.');
  }
  return result();
}

/** Top-level keys that occur more than once in a dictionary that already parsed. */
function duplicateDictionaryKeys(text: string): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  let i = 0;
  let atMemberStart = true;
  let inString = false;
  let parens = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') parens++;
    else if (c === ')') parens--;
    else if (c === ',' && parens === 0) atMemberStart = true;
    else if (atMemberStart && c !== ' ' && c !== '\t') {
      const m = /^[a-z*][a-z0-9_.*-]*/.exec(text.slice(i, i + 300));
      if (m) {
        if (seen.has(m[0])) dup.add(m[0]);
        seen.add(m[0]);
        i += m[0].length;
        atMemberStart = false;
        continue;
      }
      atMemberStart = false;
    }
    i++;
  }
  return [...dup];
}
