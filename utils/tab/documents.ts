/**
 * From raw response headers to what the extension keeps: picking out the reporting headers cheaply, and
 * building the record of a document from them. Pure.
 */
import type { CapturedHeader, HeaderDiagnostic } from '@/utils/headers/types';
import type { DocumentRecord, TabState } from './types';
import { LIMITS } from './types';
import { REPORTING_HEADERS } from '@/utils/headers/types';
import { parseReportTo, parseReportingEndpoints } from '@/utils/headers/reporting-headers';
import { parseReferencingHeaders } from '@/utils/headers/referencing-headers';
import { recordJsonSize } from '@/utils/page/untrusted';
import { BoundedMemo } from '@/utils/memo';

const WANTED: ReadonlySet<string> = new Set(REPORTING_HEADERS);

/**
 * The reporting-related headers of a response, names lower-cased, repeated headers joined by `, ` in order.
 * Returns an empty array without allocating per header when there are none (the common case).
 */
export function pickReportingHeaders(
  headers: readonly { name: string; value?: string }[] | undefined,
): CapturedHeader[] {
  if (!headers) return [];
  let found: Map<string, string> | null = null;
  for (const h of headers) {
    const n = h.name;
    // Cheap pre-filter on the first letter before lower-casing: every wanted name starts with c, d, i, n, p or r.
    const c = n.charCodeAt(0) | 0x20;
    if (c !== 0x63 && c !== 0x64 && c !== 0x69 && c !== 0x6e && c !== 0x70 && c !== 0x72) continue;
    const name = n.toLowerCase();
    if (!WANTED.has(name)) continue;
    found ??= new Map();
    const prev = found.get(name);
    const v = h.value ?? '';
    found.set(name, prev === undefined ? v : `${prev}, ${v}`);
  }
  if (!found) return [];
  return [...found].map(([name, value]) => ({ name, value }));
}

/**
 * `parse(value, url)` remembered per (origin, value) for HTTPS URLs: a site sends the same `Report-To` and
 * `Reporting-Endpoints` on response after response, and for an HTTPS URL both parsers depend on its origin only
 * (endpoint paths resolve against the origin; only the non-HTTPS diagnostics quote the URL). Results are shared,
 * so callers must not modify them (nothing does: state updates copy).
 */
function memoByOrigin<R>(parse: (value: string, url: string) => R, max = 64): (value: string, url: string) => R {
  const memo = new BoundedMemo<R>(max);
  return (value, url) => {
    if (!url.startsWith('https://')) return parse(value, url);
    const slash = url.indexOf('/', 8);
    return memo.get(`${slash < 0 ? url : url.slice(0, slash)}\n${value}`, () => parse(value, url));
  };
}

/** {@link parseReportTo}, remembered per origin and value (see `memoByOrigin`). */
export const parseReportToCached = memoByOrigin(parseReportTo);
const parseReportingEndpointsCached = memoByOrigin(parseReportingEndpoints);

function capped(h: CapturedHeader): CapturedHeader {
  return h.value.length > LIMITS.headerValueChars
    ? { name: h.name, value: h.value.slice(0, LIMITS.headerValueChars), truncated: true }
    : h;
}

export interface DocumentInput {
  frameId: number;
  parentFrameId: number;
  url: string;
  type: 'main_frame' | 'sub_frame';
  statusCode: number;
  headers: CapturedHeader[];
  now: number;
}

/** Parses a document's reporting headers into its record (Report-To effects on the origin cache are separate). */
export function buildDocumentRecord(input: DocumentInput): DocumentRecord {
  const { headers, url } = input;
  const diagnostics: HeaderDiagnostic[] = [];
  const re = headers.find((h) => h.name === 'reporting-endpoints');
  let endpoints: DocumentRecord['endpoints'] = [];
  if (re) {
    const r = parseReportingEndpointsCached(re.value, url);
    endpoints = r.endpoints;
    for (const d of r.diagnostics) diagnostics.push({ ...d, header: 'reporting-endpoints' });
  }
  const rt = headers.find((h) => h.name === 'report-to');
  let reportTo: DocumentRecord['reportTo'] = null;
  if (rt) {
    const r = parseReportToCached(rt.value, url);
    reportTo = { groups: r.groups, removedGroups: r.removedGroups };
    for (const d of r.diagnostics) diagnostics.push({ ...d, header: 'report-to' });
  }
  const refs = parseReferencingHeaders(headers, url);
  diagnostics.push(...refs.diagnostics);
  return {
    id: `${input.frameId}@${input.now}`,
    frameId: input.frameId,
    parentFrameId: input.parentFrameId,
    url,
    type: input.type,
    statusCode: input.statusCode,
    receivedAt: input.now,
    headers: headers.map(capped),
    endpoints,
    reportTo,
    references: refs.references,
    reportUris: refs.reportUris,
    diagnostics: diagnostics.slice(0, LIMITS.diagnosticsPerDocument),
  };
}

/**
 * Puts a new document into a tab's state: a top-level document moves the current one (and its frames) into
 * history, newest first and bounded; an iframe document replaces that frame's previous one.
 */
export function placeDocument(state: TabState, doc: DocumentRecord, now: number): TabState {
  // Placed already (a worker stopped after placing a kept document and before forgetting it, deferred-capture.ts):
  // unchanged.
  const same = (d: DocumentRecord | undefined) =>
    d !== undefined && d.id === doc.id && d.url === doc.url && d.statusCode === doc.statusCode;
  if (same(state.documents[String(doc.frameId)]) || (doc.type === 'main_frame' && state.history.some(same)))
    return state;
  if (doc.type === 'main_frame') {
    const previous = state.documents['0'];
    let history = state.history;
    let dropped = state.dropped;
    if (previous) {
      history = [previous, ...history];
      let keep = Math.min(history.length, LIMITS.history);
      // Bounded in bytes too (large headers); the newest previous document is always kept.
      let chars = 0;
      for (let i = 0; i < keep; i++) {
        chars += recordJsonSize(history[i]!); // measured once per record: a burst of navigations re-sums the history
        if (chars > LIMITS.historyChars && i > 0) keep = i;
      }
      if (history.length > keep) {
        dropped = { ...dropped, history: dropped.history + (history.length - keep) };
        history = history.slice(0, keep);
      }
    }
    return { ...state, updatedAt: now, documents: { '0': doc }, history, dropped };
  }
  const documents = { ...state.documents, [String(doc.frameId)]: doc };
  const keys = Object.keys(documents).filter((k) => k !== '0');
  if (keys.length > LIMITS.frames) {
    // Drop the oldest iframe documents beyond the bound.
    keys.sort((a, b) => documents[a]!.receivedAt - documents[b]!.receivedAt);
    for (const k of keys.slice(0, keys.length - LIMITS.frames)) delete documents[k];
  }
  return { ...state, updatedAt: now, documents };
}

/**
 * A top-level document back without a response (restored from the back/forward cache): the newest previous
 * document with its URL becomes the current one again, and the current one goes into the history. Its frames'
 * documents are not known any more and are dropped. Unchanged when the current document has that URL already or
 * none in the history has it.
 */
export function restoreDocument(state: TabState, url: string, now: number): TabState {
  if (state.documents['0']?.url === url) return state;
  const i = state.history.findIndex((d) => d.url === url);
  if (i < 0) return state;
  const restored = state.history[i]!;
  const rest = state.history.filter((_, j) => j !== i);
  const previous = state.documents['0'];
  return {
    ...state,
    updatedAt: now,
    documents: { '0': restored },
    history: previous ? [previous, ...rest] : rest,
  };
}
