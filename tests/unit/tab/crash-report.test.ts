// The predicted crash report in Chromium 156's shape: the URL at the crash, the live crash context, the page's
// visibility, the hang stack opt-in; crash records built from it (breadcrumbs in time order, the debugger's
// reason), and records of the old shape still readable.
import { describe, expect, test } from 'vitest';
import { buildDocumentRecord, placeDocument } from '@/utils/tab/documents';
import { applyPageEvents } from '@/utils/tab/apply-page-events';
import { emptyTabState, type CrashEntry, type TabState } from '@/utils/tab/types';
import type { PageEvent } from '@/utils/page/events';
import { callStacksOptedIn, crashReportOf, NOT_OPTED_IN, predictCrashReport } from '@/utils/tab/crash-report';
import { addCrash, crashEntryFor } from '@/entrypoints/background/crash-detection';

const URL_A = 'https://shop.example/cart';
const T = Date.UTC(2026, 11, 1, 12);
const opts = { maxBreadcrumbs: 500, crashedRecently: false };

function loaded(headers: Record<string, string> = { 'reporting-endpoints': 'default="/r"' }): TabState {
  const doc = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url: URL_A,
    type: 'main_frame',
    statusCode: 200,
    now: T,
    headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
  });
  return placeDocument(emptyTabState(1, T), doc, T);
}
const nav = (message: string, url: string, timestamp: number): PageEvent => ({
  kind: 'breadcrumb',
  crumb: { type: 'navigation', timestamp, message, data: { url } },
});
const set = (key: string, value: string, at: number): PageEvent => ({
  kind: 'crash-context',
  op: 'set',
  key,
  value,
  size: 0,
  exact: true,
  at,
});

describe('callStacksOptedIn', () => {
  const doc = (value?: string, name = 'document-policy') => ({ headers: value === undefined ? [] : [{ name, value }] });
  test.each([
    ['include-js-call-stacks-in-crash-reports', true],
    ['force-load-at-top, include-js-call-stacks-in-crash-reports;report-to=dp', true],
    ['include-js-call-stacks-in-crash-reports=?1', true],
    ['include-js-call-stacks-in-crash-reports=?0', false],
    ['include-js-call-stacks-in-crash-reports=1', false],
    ['include-js-call-stacks-in-crash-reports, (broken', false],
    ['js-profiling', false],
  ])('Document-Policy: %s → %s', (value, expected) => expect(callStacksOptedIn(doc(value))).toBe(expected));
  test('report-only does not opt in; no header does not', () => {
    expect(callStacksOptedIn(doc('include-js-call-stacks-in-crash-reports', 'document-policy-report-only'))).toBe(
      false,
    );
    expect(callStacksOptedIn(doc())).toBe(false);
    expect(callStacksOptedIn(undefined)).toBe(false);
  });
});

