/**
 * `Reporting-Endpoints` parsed exactly as Chromium keeps it, with diagnostics that point at the offending member.
 * Pure: no browser globals.
 *
 * Chromium: net/reporting/reporting_header_parser.cc (ParseReportingEndpoints, ProcessV1Endpoint).
 * Spec: https://w3c.github.io/reporting/#header
 */
import { parseDictionary, Token, type InnerList, type Item } from 'structured-headers';
import type { Diagnostic, NamedEndpoint } from './types';
import { DiagnosticCollector, clip, q } from './diagnostics';
import { resolveEndpointUrl } from './endpoint-url';
import { lastMemberByKey, memberSpans, type MemberSpan } from './sf-members';

export interface ReportingEndpointsResult {
  endpoints: NamedEndpoint[];
  diagnostics: Diagnostic[];
}

const HEADER = 'reporting-endpoints';
/** RFC 9651 §3.2 key. */
const SF_KEY = /^[a-z*][a-z0-9_\-.*]*$/;

/** Parses a `Reporting-Endpoints` header value (repeated headers joined by `, `) as Chromium does. */
export function parseReportingEndpoints(value: string, responseUrl: string): ReportingEndpointsResult {
  const diags = new DiagnosticCollector(HEADER);
  const endpoints: NamedEndpoint[] = [];
  const result = (): ReportingEndpointsResult => ({ endpoints, diagnostics: diags.done() });
  const text = typeof value === 'string' ? value : '';
  const url = typeof responseUrl === 'string' ? responseUrl : '';
  const at = (s: { start: number; end: number }) => ({ value: text, start: s.start, end: s.end });

  if (text.trim() === '') {
    diags.add(
      'reporting-endpoints-empty',
      '`Reporting-Endpoints` is empty: it configures nothing. Write `name="https://…"` pairs.',
      { ignored: true, dropped: 'header' },
    );
    return result();
  }
  let origin: URL | null;
  try {
    origin = new URL(url);
  } catch {
    origin = null;
  }
  if (!origin || origin.protocol !== 'https:') {
    diags.add(
      'reporting-endpoints-insecure-document',
      `\`Reporting-Endpoints\` on ${q(url, 120)} is ignored: Chromium registers endpoints only for HTTPS documents (\`http://localhost\` included). Serve the page over \`https://\`.`,
      { value: text, start: 0, end: text.length, ignored: true, dropped: 'header' },
    );
    return result();
  }

  const members = memberSpans(text);
  let dict: Map<string, Item | InnerList>;
  try {
    dict = parseDictionary(text);
  } catch {
    reportSyntax(text, members, diags);
    return result();
  }

  const seen = new Map<string, MemberSpan>();
  for (const m of members) {
    const earlier = seen.get(m.key);
    if (earlier) {
      diags.add(
        'reporting-endpoints-duplicate-key',
        `endpoint \`${clip(m.key, 40)}\` is defined more than once: the last definition wins, so ${q(text.slice(earlier.start, earlier.end), 120)} is ignored. Keep one.`,
        { ...at(earlier), endpointName: m.key, dropped: 'entry' },
      );
    }
    seen.set(m.key, m);
  }
  const byKey = lastMemberByKey(members);

  // reporting_header_parser.cc ParseReportingEndpoints: any member that is not a string item rejects everything.
  for (const [name, member] of dict) {
    const isInnerList = Array.isArray(member[0]);
    const bare = member[0];
    if (!isInnerList && typeof bare === 'string') continue;
    const span = byKey.get(name);
    const written = span ? text.slice(span.valueStart, span.valueEnd) : '';
    const what = isInnerList
      ? 'an inner list'
      : bare instanceof Token
        ? 'a token'
        : typeof bare === 'boolean' && written === ''
          ? 'a bare name (boolean `true`)'
          : `a ${typeof bare}`;
    diags.add(
      'reporting-endpoints-non-string',
      `${q(span ? text.slice(span.start, span.end) : name, 120)} is ${what}, not a quoted string: Chromium rejects the whole header (the spec would skip only that member). Quote the URL: \`${clip(name, 40)}="https://…"\`.`,
      { ...(span ? at(span) : {}), endpointName: name, ignored: true, dropped: 'header' },
    );
    endpoints.length = 0;
    return result();
  }

  for (const [name, member] of dict) {
    const raw = member[0] as string;
    const span = byKey.get(name);
    const valueSpan = span ? { value: text, start: span.valueStart, end: span.valueEnd } : {};
    if (raw === '') {
      diags.add('reporting-endpoints-url-empty', `endpoint \`${clip(name, 40)}\` has an empty URL: it is ignored.`, {
        ...valueSpan,
        endpointName: name,
        dropped: 'endpoint',
      });
      continue;
    }
    const resolved = resolveEndpointUrl(raw, origin);
    if (!resolved.ok) {
      diags.add(
        resolved.reason === 'insecure' ? 'reporting-endpoints-insecure-endpoint' : 'reporting-endpoints-url-invalid',
        `endpoint \`${clip(name, 40)}\`: ${resolved.message}.`,
        { ...valueSpan, endpointName: name, dropped: 'endpoint' },
      );
      continue;
    }
    if (resolved.escaped) {
      diags.add(
        'endpoint-url-escaped',
        `endpoint \`${clip(name, 40)}\`: Chromium percent-encodes \`|\` and \`^\` in the path, so reports go to ${q(resolved.url, 120)} (the URL Standard would keep ${q(raw, 120)}).`,
        { ...valueSpan, endpointName: name, dropped: 'nothing' },
      );
    }
    endpoints.push({ name, url: resolved.url });
  }
  if (endpoints.length === 0) {
    diags.add(
      'reporting-endpoints-no-valid-endpoints',
      '`Reporting-Endpoints` has no valid endpoint: the header configures nothing. Give each name an `https://` URL.',
      { value: text, start: 0, end: text.length, dropped: 'nothing' },
    );
  }
  return result();
}

