/**
 * Parses the response headers that *reference* reporting endpoints by name (CSP `report-to`, NEL `report_to`,
 * COOP/COEP `report-to="…"`, Permissions-Policy, Document-Policy, Integrity-Policy), the way Chromium does: one
 * file per header family, combined here. Pure: no browser globals; the document URL is passed in. Never throws,
 * whatever the input.
 */
import type { CapturedHeader } from './types';
import {
  Collector,
  clip,
  parseUrl,
  isPotentiallyTrustworthy,
  trimAscii,
  type Context,
  type ReferencingHeadersResult,
} from './referencing-kit';
import { parseCsp } from './csp';
import { parseNel } from './nel';
import { parseCoopCoep } from './cross-origin';
import { parsePermissionsPolicy } from './permissions-policy';
import { parseDocumentPolicy } from './document-policy';
import { parseIntegrityPolicy } from './integrity-policy';

export type { ReferencingHeadersResult } from './referencing-kit';

type Handler = (ctx: Context, header: string, values: string[]) => void;

/** In a fixed order, so results do not depend on the order headers arrived in. */
const HANDLERS: [string, Handler][] = [
  ['content-security-policy', (c, h, v) => parseCsp(c, h, v, false)],
  ['content-security-policy-report-only', (c, h, v) => parseCsp(c, h, v, true)],
  ['nel', (c, h, v) => parseNel(c, h, v)],
  ['cross-origin-opener-policy', (c, h, v) => parseCoopCoep(c, 'coop', h, v, false)],
  ['cross-origin-opener-policy-report-only', (c, h, v) => parseCoopCoep(c, 'coop', h, v, true)],
  ['cross-origin-embedder-policy', (c, h, v) => parseCoopCoep(c, 'coep', h, v, false)],
  ['cross-origin-embedder-policy-report-only', (c, h, v) => parseCoopCoep(c, 'coep', h, v, true)],
  ['permissions-policy', (c, h, v) => parsePermissionsPolicy(c, h, v, false)],
  ['permissions-policy-report-only', (c, h, v) => parsePermissionsPolicy(c, h, v, true)],
  ['document-policy', (c, h, v) => parseDocumentPolicy(c, h, v, false)],
  ['document-policy-report-only', (c, h, v) => parseDocumentPolicy(c, h, v, true)],
  ['integrity-policy', (c, h, v) => parseIntegrityPolicy(c, h, v, false)],
  ['integrity-policy-report-only', (c, h, v) => parseIntegrityPolicy(c, h, v, true)],
];
const HANDLED = new Set(HANDLERS.map(([name]) => name));

/**
 * Parses CSP (+Report-Only), NEL, COOP/COEP (+Report-Only), Permissions-Policy (+Report-Only),
 * Document-Policy (+Report-Only) and Integrity-Policy (+Report-Only): which report type goes to which endpoint name.
 * Diagnostic offsets are in each header's value with repeated headers joined by `, `.
 */
export function parseReferencingHeaders(headers: CapturedHeader[], documentUrl: string): ReferencingHeadersResult {
  const out = new Collector();
  const url = typeof documentUrl === 'string' ? documentUrl : '';
  const doc = parseUrl(url);
  const ctx: Context = {
    out,
    documentUrl: url,
    doc,
    https: doc?.protocol === 'https:' || doc?.protocol === 'wss:',
    trustworthy: isPotentiallyTrustworthy(doc),
  };

  const byName = new Map<string, string[]>();
  for (const h of Array.isArray(headers) ? headers : []) {
    if (!h || typeof h !== 'object' || typeof h.name !== 'string') continue;
    const name = trimAscii(h.name).toLowerCase();
    if (!HANDLED.has(name)) continue;
    const value = typeof h.value === 'string' ? h.value : String(h.value ?? '');
    const list = byName.get(name);
    if (list) list.push(value);
    else byName.set(name, [value]);
  }

  for (const [name, handler] of HANDLERS) {
    const values = byName.get(name);
    if (!values) continue;
    out.setValue(name, values.join(', '));
    try {
      handler(ctx, name, values);
    } catch (e) {
      // Defence in depth: a parser bug must show up as a diagnostic, never break the caller.
      out.diag(
        name,
        'referencing-unreadable-header',
        `The header could not be read (${clip(e instanceof Error ? e.message : String(e), 80)}); please report this value to the Report Inspector project.`,
        undefined,
        { ignored: true, dropped: 'header' },
      );
    }
  }
  return out.result();
}
