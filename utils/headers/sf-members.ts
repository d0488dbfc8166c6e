/**
 * Where the members of a structured-field dictionary (RFC 9651 §4.2.2) were written, so diagnostics can point at
 * the exact bytes of one member. A scanner, not a parser: `structured-headers` decides validity; this only splits
 * the value at top-level commas (outside strings and inner lists). Pure.
 */

/** One top-level member as written: `text.slice(start, end)`, optional whitespace around it excluded. */
export interface MemberSpan {
  /** The key as written (up to `=`, `;` or the end), possibly invalid. */
  key: string;
  start: number;
  end: number;
  /** The value after `=` up to its parameters (for a string: the closing quote included); empty for a bare key. */
  valueStart: number;
  valueEnd: number;
}

function isOws(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** Splits a dictionary (or list) value into its top-level members, with offsets. Never throws; linear time. */
export function memberSpans(text: string, limit = Infinity): MemberSpan[] {
  const out: MemberSpan[] = [];
  for (const m of eachMember(text)) {
    out.push(m);
    if (out.length >= limit) break;
  }
  return out;
}

/** The top-level members one by one (stops early when the caller does). */
export function* eachMember(text: string): Generator<MemberSpan> {
  let segment = 0;
  let inString = false;
  let parens = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (i < text.length) {
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') inString = false;
        continue;
      }
      if (c === '"') {
        inString = true;
        continue;
      }
      if (c === '(') parens++;
      else if (c === ')') parens = Math.max(0, parens - 1);
      if (c !== ',' || parens > 0) continue;
    }
    let start = segment;
    let end = i;
    while (start < end && isOws(text[start])) start++;
    while (end > start && isOws(text[end - 1])) end--;
    yield member(text, start, end);
    segment = i + 1;
  }
}

function member(text: string, start: number, end: number): MemberSpan {
  let k = start;
  while (k < end && text[k] !== '=' && text[k] !== ';') k++;
  const key = text.slice(start, k);
  if (text[k] !== '=') return { key, start, end, valueStart: k, valueEnd: k };
  const valueStart = k + 1;
  let valueEnd: number;
  if (text[valueStart] === '"') {
    let j = valueStart + 1;
    while (j < end && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    valueEnd = Math.min(end, j + 1);
  } else {
    let j = valueStart;
    let parens = 0;
    while (j < end && (parens > 0 || text[j] !== ';')) {
      if (text[j] === '(') parens++;
      else if (text[j] === ')') parens--;
      j++;
    }
    valueEnd = j;
  }
  return { key, start, end, valueStart, valueEnd };
}

/** The last occurrence of each key (what a dictionary keeps), by key. */
export function lastMemberByKey(spans: readonly MemberSpan[]): Map<string, MemberSpan> {
  const out = new Map<string, MemberSpan>();
  for (const s of spans) out.set(s.key, s);
  return out;
}

/**
 * The first member that `parse` rejects on its own, or an empty member (a stray comma), or null when every member
 * parses alone. Used to point at the offending bytes of an invalid structured field without reading the parser's
 * error text.
 */
export function firstInvalidMember(
  text: string,
  parse: (member: string) => unknown,
): { span: MemberSpan; empty: boolean } | null {
  let first = true;
  for (const m of eachMember(text)) {
    if (m.start === m.end) {
      // A value that is only whitespace is an empty dictionary, not an empty member.
      if (first && m.end >= text.length - 1 && text.trim() === '') return null;
      return { span: m, empty: true };
    }
    first = false;
    try {
      parse(text.slice(m.start, m.end));
    } catch {
      return { span: m, empty: false };
    }
  }
  return null;
}
