import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import {
  expandHookEvent,
  isFinalBreadcrumb,
  isPageMessage,
  parsePageEvent,
  parsePageEvents,
  PAGE_MESSAGE_KEY,
} from '@/utils/page/events';
import { CAPS } from '@/utils/page/untrusted';
import { checkpoint, crashReport, subset } from '../../fixtures/crashsense';

const crumb = (over: Record<string, unknown> = {}) => ({
  kind: 'breadcrumb',
  crumb: { type: 'click', timestamp: 1, message: 'button#buy "Buy"', ...over },
});

describe('parsePageEvent', () => {
  test('accepts each kind', () => {
    expect(parsePageEvent({ ...crumb(), level: 'warn' })).toEqual({ ...crumb(), level: 'warn' });
    expect(
      parsePageEvent({
        kind: 'report',
        report: { type: 'deprecation', url: 'https://a.example/', body: { id: 'x', lineNumber: 3 } },
      }),
    ).toEqual({
      kind: 'report',
      report: { type: 'deprecation', url: 'https://a.example/', body: { id: 'x', lineNumber: 3 } },
    });
    expect(parsePageEvent({ kind: 'checkpoint', raw: JSON.stringify(checkpoint), atLoad: true })).toMatchObject({
      kind: 'checkpoint',
      atLoad: true,
      checkpoint: { sessionId: checkpoint.sessionId },
    });
    expect(parsePageEvent({ kind: 'checkpoint', raw: null, atLoad: false })).toEqual({
      kind: 'checkpoint',
      checkpoint: null,
      atLoad: false,
    });
    expect(parsePageEvent({ kind: 'app-report-status', id: 'n.1', status: 201 })).toEqual({
      kind: 'app-report-status',
      id: 'n.1',
      status: 201,
    });
  });

  test('a parsed checkpoint passes again (relay → background)', () => {
    const once = parsePageEvent({ kind: 'checkpoint', raw: JSON.stringify(checkpoint), atLoad: false });
    expect(parsePageEvent(JSON.parse(JSON.stringify(once)))).toEqual(once);
  });

  test('app reports pass again too', () => {
    const [ev] = expandHookEvent({
      kind: 'app-upload',
      id: 'n.1',
      at: 5,
      transport: 'fetch',
      destination: 'https://a.example/crash',
      body: JSON.stringify(crashReport),
    });
    expect(ev).toMatchObject({
      kind: 'app-report',
      id: 'n.1',
      report: { transport: 'fetch', status: null, shape: 'CrashReport', at: 5 },
    });
    expect(parsePageEvent(JSON.parse(JSON.stringify(ev)))).toEqual(ev);
  });

  test('an upload to a relative URL is resolved against the frame, scrubbed; an absolute one stays', () => {
    const upload = (destination: string, base?: string) =>
      expandHookEvent(
        { kind: 'app-upload', id: 'n.1', at: 5, transport: 'fetch', destination, body: JSON.stringify(crashReport) },
        base,
      )[0];
    const base = 'https://shop.example/cart/?session=s3cr3t';
    expect(upload('/api/crashes', base)).toMatchObject({ report: { destination: 'https://shop.example/api/crashes' } });
    expect(upload('crashes?token=abc', base)).toMatchObject({
      report: { destination: 'https://shop.example/cart/crashes?token=[redacted]' },
    });
    expect(upload('https://collector.example/c', base)).toMatchObject({
      report: { destination: 'https://collector.example/c' },
    });
    expect(upload('/api/crashes')).toMatchObject({ report: { destination: '/api/crashes' } });
    expect(upload('http://[bad', base)).toMatchObject({ report: { destination: 'http://[bad' } });
  });

  test.each([
    ['unknown kinds', { kind: 'exec', code: 'alert(1)' }],
    ['no kind', { crumb: crumb().crumb }],
    ['an unknown breadcrumb type', crumb({ type: 'script' })],
    ['NaN timestamps', crumb({ timestamp: NaN })],
    ['infinite timestamps', crumb({ timestamp: Infinity })],
    ['non-string messages', crumb({ message: { toString: 'x' } })],
    ['reports without a type', { kind: 'report', report: { url: 'x', body: {} } }],
    ['checkpoints that are not', { kind: 'checkpoint', raw: '{"x":1}', atLoad: true }],
    ['checkpoints without atLoad', { kind: 'checkpoint', raw: null }],
    ['statuses out of range', { kind: 'app-report-status', id: 'a', status: 1e9 }],
    ['statuses that are NaN', { kind: 'app-report-status', id: 'a', status: NaN }],
    ['overlong upload ids', { kind: 'app-report-status', id: 'x'.repeat(65), status: 200 }],
    [
      'app reports with an unknown transport',
      { kind: 'app-report', id: 'a', report: { transport: 'ws', shape: 'subset', fingerprint: 'f' } },
    ],
    ['arrays', [crumb()]],
    ['strings', '{"kind":"breadcrumb"}'],
    ['null', null],
  ])('rejects %s', (_, raw) => {
    expect(parsePageEvent(raw)).toBeNull();
  });

  test('caps strings: messages 1,000, URLs 2,048', () => {
    const ev = parsePageEvent(crumb({ message: 'x'.repeat(1_000_000) }));
    expect(ev?.kind === 'breadcrumb' && ev.crumb.message.length).toBe(1000);
    const r = parsePageEvent({
      kind: 'report',
      report: { type: 'csp-violation', url: 'https://a/' + 'p'.repeat(1_000_000), body: {} },
    });
    expect(r?.kind === 'report' && r.report.url.length).toBe(2048);
  });

  test('keeps HTML as inert text', () => {
    const ev = parsePageEvent(crumb({ message: '<img src=x onerror=alert(1)>' }));
    expect(ev?.kind === 'breadcrumb' && ev.crumb.message).toBe('<img src=x onerror=alert(1)>');
  });

  test('bounds breadcrumb data to 4 KB and report bodies to 16 KB', () => {
    const ev = parsePageEvent(
      crumb({ data: { a: 'x'.repeat(100_000), b: Array.from({ length: 10_000 }, (_, i) => i) } }),
    );
    expect(ev?.kind === 'breadcrumb' && JSON.stringify(ev.crumb.data).length).toBeLessThanOrEqual(4 * 1024);
    const r = parsePageEvent({
      kind: 'report',
      report: { type: 't', url: '', body: { list: Array.from({ length: 100_000 }, () => 'abc') } },
    });
    expect(r?.kind === 'report' && JSON.stringify(r.report.body).length).toBeLessThanOrEqual(16 * 1024);
  });

  test('drops prototype-pollution keys at any depth', () => {
    const raw = JSON.parse(
      '{"kind":"breadcrumb","crumb":{"type":"custom","timestamp":1,"message":"m","data":{"__proto__":{"polluted":1},"a":{"constructor":{"prototype":{"polluted":2}},"prototype":3,"ok":true}}}}',
    ) as unknown;
    const ev = parsePageEvent(raw);
    expect(ev?.kind === 'breadcrumb' && ev.crumb.data).toEqual({ a: { ok: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(ev?.kind === 'breadcrumb' ? ev.crumb.data : null)).toBe(Object.prototype);
  });

  test('cuts deep nesting and non-finite numbers', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 10_000; i++) deep = { d: deep };
    const ev = parsePageEvent(crumb({ data: { deep, n: NaN, i: -Infinity } }));
    const data = ev?.kind === 'breadcrumb' ? ev.crumb.data! : {};
    expect(data.n).toBeNull();
    expect(data.i).toBeNull();
    expect(JSON.stringify(data).split('"d"').length - 1).toBeLessThanOrEqual(6);
  });

  test('drops non-plain objects (structured clones of Dates, Maps, typed arrays)', () => {
    const ev = parsePageEvent(
      crumb({ data: { when: new Date(0), m: new Map([[1, 2]]), bytes: new Uint8Array(4), ok: 1 } }),
    );
    expect(ev?.kind === 'breadcrumb' && ev.crumb.data).toEqual({ ok: 1 });
  });

  test('never throws and only ever returns known kinds (fuzz)', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, maxDepth: 4 }), (raw) => {
        const ev = parsePageEvent(raw);
        expect(
          ev === null || ['breadcrumb', 'report', 'checkpoint', 'app-report', 'app-report-status'].includes(ev.kind),
        ).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('fuzzed breadcrumbs are always bounded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.double(), fc.jsonValue(), (message, timestamp, data) => {
        const ev = parsePageEvent(crumb({ message, timestamp, data }));
        if (!ev) return;
        expect(ev.kind).toBe('breadcrumb');
        if (ev.kind !== 'breadcrumb') return;
        expect(ev.crumb.message.length).toBeLessThanOrEqual(1000);
        expect(Number.isFinite(ev.crumb.timestamp)).toBe(true);
        if (ev.crumb.data) expect(JSON.stringify(ev.crumb.data).length).toBeLessThanOrEqual(4 * 1024);
      }),
      { numRuns: 300 },
    );
  });
});

