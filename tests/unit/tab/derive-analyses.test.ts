// The background analyses each document once (utils/tab/derive-analyses.ts) and the panel reads those analyses
// (utils/tab/analyses.ts): the same numbers as analysing afresh, no new analysis while nothing changed, a new one
// when the document, its origins or time change it.
import { describe, expect, it } from 'vitest';
import { buildDocumentRecord, pickReportingHeaders, placeDocument } from '@/utils/tab/documents';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { buildTabView } from '@/utils/tab/view';
import { emptyTabState, type OriginCache } from '@/utils/tab/types';
import { summarizeTab } from '@/utils/tab/summary';
import { analysesOf, historyAnalysesOf } from '@/utils/tab/analyses';
import { AGO_REFRESH_MS, AnalysisCache, analyseView } from '@/utils/tab/derive-analyses';
import { createPanelStore } from '@/entrypoints/devtools-panel/store';
import { TabViews } from '@/entrypoints/background/tab-views';

const ORIGIN = 'https://shop.acme.test';
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);
const REPORT_TO = JSON.stringify({ group: 'default', max_age: 600, endpoints: [{ url: `${ORIGIN}/r` }] });

function tab(headers: { name: string; value: string }[], at = T0) {
  let cache: OriginCache = {};
  const picked = pickReportingHeaders(headers);
  const rt = picked.find((h) => h.name === 'report-to');
  if (rt) cache = applyReportTo(cache, rt.value, `${ORIGIN}/`, 'main_frame', at).cache;
  const doc = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url: `${ORIGIN}/`,
    type: 'main_frame',
    statusCode: 200,
    headers: picked,
    now: at,
  });
  return { state: placeDocument(emptyTabState(7, at), doc, at), cache, doc };
}

describe('analyses derived by the background', () => {
  it('carry what analysing afresh finds, and give the same summary', () => {
    const { state, cache } = tab([
      { name: 'Report-To', value: REPORT_TO },
      { name: 'Reporting-Endpoints', value: `csp="${ORIGIN}/csp"` },
    ]);
    const view = buildTabView(state, cache, T0 + 1000);
    expect(view.analyses?.documents['0']).not.toHaveProperty('document');
    const fresh = analyseView(view, T0 + 1000);
    expect(analysesOf(view)).toEqual(fresh);
    const s = summarizeTab(view, `${ORIGIN}/`, T0 + 1000);
    expect(s).toEqual(summarizeTab(view, `${ORIGIN}/`, T0 + 1000, fresh));
    expect(s.kind).toBe('configured');
    expect(s.groups).toBe(1);
    expect(s.endpoints).toBe(1);
  });

  it('are reused while the document and its origins are the same, until the next expiry', () => {
    const { state, cache } = tab([{ name: 'Report-To', value: REPORT_TO }]);
    const analyses = new AnalysisCache();
    const first = buildTabView(state, cache, T0 + 1000, analyses).analyses!;
    expect(first.until).toBe(T0 + 600_000);
    // A breadcrumb changes the tab, not its documents: the same analysis, not a new one.
    const busier = { ...state, breadcrumbs: [...state.breadcrumbs] };
    expect(buildTabView(busier, cache, T0 + 2000, analyses).analyses!.documents['0']).toBe(first.documents['0']);
    // The group has expired: analysed again, and now the route goes nowhere.
    const later = buildTabView(busier, cache, T0 + 600_000, analyses).analyses!;
    expect(later.documents['0']).not.toBe(first.documents['0']);
    expect(later.documents['0']!.groups[0]!.expired).toBe(true);
    // What says "expired … ago" is derived again a little later.
    expect(later.until).toBe(T0 + 600_000 + AGO_REFRESH_MS);
  });

  it('are derived again when the origin cache changes', () => {
    const { state, cache } = tab([{ name: 'Report-To', value: REPORT_TO }]);
    const analyses = new AnalysisCache();
    const first = buildTabView(state, cache, T0 + 1000, analyses).analyses!.documents['0']!;
    const replaced = applyReportTo(
      cache,
      JSON.stringify({ group: 'other', max_age: 60, endpoints: [{ url: `${ORIGIN}/o` }] }),
      `${ORIGIN}/img.png`,
      'image',
      T0 + 1500,
    ).cache;
    const second = buildTabView(state, replaced, T0 + 2000, analyses).analyses!.documents['0']!;
    expect(second).not.toBe(first);
    expect(second.groups.map((g) => g.group.name)).toEqual(['other']);
  });

  it('cover the history, newest first as the state holds it', () => {
    const one = tab([{ name: 'Report-To', value: REPORT_TO }]);
    const next = buildDocumentRecord({
      frameId: 0,
      parentFrameId: -1,
      url: `${ORIGIN}/next`,
      type: 'main_frame',
      statusCode: 200,
      headers: [],
      now: T0 + 5000,
    });
    const state = placeDocument(one.state, next, T0 + 5000);
    const view = buildTabView(state, one.cache, T0 + 6000);
    expect(state.history).toHaveLength(1);
    expect(historyAnalysesOf(view).map((a) => [a.document.url, a.groups.length])).toEqual([[`${ORIGIN}/`, 1]]);
  });

  it('are never silently missing: a document without one shows as a problem', () => {
    const { state, cache } = tab([{ name: 'Report-To', value: REPORT_TO }]);
    const view = buildTabView(state, cache, T0 + 1000);
    const [a] = analysesOf({ ...view, analyses: { ...view.analyses!, documents: {} } });
    expect(a!.diagnostics.map((d) => d.code)).toContain('analysis-failed');
  });

  it('give the panel, the popup and the badge the one summary', async () => {
    const { state, cache } = tab([
      { name: 'Report-To', value: REPORT_TO },
      { name: 'Reporting-Endpoints', value: `csp="${ORIGIN}/csp"` },
    ]);
    const now = () => T0 + 1000;
    const stores = {
      tabs: { get: async () => state },
      origins: { get: async () => cache },
    } as unknown as ConstructorParameters<typeof TabViews>[0];
    const views = new TabViews(stores, now);
    const view = await views.view(7);
    const panel = createPanelStore(null, now(), { tabId: 7 });
    panel.tabUrl.value = `${ORIGIN}/`;
    panel.offerView(view);
    const popup = await views.summary(7, `${ORIGIN}/`);
    expect(panel.summary.value).toEqual(popup);
    expect(panel.summary.value.badge.text).toBe('2');
    expect(panel.analyses.value[0]!.document).toBe(state.documents['0']);
  });
});
