/**
 * `Report-To` parsed exactly as Chromium keeps it, with diagnostics that quote the value as written, point at the
 * offending bytes and say how to fix it. Pure: no browser globals.
 *
 * Chromium: net/reporting/reporting_header_parser.cc (ParseReportToHeader, ProcessEndpointGroup,
 * ProcessEndpoint), net/reporting/reporting_service.cc (the JSON read). Spec: the 2018 Reporting API draft.
 */
import type { Diagnostic, ReportToEndpoint, ReportToGroup } from './types';
import { HEADER_LIMITS } from './types';
import { DiagnosticCollector, clip, q, utf8Length, type DiagnosticCode, type DiagnosticFacts } from './diagnostics';
import {
  isJsonNumber,
  isJsonObject,
  itemSpans,
  parseStrictJson,
  type JsonObject,
  type JsonValue,
  type Span,
} from './strict-json';
import { resolveEndpointUrl } from './endpoint-url';
import { hasRegistrableDomain } from './registrable-domain';

export interface ReportToResult {
  groups: ReportToGroup[];
  removedGroups: string[];
  diagnostics: Diagnostic[];
}

/** Chromium's `Report-To` JSON depth limit (reporting_service.cc kMaxJsonDepth), counting the wrapping `[ ]`. */
const REPORT_TO_MAX_DEPTH = 5;
const INT32_MAX = 2147483647;
const GROUP_KEYS = new Set(['group', 'max_age', 'include_subdomains', 'endpoints']);
const HEADER = 'report-to';

/** The origin of a URL, or null for opaque / unparsable URLs. */
function originOf(url: string): URL | null {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? null : u;
  } catch {
    return null;
  }
}

/** Reports diagnostics at offsets of the value (the parser reads `[` + value + `]`, one character ahead). */
class Sink {
  constructor(
    readonly text: string,
    readonly diags: DiagnosticCollector,
  ) {}
  add(
    code: DiagnosticCode,
    message: string,
    span: Span | null,
    facts: Omit<DiagnosticFacts, 'value' | 'start' | 'end'> = {},
  ): void {
    this.diags.add(
      code,
      message,
      span ? { ...facts, value: this.text, start: span.start - 1, end: span.end - 1 } : facts,
    );
  }
  /** The bytes of a span as written. */
  raw(span: Span): string {
    return this.text.slice(span.start - 1, span.end - 1);
  }
}

