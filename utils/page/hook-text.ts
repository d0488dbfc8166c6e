/**
 * Text the page hook records, made cheaply and safely in the page: a string scrubbed and cut, a console argument
 * rendered in one line without running page code. Ships inside the page-hook bundle.
 */
import { scrub } from './scrub';

/** `s` cut to `max` chars after scrubbing (scrubbing at most twice that, so it stays cheap). */
export function cap(s: string, max: number): string {
  s = scrub(String(s).slice(0, max * 2));
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** A cheap one-line rendering of a console argument: one level of a plain object, no getters called. */
export function show(a: unknown, nested = false): string {
  if (typeof a === 'string')
    return nested ? JSON.stringify(a.slice(0, 50)) : a.length > 500 ? a.slice(0, 500) + '…' : a;
  if (typeof a === 'function') return `ƒ ${a.name}`;
  if (typeof a !== 'object' || a === null) return String(a);
  if (a instanceof Error) return `${a.name}: ${a.message}`;
  if (Array.isArray(a)) return `Array(${a.length})`;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.prototype && proto !== null) return Object.prototype.toString.call(a);
  if (nested) return '{…}';
  let s = '';
  let n = 0;
  for (const k in a) {
    if (n++ === 5) {
      s += ', …';
      break;
    }
    // Only data properties: a getter would run page code.
    s += `${n > 1 ? ', ' : ''}${k}: ${show(Object.getOwnPropertyDescriptor(a, k)?.value, true)}`;
  }
  return `{${s}}`;
}
