// The relay forwards breadcrumbs already in their final shape without a bounded copy, and parses everything else:
// what it forwards unparsed must be what the background's parse keeps, and hostile shapes must take the parse.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createRelay, plainBreadcrumb, plainSize, RELAY_LIMITS } from '@/utils/page/relay-core';
import { PAGE_MESSAGE_KEY, parsePageEvent, type PageEvent } from '@/utils/page/events';
import { CAPS } from '@/utils/page/untrusted';

const network = (i: number) => ({
  kind: 'breadcrumb',
  crumb: {
    type: 'network',
    timestamp: 1_764_600_000_000 + i,
    message: `GET https://a.example/api?i=${i} → 200 (3 ms)`,
    data: { method: 'GET', url: `https://a.example/api?i=${i}`, status: 200, duration: 3 },
  },
  level: undefined,
});

/** Hook-like breadcrumbs: every type and level, messages and data within the caps, plain values. */
const hookCrumb = fc.record({
  kind: fc.constant('breadcrumb'),
  crumb: fc.record(
    {
      type: fc.constantFrom('click', 'navigation', 'network', 'console', 'state', 'custom'),
      timestamp: fc.double({ noNaN: true, noDefaultInfinity: true }),
      message: fc.string({ maxLength: CAPS.message }),
      data: fc.dictionary(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k)),
        fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.boolean(), fc.constant(null)),
        { maxKeys: 6 },
      ),
    },
    { requiredKeys: ['type', 'timestamp', 'message'] },
  ),
  level: fc.option(fc.constantFrom('log', 'info', 'warn', 'error', 'debug'), { nil: undefined }),
});

describe('relay fast path', () => {
  test('a hook breadcrumb is forwarded as it came, and equals what the background parses from it', () => {
    fc.assert(
      fc.property(hookCrumb, (generated) => {
        // What the relay receives: a structured clone of what the hook posted.
        const ev = structuredClone(generated);
        expect(plainBreadcrumb(ev)).toBeGreaterThan(0);
        expect(parsePageEvent(structuredClone(ev))).toEqual(ev);
      }),
      { numRuns: 300 },
    );
    const ev = network(1);
    const sent: PageEvent[][] = [];
    const relay = createRelay({
      send: async (e) => (sent.push(e), { accepted: e.length }),
      now: () => 0,
      setTimeout: () => 0,
    });
    relay.setEnabled(true);
    expect(relay.onMessage({ [PAGE_MESSAGE_KEY]: 1, v: 1, n: 'x', events: [ev] }, true)).toBe(1);
    void relay.flush();
    expect(sent[0]![0]).toBe(ev); // the same object: no copy
  });

  test('anything not in final shape takes the full parse', () => {
    const base = network(2);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const hostile: unknown[] = [
      { ...base, extra: 1 },
      { ...base, level: 'loud' },
      { ...base, crumb: { ...base.crumb, type: 'eval' } },
      { ...base, crumb: { ...base.crumb, timestamp: NaN } },
      { ...base, crumb: { ...base.crumb, message: 'x'.repeat(CAPS.message + 1) } },
      { ...base, crumb: { ...base.crumb, data: { pad: 'x'.repeat(CAPS.dataBytes) } } },
      { ...base, crumb: { ...base.crumb, data: { when: new Date(0) } } },
      { ...base, crumb: { ...base.crumb, data: new Map([['a', 1]]) } },
      { ...base, crumb: { ...base.crumb, data: [1, 2] } },
      { ...base, crumb: { ...base.crumb, data: { n: Infinity } } },
      { ...base, crumb: { ...base.crumb, data: cyclic } },
      { ...base, crumb: { ...base.crumb, data: { a: { b: { c: { d: { e: 1 } } } } } } },
      {
        ...base,
        crumb: { ...base.crumb, data: JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown> },
      },
      { ...base, crumb: { ...base.crumb, seq: 5 } },
      { kind: 'report', report: { type: 'deprecation', url: '', body: {} } },
      Object.create({ kind: 'breadcrumb' }),
      null,
    ];
    for (const ev of hostile) expect(plainBreadcrumb(ev), JSON.stringify(String(ev))).toBe(-1);
    expect(plainSize({ a: [1, 'x', null, true] }, 100)).toBe(2 + (1 + 4) + 2 + (8 + 1) + (3 + 1) + (4 + 1) + (5 + 1));
    expect(plainSize('x'.repeat(50), 10)).toBe(-1);
  });

  test('hostile events in a message are parsed (bounded, counted), the plain ones kept; order holds', async () => {
    const sent: PageEvent[][] = [];
    const relay = createRelay({
      send: async (e) => (sent.push(e), { accepted: e.length }),
      now: () => 0,
      setTimeout: () => 0,
    });
    relay.setEnabled(true);
    const long = { ...network(3), crumb: { ...network(3).crumb, message: 'y'.repeat(5000) } };
    const events = [network(1), { kind: 'nope' }, long, network(4)];
    expect(relay.onMessage({ [PAGE_MESSAGE_KEY]: 1, v: 1, n: 'x', events }, true)).toBe(3);
    expect(relay.stats.invalidEvents).toBe(1);
    await relay.flush();
    const out = sent.flat() as Extract<PageEvent, { kind: 'breadcrumb' }>[];
    expect(out.map((e) => e.crumb.timestamp)).toEqual([1, 3, 4].map((i) => 1_764_600_000_000 + i));
    expect(out[1]!.crumb.message).toHaveLength(CAPS.message);
  });

  test('the message bound still holds when summed from the walk', () => {
    const relay = createRelay({ send: async () => ({ accepted: 1 }), now: () => 0, setTimeout: () => 0 });
    relay.setEnabled(true);
    const fit = Math.floor(RELAY_LIMITS.maxMessageChars / 1200); // each event is ~1,100 chars of JSON
    const big = Array.from({ length: 999 }, (_, i) => ({
      ...network(i),
      crumb: { ...network(i).crumb, message: 'z'.repeat(CAPS.message) },
    }));
    expect(relay.onMessage({ [PAGE_MESSAGE_KEY]: 1, v: 1, n: 'x', events: big }, true)).toBe(0);
    expect(relay.stats.ignoredMessages).toBe(1);
    expect(relay.onMessage({ [PAGE_MESSAGE_KEY]: 1, v: 1, n: 'x', events: big.slice(0, fit) }, true)).toBe(fit);
  });
});