describe('predictCrashReport', () => {
  test("a page that never used crashReport: empty crash_report_api, the load URL, the tab's visibility", () => {
    expect(predictCrashReport(loaded(), { at: T + 10, userAgent: 'UA/1', visible: false }).report).toEqual({
      age: 0,
      type: 'crash',
      url: URL_A,
      user_agent: 'UA/1',
      body: { crash_report_api: {}, is_top_level: true, visibility_state: 'hidden' },
    });
  });

  test("the URL and context the document has at the crash, without the fragment, keys sorted, the page's visibility", () => {
    let s = loaded();
    s = applyPageEvents(
      s,
      0,
      [
        nav(`load ${URL_A}`, URL_A, T + 1),
        { kind: 'crash-context', op: 'initialize', bytes: 100, at: T + 2 },
        set('route', '/cart', T + 3),
        set('cart', '3 items', T + 4),
        nav(`pushState ${URL_A}?step=2`, `${URL_A}?step=2`, T + 5),
        set('route', '/checkout', T + 6),
        set('tmp', 'x', T + 7),
        { kind: 'crash-context', op: 'delete', key: 'tmp', at: T + 8 },
        nav(`hashchange ${URL_A}?step=2#pay`, `${URL_A}?step=2#pay`, T + 9),
        { kind: 'visibility', state: 'hidden' },
      ],
      T + 10,
      opts,
    );
    const p = predictCrashReport(s, { at: T + 20, userAgent: 'UA/1', visible: true });
    expect(p.report.url).toBe(`${URL_A}?step=2`);
    expect(p.loadUrl).toBe(URL_A);
    expect(JSON.stringify(p.report.body)).toBe(
      '{"crash_report_api":{"cart":"3 items","route":"/checkout"},"is_top_level":true,"visibility_state":"hidden"}',
    );
    expect(p.context).toMatchObject({ requested: 100, status: 'initialized', omitted: 0 });
  });

  test("what the previous document's hook said does not leak into a new document's prediction", () => {
    let s = applyPageEvents(
      loaded(),
      0,
      [nav(`load ${URL_A}`, URL_A, T + 1), set('route', '/old', T + 2), nav('pushState x', `${URL_A}?old`, T + 3)],
      T + 5,
      opts,
    );
    const next = buildDocumentRecord({
      frameId: 0,
      parentFrameId: -1,
      url: 'https://shop.example/new',
      type: 'main_frame',
      statusCode: 200,
      now: T + 100,
      headers: [],
    });
    s = placeDocument(s, next, T + 100);
    const p = predictCrashReport(s, { at: T + 150, userAgent: '', visible: true });
    expect(p.report.url).toBe('https://shop.example/new');
    expect(p.report.body.crash_report_api).toEqual({});
  });

  test("a hang carries Chromium's not-opted-in string, or a stack when the document opted in", () => {
    expect(
      predictCrashReport(loaded(), { at: T, userAgent: '', visible: true, reason: 'unresponsive' }).report.body,
    ).toMatchObject({ reason: 'unresponsive', stack: NOT_OPTED_IN });
    const opted = loaded({
      'reporting-endpoints': 'default="/r"',
      'document-policy': 'include-js-call-stacks-in-crash-reports',
    });
    const p = predictCrashReport(opted, { at: T, userAgent: '', visible: true, reason: 'unresponsive' });
    expect(p.callStacks).toBe(true);
    expect(p.report.body.stack).not.toBe(NOT_OPTED_IN);
    expect(predictCrashReport(loaded(), { at: T, userAgent: '', visible: true, reason: 'oom' }).report.body).toEqual({
      crash_report_api: {},
      is_top_level: true,
      visibility_state: 'visible',
      reason: 'oom',
    });
  });
});

describe('crash records', () => {
  test('keep the last breadcrumbs in time order, CrashSense ones marked, and the context at the crash', () => {
    let s = applyPageEvents(
      loaded(),
      0,
      [nav(`load ${URL_A}`, URL_A, T + 100), set('route', '/cart', T + 300)],
      T + 400,
      opts,
    );
    // A checkpoint's breadcrumbs arrive later but happened earlier.
    s = applyPageEvents(
      s,
      0,
      [
        {
          kind: 'checkpoint',
          atLoad: false,
          checkpoint: {
            version: 1,
            timestamp: T + 450,
            sessionId: 's',
            appId: 'a',
            url: URL_A,
            systemState: {},
            device: {},
            preCrashWarnings: [],
            memoryTrend: null,
            checkpointCount: 1,
            breadcrumbs: [{ type: 'click', timestamp: T + 200, message: 'button#buy' }],
          },
        },
      ],
      T + 500,
      opts,
    );
    const entry = crashEntryFor(s, {}, T + 600, { visible: true, detectedBy: 'port-disconnect', userAgent: 'UA/1' });
    expect(entry.breadcrumbs.map((b) => [b.timestamp - T, b.source])).toEqual([
      [100, 'page'],
      [200, 'crashsense'],
      [300, 'page'],
    ]);
    expect(entry.context?.entries).toEqual([{ key: 'route', value: '/cart', bytes: 0, exact: true }]);
    expect(crashReportOf(entry)).toMatchObject({
      url: URL_A,
      user_agent: 'UA/1',
      body: { crash_report_api: { route: '/cart' } },
    });
    // The debugger's reason, learned after the port saw the crash, reaches the predicted body with its stack.
    const withEntry = addCrash(s, entry);
    const confirmed = addCrash(withEntry, { ...entry, detectedBy: 'debugger', reason: 'unresponsive' }).crashes[0]!;
    expect(confirmed).toMatchObject({ detectedBy: 'debugger', reason: 'unresponsive' });
    expect(confirmed.predicted.body).toMatchObject({ reason: 'unresponsive', stack: NOT_OPTED_IN });
  });

  test("a record of the old shape reads as Chromium's report, without what it did not predict", () => {
    const old = {
      id: 'crash@1',
      at: T,
      url: URL_A,
      detectedBy: 'port-disconnect',
      breadcrumbs: [],
      predicted: {
        body: { type: 'crash', url: URL_A, is_top_level: true, visibility_state: 'visible', reason: 'oom' },
        route: {},
      },
    } as unknown as CrashEntry;
    expect(crashReportOf(old)).toEqual({
      age: 0,
      type: 'crash',
      url: URL_A,
      user_agent: '',
      body: { is_top_level: true, visibility_state: 'visible', reason: 'oom' },
    });
  });
});
