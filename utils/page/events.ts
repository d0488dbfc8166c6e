/**
 * Events the page hook records, as the relay forwards them to the background. Everything here comes from an
 * untrusted page: `parsePageEvent` validates and bounds each one before anything keeps it (the relay runs it
 * on what the hook posts, the background again on what the relay sends).
 *
 * Hook → relay: `window.postMessage({ __reportInspector: 1, v: 1, n: <nonce>, events: HookEvent[] }, '*')`.
 * Relay → background: `request('pageEvents', { events: PageEvent[] })`.
 */
import type { AppCrashReport, Breadcrumb, BreadcrumbEntry, CrashSenseCheckpoint } from './types';
import { BREADCRUMB_TYPES } from './types';
import { MAX_APP_BODY, parseCheckpoint, recogniseCrashSenseBody, validateCheckpoint } from './crashsense';
import { scrub } from './scrub';
import { CAPS, boundedObject, isObj, num, numOrNull, parseBreadcrumb, parseBreadcrumbs, str } from './untrusted';

/** What an app report event carries: the report without what the background assigns. */
export type AppReportFields = Omit<AppCrashReport, 'seq' | 'frameId' | 'uploadId'>;

export type PageEvent =
  | { kind: 'breadcrumb'; crumb: Breadcrumb; level?: BreadcrumbEntry['level'] }
  | { kind: 'report'; report: { type: string; url: string; body: Record<string, unknown> } }
  /** `checkpoint: null` when the app removed it. */
  | { kind: 'checkpoint'; checkpoint: CrashSenseCheckpoint | null; atLoad: boolean }
  /** A CrashSense report the page uploaded; `id` names the upload (a batch shares it). */
  | { kind: 'app-report'; id: string; report: AppReportFields }
  /** The upload `id` finished: HTTP status, 0 for a network failure. */
  | { kind: 'app-report-status'; id: string; status: number }
  /** A call of `window.crashReport.initialize/set/delete` ({@link CrashContextCall}). */
  | CrashContextCall
  /** The document's visibility (`document.visibilityState`), at install and on every change. */
  | { kind: 'visibility'; state: 'visible' | 'hidden' };

/**
 * One call of the page's `window.crashReport` (CrashReportContext). `error` is set when the call threw (the
 * page got the same exception). Strings are scrubbed and capped; `size` is the UTF-8 byte count of the entry as
 * Chromium counts it (`"key":"value"` in JSON), measured on the page's real strings; `exact` is false when the
 * kept key or value differs from the page's (scrubbed or cut). A key or value the page gave as an object is not
 * converted (that would run page code): the key is then absent.
 */
export interface CrashContextCall {
  kind: 'crash-context';
  op: 'initialize' | 'set' | 'delete';
  /** When the page made the call (ms epoch, the page's clock). */
  at?: number;
  /** `initialize(bytes)`: the number the page passed, null when it was not a number. */
  bytes?: number | null;
  key?: string;
  value?: string;
  size?: number;
  exact?: boolean;
  error?: string;
}

/**
 * What the MAIN-world hook posts. Two kinds differ from `PageEvent`, so the hook stays small and does no
 * parsing: a checkpoint travels as the raw stored string, and an upload that looks like CrashSense as its raw
 * body; the relay turns both into page events ({@link expandHookEvent}).
 */
export type HookEvent =
  | Exclude<PageEvent, { kind: 'checkpoint' | 'app-report' }>
  | { kind: 'checkpoint'; raw: string | null; atLoad: boolean }
  | {
      kind: 'app-upload';
      id: string;
      at: number;
      transport: AppCrashReport['transport'];
      destination: string;
      /** The request body, a string that passed `mayBeCrashSenseBody`. */
      body: string;
    };

/** The key that marks the hook's window messages. */
export const PAGE_MESSAGE_KEY = '__reportInspector';
export const PAGE_MESSAGE_VERSION = 1;
/** The relay's hello to the hook, `{ [PAGE_MESSAGE_KEY]: RELAY_HELLO }`: it listens now, the hook may post. */
export const RELAY_HELLO = 'hello';

/** A window message from the hook. `n` is a per-load nonce: it tells loads apart, it does not authenticate. */
export interface PageMessage {
  [PAGE_MESSAGE_KEY]: 1;
  v: typeof PAGE_MESSAGE_VERSION;
  n: string;
  events: HookEvent[];
}

