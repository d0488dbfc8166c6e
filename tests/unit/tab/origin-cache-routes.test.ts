import { describe, expect, it } from 'vitest';
import { applyReportTo, applicableGroups, KEEP_GONE_MS, pruneCache } from '@/utils/tab/origin-cache';
import { analyseDocument, deliveryOrder } from '@/utils/tab/routes';
import { buildDocumentRecord, pickReportingHeaders, placeDocument } from '@/utils/tab/documents';
import { summarizeTab } from '@/utils/tab/summary';
import { buildTabView } from '@/utils/tab/view';
import { emptyTabState, type OriginCache } from '@/utils/tab/types';
import { type CapturedHeader } from '@/utils/headers/types';

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const ORIGIN = 'https://127.0.0.1:8443';
const SEED = `{"group":"default","max_age":1800,"endpoints":[{"url":"${ORIGIN}/reports/default"}],"include_subdomains":true}`;

function doc(
  url: string,
  headers: Record<string, string>,
  now = T0,
  type: 'main_frame' | 'sub_frame' = 'main_frame',
  frameId = 0,
) {
  const list: CapturedHeader[] = Object.entries(headers).map(([name, value]) => ({ name: name.toLowerCase(), value }));
  return buildDocumentRecord({ frameId, parentFrameId: -1, url, type, statusCode: 200, headers: list, now });
}

describe('origin cache', () => {
  it('records groups with received and expiry times', () => {
    const { cache } = applyReportTo({}, SEED, `${ORIGIN}/good`, 'main_frame', T0);
    expect(cache[ORIGIN]!.groups).toEqual([
      expect.objectContaining({
        name: 'default',
        maxAge: 1800,
        receivedAt: T0,
        expiresAt: T0 + 1800_000,
        includeSubdomains: true,
      }),
    ]);
  });

  it('replaces the whole configuration of an origin with a new header', () => {
    let { cache } = applyReportTo(
      {},
      `${SEED}, {"group":"csp","max_age":60,"endpoints":[{"url":"/c"}]}`,
      `${ORIGIN}/`,
      'main_frame',
      T0,
    );
    ({ cache } = applyReportTo(
      cache,
      '{"group":"other","max_age":60,"endpoints":[{"url":"/o"}]}',
      `${ORIGIN}/x.png`,
      'image',
      T0 + 1000,
    ));
    expect(cache[ORIGIN]!.groups.map((g) => g.name)).toEqual(['other']);
    expect(cache[ORIGIN]!.removedGroups).toEqual([
      { name: 'default', removedAt: T0 + 1000, why: 'replaced' },
      { name: 'csp', removedAt: T0 + 1000, why: 'replaced' },
    ]);
    expect(cache[ORIGIN]!.resourceType).toBe('image');
  });

  it('removes a group with max_age 0', () => {
    let { cache } = applyReportTo({}, SEED, `${ORIGIN}/`, 'main_frame', T0);
    ({ cache } = applyReportTo(
      cache,
      `{"group":"default","max_age":0,"endpoints":[{"url":"/r"}]}`,
      `${ORIGIN}/`,
      'main_frame',
      T0 + 5,
    ));
    expect(cache[ORIGIN]!.groups).toEqual([]);
    expect(cache[ORIGIN]!.removedGroups).toEqual([{ name: 'default', removedAt: T0 + 5, why: 'max_age 0' }]);
  });

  it('leaves the cache alone when Chromium ignores the header', () => {
    const { cache } = applyReportTo({}, SEED, `${ORIGIN}/`, 'main_frame', T0);
    for (const bad of [
      '{not json',
      '{"max_age":1e999}',
      '{"group":"\\ud800"}',
      `{"max_age":60,"endpoints":[{"url":"/${'a'.repeat(17000)}"}]}`,
    ]) {
      const r = applyReportTo(cache, bad, `${ORIGIN}/`, 'main_frame', T0 + 1);
      expect(r.cache).toBe(cache);
      expect(r.config).toBeNull();
    }
    expect(applyReportTo(cache, SEED, 'http://127.0.0.1:8080/', 'main_frame', T0).cache).toBe(cache);
  });

  it('clears the origin on an empty or whitespace-only Report-To, exactly like []', () => {
    const { cache } = applyReportTo({}, SEED, `${ORIGIN}/`, 'main_frame', T0);
    for (const empty of ['', '   ', '[]'.slice(1, 1), '\t']) {
      const r = applyReportTo(cache, empty, `${ORIGIN}/img.png`, 'image', T0 + 5);
      expect(r.config?.groups).toEqual([]);
      expect(r.config?.removedGroups.map((g) => [g.name, g.why])).toEqual([['default', 'replaced']]);
      expect(applicableGroups(`${ORIGIN}/`, r.cache, T0 + 6)).toEqual([]);
    }
  });

  it('applies own groups, then include_subdomains groups of parent domains and other ports, and marks expiry', () => {
    let cache: OriginCache = {};
    ({ cache } = applyReportTo(
      cache,
      '{"group":"a","max_age":60,"endpoints":[{"url":"https://c.example/own"}]}',
      'https://www.example.com/',
      'main_frame',
      T0,
    ));
    ({ cache } = applyReportTo(
      cache,
      '{"group":"a","max_age":60,"include_subdomains":true,"endpoints":[{"url":"https://c.example/parent"}]},{"group":"b","max_age":60,"include_subdomains":true,"endpoints":[{"url":"https://c.example/b"}]},{"group":"c","max_age":60,"endpoints":[{"url":"https://c.example/c"}]}',
      'https://example.com/',
      'main_frame',
      T0,
    ));
    ({ cache } = applyReportTo(
      cache,
      '{"group":"d","max_age":60,"include_subdomains":true,"endpoints":[{"url":"https://c.example/d"}]}',
      'https://notexample.com/',
      'main_frame',
      T0,
    ));
    const groups = applicableGroups('https://www.example.com/page', cache, T0 + 1000);
    expect(groups.map((g) => [g.group.name, g.viaSubdomains, g.group.endpoints[0]!.url])).toEqual([
      ['a', false, 'https://c.example/own'],
      ['b', true, 'https://c.example/b'],
    ]);
    const later = applicableGroups('https://www.example.com/page', cache, T0 + 61_000);
    expect(later.every((g) => g.expired)).toBe(true);
  });

  it('prunes groups long expired and keeps recent ones', () => {
    const { cache } = applyReportTo({}, SEED, `${ORIGIN}/`, 'main_frame', T0);
    expect(pruneCache(cache, T0 + 1800_000 + 10)[ORIGIN]!.groups).toHaveLength(1);
    expect(pruneCache(cache, T0 + 1800_000 + KEEP_GONE_MS + 10)[ORIGIN]).toBeUndefined();
  });

  it('tries the lowest priority first, then the highest weight', () => {
    const order = deliveryOrder([
      { url: 'a', priority: 2, weight: 9 },
      { url: 'b', priority: 1, weight: 1 },
      { url: 'c', priority: 1, weight: 5 },
    ]);
    expect(order.map((e) => e.url)).toEqual(['c', 'b', 'a']);
  });
});

