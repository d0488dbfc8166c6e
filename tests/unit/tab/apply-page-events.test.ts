import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { emptyTabState, LIMITS, type TabState } from '@/utils/tab/types';
import { type CrashSenseCheckpoint } from '@/utils/page/types';
import type { PageEvent } from '@/utils/page/events';
import { parseCheckpoint } from '@/utils/page/crashsense';
import { applyPageEvents } from '@/utils/tab/apply-page-events';
import { checkpoint as fixture } from '../../fixtures/crashsense';

const opts = { maxBreadcrumbs: 500, crashedRecently: false };
const crumb = (i: number, level?: 'error'): PageEvent =>
  level
    ? { kind: 'breadcrumb', crumb: { type: 'console', timestamp: 1000 + i, message: `m${i}` }, level }
    : { kind: 'breadcrumb', crumb: { type: 'click', timestamp: 1000 + i, message: `m${i}` } };
const cp = (over: Partial<CrashSenseCheckpoint> = {}): CrashSenseCheckpoint => ({
  ...parseCheckpoint(JSON.stringify(fixture))!,
  ...over,
});
const cpEvent = (c: CrashSenseCheckpoint | null, atLoad = false): PageEvent => ({
  kind: 'checkpoint',
  checkpoint: c,
  atLoad,
});