const LEVELS: ReadonlySet<string> = /* @__PURE__ */ new Set(['log', 'info', 'warn', 'error', 'debug']);
const CRUMB_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(BREADCRUMB_TYPES);
const TRANSPORTS: ReadonlySet<string> = /* @__PURE__ */ new Set(['fetch', 'xhr', 'beacon']);
const SHAPES: ReadonlySet<string> = /* @__PURE__ */ new Set(['CrashReport', 'CrashEvent', 'subset']);

/** An HTTP status (0–999 integer) or null. */
function status(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1000 ? v : null;
}

function uploadId(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null;
}

function appReport(r: unknown): AppReportFields | null {
  if (!isObj(r) || typeof r.transport !== 'string' || !TRANSPORTS.has(r.transport)) return null;
  if (typeof r.shape !== 'string' || !SHAPES.has(r.shape) || typeof r.fingerprint !== 'string') return null;
  const factors: AppReportFields['contributingFactors'] = [];
  if (Array.isArray(r.contributingFactors)) {
    for (const f of r.contributingFactors.slice(0, 20)) {
      if (isObj(f) && typeof f.factor === 'string') {
        factors.push({
          factor: str(f.factor, CAPS.name),
          weight: num(f.weight, 0),
          evidence: str(f.evidence, CAPS.message),
        });
      }
    }
  }
  return {
    at: num(r.at, 0),
    transport: r.transport as AppReportFields['transport'],
    destination: str(r.destination, CAPS.url),
    status: status(r.status),
    shape: r.shape as AppReportFields['shape'],
    category: str(r.category, CAPS.name),
    subcategory: str(r.subcategory, CAPS.name),
    severity: str(r.severity, CAPS.name),
    confidence: numOrNull(r.confidence),
    message: str(r.message, CAPS.message),
    fingerprint: str(r.fingerprint, CAPS.name),
    contributingFactors: factors,
    breadcrumbs: parseBreadcrumbs(r.breadcrumbs, 30),
  };
}

const CONTEXT_OPS: ReadonlySet<string> = /* @__PURE__ */ new Set(['initialize', 'set', 'delete']);

/** Bounds of what a crash-context call may carry (Chromium allows at most 65,536 bytes per origin). */
export const CONTEXT_CAPS = { key: 200, value: 500, error: 300, maxBytes: 2 ** 53 } as const;

function crashContextCall(raw: Record<string, unknown>): CrashContextCall | null {
  if (typeof raw.op !== 'string' || !CONTEXT_OPS.has(raw.op)) return null;
  const ev: CrashContextCall = { kind: 'crash-context', op: raw.op as CrashContextCall['op'] };
  if (typeof raw.at === 'number' && Number.isFinite(raw.at) && raw.at > 0) ev.at = raw.at;
  if (typeof raw.error === 'string') ev.error = scrub(str(raw.error, CONTEXT_CAPS.error));
  if (ev.op === 'initialize') {
    ev.bytes = typeof raw.bytes === 'number' && Number.isFinite(raw.bytes) ? raw.bytes : null;
    return ev;
  }
  // A key the page gave as an object was not converted by the hook: the call is kept, without it.
  if (typeof raw.key !== 'string') return ev;
  ev.key = scrub(str(raw.key, CONTEXT_CAPS.key));
  if (ev.op === 'set' && typeof raw.value === 'string') {
    ev.value = scrub(str(raw.value, CONTEXT_CAPS.value));
    const size = raw.size;
    ev.size =
      typeof size === 'number' && Number.isInteger(size) && size >= 0 && size <= CONTEXT_CAPS.maxBytes
        ? size
        : utf8Size(ev.key, ev.value);
    ev.exact = raw.exact === true && ev.key === raw.key && ev.value === raw.value;
  }
  return ev;
}

/** UTF-8 bytes of `"key":"value"` as JSON (what Chromium counts against the `initialize` budget). */
export function utf8Size(key: string, value: string): number {
  return (
    new TextEncoder().encode(JSON.stringify(key)).length + 1 + new TextEncoder().encode(JSON.stringify(value)).length
  );
}

/**
 * A validated and bounded page event, or null for anything else: unknown kinds, wrong types, non-finite
 * numbers. Strings are capped (messages 1,000 chars, URLs 2,048), breadcrumb data to 4 KB of JSON, report
 * bodies to 16 KB, checkpoints to 64 KB; prototype keys are dropped. A checkpoint may come as the raw stored
 * string (from the hook) or as an object (from the relay). Never throws.
 */
