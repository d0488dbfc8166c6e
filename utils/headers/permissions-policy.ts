/**
 * `Permissions-Policy` and `-Report-Only`: the endpoint each feature's violations go to (`feature=(…);report-to=name`),
 * as Chromium reads it (third_party/blink/renderer/core/permissions_policy/permissions_policy_parser.cc). Pure.
 */
import { Token } from 'structured-headers';
import type { BareItem, Item } from 'structured-headers';
import {
  bareItemText,
  checkEndpointName,
  describeType,
  keyLike,
  parseUrl,
  q,
  SF_KEY,
  structuredDictionary,
  WrittenMembers,
  type Context,
} from './referencing-kit';

/** Chromium: PermissionsPolicyParser MAX_LENGTH_PARSE. */
const PERMISSIONS_POLICY_MAX_CHARS = 1 << 16;

/** Parses Permissions-Policy or its `-Report-Only` (repeated headers joined by `, `). */
export function parsePermissionsPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Permissions-Policy-Report-Only' : 'Permissions-Policy';
  const value = values.join(', ');
  if (value.length > PERMISSIONS_POLICY_MAX_CHARS) {
    ctx.out.diag(
      header,
      'permissions-policy-too-large',
      `${label} is ${value.length.toLocaleString('en')} characters long; Chromium ignores policies over 65,536 characters. Keep only the features you restrict.`,
      undefined,
      { ignored: true, dropped: 'header' },
    );
    return;
  }
  const looksLegacy = value.includes("'") || /(^|[;,]\s*)[a-z-]+\s+[^=,;]/i.test(value.slice(0, 4096));
  const dict = structuredDictionary(
    ctx,
    header,
    value,
    'permissions-policy-invalid',
    label,
    'geolocation=(), camera=(self "https://video.example");report-to=pp',
    looksLegacy
      ? " It looks like the old Feature-Policy syntax (`geolocation 'none'`): Permissions-Policy uses `geolocation=()`, `self` without quotes and origins in double quotes."
      : '',
  );
  if (!dict) return;
  const written = new WrittenMembers(value);

  for (const [feature, member] of dict) {
    const [content, params] = member;
    const items: Item[] = Array.isArray(content) ? content : [[content, new Map<string, BareItem>()]];
    let restricts = true;
    for (const [item, itemParams] of items) {
      if (itemParams.has('report-to')) {
        const misplaced = itemParams.get('report-to');
        const name = misplaced === undefined ? '' : bareItemText(misplaced);
        ctx.out.diag(
          header,
          'permissions-policy-report-to-misplaced',
          `${label} ${q(written.text(feature))}: report-to is inside the allowlist parentheses, where Chromium ignores it; put it after them: ${q(`${feature}=(…);report-to=${name.replace(/^"|"$/g, '')}`)}.`,
          written.text(feature),
          { ...written.facts(feature), dropped: 'nothing' },
        );
      }
      if (item instanceof Token) {
        const t = item.toString();
        if (t === '*') restricts = false;
        else if (t !== 'self') {
          const fix =
            t === 'none' ? `use ${q(`${feature}=()`)} to allow no origin` : `use self, * or an origin in double quotes`;
          ctx.out.diag(
            header,
            'permissions-policy-bad-allowlist-item',
            `${label} ${q(written.text(feature))}: ${q(t)} is not an allowlist item, so Chromium ignores it; ${fix}.`,
            written.text(feature),
            { ...written.facts(feature), dropped: 'nothing' },
          );
        }
      } else if (typeof item === 'string') {
        const url = parseUrl(item);
        if (!url || url.origin === 'null') {
          const bareWord = item.replace(/^'|'$/g, '');
          const fix =
            bareWord === 'self' || bareWord === '*'
              ? `write ${bareWord} without quotes`
              : bareWord === 'none'
                ? `use ${q(`${feature}=()`)}`
                : 'write a full origin such as "https://example.com"';
          ctx.out.diag(
            header,
            'permissions-policy-bad-allowlist-item',
            `${label} ${q(written.text(feature))}: ${q(`"${item}"`)} is not an origin, so Chromium ignores it; ${fix}.`,
            written.text(feature),
            { ...written.facts(feature), dropped: 'nothing' },
          );
        }
      } else {
        ctx.out.diag(
          header,
          'permissions-policy-bad-allowlist-item',
          `${label} ${q(written.text(feature))}: the allowlist item is ${describeType(item)}, which Chromium ignores${item === true && !Array.isArray(content) ? ` (a bare ${q(feature)} allows no origin)` : ''}; write ${q(`${feature}=(self)`)} or ${q(`${feature}=()`)}.`,
          written.text(feature),
          { ...written.facts(feature), dropped: 'nothing' },
        );
      }
    }

    const endpoint = params.get('report-to');
    let name: string | null = null;
    if (endpoint instanceof Token) {
      name = endpoint.toString();
    } else if (endpoint !== undefined) {
      const shown = bareItemText(endpoint);
      const unquoted = typeof endpoint === 'string' ? endpoint : 'pp';
      ctx.out.diag(
        header,
        'permissions-policy-report-to-not-token',
        `${label} ${q(`${feature}=…;report-to=${shown}`)}: Permissions-Policy takes report-to as an unquoted token (unlike COOP/COEP), so Chromium ignores this one and sends ${feature} reports to ${q('default')}; write ${q(`report-to=${SF_KEY.test(unquoted) ? unquoted : keyLike(unquoted)}`)}.`,
        written.text(feature),
        { ...written.facts(feature), dropped: 'nothing' },
      );
    }

    if (name !== null) {
      checkEndpointName(
        ctx,
        'permissions-policy',
        header,
        label,
        name,
        (n) => `${feature}=…;report-to=${n}`,
        written.facts(feature),
      );
      ctx.out.ref({
        reportType: 'permissions-policy-violation',
        endpointName: name,
        header,
        detail: feature,
        reportOnly,
        namespace: 'endpoints-or-groups',
      });
    } else if (restricts) {
      // Without report-to, Blink queues the violation for the endpoint named `default`.
      ctx.out.ref({
        reportType: 'permissions-policy-violation',
        endpointName: 'default',
        header,
        detail: `${feature} (default endpoint)`,
        reportOnly,
        namespace: 'endpoints-or-groups',
      });
    }
  }
}