describe('applyPageEvents', () => {
  test('appends breadcrumbs with seq, frame, source and level', () => {
    const s = applyPageEvents(emptyTabState(7, 0), 3, [crumb(1), crumb(2, 'error')], 50, opts);
    expect(s.breadcrumbs).toEqual([
      { type: 'click', timestamp: 1001, message: 'm1', seq: 1, frameId: 3, source: 'page' },
      { type: 'console', timestamp: 1002, message: 'm2', seq: 2, frameId: 3, source: 'page', level: 'error' },
    ]);
    expect(s.nextSeq).toBe(3);
    expect(s.updatedAt).toBe(50);
  });

  test('does not modify its input', () => {
    const before = emptyTabState(1, 0);
    const copy = structuredClone(before);
    applyPageEvents(
      before,
      0,
      [crumb(1), cpEvent(cp()), { kind: 'report', report: { type: 't', url: 'u', body: {} } }],
      1,
      opts,
    );
    expect(before).toEqual(copy);
  });

  test('ring buffer evicts oldest first and counts what it dropped', () => {
    let s = emptyTabState(1, 0);
    for (let i = 0; i < 12; i++) s = applyPageEvents(s, 0, [crumb(i)], i, { ...opts, maxBreadcrumbs: 5 });
    expect(s.breadcrumbs.map((b) => b.message)).toEqual(['m7', 'm8', 'm9', 'm10', 'm11']);
    expect(s.dropped.breadcrumbs).toBe(7);
    s = applyPageEvents(
      s,
      0,
      Array.from({ length: 20 }, (_, i) => crumb(100 + i)),
      99,
      { ...opts, maxBreadcrumbs: 5 },
    );
    expect(s.breadcrumbs.map((b) => b.message)).toEqual(['m115', 'm116', 'm117', 'm118', 'm119']);
    expect(s.dropped.breadcrumbs).toBe(27);
  });

  test('the buffer is bounded in JSON size too: long breadcrumbs evict older ones before the count does', () => {
    const long = (i: number): PageEvent => ({
      kind: 'breadcrumb',
      crumb: {
        type: 'network',
        timestamp: 1000 + i,
        message: `GET /${'x'.repeat(990)} ${i}`,
        data: { url: `https://example.com/${'y'.repeat(2000)}` },
      },
    });
    let s = emptyTabState(1, 0);
    for (let b = 0; b < 30; b++)
      s = applyPageEvents(
        s,
        0,
        Array.from({ length: 100 }, (_, i) => long(b * 100 + i)),
        b,
        { ...opts, maxBreadcrumbs: 5000 },
      );
    const size = JSON.stringify(s.breadcrumbs).length;
    expect(size).toBeLessThanOrEqual(LIMITS.breadcrumbChars);
    expect(size).toBeGreaterThan(LIMITS.breadcrumbChars * 0.95);
    expect(s.breadcrumbs.length).toBeLessThan(3000);
    expect(s.breadcrumbs.length + s.dropped.breadcrumbs).toBe(3000);
    expect(s.breadcrumbs.at(-1)!.message).toMatch(/ 2999$/);
    // Short breadcrumbs are bounded by the count alone.
    let t = emptyTabState(1, 0);
    t = applyPageEvents(
      t,
      0,
      Array.from({ length: 3000 }, (_, i) => crumb(i)),
      0,
      { ...opts, maxBreadcrumbs: 5000 },
    );
    expect(t.breadcrumbs).toHaveLength(3000);
    expect(t.dropped.breadcrumbs).toBe(0);
    // One breadcrumb larger than the whole budget still stays (the newest is never dropped).
    const huge: PageEvent = {
      kind: 'breadcrumb',
      crumb: { type: 'custom', timestamp: 1, message: 'z'.repeat(LIMITS.breadcrumbChars + 10) },
    };
    expect(applyPageEvents(t, 0, [huge], 1, opts).breadcrumbs.map((b) => b.message.length)).toEqual([
      LIMITS.breadcrumbChars + 10,
    ]);
  });

  test('bounds hold for any sequence (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 40 }),
        (batches, max) => {
          let s: TabState = emptyTabState(1, 0);
          let total = 0;
          for (const n of batches) {
            s = applyPageEvents(
              s,
              0,
              Array.from({ length: n }, (_, i) => crumb(total + i)),
              0,
              { ...opts, maxBreadcrumbs: max },
            );
            total += n;
          }
          expect(s.breadcrumbs.length).toBe(Math.min(total, max));
          expect(s.breadcrumbs.length + s.dropped.breadcrumbs).toBe(total);
          const seqs = s.breadcrumbs.map((b) => b.seq);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
          if (total) expect(s.breadcrumbs.at(-1)!.message).toBe(`m${total - 1}`);
        },
      ),
    );
  });

  test('live reports are kept, bounded', () => {
    const ev: PageEvent = {
      kind: 'report',
      report: { type: 'deprecation', url: 'https://a.example/', body: { id: 'x' } },
    };
    let s = applyPageEvents(emptyTabState(1, 0), 2, [ev], 5, opts);
    expect(s.reports).toEqual([
      { seq: 1, frameId: 2, type: 'deprecation', url: 'https://a.example/', body: { id: 'x' }, observedAt: 5 },
    ]);
    s = applyPageEvents(
      s,
      2,
      Array.from({ length: LIMITS.reports + 10 }, () => ev),
      6,
      opts,
    );
    expect(s.reports).toHaveLength(LIMITS.reports);
    expect(s.dropped.reports).toBe(11);
  });

  test('checkpoint: recorded, with its breadcrumbs merged once as crashsense', () => {
    const s1 = applyPageEvents(emptyTabState(1, 0), 0, [cpEvent(cp())], 10, opts);
    expect(s1.checkpoint).toMatchObject({ seenAt: 10, frameId: 0, abnormalEnd: false, url: cp().url });
    expect(s1.breadcrumbs.filter((b) => b.source === 'crashsense')).toHaveLength(5);
    // CrashSense rewrites its last 20 every few seconds: only the new one is added.
    const more = { type: 'custom' as const, timestamp: 99, message: 'new' };
    const s2 = applyPageEvents(s1, 0, [cpEvent(cp({ breadcrumbs: [...cp().breadcrumbs, more] }))], 20, opts);
    expect(
      s2.breadcrumbs
        .filter((b) => b.source === 'crashsense')
        .map((b) => b.message)
        .at(-1),
    ).toBe('new');
    expect(s2.breadcrumbs).toHaveLength(6);
    // The same crumb recorded by the page itself is a different entry.
    const s3 = applyPageEvents(
      s2,
      0,
      [{ kind: 'breadcrumb', crumb: more }, cpEvent(cp({ breadcrumbs: [more] }))],
      30,
      opts,
    );
    expect(s3.breadcrumbs).toHaveLength(7);
  });

  test('checkpoint at load after a crash is an abnormal end, and stays for that load', () => {
    const crashed = { ...opts, crashedRecently: true };
    let s = applyPageEvents(emptyTabState(1, 0), 0, [cpEvent(cp({ sessionId: 'old' }), true)], 10, crashed);
    expect(s.checkpoint).toMatchObject({ abnormalEnd: true, checkpoint: { sessionId: 'old' } });
    // CrashSense reads it, removes it and writes its own: the crashed session's state stays.
    s = applyPageEvents(s, 0, [cpEvent(null), cpEvent(cp({ sessionId: 'new' }))], 11, crashed);
    expect(s.checkpoint).toMatchObject({ abnormalEnd: true, checkpoint: { sessionId: 'old' } });
    // The next load replaces it.
    s = applyPageEvents(s, 0, [cpEvent(cp({ sessionId: 'next' }), true)], 12, opts);
    expect(s.checkpoint).toMatchObject({ abnormalEnd: false, checkpoint: { sessionId: 'next' } });
  });

  test('a checkpoint at load without a crash is not an abnormal end; a regular update is never one', () => {
    expect(applyPageEvents(emptyTabState(1, 0), 0, [cpEvent(cp(), true)], 1, opts).checkpoint?.abnormalEnd).toBe(false);
    expect(
      applyPageEvents(emptyTabState(1, 0), 0, [cpEvent(cp(), false)], 1, { ...opts, crashedRecently: true }).checkpoint
        ?.abnormalEnd,
    ).toBe(false);
  });

  test('removal clears the same frame only; subframes do not replace the top frame', () => {
    let s = applyPageEvents(emptyTabState(1, 0), 0, [cpEvent(cp({ sessionId: 'top' }))], 1, opts);
    s = applyPageEvents(s, 4, [cpEvent(cp({ sessionId: 'sub' }))], 2, opts);
    expect(s.checkpoint?.checkpoint.sessionId).toBe('top');
    s = applyPageEvents(s, 4, [cpEvent(null)], 3, opts);
    expect(s.checkpoint?.checkpoint.sessionId).toBe('top');
    s = applyPageEvents(s, 0, [cpEvent(null)], 4, opts);
    expect(s.checkpoint).toBeNull();
    s = applyPageEvents(s, 4, [cpEvent(cp({ sessionId: 'sub' }))], 5, opts);
    expect(s.checkpoint?.frameId).toBe(4);
  });

  test('the checkpoint record takes the frame document url when known', () => {
    const base = emptyTabState(1, 0);
    base.documents['0'] = { url: 'https://shop.example/checkout' } as TabState['documents'][string];
    expect(applyPageEvents(base, 0, [cpEvent(cp())], 1, opts).checkpoint?.url).toBe('https://shop.example/checkout');
  });

  test('app reports and their upload status', () => {
    const report = {
      at: 5,
      transport: 'fetch' as const,
      destination: 'https://a.example/crashes',
      status: null,
      shape: 'subset' as const,
      category: 'memory_issue',
      subcategory: 'heap',
      severity: 'critical',
      confidence: null,
      message: 'm',
      fingerprint: 'f',
      contributingFactors: [],
      breadcrumbs: [],
    };
    let s = applyPageEvents(
      emptyTabState(1, 0),
      2,
      [
        { kind: 'app-report', id: 'n.1', report },
        { kind: 'app-report', id: 'n.1', report: { ...report, fingerprint: 'g' } },
        { kind: 'app-report', id: 'n.2', report },
      ],
      6,
      opts,
    );
    expect(s.appReports.map((r) => [r.seq, r.uploadId, r.status])).toEqual([
      [1, 'n.1', null],
      [2, 'n.1', null],
      [3, 'n.2', null],
    ]);
    s = applyPageEvents(s, 2, [{ kind: 'app-report-status', id: 'n.1', status: 503 }], 7, opts);
    expect(s.appReports.map((r) => r.status)).toEqual([503, 503, null]);
    // Another frame cannot set this frame's upload status.
    s = applyPageEvents(s, 9, [{ kind: 'app-report-status', id: 'n.2', status: 200 }], 8, opts);
    expect(s.appReports[2]!.status).toBeNull();
    s = applyPageEvents(
      s,
      2,
      Array.from({ length: LIMITS.appReports }, () => ({ kind: 'app-report' as const, id: 'x', report })),
      9,
      opts,
    );
    expect(s.appReports).toHaveLength(LIMITS.appReports);
    expect(s.dropped.appReports).toBe(3);
  });

  test('no events: same state object', () => {
    const s = emptyTabState(1, 0);
    expect(applyPageEvents(s, 0, [], 5, opts)).toBe(s);
  });
});

