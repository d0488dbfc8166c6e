/**
 * A strict RFC 8259 JSON reader that keeps what `JSON.parse` throws away and Chromium's `base::JSONReader`
 * relies on: whether a number was written as an integer that fits in an int32, the nesting depth, the position of
 * the first error, and where every object, member and array item was written (for exact highlights). Used for `Report-To` and `NEL`, which Chromium reads with
 * `JSONReader::Read(value, JSON_PARSE_RFC, max_depth)`. `parseJsonValueAt` reads one value from an offset and
 * says where it ends (NEL uses it to recognise two policies that Chromium joined with ", ").
 */

/** A JSON number, marked as an int when base::JSONReader would give an int (no fraction, no exponent, int32). */
export interface JsonNumber {
  readonly kind: 'number';
  readonly value: number;
  readonly isInt: boolean;
  /** The number as written. */
  readonly raw: string;
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject;
/** Where something was written: `text.slice(start, end)`. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A member as written: `start` at the key's opening quote, `end` after the value. */
export interface MemberSpan extends Span {
  readonly valueStart: number;
}

/** Object members in order; duplicate keys keep the last value, as base::JSONReader does. */
export type JsonObject = {
  readonly kind: 'object';
  readonly members: Map<string, JsonValue>;
  readonly duplicateKeys: string[];
  /** The object itself, `{` to `}`. */
  readonly start: number;
  readonly end: number;
  /** Where each kept member was written (the last occurrence of a duplicate key). */
  readonly spans: Map<string, MemberSpan>;
  /** Earlier occurrences of duplicate keys, which the last one overrides. */
  readonly overridden: { key: string; span: MemberSpan }[];
};

const ARRAY_ITEMS = new WeakMap<JsonValue[], Span[]>();

/** Where each item of a parsed array was written. */
export function itemSpans(array: JsonValue[]): readonly Span[] {
  return ARRAY_ITEMS.get(array) ?? [];
}

export type JsonResult =
  { ok: true; value: JsonValue } | { ok: false; position: number; message: string; tooDeep: boolean };

/** One value read from an offset: `end` is the position just after it (trailing whitespace not included). */
export type JsonValueResult =
  { ok: true; value: JsonValue; end: number } | { ok: false; position: number; message: string; tooDeep: boolean };

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** U+D800–U+DBFF. */
function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

class JsonError extends Error {
  constructor(
    readonly position: number,
    message: string,
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

/**
 * Parses `text` strictly, as one value. `maxDepth` is base::JSONReader's `max_depth`: `maxDepth` nested containers
 * are an error, one fewer passes (observed in Chromium 156: `Report-To`, read with kMaxJsonDepth 5 around the `[ ]`
 * it adds, rejects 5 nested containers and accepts 4). Never throws.
 */
export function parseStrictJson(text: string, maxDepth: number): JsonResult {
  const r = parseJsonValueAt(text, 0, maxDepth);
  if (!r.ok) return r;
  let pos = r.end;
  while (isJsonWhitespace(text.charCodeAt(pos))) pos++;
  if (pos < text.length)
    return {
      ok: false,
      position: pos,
      message: `unexpected ${describeAt(text, pos)} after the end of the value`,
      tooDeep: false,
    };
  return { ok: true, value: r.value };
}

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function describeAt(text: string, at: number): string {
  return at >= text.length ? 'end of input' : `\`${text[at]}\``;
}

const SINGLE_QUOTES = 'single quotes are not JSON; use double quotes';

/**
 * Reads one JSON value starting at `start` (leading whitespace skipped) and stops after it: what follows is the
 * caller's. Never throws.
 */
export function parseJsonValueAt(text: string, start: number, maxDepth: number): JsonValueResult {
  let pos = start;
  let depth = 0;

  const fail = (message: string, at = pos): never => {
    throw new JsonError(at, message);
  };
  const skipWs = () => {
    while (isJsonWhitespace(text.charCodeAt(pos))) pos++;
  };
  const describe = (at: number) => describeAt(text, at);

  const parseString = (): string => {
    // Caller saw the opening quote.
    pos++;
    let out = '';
    let start = pos;
    for (;;) {
      if (pos >= text.length) fail('unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c < 0x20)
        fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string (escape it)`);
      if (isHighSurrogate(c) && isLowSurrogate(text.charCodeAt(pos + 1))) {
        pos += 2;
        continue;
      }
      if (isHighSurrogate(c) || isLowSurrogate(c)) fail('lone surrogate inside a string');
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        switch (e) {
          case '"':
            out += '"';
            break;
          case '\\':
            out += '\\';
            break;
          case '/':
            out += '/';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
            const unit = parseInt(hex, 16);
            // A lone surrogate escape is not a character: Chromium rejects the whole value (issue 16, observed in
            // Chromium 156; base/json/json_reader.cc hands JSON to the Rust serde_json_lenient parser).
            if (isHighSurrogate(unit)) {
              const low = text.slice(pos + 6, pos + 12);
              if (!/^\\u[dD][c-fC-F][0-9a-fA-F]{2}$/.test(low))
                fail(
                  `lone surrogate escape \\u${hex} (a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF one)`,
                );
              out += String.fromCharCode(unit, parseInt(low.slice(2), 16));
              pos += 10;
              break;
            }
            if (isLowSurrogate(unit)) fail(`lone surrogate escape \\u${hex}`);
            out += String.fromCharCode(unit);
            pos += 4;
            break;
          }
          default:
            fail(`invalid escape \\${e ?? ''}`);
        }
        pos += 2;
        start = pos;
        continue;
      }
      pos++;
    }
  };

  const parseNumber = (): JsonNumber => {
    const m = /^-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(pos, pos + 400));
    if (!m) fail(`unexpected ${describe(pos)}`);
    const raw = m![0];
    const value = Number(raw);
    // Beyond double range (`1e309`, `-1e400`): base::JSONReader fails the whole value (issue 16, observed).
    if (!Number.isFinite(value)) fail(`the number \`${raw.slice(0, 40)}\` is beyond the range of a double`);
    pos += raw.length;
    const integral = m![1] === undefined && m![2] === undefined;
    // `-0` is read as the double -0.0, not an int (serde_json keeps the sign), so `FindInt` misses it (observed).
    const isInt = integral && raw !== '-0' && value >= INT32_MIN && value <= INT32_MAX;
    return { kind: 'number', value, raw, isInt };
  };

  const parseValue = (): JsonValue => {
    skipWs();
    const c = text[pos];
    if (c === '{' || c === '[') {
      depth++;
      if (depth >= maxDepth) throw new JsonError(pos, `${maxDepth} nested containers (at most ${maxDepth - 1})`, true);
      const v = c === '{' ? parseObject() : parseArray();
      depth--;
      return v;
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return v;
      }
    }
    return fail(c === "'" ? SINGLE_QUOTES : `unexpected ${describe(pos)}`);
  };

  const parseArray = (): JsonValue[] => {
    pos++;
    const out: JsonValue[] = [];
    const spans: Span[] = [];
    ARRAY_ITEMS.set(out, spans);
    skipWs();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      skipWs();
      const start = pos;
      out.push(parseValue());
      spans.push({ start, end: pos });
      skipWs();
      if (text[pos] === ',') {
        pos++;
        skipWs();
        if (text[pos] === ']') fail('trailing comma');
        continue;
      }
      if (text[pos] === ']') {
        pos++;
        return out;
      }
      fail(pos >= text.length ? 'missing ] at the end' : `expected \`,\` or \`]\` but found ${describe(pos)}`);
    }
  };

  const parseObject = (): JsonObject => {
    const objectStart = pos;
    pos++;
    const members = new Map<string, JsonValue>();
    const duplicateKeys: string[] = [];
    const spans = new Map<string, MemberSpan>();
    const overridden: { key: string; span: MemberSpan }[] = [];
    const object = (): JsonObject => ({
      kind: 'object',
      members,
      duplicateKeys,
      start: objectStart,
      end: pos,
      spans,
      overridden,
    });
    skipWs();
    if (text[pos] === '}') {
      pos++;
      return object();
    }
    for (;;) {
      skipWs();
      if (text[pos] !== '"')
        fail(text[pos] === "'" ? SINGLE_QUOTES : `expected a double-quoted member name but found ${describe(pos)}`);
      const keyStart = pos;
      const key = parseString();
      skipWs();
      if (text[pos] !== ':') fail(`expected \`:\` after \`"${key.slice(0, 40)}"\` but found ${describe(pos)}`);
      pos++;
      skipWs();
      const valueStart = pos;
      const value = parseValue();
      const span: MemberSpan = { start: keyStart, end: pos, valueStart };
      const earlier = spans.get(key);
      if (earlier !== undefined) {
        duplicateKeys.push(key);
        overridden.push({ key, span: earlier });
        members.delete(key); // keep insertion order of the last occurrence
      }
      members.set(key, value);
      spans.set(key, span);
      skipWs();
      if (text[pos] === ',') {
        pos++;
        skipWs();
        if (text[pos] === '}') fail('trailing comma');
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return object();
      }
      fail(pos >= text.length ? 'missing } at the end' : `expected \`,\` or \`}\` but found ${describe(pos)}`);
    }
  };

  try {
    const value = parseValue();
    return { ok: true, value, end: pos };
  } catch (e) {
    if (e instanceof JsonError) return { ok: false, position: e.position, message: e.message, tooDeep: e.tooDeep };
    // RangeError from a pathological input (e.g. call stack): report instead of throwing.
    return { ok: false, position: pos, message: e instanceof Error ? e.message : String(e), tooDeep: false };
  }
}

export function isJsonObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'object';
}

export function isJsonNumber(v: JsonValue | undefined): v is JsonNumber {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v.kind === 'number';
}

/** A short rendering of a JSON value for messages. */
export function jsonPreview(v: JsonValue | undefined, max = 80): string {
  const s = JSON.stringify(toPlain(v)) ?? 'undefined';
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Converts to ordinary JS values (numbers lose their int marker). */
export function toPlain(v: JsonValue | undefined, depth = 0): unknown {
  if (v === undefined || v === null || typeof v !== 'object') return v;
  if (depth > 20) return '…';
  if (Array.isArray(v)) return v.map((x) => toPlain(x, depth + 1));
  if (v.kind === 'number') return v.value;
  const out: Record<string, unknown> = {};
  for (const [k, x] of v.members) {
    if (k === '__proto__') continue;
    out[k] = toPlain(x, depth + 1);
  }
  return out;
}