describe('routes', () => {
  const GOOD = {
    'Report-To': SEED,
    'Reporting-Endpoints': `default="${ORIGIN}/reports/default", csp="${ORIGIN}/reports/csp"`,
    'Content-Security-Policy': "default-src 'self'; report-to csp",
  };

  it('routes CSP, deprecation, intervention and crash for the good configuration', () => {
    const d = doc(`${ORIGIN}/good`, GOOD);
    const { cache } = applyReportTo({}, SEED, d.url, 'main_frame', T0);
    const a = analyseDocument(d, cache, T0);
    expect(a.secure).toBe(true);
    const byType = Object.fromEntries(a.routes.map((r) => [r.reportType, r]));
    expect(byType['csp-violation']).toMatchObject({
      endpointName: 'csp',
      url: `${ORIGIN}/reports/csp`,
      via: 'reporting-endpoints',
      willDeliver: true,
    });
    expect(byType['deprecation']).toMatchObject({
      endpointName: 'default',
      url: `${ORIGIN}/reports/default`,
      willDeliver: true,
    });
    expect(a.crash).toMatchObject({
      endpointName: 'default',
      url: `${ORIGIN}/reports/default`,
      via: 'reporting-endpoints',
      willDeliver: true,
    });
    expect(a.diagnostics).toEqual([]);
  });

  it('prefers crash-reporting over default', () => {
    const d = doc(`${ORIGIN}/`, { 'Reporting-Endpoints': `default="/d", crash-reporting="/crash"` });
    expect(analyseDocument(d, {}, T0).crash).toMatchObject({ endpointName: 'crash-reporting', url: `${ORIGIN}/crash` });
  });

  it("falls back to the origin's Report-To group default for crashes, even when this document sent no header", () => {
    const { cache } = applyReportTo(
      {},
      '{"max_age":600,"endpoints":[{"url":"/rt"}]}',
      `${ORIGIN}/assets/report-to.png`,
      'image',
      T0,
    );
    const d = doc(`${ORIGIN}/subresource`, {});
    const a = analyseDocument(d, cache, T0 + 1000);
    expect(a.crash).toMatchObject({
      endpointName: 'default',
      url: `${ORIGIN}/rt`,
      via: 'report-to',
      willDeliver: true,
    });
    const expired = analyseDocument(d, cache, T0 + 601_000);
    expect(expired.crash.willDeliver).toBe(false);
    expect(expired.crash.reason).toMatch(/expired/);
  });

  it('says why crash reports go nowhere without a default endpoint', () => {
    const d = doc(`${ORIGIN}/no-default`, {
      'Reporting-Endpoints': `csp="/csp"`,
      'Content-Security-Policy': 'report-to csp',
    });
    const a = analyseDocument(d, {}, T0);
    expect(a.crash.willDeliver).toBe(false);
    expect(a.crash.reason).toContain('no "crash-reporting" or "default" endpoint');
    expect(a.diagnostics.map((x) => x.code)).toContain('crash-no-endpoint');
  });

  it('explains an uppercase CSP report-to name', () => {
    const d = doc(`${ORIGIN}/uppercase-csp`, {
      'Reporting-Endpoints': `csp="/csp"`,
      'Content-Security-Policy': 'report-to CSP',
    });
    const a = analyseDocument(d, {}, T0);
    const csp = a.routes.find((r) => r.reportType === 'csp-violation')!;
    expect(csp.willDeliver).toBe(false);
    expect(csp.reason).toContain('write "csp"');
    expect(a.diagnostics.map((x) => x.code)).toContain('route-uppercase-name');
  });

  it('explains a NEL group that exists only in Reporting-Endpoints', () => {
    const d = doc(`${ORIGIN}/nel-mismatch`, {
      'Reporting-Endpoints': `nel="/nel"`,
      NEL: '{"report_to":"nel","max_age":3600}',
    });
    const a = analyseDocument(d, {}, T0);
    const nel = a.routes.find((r) => r.reportType === 'network-error')!;
    expect(nel).toMatchObject({ willDeliver: false, endpointName: 'nel' });
    expect(nel.reason).toContain('NEL');
    expect(a.diagnostics.map((x) => x.code)).toContain('route-nel-needs-report-to');
  });

  it('names the NEL fault of the page itself even when an earlier Report-To group of that name was removed', () => {
    const first = applyReportTo(
      {},
      '{"group":"nel","max_age":60,"endpoints":[{"url":"/nel"}]}',
      `${ORIGIN}/a`,
      'main_frame',
      T0,
    );
    const { cache } = applyReportTo(
      first.cache,
      '{"group":"default","max_age":60,"endpoints":[{"url":"/d"}]}',
      `${ORIGIN}/b`,
      'main_frame',
      T0 + 1,
    );
    expect(cache[ORIGIN]!.removedGroups.map((g) => g.name)).toEqual(['nel']);
    const d = doc(`${ORIGIN}/nel-mismatch`, {
      'Reporting-Endpoints': `nel="/nel"`,
      NEL: '{"report_to":"nel","max_age":3600}',
    });
    const nel = analyseDocument(d, cache, T0 + 2).routes.find((r) => r.reportType === 'network-error')!;
    expect(nel).toMatchObject({ willDeliver: false, endpointName: 'nel' });
    expect(nel.reason).toContain('"nel" exists only in Reporting-Endpoints');
    // Without the page's own Reporting-Endpoints "nel", the removal is the reason.
    const plain = doc(`${ORIGIN}/plain`, { NEL: '{"report_to":"nel","max_age":3600}' });
    expect(
      analyseDocument(plain, cache, T0 + 2).routes.find((r) => r.reportType === 'network-error')!.reason,
    ).toContain('was removed');
  });

  it('routes NEL through a Report-To group (Cloudflare style)', () => {
    const rt = `{"endpoints":[{"url":"https:\\/\\/127.0.0.1:8443\\/reports\\/default"}],"group":"cf-nel","max_age":604800}`;
    const d = doc(`${ORIGIN}/cloudflare`, {
      'Report-To': rt,
      NEL: '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}',
    });
    const { cache } = applyReportTo({}, rt, d.url, 'main_frame', T0);
    const nel = analyseDocument(d, cache, T0).routes.find((r) => r.reportType === 'network-error')!;
    expect(nel).toMatchObject({ willDeliver: true, via: 'report-to', url: `${ORIGIN}/reports/default` });
  });

  it('explains a name whose endpoint was dropped for not being HTTPS', () => {
    const d = doc(`${ORIGIN}/insecure-endpoint`, {
      'Reporting-Endpoints': 'default="http://127.0.0.1:8080/reports/default"',
    });
    const a = analyseDocument(d, {}, T0);
    expect(a.endpoints).toEqual([]);
    expect(a.routes.find((r) => r.reportType === 'deprecation')!.reason).toContain('dropped');
  });

  it('sends nothing from http pages', () => {
    const d = doc('http://127.0.0.1:8080/', {
      'Reporting-Endpoints': 'default="https://c.example/r"',
      'Content-Security-Policy': 'report-to default',
    });
    const a = analyseDocument(d, {}, T0);
    expect(a.secure).toBe(false);
    expect(a.routes.every((r) => !r.willDeliver)).toBe(true);
    expect(a.crash.reason).toContain('not HTTPS');
  });
});

