/**
 * The delivery prediction as one pure function (⚑ DESIGN.md contract 5): the responses a browser received in,
 * the endpoints Chromium keeps for the last one (the document) and where each report type of it goes out.
 *
 * It builds the same state the background builds from `webRequest` (the origin cache from every response's
 * `Report-To`, the document record from the last response) and routes it with `routesOfDocument`, the code the
 * panel, the popup and the badge use, so the prediction and what the product shows cannot disagree.
 */
import type { NamedEndpoint, ReportToEndpoint } from '@/utils/headers/types';
import type { OriginCache } from './types';
import { applyReportTo } from './origin-cache';
import { buildDocumentRecord, pickReportingHeaders } from './documents';
import { parseDictionary } from 'structured-headers';
import { routesOfDocument } from './routes';

/** A response as the browser received it: headers in any case, repeats allowed. */
export interface ReceivedResponse {
  url: string;
  headers: readonly { name: string; value: string }[];
}

export interface PredictedRoute {
  /** The report `type` Chromium sends: csp-violation, csp-hash, network-error, coop, coep, deprecation, crash, … */
  reportType: string;
  endpointName: string | null;
  /** What Chromium may deliver to, in the order it tries them; `[]` when nothing will be sent. */
  endpoints: ReportToEndpoint[];
  /** Why nothing will be sent. */
  reason?: string;
}

export interface DeliveryPrediction {
  /** The `Reporting-Endpoints` Chromium keeps for the document (none on a non-HTTPS page). */
  endpoints: NamedEndpoint[];
  routes: PredictedRoute[];
}

/** More responses than this are read from the newest back (the origin cache keeps at most 500 origins anyway). */
const MAX_RESPONSES = 2000;

function headersOf(response: unknown): { name: string; value: string }[] {
  const list = response && typeof response === 'object' ? (response as { headers?: unknown }).headers : undefined;
  if (!Array.isArray(list)) return [];
  const out: { name: string; value: string }[] = [];
  for (const h of list) {
    if (!h || typeof h !== 'object') continue;
    const { name, value } = h as { name?: unknown; value?: unknown };
    if (typeof name !== 'string') continue;
    out.push({ name, value: typeof value === 'string' ? value : '' });
  }
  return out;
}

function urlOf(response: unknown): string {
  const url = response && typeof response === 'object' ? (response as { url?: unknown }).url : undefined;
  return typeof url === 'string' ? url : '';
}

/**
 * Predicts where the reports of the last response's document go. `responses` are oldest first, of any origins;
 * each `Report-To` updates its origin's groups as Chromium keeps them (replaced, removed by `max_age: 0`,
 * `include_subdomains` for subdomains), all received at `now`. Returns one route per report type and endpoint
 * name the document configures, plus deprecation, intervention and crash.
 */
export function predictDelivery(responses: readonly ReceivedResponse[], now: number): DeliveryPrediction {
  const list = Array.isArray(responses) ? responses.slice(-MAX_RESPONSES) : [];
  const at = Number.isFinite(now) ? now : 0;
  if (list.length === 0) return { endpoints: [], routes: [] };

  let cache: OriginCache = {};
  const offDocument = new Map<string, string>();
  const lastIndex = list.length - 1;
  let documentHeaders: ReturnType<typeof pickReportingHeaders> = [];
  for (const [i, response] of list.entries()) {
    const url = urlOf(response);
    const headers = pickReportingHeaders(headersOf(response));
    if (i === lastIndex) documentHeaders = headers;
    const reportTo = headers.find((h) => h.name === 'report-to');
    if (reportTo) cache = applyReportTo(cache, reportTo.value, url, i === lastIndex ? 'main_frame' : 'other', at).cache;
    // Reporting-Endpoints of an earlier response configures nothing for this document (it belongs to the response's
    // own document, or to nothing for a subresource): remembered only to explain a name the document lacks.
    const re = i === lastIndex ? undefined : headers.find((h) => h.name === 'reporting-endpoints');
    if (re) {
      try {
        for (const name of parseDictionary(re.value).keys()) if (!offDocument.has(name)) offDocument.set(name, url);
      } catch {
        /* not a dictionary: it names nothing */
      }
    }
  }

  const doc = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url: urlOf(list[lastIndex]),
    type: 'main_frame',
    statusCode: 200,
    headers: documentHeaders,
    now: at,
  });
  const { routes } = routesOfDocument(doc, cache, at, { offDocumentEndpoints: offDocument });

  const seen = new Set<string>();
  const out: PredictedRoute[] = [];
  for (const r of routes) {
    const key = `${r.reportType}\u0000${r.endpointName ?? ''}\u0000${r.endpointName === null ? (r.url ?? '') : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p: PredictedRoute = {
      reportType: r.reportType,
      endpointName: r.endpointName,
      endpoints: r.willDeliver ? (r.endpoints ?? []).map((e) => ({ ...e })) : [],
    };
    if (!r.willDeliver) p.reason = r.reason ?? 'nothing will be sent';
    out.push(p);
  }
  return { endpoints: doc.endpoints.map((e) => ({ name: e.name, url: e.url })), routes: out };
}