/** Parses a `Report-To` header value (repeated headers joined by `, `) as Chromium does. */
export function parseReportTo(value: string, responseUrl: string): ReportToResult {
  const diags = new DiagnosticCollector(HEADER);
  const groups: ReportToGroup[] = [];
  const removedGroups: string[] = [];
  const result = (): ReportToResult => ({ groups, removedGroups, diagnostics: diags.done() });
  const text = typeof value === 'string' ? value : '';
  const whole = { value: text, start: 0, end: text.length };

  const origin = originOf(typeof responseUrl === 'string' ? responseUrl : '');
  if (!origin || origin.protocol !== 'https:') {
    diags.add(
      'report-to-insecure-response',
      `\`Report-To\` on ${origin ? `a \`${origin.protocol.replace(':', '')}\`` : 'a non-HTTPS'} response (${q(responseUrl, 120)}) is ignored: Chromium reads it only from HTTPS responses with a valid certificate.`,
      { ...whole, ignored: true, dropped: 'header' },
    );
    return result();
  }
  const bytes = utf8Length(text, HEADER_LIMITS.reportToMaxBytes);
  if (bytes > HEADER_LIMITS.reportToMaxBytes) {
    diags.add(
      'report-to-too-large',
      '`Report-To` is over 16 KiB: Chromium ignores it, and the groups this origin set before stay. Use fewer groups or endpoints, or move to `Reporting-Endpoints`.',
      { ignored: true, dropped: 'header' },
    );
    return result();
  }
  if (text.trim() === '') {
    // reporting_service.cc reads "[" + value + "]": an empty value is `[]`, which removes the origin's client
    // (ParseReportToHeader: no valid group → RemoveClient). Observed in Chromium 156 (issue 16).
    diags.add(
      'report-to-empty',
      '`Report-To` is empty: Chromium reads it as `[]`, configures nothing and removes every group this origin set before. Remove the header or give it a JSON group.',
      { dropped: 'nothing' },
    );
    return result();
  }

  const parsed = parseStrictJson(`[${text}]`, REPORT_TO_MAX_DEPTH);
  if (!parsed.ok) {
    const at = Math.max(0, Math.min(text.length, parsed.position - 1));
    const end = Math.min(text.length, at + Math.max(1, tokenLength(text, at)));
    const facts = { value: text, start: at, end: end > at ? end : at, ignored: true, dropped: 'header' as const };
    if (parsed.tooDeep) {
      diags.add(
        'report-to-too-deep',
        `\`Report-To\` nests ${REPORT_TO_MAX_DEPTH} containers deep at character ${at + 1}, counting the \`[ ]\` Chromium wraps around the value (it allows ${REPORT_TO_MAX_DEPTH - 1}): the whole header is ignored.`,
        facts,
      );
    } else {
      diags.add(
        'report-to-invalid-json',
        `\`Report-To\` is not valid JSON at character ${at + 1}: ${parsed.message}. Chromium ignores the whole header; each group must be a JSON object, groups separated by commas.`,
        facts,
      );
    }
    return result();
  }

  const sink = new Sink(text, diags);
  const list = parsed.value as JsonValue[];
  const spans = itemSpans(list);
  const byName = new Map<string, ReportToGroup>();
  for (const [index, groupValue] of list.entries()) {
    const span = spans[index] ?? null;
    const label = `group ${index + 1}`;
    if (!isJsonObject(groupValue)) {
      sink.add(
        'report-to-group-not-object',
        `${label} ${span ? q(sink.raw(span)) : ''} is not a JSON object: it is ignored.`,
        span,
        { dropped: 'group' },
      );
      continue;
    }
    const group = processGroup(groupValue, label, origin, sink, removedGroups);
    if (!group) continue;
    const existing = byName.get(group.name);
    if (!existing) {
      byName.set(group.name, group);
      groups.push(group);
      continue;
    }
    sink.add(
      'report-to-duplicate-group',
      `group ${q(group.name)} appears more than once: Chromium merges the copies (endpoints of both, \`max_age\` and \`include_subdomains\` of the last). Write it once.`,
      groupValue,
      { endpointName: group.name, dropped: 'nothing' },
    );
    existing.maxAge = group.maxAge;
    existing.includeSubdomains = group.includeSubdomains;
    for (const e of group.endpoints) {
      const i = existing.endpoints.findIndex((x) => x.url === e.url);
      if (i >= 0) {
        // The last copy wins across merged groups too (observed in Chromium 156, issue 16).
        sink.add(
          'report-to-endpoint-duplicate',
          `group ${q(group.name)}: ${q(e.url, 120)} is also listed in an earlier copy of the group; Chromium keeps this last copy (\`priority\` ${e.priority}, \`weight\` ${e.weight}).`,
          groupValue,
          { endpointName: group.name, dropped: 'nothing' },
        );
        existing.endpoints.splice(i, 1);
      }
      existing.endpoints.push(e);
    }
  }
  // A name both kept and removed (a valid copy and a `max_age: 0` copy) stays: Chromium removes the cached
  // group while parsing, then OnParsedHeader adds the valid copy back.
  if (groups.length === 0 && removedGroups.length === 0) {
    diags.add(
      'report-to-no-valid-groups',
      '`Report-To` has no valid group: nothing is configured, and Chromium removes every `Report-To` group this origin set before.',
      { ...whole, dropped: 'nothing' },
    );
  }
  return result();
}

/** How many characters to mark at a JSON error: the token there, at least one character. */
function tokenLength(text: string, at: number): number {
  let n = 0;
  while (at + n < text.length && n < 40 && /[^\s,:[\]{}]/.test(text[at + n]!)) n++;
  return n;
}

