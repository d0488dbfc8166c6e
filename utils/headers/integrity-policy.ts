/**
 * `Integrity-Policy` and `-Report-Only`: which endpoints hear about scripts without integrity metadata, as Chromium
 * reads it (services/network/public/cpp/integrity_policy_parser.cc). Pure.
 */
import { Token } from 'structured-headers';
import {
  bareItemText,
  checkEndpointName,
  describeType,
  q,
  structuredDictionary,
  trimAscii,
  WrittenMembers,
  type Context,
} from './referencing-kit';

/** Chromium 156 blocks only scripts (services/network/public/cpp/integrity_policy_parser.cc). */
const INTEGRITY_DESTINATIONS = new Set(['script']);

/** Parses Integrity-Policy or its `-Report-Only` (repeated headers joined by `, `). */
export function parseIntegrityPolicy(ctx: Context, header: string, values: string[], reportOnly: boolean): void {
  const label = reportOnly ? 'Integrity-Policy-Report-Only' : 'Integrity-Policy';
  const value = values.join(', ');
  if (trimAscii(value) === '') return;
  const dict = structuredDictionary(
    ctx,
    header,
    value,
    'integrity-policy-invalid',
    label,
    'blocked-destinations=(script), endpoints=(integrity)',
  );
  if (!dict) return;
  const written = new WrittenMembers(value);

  const destinations: string[] = [];
  const endpoints: string[] = [];
  for (const [key, member] of dict) {
    const [content] = member;
    const text = written.text(key);
    const at = { ...written.facts(key), dropped: 'entry' as const };
    if (key !== 'blocked-destinations' && key !== 'sources' && key !== 'endpoints') {
      ctx.out.diag(
        header,
        'integrity-policy-unknown-key',
        `${label} ${q(text)}: ${q(key)} is not an Integrity-Policy member, so Chromium ignores it; the members are blocked-destinations, sources and endpoints.`,
        text,
        at,
      );
      continue;
    }
    if (!Array.isArray(content)) {
      ctx.out.diag(
        header,
        'integrity-policy-not-list',
        `${label} ${q(text)}: the value must be a parenthesised list, so Chromium ignores it; write ${q(`${key}=(${bareItemText(content).replace(/^"|"$/g, '')})`)}.`,
        text,
        at,
      );
      continue;
    }
    for (const [item] of content) {
      if (!(item instanceof Token)) {
        const shown = bareItemText(item);
        ctx.out.diag(
          header,
          'integrity-policy-not-token',
          `${label} ${q(text)}: ${q(shown)} is ${describeType(item)}; Chromium accepts only unquoted tokens and ignores it. Write ${q(`${key}=(${shown.replace(/^"|"$/g, '')})`)}.`,
          text,
          at,
        );
        continue;
      }
      const t = item.toString();
      if (key === 'blocked-destinations') {
        if (INTEGRITY_DESTINATIONS.has(t)) destinations.push(t);
        else {
          ctx.out.diag(
            header,
            'integrity-policy-unknown-destination',
            `${label} ${q(text)}: Chromium does not support the destination ${q(t)} (it supports only script) and ignores it${t === 'style' ? ', so stylesheets without integrity are neither blocked nor reported' : ''}.`,
            text,
            at,
          );
        }
      } else if (key === 'sources') {
        if (t !== 'inline') {
          ctx.out.diag(
            header,
            'integrity-policy-unknown-source',
            `${label} ${q(text)}: the only source Chromium supports is inline; ${q(t)} is ignored. Write ${q('sources=(inline)')} or leave sources out.`,
            text,
            at,
          );
        }
      } else {
        endpoints.push(t);
      }
    }
  }

  if (destinations.length === 0) {
    ctx.out.diag(
      header,
      'integrity-policy-no-destinations',
      `${label} has no supported blocked destination, so it neither blocks nor reports anything; add ${q('blocked-destinations=(script)')}.`,
      undefined,
      { start: 0, end: value.length, dropped: 'policy' },
    );
    return;
  }
  if (endpoints.length === 0) {
    if (reportOnly) {
      ctx.out.diag(
        header,
        'integrity-policy-report-only-no-endpoints',
        `${label} has no endpoints, so scripts without integrity metadata are only logged to the console; add ${q('endpoints=(integrity)')} and a Reporting-Endpoints entry of that name.`,
        undefined,
        { start: 0, end: value.length, dropped: 'nothing' },
      );
    } else {
      ctx.out.diag(
        header,
        'integrity-policy-no-endpoints',
        `${label} has no endpoints: scripts without integrity metadata are blocked but not reported; add ${q('endpoints=(integrity)')} and a Reporting-Endpoints entry of that name to hear about them.`,
        undefined,
        { start: 0, end: value.length, dropped: 'nothing' },
      );
    }
    return;
  }
  const detail = `blocked-destinations=(${destinations.join(' ')})`;
  for (const name of endpoints) {
    checkEndpointName(
      ctx,
      'integrity-policy',
      header,
      label,
      name,
      (n) => `endpoints=(${n})`,
      written.facts('endpoints'),
    );
    ctx.out.ref({
      reportType: 'integrity-violation',
      endpointName: name,
      header,
      detail,
      reportOnly,
      namespace: 'endpoints-or-groups',
    });
  }
}