describe('expandHookEvent', () => {
  const upload = (body: string, over: Record<string, unknown> = {}) => ({
    kind: 'app-upload',
    id: 'n.2',
    at: 9,
    transport: 'beacon',
    destination: 'https://a.example/c',
    body,
    ...over,
  });
  test('one app-report per recognised report', () => {
    const evs = expandHookEvent(upload(JSON.stringify([crashReport, subset, { other: 1 }])));
    expect(evs.map((e) => e.kind === 'app-report' && e.report.shape)).toEqual(['CrashReport', 'subset']);
  });
  test('nothing for bodies that are not CrashSense or not JSON', () => {
    expect(expandHookEvent(upload('{"fingerprint":1,"category":2'))).toEqual([]);
    expect(expandHookEvent(upload(JSON.stringify({ fingerprint: 'x', category: 'y' })))).toEqual([]);
    expect(expandHookEvent(upload(JSON.stringify(subset), { transport: 'smoke' }))).toEqual([]);
    expect(expandHookEvent(upload('x'.repeat(300 * 1024)))).toEqual([]);
  });
  test('other kinds pass through parsePageEvent', () => {
    expect(expandHookEvent(crumb())).toEqual([crumb()]);
    expect(expandHookEvent({ kind: 'nope' })).toEqual([]);
  });
});

