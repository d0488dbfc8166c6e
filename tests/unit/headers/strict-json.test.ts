// utils/headers/strict-json.ts: the strict reader behind Report-To and NEL (Chromium's base::JSONReader, JSON_PARSE_RFC).
import { describe, expect, it } from 'vitest';
import {
  isJsonNumber,
  isJsonObject,
  itemSpans,
  jsonPreview,
  parseJsonValueAt,
  parseStrictJson,
  toPlain,
  type JsonValue,
} from '@/utils/headers/strict-json';

function ok(text: string, depth = 10): JsonValue {
  const r = parseStrictJson(text, depth);
  if (!r.ok) throw new Error(`expected ${text} to parse: ${r.message}`);
  return r.value;
}

function error(text: string, depth = 10) {
  const r = parseStrictJson(text, depth);
  if (r.ok) throw new Error(`expected ${text} to fail`);
  return r;
}

describe('parseStrictJson', () => {
  it('tells ints that fit in 32 bits from every other number, keeping the number as written', () => {
    const cases: [string, number, boolean][] = [
      ['0', 0, true],
      ['-0', -0, false],
      ['-0.0', -0, false],
      ['2147483647', 2147483647, true],
      ['-2147483648', -2147483648, true],
      ['2147483648', 2147483648, false],
      ['-2147483649', -2147483649, false],
      ['1.0', 1, false],
      ['1e3', 1000, false],
      ['86400.5', 86400.5, false],
    ];
    for (const [text, value, isInt] of cases) {
      const v = ok(text);
      expect(isJsonNumber(v) && { value: v.value, isInt: v.isInt, raw: v.raw }, text).toEqual({
        value,
        isInt,
        raw: text,
      });
    }
  });

  it('reads strings with every escape, and objects in order with the last duplicate kept', () => {
    expect(ok('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"')).toBe('a"\\/\b\f\n\r\té');
    const v = ok('{"b":1,"a":true,"b":null}');
    expect(isJsonObject(v) && [...v.members.keys()]).toEqual(['a', 'b']);
    expect(isJsonObject(v) && v.members.get('b')).toBeNull();
    expect(isJsonObject(v) && v.duplicateKeys).toEqual(['b']);
    expect(toPlain(ok('[1,{"x":[false,"y"]}]'))).toEqual([1, { x: [false, 'y'] }]);
  });

  it('says what is wrong and where, in words a person can act on', () => {
    const cases: [string, number, string][] = [
      ["{'a':1}", 1, 'single quotes are not JSON; use double quotes'],
      ["'a'", 0, 'single quotes are not JSON; use double quotes'],
      ['{a:1}', 1, 'expected a double-quoted member name but found `a`'],
      ['{"a":1,}', 7, 'trailing comma'],
      ['[1,]', 3, 'trailing comma'],
      ['{"a":1', 6, 'missing } at the end'],
      ['[1', 2, 'missing ] at the end'],
      ['{"a" 1}', 5, 'expected `:` after `"a"` but found `1`'],
      ['{"a":01}', 6, 'expected `,` or `}` but found `1`'],
      ['"a\u0001"', 2, 'control character U+0001 inside a string (escape it)'],
      ['"\\x"', 1, 'invalid escape \\x'],
      ['"\\u12"', 1, 'invalid \\u escape'],
      ['"abc', 4, 'unterminated string'],
      ['', 0, 'unexpected end of input'],
      ['1 2', 2, 'unexpected `2` after the end of the value'],
      ['{"a":1} /* note */', 8, 'unexpected `/` after the end of the value'],
    ];
    for (const [text, position, message] of cases)
      expect(error(text), text).toMatchObject({ position, message, tooDeep: false });
  });

  it('counts nesting like Chromium: max depth 3 rejects three containers and allows two', () => {
    expect(toPlain(ok('[{"a":1}]', 3))).toEqual([{ a: 1 }]);
    expect(error('[[{"a":1}]]', 3)).toMatchObject({
      position: 2,
      message: '3 nested containers (at most 2)',
      tooDeep: true,
    });
  });

  it('rejects the whole value for a number beyond double range, wherever it is', () => {
    for (const [text, position] of [
      ['1e309', 0],
      ['[1, {"a": -1e400}]', 10],
    ] as const) {
      expect(error(text), text).toMatchObject({ position, tooDeep: false });
      expect(error(text).message).toContain('beyond the range of a double');
    }
    expect(isJsonNumber(ok('1e308'))).toBe(true);
  });

  it('rejects lone surrogate escapes and keeps escaped pairs', () => {
    expect(error('"\\ud800"').message).toContain('lone surrogate escape \\ud800');
    expect(error('["a", "\\udc00x"]').message).toContain('lone surrogate escape \\udc00');
    expect(error('"\\ud800\\u0041"').message).toContain('lone surrogate');
    expect(ok('"\\ud83d\\ude00"')).toBe('😀');
    expect(error('"\ud800"').message).toBe('lone surrogate inside a string');
  });

  it('says where each object, member and array item was written', () => {
    const text = '[ {"a": 1.50, "a" : "x"}, 7 ]';
    const v = ok(text);
    expect(Array.isArray(v)).toBe(true);
    const list = v as JsonValue[];
    expect(itemSpans(list).map((s) => text.slice(s.start, s.end))).toEqual(['{"a": 1.50, "a" : "x"}', '7']);
    const o = list[0]!;
    expect(isJsonObject(o)).toBe(true);
    if (!isJsonObject(o)) return;
    expect(text.slice(o.start, o.end)).toBe('{"a": 1.50, "a" : "x"}');
    const span = o.spans.get('a')!;
    expect(text.slice(span.start, span.end)).toBe('"a" : "x"');
    expect(text.slice(span.valueStart, span.end)).toBe('"x"');
    expect(o.overridden.map((x) => text.slice(x.span.start, x.span.end))).toEqual(['"a": 1.50']);
  });

  it('never throws, however deep or long the input', () => {
    expect(error('['.repeat(200_000), 1_000_000).ok).toBe(false);
    expect(error('{"a":'.repeat(50_000), 5).tooDeep).toBe(true);
    const big = `[${'"x",'.repeat(100_000)}"x"]`;
    const v = ok(big);
    expect(Array.isArray(v) && v.length).toBe(100_001);
  });
});

describe('parseJsonValueAt', () => {
  it('reads one value from an offset and says where it ends, leaving the rest to the caller', () => {
    const text = '{"a":1}, {"b":2}';
    const first = parseJsonValueAt(text, 0, 5);
    expect(first).toMatchObject({ ok: true, end: 7 });
    const second = parseJsonValueAt(text, 8, 5);
    expect(second.ok && toPlain(second.value)).toEqual({ b: 2 });
    expect(second).toMatchObject({ ok: true, end: text.length });
  });

  it('reports errors at their place in the whole text', () => {
    expect(parseJsonValueAt('xx {"a":}', 2, 5)).toMatchObject({ ok: false, position: 8, message: 'unexpected `}`' });
  });
});

describe('rendering', () => {
  it('previews values shortly and drops __proto__ when making plain objects', () => {
    expect(jsonPreview(ok('{"a":"' + 'x'.repeat(200) + '"}'), 20)).toBe('{"a":"xxxxxxxxxxxxx…');
    const plain = toPlain(ok('{"__proto__":{"polluted":1},"ok":1}')) as Record<string, unknown>;
    expect(plain).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