function processGroup(
  g: JsonObject,
  label: string,
  origin: URL,
  sink: Sink,
  removedGroups: string[],
): ReportToGroup | null {
  const member = (key: string): Span | null => g.spans.get(key) ?? null;
  const valueOf = (key: string): string => {
    const s = g.spans.get(key);
    return s ? sink.text.slice(s.valueStart - 1, s.end - 1) : '';
  };

  let name = 'default';
  const nameValue = g.members.get('group');
  if (nameValue !== undefined) {
    if (typeof nameValue !== 'string') {
      sink.add(
        'report-to-group-name-invalid',
        `${label}: ${q(sink.raw(member('group')!))} is not a string: the whole group is ignored. Write \`"group": "name"\`.`,
        member('group'),
        { dropped: 'group' },
      );
      return null;
    }
    name = nameValue;
  }
  const named = `group ${q(name)}`;
  const facts = { endpointName: name };
  for (const { key, span } of g.overridden) {
    sink.add(
      'report-to-duplicate-key',
      `${named} has \`"${clip(key, 40)}"\` twice: the last one wins, so ${q(sink.raw(span))} is ignored. Keep one.`,
      span,
      { ...facts, dropped: 'nothing' },
    );
  }

  const maxAge = g.members.get('max_age');
  if (maxAge === undefined) {
    sink.add(
      'report-to-max-age-missing',
      `${named}: \`max_age\` is missing: the whole group is ignored. Add \`"max_age": 86400\` (seconds).`,
      g,
      { ...facts, dropped: 'group' },
    );
    return null;
  }
  if (!isJsonNumber(maxAge) || !maxAge.isInt || maxAge.value < 0) {
    const written = valueOf('max_age');
    const why = !isJsonNumber(maxAge)
      ? 'it must be a number, not a string or other value'
      : maxAge.value < 0 || maxAge.raw === '-0'
        ? 'it must not be negative (Chromium reads `-0` as a negative double)'
        : Number.isInteger(maxAge.value) && maxAge.value > INT32_MAX
          ? `it must fit in 32 bits (at most ${INT32_MAX})`
          : 'it must be written as a whole number, without a fraction or exponent';
    sink.add(
      'report-to-max-age-invalid',
      `${named}: \`"max_age": ${clip(written, 40)}\` is not a non-negative whole number of seconds: ${why}; the whole group is ignored.`,
      member('max_age'),
      { ...facts, dropped: 'group' },
    );
    return null;
  }
  if (maxAge.value === 0) {
    removedGroups.push(name);
    sink.add(
      'report-to-group-removed',
      `${named}: \`"max_age": ${valueOf('max_age')}\` removes this group from the origin's configuration.`,
      member('max_age'),
      { ...facts, dropped: 'group' },
    );
    return null;
  }

  let includeSubdomains = false;
  const sub = g.members.get('include_subdomains');
  if (sub !== undefined && typeof sub !== 'boolean') {
    sink.add(
      'report-to-include-subdomains-not-boolean',
      `${named}: \`"include_subdomains": ${clip(valueOf('include_subdomains'), 40)}\`: Chromium counts it only when it is literally \`true\`, so subdomains are not included.`,
      member('include_subdomains'),
      { ...facts, dropped: 'nothing' },
    );
  }
  if (sub === true) {
    if (!hasRegistrableDomain(origin.hostname)) {
      sink.add(
        'report-to-include-subdomains-no-registrable-domain',
        `${named}: \`"include_subdomains": true\` on \`${origin.hostname}\`, which has no registrable domain: Chromium rejects the whole group. Remove \`include_subdomains\`${origin.hostname === 'localhost' ? ', or test on `127.0.0.1` or a name such as `app.localhost`' : ''}.`,
        member('include_subdomains'),
        { ...facts, dropped: 'group' },
      );
      return null;
    }
    includeSubdomains = true;
  }

  for (const key of g.members.keys()) {
    if (GROUP_KEYS.has(key)) continue;
    sink.add(
      'report-to-unknown-member',
      `${named}: \`"${clip(key, 40)}"\` is not a \`Report-To\` group member and is ignored${key === 'url' ? '; put URLs inside `"endpoints": [{"url": "…"}]`' : ''}.`,
      member(key),
      { ...facts, dropped: 'nothing' },
    );
  }

  const list = g.members.get('endpoints');
  if (!Array.isArray(list)) {
    sink.add(
      'report-to-endpoints-missing',
      `${named}: \`endpoints\` ${list === undefined ? 'is missing' : `is ${q(valueOf('endpoints'))}, not an array`}: the whole group is ignored. Add \`"endpoints": [{"url": "https://…"}]\`.`,
      list === undefined ? g : member('endpoints'),
      { ...facts, dropped: 'group' },
    );
    return null;
  }

  const endpoints: ReportToEndpoint[] = [];
  const endpointSpans: Span[] = [];
  const spans = itemSpans(list);
  for (const [i, e] of list.entries()) {
    const span = spans[i] ?? null;
    const at = `${named}, endpoint ${i + 1}`;
    const drop = { ...facts, dropped: 'endpoint' as const };
    if (!isJsonObject(e)) {
      sink.add(
        'report-to-endpoint-not-object',
        `${at} ${span ? q(sink.raw(span)) : ''} is not an object: it is ignored. Write \`{"url": "https://…"}\`.`,
        span,
        drop,
      );
      continue;
    }
    const urlSpan = e.spans.get('url') ?? null;
    const rawUrl = e.members.get('url');
    if (typeof rawUrl !== 'string') {
      sink.add('report-to-endpoint-url-missing', `${at} has no string \`url\`: it is ignored.`, urlSpan ?? e, drop);
      continue;
    }
    const resolved = resolveEndpointUrl(rawUrl, origin);
    if (!resolved.ok) {
      sink.add(
        resolved.reason === 'insecure' ? 'report-to-endpoint-insecure' : 'report-to-endpoint-url-invalid',
        `${at}: ${resolved.message}.`,
        urlSpan,
        drop,
      );
      continue;
    }
    const priority = intMember(e, 'priority');
    const weight = intMember(e, 'weight');
    for (const [key, v, code] of [
      ['priority', priority, 'report-to-endpoint-priority-invalid'],
      ['weight', weight, 'report-to-endpoint-weight-invalid'],
    ] as const) {
      if (v !== null) continue;
      const s = e.spans.get(key)!;
      const written = sink.text.slice(s.valueStart - 1, s.end - 1);
      sink.add(
        code,
        `${at}: \`"${key}": ${clip(written, 30)}\` is not a non-negative integer${written.trim() === '-0' ? ' (Chromium reads `-0` as a double)' : ''}; the endpoint is ignored.`,
        s,
        drop,
      );
    }
    if (priority === null || weight === null) continue;
    const dup = endpoints.findIndex((x) => x.url === resolved.url);
    if (dup >= 0) {
      // Observed in Chromium 156 (issue 16): the last copy of a URL is the one registered.
      sink.add(
        'report-to-endpoint-duplicate',
        `${at}: ${q(resolved.url, 120)} is listed twice; Chromium keeps this last copy (\`priority\` ${priority}, \`weight\` ${weight}) and ignores ${q(sink.raw(endpointSpans[dup]!))}.`,
        endpointSpans[dup]!,
        { ...facts, dropped: 'nothing' },
      );
      endpoints.splice(dup, 1);
      endpointSpans.splice(dup, 1);
    }
    if (resolved.escaped) {
      sink.add(
        'endpoint-url-escaped',
        `${at}: Chromium percent-encodes \`|\` and \`^\` in the path, so reports go to ${q(resolved.url, 120)} (the URL Standard would keep ${q(rawUrl, 120)}).`,
        urlSpan,
        { ...facts, dropped: 'nothing' },
      );
    }
    endpoints.push({ url: resolved.url, priority: priority, weight: weight });
    endpointSpans.push(span ?? e);
  }
  if (endpoints.length === 0) {
    sink.add(
      'report-to-group-no-endpoints',
      `${named} has no valid endpoint: Chromium ignores the whole group${list.length === 0 ? ' (`endpoints` is empty)' : ''}. Give it at least one \`https://\` endpoint.`,
      member('endpoints'),
      { ...facts, dropped: 'group' },
    );
    return null;
  }
  return { name, maxAge: maxAge.value, includeSubdomains, endpoints };
}

/** A non-negative int32 member, 1 when absent (kDefaultPriority, kDefaultWeight), or null when present but invalid. */
function intMember(o: JsonObject, key: string): number | null {
  const v = o.members.get(key);
  if (v === undefined) return 1;
  if (!isJsonNumber(v) || !v.isInt || v.value < 0) return null;
  return v.value;
}