export function parsePageEvent(raw: unknown): PageEvent | null {
  try {
    if (!isObj(raw)) return null;
    switch (raw.kind) {
      case 'breadcrumb': {
        const crumb = parseBreadcrumb(raw.crumb);
        if (!crumb) return null;
        const ev: PageEvent = { kind: 'breadcrumb', crumb };
        if (typeof raw.level === 'string' && LEVELS.has(raw.level)) ev.level = raw.level as BreadcrumbEntry['level'];
        return ev;
      }
      case 'report': {
        const r = raw.report;
        if (!isObj(r) || typeof r.type !== 'string' || !r.type) return null;
        return {
          kind: 'report',
          report: {
            type: str(r.type, CAPS.name),
            url: str(r.url, CAPS.url),
            body: boundedObject(r.body, CAPS.reportBodyBytes),
          },
        };
      }
      case 'checkpoint': {
        if (typeof raw.atLoad !== 'boolean') return null;
        let checkpoint: CrashSenseCheckpoint | null = null;
        // A stored value that is not a valid checkpoint is ignored, not taken as a removal.
        if (typeof raw.raw === 'string') {
          if (!(checkpoint = parseCheckpoint(raw.raw))) return null;
        } else if (isObj(raw.checkpoint)) {
          if (!(checkpoint = validateCheckpoint(raw.checkpoint))) return null;
        } else if (raw.raw !== null && raw.checkpoint !== null) return null;
        return { kind: 'checkpoint', checkpoint, atLoad: raw.atLoad };
      }
      case 'app-report': {
        const id = uploadId(raw.id);
        const report = appReport(raw.report);
        return id && report ? { kind: 'app-report', id, report } : null;
      }
      case 'app-report-status': {
        const id = uploadId(raw.id);
        const s = status(raw.status);
        return id && s !== null ? { kind: 'app-report-status', id, status: s } : null;
      }
      case 'crash-context':
        return crashContextCall(raw);
      case 'visibility':
        return raw.state === 'visible' || raw.state === 'hidden' ? { kind: 'visibility', state: raw.state } : null;
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/**
 * The page events in one untrusted hook event: an `app-upload` gives one `app-report` per CrashSense report
 * its body holds (none when it holds none), anything else what {@link parsePageEvent} gives. `baseUrl` (the
 * frame's URL) resolves an upload's destination. Never throws.
 */
export function expandHookEvent(raw: unknown, baseUrl?: string): PageEvent[] {
  if (!isObj(raw) || raw.kind !== 'app-upload') {
    const ev = parsePageEvent(raw);
    return ev ? [ev] : [];
  }
  const id = uploadId(raw.id);
  if (!id || typeof raw.body !== 'string' || raw.body.length > MAX_APP_BODY) return [];
  if (typeof raw.transport !== 'string' || !TRANSPORTS.has(raw.transport)) return [];
  let body: unknown;
  try {
    body = JSON.parse(raw.body);
  } catch {
    return [];
  }
  const base = {
    at: num(raw.at, 0),
    transport: raw.transport as AppReportFields['transport'],
    destination: absolute(str(raw.destination, CAPS.url), baseUrl),
    status: null,
  };
  return recogniseCrashSenseBody(body).map((r): PageEvent => ({ kind: 'app-report', id, report: { ...base, ...r } }));
}

/** `url` resolved against `base` (the hook sends a request's URL as the page wrote it), scrubbed and capped. */
function absolute(url: string, base: string | undefined): string {
  if (!base) return url;
  try {
    return str(scrub(new URL(url, base).href), CAPS.url);
  } catch {
    return url;
  }
}

/** The valid events of an untrusted list, at most `max` of them. */
export function parsePageEvents(raw: unknown, max = 1000): PageEvent[] {
  if (!Array.isArray(raw)) return [];
  const out: PageEvent[] = [];
  for (let i = 0; i < raw.length && out.length < max; i++) {
    const ev = isFinalBreadcrumb(raw[i]) ? (raw[i] as PageEvent) : parsePageEvent(raw[i]);
    if (ev) out.push(ev);
  }
  return out;
}

/** Nesting `plainSize` walks into before it gives up (the background's bound is `CAPS.depth`). */
const PLAIN_DEPTH = 4;

/**
 * The JSON size of a value made of plain objects, arrays, strings, finite numbers, booleans and null, nested at
 * most `depth` deep, with no prototype keys; -1 for anything else (a `Map`, a `Date`, NaN, a cycle, deeper
 * nesting), or once the size passes `budget`. Strings count their length without escapes: a bound, not a copy.
 */
export function plainSize(v: unknown, budget: number, depth = PLAIN_DEPTH): number {
  switch (typeof v) {
    case 'string':
      return v.length + 2 <= budget ? v.length + 2 : -1;
    case 'number':
      return Number.isFinite(v) ? 8 : -1;
    case 'boolean':
      return 5;
    case 'object': {
      if (v === null) return 4;
      if (depth <= 0) return -1;
      let size = 2;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const n = plainSize(v[i], budget - size, depth - 1);
          if (n < 0 || (size += n + 1) > budget) return -1;
        }
        return size;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return -1;
      for (const k in v) {
        if (
          k === '__proto__' ||
          k === 'constructor' ||
          k === 'prototype' ||
          !Object.prototype.hasOwnProperty.call(v, k)
        )
          return -1;
        const n = plainSize((v as Record<string, unknown>)[k], budget - size, depth - 1);
        if (n < 0 || (size += n + k.length + 4) > budget) return -1;
      }
      return size;
    }
    default:
      return -1;
  }
}

/**
 * The JSON size of a breadcrumb event already in the shape `parsePageEvent` returns for it (so forwarding it as
 * it is equals forwarding the parsed copy): `{ kind, crumb: { type, timestamp, message, data? }, level? }`, known
 * type and level, finite timestamp, message within `CAPS.message`, `data` a plain object within `CAPS.dataBytes`;
 * -1 for anything else.
 */
export function plainBreadcrumb(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) return -1;
  const ev = raw as { kind?: unknown; crumb?: unknown; level?: unknown };
  if (ev.kind !== 'breadcrumb' || typeof ev.crumb !== 'object' || ev.crumb === null) return -1;
  let keys = 0;
  for (const k in ev)
    if (k !== 'kind' && k !== 'crumb' && k !== 'level') return -1;
    else keys++;
  if (ev.level !== undefined && !(typeof ev.level === 'string' && LEVELS.has(ev.level))) return -1;
  const c = ev.crumb as { type?: unknown; timestamp?: unknown; message?: unknown; data?: unknown };
  if (Object.getPrototypeOf(c) !== Object.prototype) return -1;
  if (typeof c.type !== 'string' || !CRUMB_TYPES.has(c.type)) return -1;
  if (typeof c.timestamp !== 'number' || !Number.isFinite(c.timestamp)) return -1;
  if (typeof c.message !== 'string' || c.message.length > CAPS.message) return -1;
  for (const k in c) if (k !== 'type' && k !== 'timestamp' && k !== 'message' && k !== 'data') return -1;
  let size = 48 + keys + c.type.length + c.message.length + (typeof ev.level === 'string' ? ev.level.length : 0);
  if (c.data !== undefined) {
    if (typeof c.data !== 'object' || c.data === null || Array.isArray(c.data)) return -1;
    const d = plainSize(c.data, CAPS.dataBytes);
    if (d < 0) return -1;
    size += d + 7;
  }
  return size;
}

/**
 * A breadcrumb event `parsePageEvent` would return unchanged, as it is: {@link plainBreadcrumb}, with `data`
 * small enough that its JSON is within `CAPS.dataBytes` however it is escaped (at most six characters per counted
 * one: `\\uXXXX`, a long number). Taken without the bounded copy and its `JSON.stringify`, which were most of the
 * background's time per breadcrumb (bench/profile.mjs).
 */
export function isFinalBreadcrumb(raw: unknown): boolean {
  if (plainBreadcrumb(raw) < 0) return false;
  const data = (raw as { crumb: { data?: unknown } }).crumb.data;
  return data === undefined || plainSize(data, Math.floor(CAPS.dataBytes / 6)) >= 0;
}

/** True for a window message shaped like the hook's (namespace, version, nonce, event list). */
export function isPageMessage(data: unknown): data is { [PAGE_MESSAGE_KEY]: 1; v: 1; n: string; events: unknown[] } {
  return (
    isObj(data) &&
    data[PAGE_MESSAGE_KEY] === 1 &&
    data.v === PAGE_MESSAGE_VERSION &&
    typeof data.n === 'string' &&
    data.n.length <= 64 &&
    Array.isArray(data.events)
  );
}
