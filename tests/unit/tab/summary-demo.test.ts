// Every demo page through the real pipeline (header capture → document record → origin cache → analysis →
// verdicts → summary): the numbers each screen shows come from the one summary, and the contradictions of issue 15
// (/good, /iframe, /max-age-zero, /insecure-endpoint, /invalid-json) are gone.
import { describe, expect, it } from 'vitest';
import { CASES, CHILD_FRAME } from '../../demo/pages.mjs';
import { buildDocumentRecord, pickReportingHeaders, placeDocument } from '@/utils/tab/documents';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { buildTabView } from '@/utils/tab/view';
import { emptyTabState, type OriginCache, type TabState, type TabSummary } from '@/utils/tab/types';
import { BADGE_COLORS, summarizeTab } from '@/utils/tab/summary';
import { buildReport } from '@/utils/tab/export';

const ORIGIN = 'https://127.0.0.1:8443';
const ctx = {
  origin: ORIGIN,
  httpOrigin: 'http://127.0.0.1:8080',
  altOrigin: 'https://localhost:8443',
  httpPort: 8080,
  secure: true,
  nonce: 'bm9uY2U=',
};
const T0 = Date.UTC(2026, 11, 1, 12, 0, 0);

type Headers = Record<string, string | string[]>;
const flat = (h: Headers) =>
  Object.entries(h).flatMap(([name, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ name, value })));

/** A browser session: the origin cache and one tab, fed responses the way the background is. */
function session() {
  let cache: OriginCache = {};
  let state: TabState = emptyTabState(7, T0);
  let now = T0;
  const receive = (url: string, headers: Headers, type: 'main_frame' | 'sub_frame' = 'main_frame', frameId = 0) => {
    now += 1000;
    const picked = pickReportingHeaders(flat(headers));
    const rt = picked.find((h) => h.name === 'report-to');
    if (rt) cache = applyReportTo(cache, rt.value, url, type, now).cache;
    const doc = buildDocumentRecord({
      frameId,
      parentFrameId: frameId === 0 ? -1 : 0,
      url,
      type,
      statusCode: 200,
      headers: picked,
      now,
    });
    state = placeDocument(state, doc, now);
  };
  const visit = (path: string) => {
    const page = CASES.find((c) => c.path === path)!;
    receive(`${ORIGIN}${path}`, page.headers(ctx));
    if (path === '/iframe') receive(`${ORIGIN}/iframe/child`, CHILD_FRAME.headers(ctx), 'sub_frame', 3);
    if (path === '/subresource')
      receive(
        `${ORIGIN}/assets/report-to.png`,
        {
          'Report-To': JSON.stringify({
            group: 'default',
            max_age: 600,
            endpoints: [{ url: `${ORIGIN}/reports/default` }],
          }),
        },
        'sub_frame',
        99,
      );
    return summary();
  };
  const summary = (): TabSummary => {
    const view = buildTabView(state, cache, now);
    return summarizeTab(view, state.documents['0']!.url, now);
  };
  return { visit, view: () => buildTabView(state, cache, now), now: () => now };
}

/** What a person reads on each screen must be the summary's numbers. */
function expectOneTruth(s: TabSummary) {
  const top = s.top!;
  expect(s.endpoints).toBe(top.endpoints.length);
  expect(s.groups).toBe(top.groups.length);
  expect(s.destinations).toBe(s.endpoints + s.groups);
  expect(s.routes).toBe(top.routes.length);
  expect(s.delivering).toBe(top.routes.filter((r) => r.willDeliver).length);
  if (s.kind !== 'nothing-configured') expect(s.badge.text).toBe(String(s.destinations));
  expect(s.badge.color).toBe(
    s.kind === 'nothing-configured' ? BADGE_COLORS.none : top.losesReports ? BADGE_COLORS.warning : BADGE_COLORS.ok,
  );
  const re = s.lines.find((l) => l.key === 'reporting-endpoints')!;
  if (top.reportingEndpoints.state === 'kept' || top.reportingEndpoints.state === 'partial')
    expect(re.value).toBe(`${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}`);
  expect(s.lines.find((l) => l.key === 'report-to')!.value).toBe(`${s.groups} group${s.groups === 1 ? '' : 's'}`);
  expect(s.lines.find((l) => l.key === 'routes')!.value).toBe(
    `${s.delivering} of ${s.routes} route${s.routes === 1 ? '' : 's'} deliver`,
  );
  // A header that was sent is never described as absent.
  for (const f of [top.reportingEndpoints, top.reportTo]) {
    const sent = s.top!.reportingEndpoints === f ? 'reporting-endpoints' : 'report-to';
    void sent;
    if (f.state === 'rejected') expect(f.text).toMatch(/^sent and rejected: ./);
  }
}

