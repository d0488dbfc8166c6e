/**
 * Small validators for values that come from a page (structured clones or `JSON.parse` results). Pure.
 * Every reader returns a bounded, JSON-safe copy or a fallback; nothing here throws on hostile input.
 */
import { BREADCRUMB_TYPES, type Breadcrumb } from './types';

export const CAPS = {
  /** Breadcrumb message, console text, report message. */
  message: 1000,
  url: 2048,
  /** Short names: types, categories, ids. */
  name: 200,
  /** Breadcrumb `data` as JSON. */
  dataBytes: 4 * 1024,
  /** Live report body as JSON. */
  reportBodyBytes: 16 * 1024,
  /** CrashSense checkpoint as JSON. */
  checkpointBytes: 64 * 1024,
  /** Nesting of free-form objects. */
  depth: 6,
} as const;

/** Keys that must never be copied into an object (prototype pollution). */
const FORBIDDEN = /* @__PURE__ */ new Set(['__proto__', 'constructor', 'prototype']);

/** A plain record read from a page. */
export type Obj = Record<string, unknown>;

/** True for a non-null, non-array object. */
export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string capped at `max` chars (cut strings end with `…`), or the fallback when `v` is not a string. */
export function str(v: unknown, max: number, fallback = ''): string {
  if (typeof v !== 'string') return fallback;
  return v.length > max ? v.slice(0, max - 1) + '…' : v;
}

/** A string cut at `max` chars with no mark (an upload's fields, kept as sent), or '' when `v` is not a string. */
export function cut(v: unknown, max: number): string {
  return typeof v === 'string' ? v.slice(0, max) : '';
}

/** A finite number, or the fallback. */
export function num(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A finite number or null. */
export function numOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** JSON size of a value in UTF-16 code units; `Infinity` when it cannot be serialised (cycles, BigInt). */
export function jsonSize(v: unknown): number {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? 0 : s.length;
  } catch {
    return Infinity;
  }
}

const recordSizes = new WeakMap<object, number>();
/**
 * {@link jsonSize} of a stored record (a document, a breadcrumb), measured once per record: records are never
 * modified once built, and the bounds that sum them run on every navigation and every batch of page events.
 */
export function recordJsonSize(record: object): number {
  let n = recordSizes.get(record);
  if (n === undefined) recordSizes.set(record, (n = jsonSize(record)));
  return n;
}

/**
 * A JSON-safe copy of `value` whose JSON is at most `maxBytes` characters: plain objects and arrays only
 * (other objects, functions, symbols and undefined are dropped), non-finite numbers become null, prototype
 * keys are dropped, nesting is cut at `depth`, strings are shortened to fit and members stop once the budget
 * is spent. Undefined when nothing fits.
 */
export function boundedJson(value: unknown, maxBytes: number, depth: number = CAPS.depth): unknown {
  // The budget estimate ignores escapes: check the real size and retry with less when it is over.
  for (let budget = maxBytes; budget >= 16; budget = Math.floor(budget / 2)) {
    const copy = copyWithin(value, budget, depth);
    if (jsonSize(copy) <= maxBytes) return copy;
  }
  return undefined;
}

function copyWithin(value: unknown, maxBytes: number, depth: number): unknown {
  let budget = maxBytes;
  const copy = (v: unknown, d: number): unknown => {
    if (budget <= 0) return undefined;
    switch (typeof v) {
      case 'string': {
        const s = str(v, Math.max(1, Math.min(budget - 3, CAPS.message * 16)));
        budget -= s.length + 3;
        return s;
      }
      case 'number':
        budget -= String(v).length + 1;
        return Number.isFinite(v) ? v : null;
      case 'boolean':
        budget -= 6;
        return v;
      case 'object': {
        budget -= 5;
        if (v === null) return null;
        if (d <= 0) return undefined;
        if (Array.isArray(v)) {
          const out: unknown[] = [];
          for (let i = 0; i < v.length && budget > 0; i++) {
            const c = copy(v[i], d - 1);
            out.push(c === undefined ? null : c);
          }
          return out;
        }
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) return undefined;
        const out: Obj = {};
        for (const k of Object.keys(v)) {
          if (budget <= 0) break;
          if (FORBIDDEN.has(k)) continue;
          const key = k.slice(0, 200);
          budget -= key.length + 4;
          const c = copy((v as Obj)[k], d - 1);
          if (c !== undefined) out[key] = c;
        }
        return out;
      }
      default:
        return undefined;
    }
  };
  try {
    return copy(value, depth);
  } catch {
    // Structured clones and JSON carry no getters or proxies; this guards odd hosts only.
    return undefined;
  }
}

/** A bounded plain object (never an array), `{}` when `value` is none. */
export function boundedObject(value: unknown, maxBytes: number, depth: number = CAPS.depth): Obj {
  const v = isObj(value) ? boundedJson(value, maxBytes, depth) : undefined;
  return isObj(v) ? v : {};
}

const CRUMB_TYPES: ReadonlySet<string> = /* @__PURE__ */ new Set(BREADCRUMB_TYPES);

/** A valid CrashSense breadcrumb (known type, finite timestamp, string message), bounded; null when invalid. */
export function parseBreadcrumb(raw: unknown): Breadcrumb | null {
  if (!isObj(raw) || typeof raw.type !== 'string' || !CRUMB_TYPES.has(raw.type)) return null;
  if (typeof raw.timestamp !== 'number' || !Number.isFinite(raw.timestamp) || typeof raw.message !== 'string')
    return null;
  const crumb: Breadcrumb = {
    type: raw.type as Breadcrumb['type'],
    timestamp: raw.timestamp,
    message: str(raw.message, CAPS.message),
  };
  if (isObj(raw.data)) crumb.data = boundedObject(raw.data, CAPS.dataBytes);
  return crumb;
}

/** Valid breadcrumbs of an array, keeping the last `max`. */
export function parseBreadcrumbs(raw: unknown, max: number): Breadcrumb[] {
  if (!Array.isArray(raw)) return [];
  const out: Breadcrumb[] = [];
  for (let i = Math.max(0, raw.length - max); i < raw.length; i++) {
    const c = parseBreadcrumb(raw[i]);
    if (c) out.push(c);
  }
  return out;
}