describe('documents and tab state', () => {
  it('picks reporting headers case-insensitively and joins repeats', () => {
    expect(
      pickReportingHeaders([
        { name: 'Content-Type', value: 'text/html' },
        { name: 'Reporting-Endpoints', value: 'a="/a"' },
        { name: 'reporting-endpoints', value: 'b="/b"' },
        { name: 'NEL', value: '{}' },
        { name: 'Date', value: 'x' },
      ]),
    ).toEqual([
      { name: 'reporting-endpoints', value: 'a="/a", b="/b"' },
      { name: 'nel', value: '{}' },
    ]);
    expect(pickReportingHeaders([{ name: 'content-type', value: 'x' }])).toEqual([]);
    expect(pickReportingHeaders(undefined)).toEqual([]);
  });

  it('moves the previous top document into bounded history and drops its frames', () => {
    let s = emptyTabState(7, T0);
    s = placeDocument(s, doc(`${ORIGIN}/a`, {}, T0), T0);
    s = placeDocument(s, doc(`${ORIGIN}/child`, {}, T0 + 1, 'sub_frame', 5), T0 + 1);
    expect(Object.keys(s.documents).sort()).toEqual(['0', '5']);
    for (let i = 0; i < 25; i++) s = placeDocument(s, doc(`${ORIGIN}/n${i}`, {}, T0 + 10 + i), T0 + 10 + i);
    expect(Object.keys(s.documents)).toEqual(['0']);
    expect(s.documents['0']!.url).toBe(`${ORIGIN}/n24`);
    expect(s.history).toHaveLength(20);
    expect(s.history[0]!.url).toBe(`${ORIGIN}/n23`);
    expect(s.dropped.history).toBe(5);
  });

  it('keeps iframe documents apart from the top document', () => {
    let s = emptyTabState(1, T0);
    s = placeDocument(s, doc(`${ORIGIN}/iframe`, { 'Reporting-Endpoints': 'default="/reports/default"' }), T0);
    s = placeDocument(
      s,
      doc(`${ORIGIN}/iframe/child`, { 'Reporting-Endpoints': 'child="/reports/child"' }, T0, 'sub_frame', 3),
      T0,
    );
    expect(s.documents['0']!.endpoints.map((e) => e.name)).toEqual(['default']);
    expect(s.documents['3']!.endpoints.map((e) => e.name)).toEqual(['child']);
  });
});

