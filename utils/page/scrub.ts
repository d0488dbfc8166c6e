/**
 * PII scrubbing for what the page hook records. Pure and small: it ships inside the MAIN-world hook.
 *
 * One pass with one regular expression (the replacer tells the kinds apart):
 * - URL query or fragment values of secret-looking keys → `[redacted]` (`?token=…`, `#access_token=…`, `&sig=…`)
 * - `Bearer xxx` (a token of 8 characters or more, so prose like "the bearer of" stays) → `Bearer [token]`
 * - e-mail addresses → `[email]` (local parts without the URL and quote characters `/?=&#'`, so
 *   `https://x.example/?q=a@b.example` keeps its host)
 * - card numbers: 13–19 digits, single spaces or dashes allowed between digits, first digit 2–6 (every card
 *   network), Luhn-valid → `[card]`. Millisecond timestamps (13 digits starting with 1 until 2033) are kept.
 * - IPv4 addresses (octets 0–255) → `[ip]`, except loopback `127.x.x.x`.
 *
 * Version numbers: a bare dotted quad such as `1.2.3.4` cannot be told from an address and IS redacted (privacy
 * wins). Kept: `v1.2.3.4` or `build1.2.3.4` (a letter or digit right before), `Chrome/120.0.0.0` (a product
 * token before the slash), and longer dotted runs such as `1.2.3.4.5`.
 */

// Bounded repeats everywhere: an unbounded `[\w.]+` before a literal is quadratic on long hostile input.
const KEYS =
  '[\\w.-]{0,40}(?:token|secret|passw(?:or)?d|api[-_]?key|signature|session|credential)[\\w.-]{0,40}' +
  '|key|auth|authorization|sig|code|sid|pwd|jwt';
const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';

const QUERY = new RegExp(`([?&;#](?:${KEYS})=)[^&#\\s"'<>]+`, 'gi');
const BEARER = /\b(Bearer)\s+[\w\-.~+/]{8,}=*/gi;
const EMAIL = /[\w.!$%*+^`{|}~-]{1,64}@[a-z\d-]{1,63}(?:\.[a-z\d-]{1,63})*\.[a-z]{2,24}/gi;
// 1: card candidate (checked in the replacer), else IPv4.
const NUMBERS = new RegExp(
  `((?<![\\d.][ -]?)\\d(?:[ -]?\\d){12,18}(?![ -]?\\d))|(?<![\\w.]|[a-z]/)(?:${OCTET}\\.){3}${OCTET}(?!\\.?\\d|\\w)`,
  'gi',
);

/** Luhn check of a digit string. */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let d = digits.charCodeAt(i) - 48;
    if (alt && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return sum % 10 === 0;
}

function number(m: string, card?: string): string {
  // Loopback addresses identify nobody, and developers debug on 127.0.0.1 all day.
  if (!card) return m.startsWith('127.') ? m : '[ip]';
  const digits = card.replace(/\D/g, '');
  return digits[0]! >= '2' && digits[0]! <= '6' && luhn(digits) ? '[card]' : m;
}

/**
 * The text with e-mails, IPv4 addresses, Bearer tokens, card numbers and secret URL parameters replaced.
 * Each kind runs only when a cheap test finds its trigger (`=`, `@`, `bearer`, a digit).
 */
export function scrub(text: string): string {
  if (text.includes('=')) text = text.replace(QUERY, '$1[redacted]');
  if (/bearer/i.test(text)) text = text.replace(BEARER, '$1 [token]');
  if (text.includes('@')) text = text.replace(EMAIL, '[email]');
  if (/\d/.test(text)) text = text.replace(NUMBERS, number);
  return text;
}

/** `scrub` applied to every string in a JSON-like value (a copy; objects and arrays to `depth` levels). */
export function scrubValue(value: unknown, depth = 4): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null || depth <= 0) return value;
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, depth - 1));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    if (k !== '__proto__') out[k] = scrubValue((value as Record<string, unknown>)[k], depth - 1);
  }
  return out;
}
