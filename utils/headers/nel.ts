/**
 * `NEL` (Network Error Logging): the `Report-To` group network errors go to, as Chromium reads the policy
 * (net/network_error_logging/network_error_logging_service.cc). Strict JSON. Pure.
 */
import { utf8Length } from './diagnostics';
import { hasRegistrableDomain } from './registrable-domain';
import { isJsonNumber, isJsonObject, parseJsonValueAt } from './strict-json';
import { isAsciiWhitespace, q, trimAscii, type Context } from './referencing-kit';

/** Chromium: net/network_error_logging/network_error_logging_service.cc kMaxJsonSize, kMaxJsonDepth. */
const NEL_MAX_BYTES = 16 * 1024;
const NEL_MAX_DEPTH = 4;

/** The text around an offset, for a message. */
function around(value: string, offset: number): string {
  const start = Math.max(0, offset - 20);
  return `${start > 0 ? '…' : ''}${value.slice(start, offset + 20)}`;
}

const NEL_MISSPELLINGS: Record<string, string> = {
  'report-to': 'report_to',
  reportTo: 'report_to',
  reportto: 'report_to',
  group: 'report_to',
  'max-age': 'max_age',
  maxAge: 'max_age',
  maxage: 'max_age',
  'include-subdomains': 'include_subdomains',
  includeSubdomains: 'include_subdomains',
  includeSubDomains: 'include_subdomains',
  'success-fraction': 'success_fraction',
  successFraction: 'success_fraction',
  'failure-fraction': 'failure_fraction',
  failureFraction: 'failure_fraction',
};

const NEL_EXAMPLE = '{"report_to":"default","max_age":86400}';

