/**
 * A strict RFC 8259 JSON reader that keeps what `JSON.parse` throws away and Chromium's `base::JSONReader`
 * relies on: whether a number was written as an integer that fits in an int32, the nesting depth, and the
 * position of the first error. Used for `Report-To` and `NEL`, which Chromium reads with
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
/** Object members in order; duplicate keys keep the last value, as base::JSONReader does. */
export type JsonObject = { readonly kind: 'object'; readonly members: Map<string, JsonValue>; readonly duplicateKeys: string[] };

export type JsonResult =
  | { ok: true; value: JsonValue }
  | { ok: false; position: number; message: string; tooDeep: boolean };

/** One value read from an offset: `end` is the position just after it (trailing whitespace not included). */
export type JsonValueResult =
  | { ok: true; value: JsonValue; end: number }
  | { ok: false; position: number; message: string; tooDeep: boolean };

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

class JsonError extends Error {
  constructor(readonly position: number, message: string, readonly tooDeep = false) {
    super(message);
  }
}

/** Parses `text` strictly, as one value; containers nested deeper than `maxDepth` are an error. Never throws. */
export function parseStrictJson(text: string, maxDepth: number): JsonResult {
  const r = parseJsonValueAt(text, 0, maxDepth);
  if (!r.ok) return r;
  let pos = r.end;
  while (isJsonWhitespace(text.charCodeAt(pos))) pos++;
  if (pos < text.length) return { ok: false, position: pos, message: `unexpected ${describeAt(text, pos)} after the end of the value`, tooDeep: false };
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
      if (c < 0x20) fail(`control character U+${c.toString(16).padStart(4, '0').toUpperCase()} inside a string (escape it)`);
      if (c === 0x5c) {
        out += text.slice(start, pos);
        const e = text[pos + 1];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(pos + 2, pos + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
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
    pos += raw.length;
    const integral = m![1] === undefined && m![2] === undefined;
    return { kind: 'number', value, raw, isInt: integral && value >= INT32_MIN && value <= INT32_MAX };
  };

  const parseValue = (): JsonValue => {
    skipWs();
    const c = text[pos];
    if (c === '{' || c === '[') {
      depth++;
      if (depth > maxDepth) throw new JsonError(pos, `nesting deeper than ${maxDepth} levels`, true);
      const v = c === '{' ? parseObject() : parseArray();
      depth--;
      return v;
    }
    if (c === '"') return parseString();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
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
    skipWs();
    if (text[pos] === ']') {
      pos++;
      return out;
    }
    for (;;) {
      out.push(parseValue());
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
    pos++;
    const members = new Map<string, JsonValue>();
    const duplicateKeys: string[] = [];
    skipWs();
    if (text[pos] === '}') {
      pos++;
      return { kind: 'object', members, duplicateKeys };
    }
    for (;;) {
      skipWs();
      if (text[pos] !== '"') fail(text[pos] === "'" ? SINGLE_QUOTES : `expected a double-quoted member name but found ${describe(pos)}`);
      const key = parseString();
      skipWs();
      if (text[pos] !== ':') fail(`expected \`:\` after "${key.slice(0, 40)}" but found ${describe(pos)}`);
      pos++;
      const value = parseValue();
      if (members.has(key)) {
        duplicateKeys.push(key);
        members.delete(key); // keep insertion order of the last occurrence
      }
      members.set(key, value);
      skipWs();
      if (text[pos] === ',') {
        pos++;
        skipWs();
        if (text[pos] === '}') fail('trailing comma');
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', members, duplicateKeys };
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