describe('the live document of each frame: URL, visibility, crash context', () => {
  const nav = (message: string, url: string, timestamp = 2000): PageEvent => ({
    kind: 'breadcrumb',
    crumb: { type: 'navigation', timestamp, message, data: { url } },
  });
  const set = (key: string, value: string, at = 3000): PageEvent => ({
    kind: 'crash-context',
    op: 'set',
    key,
    value,
    size: key.length + value.length + 5,
    exact: true,
    at,
  });
  const A = 'https://shop.example/a';

  test('follows pushState, replaceState and hash changes, and starts afresh on a load', () => {
    let s = applyPageEvents(emptyTabState(1, 0), 0, [nav(`load ${A}`, A, 1500)], 10, opts);
    expect(s.live?.['0']).toEqual({ url: A, loadedAt: 1500 });
    s = applyPageEvents(
      s,
      0,
      [
        { kind: 'crash-context', op: 'initialize', bytes: 256, at: 1600 },
        set('route', '/a'),
        nav(`pushState ${A}?step=2`, `${A}?step=2`),
        { kind: 'visibility', state: 'hidden' },
      ],
      20,
      opts,
    );
    s = applyPageEvents(s, 0, [nav(`hashchange ${A}?step=2#x`, `${A}?step=2#x`)], 30, opts);
    expect(s.live?.['0']).toMatchObject({
      url: `${A}?step=2#x`,
      visibility: 'hidden',
      context: { requested: 256, status: 'initialized', entries: [{ key: 'route', value: '/a' }] },
    });
    // Another frame has its own.
    s = applyPageEvents(s, 4, [set('frame', 'yes')], 40, opts);
    expect(s.live?.['4']?.context?.entries.map((e) => e.key)).toEqual(['frame']);
    expect(s.live?.['0']?.context?.entries.map((e) => e.key)).toEqual(['route']);
    // A new document in the top frame: nothing of the old one stays.
    s = applyPageEvents(s, 0, [nav('load https://shop.example/b', 'https://shop.example/b', 5000)], 50, opts);
    expect(s.live?.['0']).toEqual({ url: 'https://shop.example/b', loadedAt: 5000 });
  });

  test("each crashReport call joins the trail as a state breadcrumb, at the page's time of the call", () => {
    const s = applyPageEvents(
      emptyTabState(1, 0),
      0,
      [
        { kind: 'crash-context', op: 'initialize', bytes: 4096, at: 900 },
        set('route', '/checkout', 950),
        { kind: 'crash-context', op: 'set', key: 'x', value: 'y', error: 'NotAllowedError: too large', at: 960 },
        { kind: 'crash-context', op: 'delete', key: 'route', at: 5000 }, // from the future: the background's time
      ],
      1000,
      opts,
    );
    expect(s.breadcrumbs.map((b) => [b.type, b.timestamp, b.message, b.level])).toEqual([
      ['state', 900, 'crashReport.initialize(4096)', undefined],
      ['state', 950, 'crashReport.set("route", "/checkout")', undefined],
      ['state', 960, 'crashReport.set("x", "y") threw NotAllowedError: too large', 'error'],
      ['state', 1000, 'crashReport.delete("route")', undefined],
    ]);
    expect(s.breadcrumbs[1]!.data).toEqual({ api: 'crashReport', op: 'set', key: 'route' });
  });

  test('a page flooding the crash context or inventing frames stays bounded', () => {
    let s = emptyTabState(1, 0);
    s = applyPageEvents(
      s,
      0,
      Array.from({ length: 500 }, (_, i) => set(`k${i}`, 'v'.repeat(500))),
      1,
      opts,
    );
    expect(s.live?.['0']?.context?.entries.length).toBe(64);
    expect(s.live?.['0']?.context?.overflow).toBe(436);
    for (let f = 1; f < 200; f++) s = applyPageEvents(s, f, [{ kind: 'visibility', state: 'visible' }], 2, opts);
    expect(Object.keys(s.live ?? {}).length).toBeLessThanOrEqual(LIMITS.frames);
    expect(s.live?.['0']?.context?.entries.length).toBe(64);
  });
});