/** Names the first member that makes the dictionary invalid, at its exact place. */
function reportSyntax(text: string, members: readonly MemberSpan[], diags: DiagnosticCollector): void {
  const facts = { ignored: true, dropped: 'header' as const };
  for (const [i, m] of members.entries()) {
    const written = text.slice(m.start, m.end);
    const span = { value: text, start: m.start, end: m.end };
    if (written === '') {
      const comma = i === 0 ? text.indexOf(',') : text.lastIndexOf(',', m.start);
      diags.add(
        'reporting-endpoints-invalid',
        `\`Reporting-Endpoints\` has an empty member (${i === members.length - 1 ? 'a trailing comma' : 'two commas in a row'}) at character ${Math.max(0, comma) + 1}: it is not a valid structured-field dictionary, so Chromium ignores the whole header. Separate \`name="https://…"\` pairs with single commas.`,
        { ...facts, value: text, start: Math.max(0, comma), end: Math.max(0, comma) + 1 },
      );
      return;
    }
    let valid = true;
    try {
      parseDictionary(written);
    } catch {
      valid = false;
    }
    if (valid) continue;
    if (/[A-Z]/.test(m.key) && SF_KEY.test(m.key.toLowerCase())) {
      diags.add(
        'reporting-endpoints-uppercase-key',
        `endpoint name \`${clip(m.key, 40)}\` in ${q(written, 120)} has uppercase letters: structured-field keys must be lower-case, so the whole header fails to parse and Chromium ignores it. Write \`${clip(m.key.toLowerCase(), 40)}="https://…"\` (and refer to it in lower case).`,
        { ...facts, ...span, endpointName: m.key },
      );
      return;
    }
    const why = !SF_KEY.test(m.key)
      ? `\`${clip(m.key, 40)}\` is not a valid name (names start with a-z or \`*\` and contain only a-z, 0-9, \`_\`, \`-\`, \`.\` and \`*\`)`
      : text[m.valueStart] === '"'
        ? 'the quoted URL is not a valid string (a missing closing quote, or a character outside printable ASCII)'
        : 'the value is not a quoted string, token, number or inner list';
    diags.add(
      'reporting-endpoints-invalid',
      `${q(written, 120)} is not a valid structured-field member: ${why}. Chromium ignores the whole header; write \`name="https://…"\` pairs separated by commas, URLs in double quotes.`,
      { ...facts, ...span },
    );
    return;
  }
  diags.add(
    'reporting-endpoints-invalid',
    '`Reporting-Endpoints` is not a valid structured-field dictionary: Chromium ignores the whole header. Write `name="https://…"` pairs separated by commas, URLs in double quotes.',
    { ...facts, value: text, start: 0, end: text.length },
  );
}
