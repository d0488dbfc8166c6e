/**
 * `Document-Policy` and `-Report-Only`: the endpoint each feature reports to (`*;report-to=name` for all), as
 * Chromium reads it (third_party/blink/common/permissions_policy/document_policy_parser.cc). Pure.
 */
import { Token } from 'structured-headers';
import {
  bareItemText,
  checkEndpointName,
  describeType,
  keyLike,
  q,
  SF_KEY,
  structuredDictionary,
  trimAscii,
  WrittenMembers,
  type Context,
} from './referencing-kit';

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

/** Parses Document-Policy or its `-Report-Only` (repeated headers joined by `, `). */
export function parseDocumentPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Document-Policy-Report-Only' : 'Document-Policy';
  const value = values.join(', ');
  if (trimAscii(value) === '') return;
  const dict = structuredDictionary(
    ctx,
    header,
    value,
    'document-policy-invalid',
    label,
    '*;report-to=dp, js-profiling',
  );
  if (!dict) return;
  const written = new WrittenMembers(value);

  let defaultEndpoint: string | null = null;
  const features: { name: string; endpoint: string | null }[] = [];
  for (const [key, member] of dict) {
    const [content, params] = member;
    const text = written.text(key);
    const at = { ...written.facts(key), dropped: 'entry' as const };
    if (key === 'report-to') {
      const shown = Array.isArray(content) ? '(…)' : bareItemText(content).replace(/^"|"$/g, '');
      ctx.out.diag(
        header,
        'document-policy-report-to-member',
        `${label} ${q(text)}: Chromium takes the default endpoint from the ${q('*')} member, so ${q('report-to')} here is read as an unknown feature and ignored; write ${q(`*;report-to=${SF_KEY.test(shown) ? shown : keyLike(shown)}`)}.`,
        text,
        at,
      );
      continue;
    }
    if (Array.isArray(content)) {
      ctx.out.diag(
        header,
        'document-policy-bad-value',
        `${label} ${q(text)}: a Document-Policy feature takes a single value, not a list, so Chromium ignores this entry; write e.g. ${q(`${key}=?0`)}.`,
        text,
        at,
      );
      continue;
    }
    const type = DOCUMENT_POLICY_FEATURES[key];
    if (type === undefined) {
      ctx.out.diag(
        header,
        'document-policy-unknown-feature',
        `${label} ${q(key)} is not a Document-Policy feature Chromium recognises, so the entry is ignored; known features: ${Object.keys(
          DOCUMENT_POLICY_FEATURES,
        )
          .filter((f) => f !== '*')
          .join(', ')}.`,
        text,
        at,
      );
      continue;
    }
    if (typeof content !== 'boolean') {
      ctx.out.diag(
        header,
        'document-policy-bad-value',
        `${label} ${q(text)}: ${q(key)} takes a boolean (${q(key)} or ${q(`${key}=?0`)}), not ${describeType(content)}, so Chromium ignores this entry.`,
        text,
        at,
      );
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
        ctx.out.diag(
          header,
          'document-policy-report-to-not-token',
          `${label} ${q(text)}: report-to must be an unquoted token, not ${describeType(v)}; Chromium drops the whole ${q(key)} entry. Write ${q(`report-to=${SF_KEY.test(unquoted) ? unquoted : keyLike(unquoted)}`)} (got ${q(shown)}).`,
          text,
          at,
        );
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
      checkEndpointName(
        ctx,
        'document-policy',
        header,
        label,
        name,
        (n) => (own ? `${f.name};report-to=${n}` : `*;report-to=${n}`),
        written.facts(own ? f.name : '*'),
      );
    }
    referenced = true;
    ctx.out.ref({
      reportType: 'document-policy-violation',
      endpointName: name,
      header,
      detail: own ? f.name : `${f.name} (default endpoint from *)`,
      reportOnly,
      namespace: 'endpoints-or-groups',
    });
  }
  if (features.length > 0 && !referenced) {
    ctx.out.diag(
      header,
      'document-policy-no-report-to',
      `${label} names no reporting endpoint, so violations only reach ReportingObserver in the page and nothing is sent; add ${q('*;report-to=dp')} (default for all features) or ${q(`${features[0]?.name ?? 'feature'};report-to=dp`)}.`,
      undefined,
      { start: 0, end: value.length, dropped: 'nothing' },
    );
  }
}