describe('summary', () => {
  const view = (headers: Record<string, string>, url = `${ORIGIN}/good`, cache: OriginCache = {}) => {
    const s = placeDocument(emptyTabState(3, T0), doc(url, headers), T0);
    return buildTabView(s, cache, T0);
  };

  it('summarises a configured page', () => {
    const { cache } = applyReportTo({}, SEED, `${ORIGIN}/good`, 'main_frame', T0);
    const s = summarizeTab(
      view(
        { 'Reporting-Endpoints': `default="/reports/default", csp="/reports/csp"`, 'Report-To': SEED },
        `${ORIGIN}/good`,
        cache,
      ),
      `${ORIGIN}/good`,
      T0 + 60_000,
    );
    expect(s.kind).toBe('configured');
    expect(s.endpoints).toBe(2);
    expect(s.groups).toBe(1);
    expect(s.soonestExpiry).toBe(T0 + 1800_000);
    expect(s.crash.url).toBe(`${ORIGIN}/reports/default`);
    expect(s.badge).toEqual({ text: '3', color: '#1a73e8' });
    expect(s.lines.find((l) => l.key === 'report-to')!.verdict).toContain('expires in 29 min');
  });

  it('tells browser pages, http pages, unknown tabs and unconfigured pages apart', () => {
    expect(summarizeTab(null, 'chrome://settings/', T0).kind).toBe('browser-page');
    expect(summarizeTab(null, 'http://example.com/', T0).kind).toBe('insecure');
    expect(summarizeTab(null, 'https://example.com/', T0).kind).toBe('unknown');
    expect(summarizeTab(view({}, 'https://example.com/'), 'https://example.com/', T0).kind).toBe('nothing-configured');
  });

  it('uses the warning colour when crash reports will not be delivered', () => {
    const s = summarizeTab(
      view({ 'Reporting-Endpoints': 'csp="/c"' }, `${ORIGIN}/no-default`),
      `${ORIGIN}/no-default`,
      T0,
    );
    expect(s.badge.color).toBe('#e37400');
    expect(s.crash.willDeliver).toBe(false);
  });
});