describe('parsePageEvents / isPageMessage', () => {
  test('a breadcrumb already in final shape is taken as it is; the same as its parsed copy', () => {
    const network = crumb({ type: 'network', data: { method: 'GET', url: '/api/x', status: 200, ms: 3.25 } });
    const [out] = parsePageEvents([network]);
    expect(out).toBe(network);
    expect(parsePageEvent(network)).toEqual(network);
  });

  test('one whose data could pass its cap once escaped, or not plain, is bounded as before', () => {
    // 600 control characters: 3,600 once escaped, surely within the cap; 700 may not be (4,200).
    expect(isFinalBreadcrumb(crumb({ data: { s: '\u0001'.repeat(600) } }))).toBe(true);
    expect(isFinalBreadcrumb(crumb({ data: { s: '\u0001'.repeat(700) } }))).toBe(false);
    // 1,000 escaped characters: 6,000 chars of JSON, over the 4 KB cap: the parsed copy is cut.
    const over = crumb({ data: { s: '\u0001'.repeat(1000) } });
    const [cut] = parsePageEvents([over]);
    expect(cut).not.toBe(over);
    expect(JSON.stringify((cut as { crumb: { data?: unknown } }).crumb.data ?? {}).length).toBeLessThanOrEqual(
      CAPS.dataBytes,
    );
    for (const odd of [
      crumb({ data: { n: NaN } }),
      crumb({ message: 'x'.repeat(CAPS.message + 1) }),
      { ...crumb(), level: 'loud' },
      { ...crumb(), extra: 1 },
    ])
      expect(isFinalBreadcrumb(odd)).toBe(false);
  });

  test('keeps the valid ones, at most max', () => {
    expect(parsePageEvents([crumb(), { kind: 'x' }, crumb()], 10)).toHaveLength(2);
    expect(
      parsePageEvents(
        Array.from({ length: 50 }, () => crumb()),
        10,
      ),
    ).toHaveLength(10);
    expect(parsePageEvents('nope')).toEqual([]);
  });
  test('message shape', () => {
    expect(isPageMessage({ [PAGE_MESSAGE_KEY]: 1, v: 1, n: 'abc', events: [] })).toBe(true);
    expect(isPageMessage({ [PAGE_MESSAGE_KEY]: 1, v: 2, n: 'abc', events: [] })).toBe(false);
    expect(isPageMessage({ [PAGE_MESSAGE_KEY]: true, v: 1, n: 'abc', events: [] })).toBe(false);
    expect(isPageMessage({ v: 1, n: 'abc', events: [] })).toBe(false);
    expect(isPageMessage('__reportInspector')).toBe(false);
  });
});