/** Parses NEL (repeated headers joined by `, `, as Chromium reads them). */
export function parseNel(ctx: Context, header: string, values: string[]): void {
  // Chromium reads NEL with GetNormalizedHeader: repeated headers are joined with ", ".
  const value = values.join(', ');
  if (!ctx.https) {
    ctx.out.diag(
      header,
      'nel-ignored-insecure',
      `NEL on ${ctx.doc ? q(`${ctx.doc.protocol}//${ctx.doc.host}`) : 'a page that is not HTTPS'}: Chromium accepts NEL policies only from HTTPS responses with a valid certificate, so this one is ignored; serve the page over HTTPS.`,
      undefined,
      { start: 0, end: value.length, ignored: true, dropped: 'header' },
    );
  }
  if (trimAscii(value) === '') {
    ctx.out.diag(
      header,
      'nel-invalid-json',
      `NEL is empty, which is not JSON; Chromium ignores it. Send one object such as ${q(NEL_EXAMPLE)}.`,
      undefined,
      { ignored: true, dropped: 'header' },
    );
    return;
  }
  if (utf8Length(value, NEL_MAX_BYTES) > NEL_MAX_BYTES) {
    ctx.out.diag(
      header,
      'nel-too-large',
      `NEL is larger than 16 KiB (${value.length.toLocaleString('en')} characters); Chromium ignores it. Send one short object such as ${q(NEL_EXAMPLE)}.`,
      undefined,
      { ignored: true, dropped: 'header' },
    );
    return;
  }

  // base::JSONReader skips a byte order mark at the start.
  const first = parseJsonValueAt(value, value.charCodeAt(0) === 0xfeff ? 1 : 0, NEL_MAX_DEPTH);
  if (!first.ok) {
    const { position: pos, message: reason } = first;
    ctx.out.diag(
      header,
      'nel-invalid-json',
      `NEL is not valid JSON: ${reason} at character ${pos + 1} (${q(around(value, pos))}); Chromium ignores the header. Send one strict JSON object such as ${q(NEL_EXAMPLE)}.`,
      undefined,
      { start: pos, end: Math.min(value.length, pos + 1), ignored: true, dropped: 'header' },
    );
    return;
  }
  let rest = first.end;
  while (rest < value.length && isAsciiWhitespace(value.charCodeAt(rest))) rest++;
  if (rest < value.length) {
    const repeat = value[rest] === ',' ? parseJsonValueAt(value, rest + 1, NEL_MAX_DEPTH) : null;
    if (repeat?.ok && isJsonObject(repeat.value) && isJsonObject(first.value)) {
      ctx.out.diag(
        header,
        'nel-repeated',
        `NEL was sent more than once (or holds several objects): Chromium joins repeated NEL headers with ", " and parses the result as one JSON value, which fails, so it ignores NEL entirely (the NEL spec would use the first policy). Send a single NEL header with one object.`,
        undefined,
        { start: rest, end: value.length, ignored: true, dropped: 'header' },
      );
    } else {
      ctx.out.diag(
        header,
        'nel-invalid-json',
        `NEL is not valid JSON: unexpected data after the JSON value at character ${rest + 1} (${q(around(value, rest))}); Chromium ignores the header. Send exactly one JSON object such as ${q(NEL_EXAMPLE)}.`,
        undefined,
        { start: rest, end: value.length, ignored: true, dropped: 'header' },
      );
    }
    return;
  }

  const value0 = first.value;
  if (!isJsonObject(value0)) {
    const what = Array.isArray(value0)
      ? 'an array'
      : isJsonNumber(value0)
        ? 'a number'
        : value0 === null
          ? 'null'
          : `a ${typeof value0}`;
    ctx.out.diag(
      header,
      'nel-not-object',
      `NEL is ${what}, not a JSON object; Chromium ignores it${Array.isArray(value0) ? ' (unlike Report-To, NEL is one object, not a list)' : ''}. Send ${q(NEL_EXAMPLE)}.`,
      undefined,
      { start: 0, end: value.length, ignored: true, dropped: 'header' },
    );
    return;
  }
  const policy = value0.members;
  /** A member as written, and where. */
  const written = (key: string): string => {
    const span = value0.spans.get(key);
    return span ? value.slice(span.start, span.end) : key;
  };
  const at = (key: string, dropped: 'policy' | 'nothing' = 'policy') => {
    const span = value0.spans.get(key);
    return { ...(span ? { start: span.start, end: span.end } : {}), dropped };
  };
  const whole = { start: 0, end: value.length, dropped: 'policy' as const };

  for (const key of policy.keys()) {
    const meant = NEL_MISSPELLINGS[key];
    if (meant !== undefined && !policy.has(meant)) {
      ctx.out.diag(
        header,
        'nel-unknown-key',
        `NEL member ${q(`"${key}"`)} is not a NEL field, so Chromium ignores it; the field is spelt ${q(`"${meant}"`)}.`,
        `"${key}"`,
        { at: value0.spans.get(key)?.start ?? 0, dropped: 'nothing' },
      );
    }
  }

  let usable = true;
  const maxAge = policy.get('max_age');
  let maxAgeValue = -1;
  if (maxAge === undefined) {
    usable = false;
    ctx.out.diag(
      header,
      'nel-missing-max-age',
      `NEL has no ${q('max_age')}, which is required, so Chromium ignores the policy; add ${q('"max_age": 86400')} (seconds to keep the policy).`,
      undefined,
      whole,
    );
  } else if (!isJsonNumber(maxAge) || !maxAge.isInt || maxAge.value < 0) {
    usable = false;
    const hint =
      isJsonNumber(maxAge) && maxAge.value >= 0 && Number.isFinite(maxAge.value)
        ? maxAge.value > 2147483647
          ? ' (it must fit in 32 bits)'
          : ' (write it without a fraction or exponent)'
        : typeof maxAge === 'string'
          ? ' (a number, not a string)'
          : '';
    ctx.out.diag(
      header,
      'nel-bad-max-age',
      `NEL ${q(written('max_age'))}: \`max_age\` must be a non-negative integer${hint}, so Chromium ignores the policy; write e.g. ${q('"max_age": 86400')}.`,
      undefined,
      at('max_age'),
    );
  } else {
    maxAgeValue = maxAge.value;
  }

  const reportTo = policy.get('report_to');
  // Chromium requires report_to only when max_age > 0 (a removal needs no group).
  if (maxAgeValue !== 0) {
    if (reportTo === undefined) {
      usable = false;
      ctx.out.diag(
        header,
        'nel-missing-report-to',
        `NEL has no ${q('report_to')}, which names the \`Report-To\` group to send network errors to, so Chromium ignores the policy; add ${q('"report_to": "default"')} and a \`Report-To\` group of that name.`,
        undefined,
        whole,
      );
    } else if (typeof reportTo !== 'string') {
      usable = false;
      ctx.out.diag(
        header,
        'nel-bad-report-to',
        `NEL ${q(written('report_to'))}: \`report_to\` must be a string naming a Report-To group, so Chromium ignores the policy; write e.g. ${q('"report_to": "default"')}.`,
        undefined,
        at('report_to'),
      );
    }
  }

  const includeSubdomainsRaw = policy.get('include_subdomains');
  if (includeSubdomainsRaw !== undefined && typeof includeSubdomainsRaw !== 'boolean') {
    ctx.out.diag(
      header,
      'nel-bad-include-subdomains',
      `NEL ${q(written('include_subdomains'))}: only the JSON literal \`true\` counts, so Chromium treats this as false; write ${q('"include_subdomains": true')} or remove it.`,
      undefined,
      at('include_subdomains', 'nothing'),
    );
  }
  const includeSubdomains = includeSubdomainsRaw === true;

  for (const [field, fallback] of [
    ['success_fraction', 0],
    ['failure_fraction', 1],
  ] as const) {
    const f = policy.get(field);
    if (f === undefined) continue;
    if (!isJsonNumber(f)) {
      ctx.out.diag(
        header,
        'nel-bad-fraction',
        `NEL ${q(written(field))}: the fraction must be a JSON number, so Chromium uses the default ${fallback}; write a number between 0 and 1, e.g. ${q(`"${field}": ${fallback === 0 ? '0.01' : '1'}`)}.`,
        undefined,
        at(field, 'nothing'),
      );
    } else if (!(f.value >= 0 && f.value <= 1)) {
      ctx.out.diag(
        header,
        'nel-bad-fraction',
        `NEL ${q(written(field))}: the NEL spec requires a number between 0 and 1; Chromium uses it as is, so it samples ${f.value > 1 ? 'every request' : 'no request'}. Write a value between 0 and 1.`,
        undefined,
        at(field, 'nothing'),
      );
    }
  }

  if (!usable) return;
  if (maxAgeValue === 0) {
    ctx.out.diag(
      header,
      'nel-max-age-zero',
      `NEL ${q(written('max_age'))} removes this origin's NEL policy instead of setting one, so no network errors are reported; use a positive max_age (e.g. 86400) to collect them.`,
      undefined,
      at('max_age'),
    );
    return;
  }
  if (includeSubdomains && ctx.doc && !hasRegistrableDomain(ctx.doc.hostname)) {
    ctx.out.diag(
      header,
      'nel-include-subdomains-no-registrable-domain',
      `NEL ${q(written('include_subdomains'))} on ${q(ctx.doc.hostname)}: Chromium rejects \`include_subdomains\` policies from hosts without a registrable domain (\`localhost\`, IPv6 addresses, public suffixes), so the whole policy is ignored; remove \`include_subdomains\` or test on a name such as \`app.localhost\` or \`127.0.0.1\`.`,
      undefined,
      at('include_subdomains'),
    );
    return;
  }
  if (!ctx.https || typeof reportTo !== 'string') return;
  ctx.out.ref({
    reportType: 'network-error',
    endpointName: reportTo,
    header,
    detail: `report_to ${reportTo}`,
    reportOnly: false,
    namespace: 'groups-only',
  });
}