describe('the one summary over every demo page', () => {
  for (const page of CASES) {
    it(`${page.path}: badge, popup lines and counts agree`, () => {
      const s = session();
      s.visit('/max-age-zero'); // a clean origin
      expectOneTruth(s.visit(page.path));
      // And after /good left its Report-To group on the origin.
      const t = session();
      t.visit('/good');
      expectOneTruth(t.visit(page.path));
    });
  }

  it('/good: 2 endpoints, 1 group, 4 routes, all delivering; the badge says 3 (2 + 1)', () => {
    const s = session().visit('/good');
    expect(s).toMatchObject({
      kind: 'configured',
      endpoints: 2,
      groups: 1,
      destinations: 3,
      routes: 4,
      delivering: 4,
      configuredRoutes: 1,
      level: 'ok',
    });
    expect(s.badge).toEqual({ text: '3', color: BADGE_COLORS.ok });
    expect(s.headline).toBe('Reporting is configured (2 endpoints, 1 Report-To group): crash reports go to "default".');
  });

  it('/iframe: the top document has its own 3 routes; the frame is counted apart', () => {
    const s = session().visit('/iframe');
    expect(s.routes).toBe(3);
    expect(s.frames).toHaveLength(1);
    expect(s.frames[0]!.endpoints.map((e) => e.name)).toEqual(['default', 'child']);
  });

  it('/max-age-zero: says the group is removed and nothing is kept, not "configured (0 endpoints)"', () => {
    const ses = session();
    ses.visit('/good');
    const s = ses.visit('/max-age-zero');
    expect(s.kind).toBe('nothing-kept');
    expect(s.top!.reportTo.state).toBe('removes');
    expect(s.headline).toBe('Nothing kept: Report-To removes "default" (max_age 0). Crash reports will not be sent.');
    expect(s.headline).not.toContain('configured');
    expect(s.badge).toEqual({ text: '0', color: BADGE_COLORS.warning });
  });

  it('/insecure-endpoint: Reporting-Endpoints was sent and rejected, with why, everywhere', () => {
    const clean = session();
    clean.visit('/max-age-zero');
    const s = clean.visit('/insecure-endpoint');
    expect(s.top!.reportingEndpoints.state).toBe('rejected');
    expect(s.top!.reportingEndpoints.text).toMatch(/^sent and rejected: .*not HTTPS/);
    expect(s.top!.insecureEndpointUrls).toEqual(['http://127.0.0.1:8080/reports/default']);
    expect(s.lines.find((l) => l.key === 'reporting-endpoints')).toMatchObject({ value: 'rejected', level: 'warning' });
    expect(s.kind).toBe('nothing-kept');
    expect(s.headline).toContain('Reporting-Endpoints was rejected');
    // With /good's group on the origin, crash reports still go somewhere, and the rejection is still said.
    const after = session();
    after.visit('/good');
    const t = after.visit('/insecure-endpoint');
    expect(t.headline).toBe(
      'Reporting is configured (1 Report-To group; Reporting-Endpoints was rejected): crash reports go to "default".',
    );
    expect(t.endpoints).toBe(0);
  });

  it('/invalid-json: Report-To rejected, yet every report has somewhere to go: the badge stays blue', () => {
    const ses = session();
    ses.visit('/max-age-zero');
    const s = ses.visit('/invalid-json');
    expect(s.top!.reportTo.state).toBe('rejected');
    expect(s.top!.reportTo.severity).toBe('error');
    expect(s.level).toBe('warning');
    expect(s.badge).toEqual({ text: '1', color: BADGE_COLORS.ok });
  });

  it('/cloudflare: no crash-no-endpoint problem blamed on a Reporting-Endpoints header it never sends', () => {
    const ses = session();
    ses.visit('/max-age-zero');
    const s = ses.visit('/cloudflare');
    expect(s.top!.reportingEndpoints.state).toBe('not-sent');
    expect(s.lines.find((l) => l.key === 'reporting-endpoints')).toMatchObject({ value: 'not sent', level: 'none' });
  });

  it('the bug-report document carries the same summary', () => {
    const ses = session();
    ses.visit('/good');
    const report = buildReport(ses.view(), 'https://127.0.0.1:8443/good', ses.now(), { raw: false });
    expect(report.summary.destinations).toBe(3);
    expect(report.documents[0]!.routes).toHaveLength(4);
  });
});
