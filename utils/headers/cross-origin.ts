/**
 * `Cross-Origin-Opener-Policy` and `Cross-Origin-Embedder-Policy` (and their `-Report-Only`): the policy and the
 * quoted `report-to` endpoint, as Chromium's parsers read them (services/network/public/cpp/
 * cross_origin_opener_policy_parser.cc, cross_origin_embedder_policy_parser.cc). Pure.
 */
import { parseItem, Token } from 'structured-headers';
import type { Item } from 'structured-headers';
import { bareItemText, checkEndpointName, describeType, q, type Context } from './referencing-kit';
import { memberSpans } from './sf-members';

/** Where the `report-to` parameter was written (`report-to=…` up to the next `;`), as offsets in the value. */
function reportToParam(value: string): { start: number; end: number } | null {
  const m = /;[ \t]*(report-to[ \t]*=[ \t]*(?:"(?:[^"\\]|\\.)*"?|[^;]*))/.exec(value);
  if (!m || m[1] === undefined) return null;
  const start = m.index + m[0].length - m[1].length;
  let end = start + m[1].length;
  while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
  return { start, end };
}

const COOP_VALUES = new Set(['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none']);
const COEP_VALUES = new Set(['require-corp', 'credentialless']);

/** Parses COOP or COEP (or their `-Report-Only`); repeated headers are joined by `, ` as Chromium reads them. */
export function parseCoopCoep(
  ctx: Context,
  kind: 'coop' | 'coep',
  header: string,
  values: string[],
  reportOnly: boolean,
): void {
  const base = kind === 'coop' ? 'Cross-Origin-Opener-Policy' : 'Cross-Origin-Embedder-Policy';
  const label = reportOnly ? `${base}-Report-Only` : base;
  const example = kind === 'coop' ? 'same-origin; report-to="coop"' : 'require-corp; report-to="coep"';
  // Chromium reads these with GetNormalizedHeader: repeated headers are joined with ", ".
  const value = values.join(', ');
  const insecure = !ctx.trustworthy;
  if (insecure) {
    ctx.out.diag(
      header,
      `${kind}-ignored-insecure`,
      `${label} on ${ctx.doc ? q(ctx.doc.origin) : 'this page'}: the policy applies only to secure contexts (HTTPS or localhost), so it is ignored and sends no reports; serve the page over HTTPS.`,
      undefined,
      { start: 0, end: value.length, ignored: true, dropped: 'header' },
    );
  }

  let item: Item;
  try {
    item = parseItem(value);
  } catch {
    const members = memberSpans(value, 2);
    const repeated = values.length > 1 || members.length > 1;
    const second = members[1];
    ctx.out.diag(
      header,
      `${kind}-invalid`,
      repeated
        ? `${label} was sent more than once (${q(value)}): Chromium joins the values with \`, \`, which is not a single structured-field item, so it ignores the policy; send the header once, e.g. ${q(example)}.`
        : `${label} ${q(value)} is not a valid structured-field item (a token with optional parameters such as \`; report-to="name"\`), so Chromium ignores it; write e.g. ${q(example)}.`,
      undefined,
      {
        start: repeated && second ? Math.max(0, value.lastIndexOf(',', second.start)) : 0,
        end: value.length,
        ignored: true,
        dropped: 'header',
      },
    );
    return;
  }

  const [bare, params] = item;
  if (!(bare instanceof Token)) {
    ctx.out.diag(
      header,
      `${kind}-invalid`,
      `${label} ${q(value)}: the policy must be an unquoted token, not ${describeType(bare)}, so Chromium ignores it; write e.g. ${q(example)}.`,
      undefined,
      { start: 0, end: value.length, ignored: true, dropped: 'header' },
    );
    return;
  }
  const policy = bare.toString();
  const known = kind === 'coop' ? COOP_VALUES : COEP_VALUES;
  let keepsEndpoint = true;
  if (!known.has(policy) && !(kind === 'coep' && policy === 'unsafe-none')) {
    const lower = policy.toLowerCase();
    const suggestion = known.has(lower)
      ? `values are case-sensitive: write ${q(lower)}`
      : `use one of ${[...known].map((v) => q(v)).join(', ')}`;
    const extra =
      kind === 'coop' && policy === 'restrict-properties'
        ? ' (restrict-properties was an experiment Chromium no longer enables)'
        : '';
    ctx.out.diag(
      header,
      `${kind}-unknown-value`,
      kind === 'coop'
        ? `${label} ${q(policy)} is not a value Chromium knows${extra}, so the page behaves as \`unsafe-none\`; ${suggestion}.`
        : `${label} ${q(policy)} is not a value Chromium knows, so the page behaves as \`unsafe-none\` and sends no COEP reports; ${suggestion}.`,
      policy,
    );
    // Chromium's COEP parser drops the endpoint with an unknown value; COOP keeps it.
    if (kind === 'coep') keepsEndpoint = false;
  }

  const endpoint = params.get('report-to');
  if (endpoint === undefined) return;
  const param = reportToParam(value);
  const written = param ? value.slice(param.start, param.end) : `report-to=${bareItemText(endpoint)}`;
  const at = {
    ...(param ?? {}),
    endpointName: typeof endpoint === 'string' ? endpoint : bareItemText(endpoint),
    dropped: 'nothing' as const,
  };
  if (typeof endpoint !== 'string') {
    if (endpoint instanceof Token) {
      const name = endpoint.toString();
      ctx.out.diag(
        header,
        `${kind}-report-to-token`,
        `${label} ${q(written)}: the endpoint name must be a quoted string; Chromium ignores an unquoted token, so no ${kind.toUpperCase()} reports are sent. Write ${q(`report-to="${name}"`)}.`,
        written,
        at,
      );
    } else {
      ctx.out.diag(
        header,
        `${kind}-report-to-not-string`,
        `${label} ${q(written)}: the endpoint name must be a quoted string, not ${describeType(endpoint)}, so Chromium ignores it; write ${q(`report-to="${kind}"`)}.`,
        written,
        at,
      );
    }
    return;
  }
  if (kind === 'coep' && policy === 'unsafe-none') {
    ctx.out.diag(
      header,
      'coep-report-to-unused',
      `${label} ${q(value)}: \`unsafe-none\` embeds anything and never produces reports, so Chromium ignores \`report-to\`; use ${q(`require-corp; report-to="${endpoint}"`)} (or the \`-Report-Only\` header) to be told what would break.`,
      written,
      at,
    );
    return;
  }
  if (!keepsEndpoint) return;
  checkEndpointName(ctx, kind, header, label, endpoint, (n) => `report-to="${n}"`, param ?? {});
  if (insecure) return;
  ctx.out.ref({
    reportType: kind,
    endpointName: endpoint,
    header,
    detail: policy,
    reportOnly,
    namespace: 'endpoints-or-groups',
  });
}
