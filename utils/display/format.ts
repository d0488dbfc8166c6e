/**
 * Pure text formatting for the panel and the popup: durations, expiry countdowns, relative and clock times,
 * capped strings. Time is always a parameter; clock times use the local time zone.
 */
import { BoundedMemo } from '@/utils/memo';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A duration as its two largest units: `29 min 12 s`, `2 h 5 min`, `3 d 4 h`, `45 s`, `0 s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(Math.abs(ms) / SECOND));
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return s > 0 ? `${m} min ${s} s` : `${m} min`;
  return `${s} s`;
}

/** A duration in its largest unit only, for "ago" texts: `3 min`, `2 h`, `12 s`. */
function formatCoarseDuration(ms: number): string {
  const a = Math.abs(ms);
  if (a >= DAY) return `${Math.floor(a / DAY)} d`;
  if (a >= HOUR) return `${Math.floor(a / HOUR)} h`;
  if (a >= MINUTE) return `${Math.floor(a / MINUTE)} min`;
  return `${Math.floor(a / SECOND)} s`;
}

/** Countdown to an expiry: `expires in 29 min 12 s`, or `expired 3 min ago` once it has passed. */
export function formatExpiry(expiresAt: number, now: number): string {
  const left = expiresAt - now;
  if (left > 0) {
    // A group with less than a second left still counts as live: say so rather than "0 s".
    return left < SECOND ? 'expires in less than 1 s' : `expires in ${formatDuration(left)}`;
  }
  return `expired ${formatCoarseDuration(now - expiresAt)} ago`;
}

/** How long ago something happened: `just now`, `12 s ago`, `3 min ago`. */
export function formatAgo(at: number, now: number): string {
  const d = now - at;
  if (d < SECOND) return 'just now';
  return `${formatCoarseDuration(d)} ago`;
}

/** Milliseconds below a second (`70 ms`), seconds with one decimal below a minute (`2.3 s`), else a duration. */
function formatShortSpan(ms: number): string {
  const a = Math.abs(ms);
  if (a < SECOND) return `${Math.round(a)} ms`;
  if (a < MINUTE) return `${(Math.floor(a / 100) / 10).toFixed(1)} s`;
  return formatDuration(a);
}

/** Time relative to an event: `2.3 s before crash`, `0.4 s after crash`, `at crash`. */
export function formatRelative(at: number, anchor: number, anchorName: string): string {
  const d = at - anchor;
  if (Math.abs(d) < 50) return `at ${anchorName}`;
  return `${formatShortSpan(d)} ${d < 0 ? 'before' : 'after'} ${anchorName}`;
}

/** Offset since a start, as a timeline label: `+0.000 s`, `+12.345 s`, `+3 min 4 s`. */
export function formatOffset(at: number, start: number): string {
  const d = Math.max(0, at - start);
  if (d < MINUTE) return `+${(d / 1000).toFixed(3)} s`;
  return `+${formatDuration(d)}`;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Local clock time `12:03:04`. */
export function formatClock(at: number): string {
  const t = new Date(at);
  return `${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}`;
}

/** Local clock time with milliseconds `12:03:04.123`. */
export function formatClockMs(at: number): string {
  return `${formatClock(at)}.${pad(new Date(at).getMilliseconds(), 3)}`;
}

/** Local date and time `2025-11-21 12:03:04`. */
export function formatDateTime(at: number): string {
  const t = new Date(at);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${formatClock(at)}`;
}

/** A compact local date-time stamp for file names: `2025-11-21-120304`. */
export function fileStamp(at: number): string {
  const t = new Date(at);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}-${pad(t.getHours())}${pad(t.getMinutes())}${pad(t.getSeconds())}`;
}

/** Default cap on the characters of one rendered string (a header may carry a megabyte). */
export const DISPLAY_CAP = 2000;

/** Cut a string to `max` characters: the kept part and how many characters were left out. */
export function capText(s: string, max = DISPLAY_CAP): { text: string; omitted: number } {
  if (s.length <= max) return { text: s, omitted: 0 };
  return { text: s.slice(0, max), omitted: s.length - max };
}

/** A capped string with the note `… (N more characters)` appended when cut. */
export function capWithNote(s: string, max = DISPLAY_CAP): string {
  const { text, omitted } = capText(s, max);
  return omitted ? `${text}… (${omitted.toLocaleString('en-US')} more characters)` : text;
}

// One formatter: `toLocaleString` sets up a new one on every call, which was a tenth of the background's time per
// page load (the summary behind the badge says "3 endpoints" many times over; bench/profile.mjs --loads).
let enUS: Intl.NumberFormat | null = null;

/** `1 endpoint`, `3 endpoints`, `1,200 characters`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  const text =
    n >= 0 && n < 1000 && Number.isInteger(n) ? String(n) : (enUS ??= new Intl.NumberFormat('en-US')).format(n);
  return `${text} ${n === 1 ? one : many}`;
}

/** The URL when it is an absolute `https:` URL (the only kind the UI turns into a link), else null. */
export function safeHttpsUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * `fn` remembered for the last 256 URLs: the background asks for the origin and host of the same few
 * documents' URLs on every event (`new URL` was 2 ms of the worker's time per page load, bench/profile.mjs).
 */
function memoByUrl<R>(fn: (url: string) => R): (url: string) => R {
  const memo = new BoundedMemo<R>(256);
  // Long URLs are not kept: they are rare, and the memo stays small.
  return (url) => (url.length > 2048 ? fn(url) : memo.get(url, () => fn(url)));
}

/** The serialised origin of a URL, or null for opaque origins. */
export const originOfUrl = memoByUrl((url: string): string | null => {
  try {
    const o = new URL(url).origin;
    return o === 'null' ? null : o;
  } catch {
    return null;
  }
});

/** Host name of a URL, or null when it does not parse. */
export const hostOf = memoByUrl((url: string): string | null => {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
});

/** Pages that are the browser's own (no response headers, no reports): chrome://, about:, extension pages. */
export function isBrowserPage(url: string): boolean {
  return /^(chrome|chrome-extension|chrome-search|chrome-untrusted|devtools|edge|about|view-source|moz-extension|brave|opera|vivaldi):/i.test(
    url,
  );
}

/** Serialise a value as indented JSON for display; never throws (cycles, BigInt) and is capped. */
export function formatJson(value: unknown, max = 20_000): string {
  let s: string;
  try {
    s = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v.toString()}n` : v), 2) ?? String(value);
  } catch (e) {
    s = `(cannot show: ${e instanceof Error ? e.message : String(e)})`;
  }
  return capWithNote(s, max);
}
