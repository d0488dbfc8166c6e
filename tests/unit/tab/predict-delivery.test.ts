import { describe, expect, it } from 'vitest';
import { predictDelivery, type ReceivedResponse } from '@/utils/tab/predict-delivery';
import { analyseDocument } from '@/utils/tab/routes';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { buildDocumentRecord, pickReportingHeaders } from '@/utils/tab/documents';
import type { OriginCache } from '@/utils/tab/types';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const O = 'https://shop.example';

function res(url: string, headers: Record<string, string> | [string, string][]): ReceivedResponse {
  const list = Array.isArray(headers) ? headers : Object.entries(headers);
  return { url, headers: list.map(([name, value]) => ({ name, value })) };
}

const group = (name: string, urls: string[], extra = '') =>
  `{"group":"${name}","max_age":600${extra},"endpoints":[${urls.map((u) => `{"url":"${u}"}`).join(',')}]}`;

function routeOf(p: ReturnType<typeof predictDelivery>, type: string, name?: string | null) {
  const r = p.routes.find((x) => x.reportType === type && (name === undefined || x.endpointName === name));
  if (!r) throw new Error(`no ${type} route in ${JSON.stringify(p.routes.map((x) => [x.reportType, x.endpointName]))}`);
  return r;
}

describe('predictDelivery: contract shape', () => {
  it('returns the kept endpoints and one route per type and name, plus deprecation, intervention and crash', () => {
    const p = predictDelivery(
      [
        res(`${O}/`, {
          'Reporting-Endpoints': `default="/r/default", csp="https://collector.example/csp"`,
          'Content-Security-Policy': "script-src 'self'; report-to csp",
          'Content-Security-Policy-Report-Only': "img-src 'none'; report-to csp",
        }),
      ],
      NOW,
    );
    expect(p.endpoints).toEqual([
      { name: 'default', url: `${O}/r/default` },
      { name: 'csp', url: 'https://collector.example/csp' },
    ]);
    expect(p.routes.map((r) => [r.reportType, r.endpointName])).toEqual([
      ['csp-violation', 'csp'],
      ['deprecation', 'default'],
      ['intervention', 'default'],
      ['crash', 'default'],
    ]);
    expect(routeOf(p, 'csp-violation')).toEqual({
      reportType: 'csp-violation',
      endpointName: 'csp',
      endpoints: [{ url: 'https://collector.example/csp', priority: 1, weight: 1 }],
    });
    for (const r of p.routes) {
      expect(r.reason).toBeUndefined();
      expect(r.endpoints.length).toBe(1);
    }
  });

  it('reads header names in any case and joins repeated headers with ", "', () => {
    const p = predictDelivery(
      [
        res(`${O}/`, [
          ['REPORTING-ENDPOINTS', 'a="/a"'],
          ['reporting-endpoints', 'default="/d"'],
          ['content-security-policy', 'report-to a'],
        ]),
      ],
      NOW,
    );
    expect(p.endpoints.map((e) => e.name)).toEqual(['a', 'default']);
    expect(routeOf(p, 'csp-violation').endpoints).toEqual([{ url: `${O}/a`, priority: 1, weight: 1 }]);
  });

  it('answers garbage without throwing', () => {
    const bad = [
      null,
      1,
      { url: 5, headers: 'x' },
      { url: `${O}/`, headers: [null, { name: 3 }, { name: 'Reporting-Endpoints', value: 7 }] },
    ] as unknown as ReceivedResponse[];
    expect(() => predictDelivery(bad, NOW)).not.toThrow();
    expect(predictDelivery([], NOW)).toEqual({ endpoints: [], routes: [] });
    expect(predictDelivery(undefined as unknown as ReceivedResponse[], Number.NaN)).toEqual({
      endpoints: [],
      routes: [],
    });
    expect(
      predictDelivery([res('not a url', { 'Report-To': '[[[' })], NOW).routes.every(
        (r) => r.endpoints.length === 0 && r.reason,
      ),
    ).toBe(true);
  });
});

describe('predictDelivery: Report-To groups of earlier responses', () => {
  it("uses the origin's groups set by an earlier subresource, even when the document sent no header", () => {
    const p = predictDelivery(
      [
        res(`${O}/logo.png`, { 'Report-To': group('default', ['/rt']) }),
        res('https://other.example/x.js', { 'Report-To': group('csp', ['https://other.example/csp']) }),
        res(`${O}/page`, { 'Content-Security-Policy': 'report-to csp' }),
      ],
      NOW,
    );
    expect(routeOf(p, 'crash')).toEqual({
      reportType: 'crash',
      endpointName: 'default',
      endpoints: [{ url: `${O}/rt`, priority: 1, weight: 1 }],
    });
    // Another origin's group does not serve this document.
    expect(routeOf(p, 'csp-violation').endpoints).toEqual([]);
    expect(routeOf(p, 'csp-violation').reason).toContain('no endpoint named "csp"');
  });

  it("lists a group's endpoints in the order Chromium tries them (priority, then weight)", () => {
    const rt =
      '{"group":"default","max_age":60,"endpoints":[{"url":"/c","priority":2},{"url":"/a","priority":1,"weight":1},{"url":"/b","priority":1,"weight":5}]}';
    const p = predictDelivery([res(`${O}/`, { 'Report-To': rt })], NOW);
    expect(routeOf(p, 'deprecation').endpoints).toEqual([
      { url: `${O}/b`, priority: 1, weight: 5 },
      { url: `${O}/a`, priority: 1, weight: 1 },
      { url: `${O}/c`, priority: 2, weight: 1 },
    ]);
  });

  it('forgets groups a later header of the origin no longer lists, and groups removed by max_age 0', () => {
    const p = predictDelivery(
      [
        res(`${O}/a.js`, { 'Report-To': `${group('csp', ['/csp'])}, ${group('default', ['/d'])}` }),
        res(`${O}/b.js`, {
          'Report-To': `${group('nel', ['/nel'])}, {"group":"default","max_age":0,"endpoints":[{"url":"/d"}]}`,
        }),
        res(`${O}/`, { 'Content-Security-Policy': 'report-to csp', NEL: '{"report_to":"nel","max_age":60}' }),
      ],
      NOW,
    );
    const csp = routeOf(p, 'csp-violation');
    expect(csp.endpoints).toEqual([]);
    expect(csp.reason).toMatch(/"csp" was removed .*no longer lists it/);
    expect(routeOf(p, 'crash').reason).toContain('"max_age": 0');
    expect(routeOf(p, 'network-error').endpoints).toEqual([{ url: `${O}/nel`, priority: 1, weight: 1 }]);
  });

  it('ignores a Report-To Chromium rejects whole, keeping the groups from before', () => {
    const p = predictDelivery(
      [res(`${O}/a.js`, { 'Report-To': group('default', ['/d']) }), res(`${O}/`, { 'Report-To': '{"group": broken' })],
      NOW,
    );
    expect(routeOf(p, 'crash').endpoints).toEqual([{ url: `${O}/d`, priority: 1, weight: 1 }]);
  });

  it('serves subdomains only from include_subdomains groups of parent domains', () => {
    const p = predictDelivery(
      [
        res('https://example.com/', {
          'Report-To': `${group('nel', ['https://example.com/nel'], ',"include_subdomains":true')}, ${group('csp', ['https://example.com/csp'])}`,
        }),
        res('https://www.example.com/', {
          NEL: '{"report_to":"nel","max_age":60}',
          'Content-Security-Policy': 'report-to csp',
        }),
      ],
      NOW,
    );
    expect(routeOf(p, 'network-error').endpoints).toEqual([{ url: 'https://example.com/nel', priority: 1, weight: 1 }]);
    expect(routeOf(p, 'csp-violation').endpoints).toEqual([]);
  });

  it('explains include_subdomains refused on localhost, where there is no registrable domain', () => {
    const p = predictDelivery(
      [res('https://localhost:8443/', { 'Report-To': group('default', ['/d'], ',"include_subdomains":true') })],
      NOW,
    );
    const crash = routeOf(p, 'crash');
    expect(crash.endpoints).toEqual([]);
    expect(crash.reason).toContain('include_subdomains');
    // The same header on 127.0.0.1 works.
    const ip = predictDelivery(
      [res('https://127.0.0.1:8443/', { 'Report-To': group('default', ['/d'], ',"include_subdomains":true') })],
      NOW,
    );
    expect(routeOf(ip, 'crash').endpoints).toEqual([{ url: 'https://127.0.0.1:8443/d', priority: 1, weight: 1 }]);
  });
});

describe('predictDelivery: which names reach what', () => {
  it('ignores Reporting-Endpoints of an earlier, non-document response, and says so', () => {
    const p = predictDelivery(
      [
        res(`${O}/app.js`, { 'Reporting-Endpoints': 'csp="/csp", default="/d"' }),
        res(`${O}/`, { 'Content-Security-Policy': 'report-to csp' }),
      ],
      NOW,
    );
    expect(p.endpoints).toEqual([]);
    const csp = routeOf(p, 'csp-violation');
    expect(csp.endpoints).toEqual([]);
    expect(csp.reason).toContain(`Reporting-Endpoints on ${O}/app.js, a response that is not the document`);
    expect(routeOf(p, 'crash').reason).toContain('no "crash-reporting" or "default" endpoint');
    expect(routeOf(p, 'crash').reason).toContain(`came on ${O}/app.js`);
  });

  it('NEL reaches Report-To groups only', () => {
    const p = predictDelivery(
      [res(`${O}/`, { 'Reporting-Endpoints': 'nel="/nel"', NEL: '{"report_to":"nel","max_age":60}' })],
      NOW,
    );
    const nel = routeOf(p, 'network-error', 'nel');
    expect(nel.endpoints).toEqual([]);
    expect(nel.reason).toContain('only Report-To groups');
  });

  it('resolves a name in Reporting-Endpoints before the Report-To group of that name', () => {
    const p = predictDelivery(
      [
        res(`${O}/`, {
          'Reporting-Endpoints': 'csp="/re"',
          'Report-To': group('csp', ['/rt']),
          'Content-Security-Policy': 'report-to csp',
        }),
      ],
      NOW,
    );
    expect(routeOf(p, 'csp-violation').endpoints).toEqual([{ url: `${O}/re`, priority: 1, weight: 1 }]);
  });

  it('sends crashes to crash-reporting, else default, else the Report-To group default', () => {
    const rt = { 'Report-To': group('default', ['/rt-default']) };
    const both = predictDelivery(
      [res(`${O}/`, { ...rt, 'Reporting-Endpoints': 'default="/d", crash-reporting="/c"' })],
      NOW,
    );
    expect(routeOf(both, 'crash')).toMatchObject({ endpointName: 'crash-reporting', endpoints: [{ url: `${O}/c` }] });
    const def = predictDelivery([res(`${O}/`, { ...rt, 'Reporting-Endpoints': 'default="/d"' })], NOW);
    expect(routeOf(def, 'crash')).toMatchObject({ endpointName: 'default', endpoints: [{ url: `${O}/d` }] });
    const group_ = predictDelivery([res(`${O}/`, rt)], NOW);
    expect(routeOf(group_, 'crash')).toMatchObject({
      endpointName: 'default',
      endpoints: [{ url: `${O}/rt-default` }],
    });
    const none = predictDelivery([res(`${O}/`, { 'Reporting-Endpoints': 'csp="/c"' })], NOW);
    expect(routeOf(none, 'crash')).toMatchObject({ endpointName: null, endpoints: [] });
    expect(routeOf(none, 'crash').reason).toContain('no "crash-reporting" or "default" endpoint');
  });

  it('routes csp-hash to the report-to endpoint of a policy with report-sha256, and nowhere without report-to', () => {
    const p = predictDelivery(
      [
        res(`${O}/`, {
          'Reporting-Endpoints': 'hashes="/h"',
          'Content-Security-Policy-Report-Only': "script-src 'self' 'REPORT-SHA256'; report-to hashes",
          'Content-Security-Policy': "default-src 'self' 'report-sha384'; report-uri /legacy",
        }),
      ],
      NOW,
    );
    const hashes = p.routes.filter((r) => r.reportType === 'csp-hash');
    expect(hashes.map(({ reason: _reason, ...r }) => r)).toEqual([
      { reportType: 'csp-hash', endpointName: 'hashes', endpoints: [{ url: `${O}/h`, priority: 1, weight: 1 }] },
      { reportType: 'csp-hash', endpointName: null, endpoints: [] },
    ]);
    expect(hashes[0]!.reason).toBeUndefined();
    expect(hashes[1]!.reason).toContain('report-to');
    // script-src-elem is the operative directive when present: no hash keyword there, no csp-hash report.
    const elem = predictDelivery(
      [res(`${O}/`, { 'Content-Security-Policy': "script-src 'report-sha256'; script-src-elem 'self'; report-to x" })],
      NOW,
    );
    expect(elem.routes.some((r) => r.reportType === 'csp-hash')).toBe(false);
  });

  it('routes potential-permissions-policy-violation to default, whatever report-to the feature names (measured in Chromium 156)', () => {
    const p = predictDelivery(
      [
        res(`${O}/`, {
          'Reporting-Endpoints': 'default="/d", pp="/pp"',
          'Permissions-Policy-Report-Only': 'camera=();report-to=pp',
          'Permissions-Policy': 'geolocation=()',
        }),
      ],
      NOW,
    );
    expect(p.routes.filter((r) => r.reportType === 'potential-permissions-policy-violation')).toEqual([
      {
        reportType: 'potential-permissions-policy-violation',
        endpointName: 'default',
        endpoints: [{ url: `${O}/d`, priority: 1, weight: 1 }],
      },
    ]);
    expect(routeOf(p, 'permissions-policy-violation', 'pp').endpoints).toEqual([
      { url: `${O}/pp`, priority: 1, weight: 1 },
    ]);
    const noDefault = predictDelivery(
      [res(`${O}/`, { 'Reporting-Endpoints': 'pp="/pp"', 'Permissions-Policy-Report-Only': 'camera=();report-to=pp' })],
      NOW,
    );
    expect(routeOf(noDefault, 'potential-permissions-policy-violation').endpoints).toEqual([]);
    expect(routeOf(noDefault, 'potential-permissions-policy-violation').reason).toContain(
      'no endpoint named "default"',
    );
  });

  it('sends nothing from a non-HTTPS page, http://localhost included', () => {
    for (const url of ['http://localhost:8080/', 'http://127.0.0.1/', 'http://shop.example/']) {
      const p = predictDelivery(
        [
          res(url, {
            'Reporting-Endpoints': 'default="https://c.example/r"',
            'Report-To': group('default', ['https://c.example/g']),
            'Content-Security-Policy': 'report-to default',
          }),
        ],
        NOW,
      );
      expect(p.endpoints).toEqual([]);
      expect(p.routes.length).toBeGreaterThan(0);
      for (const r of p.routes) {
        expect(r.endpoints).toEqual([]);
        expect(r.reason).toContain('not HTTPS');
      }
    }
  });

  it("agrees with the panel's routes for the same responses", () => {
    const responses = [
      res(`${O}/a.png`, { 'Report-To': `${group('nel', ['/nel'])}, ${group('default', ['/g'])}` }),
      res(`${O}/`, {
        'Reporting-Endpoints': 'csp="/csp"',
        'Content-Security-Policy': 'report-to csp',
        NEL: '{"report_to":"nel","max_age":9}',
        'Cross-Origin-Opener-Policy': 'same-origin; report-to="coop"',
      }),
    ];
    let cache: OriginCache = {};
    for (const r of responses) {
      const rt = pickReportingHeaders(r.headers).find((h) => h.name === 'report-to');
      if (rt) cache = applyReportTo(cache, rt.value, r.url, 'other', NOW).cache;
    }
    const doc = buildDocumentRecord({
      frameId: 0,
      parentFrameId: -1,
      url: `${O}/`,
      type: 'main_frame',
      statusCode: 200,
      headers: pickReportingHeaders(responses[1]!.headers),
      now: NOW,
    });
    const panel = analyseDocument(doc, cache, NOW).routes.map((r) => [
      r.reportType,
      r.endpointName,
      r.willDeliver ? r.url : null,
    ]);
    const predicted = predictDelivery(responses, NOW).routes.map((r) => [
      r.reportType,
      r.endpointName,
      r.endpoints[0]?.url ?? null,
    ]);
    expect(predicted).toEqual(panel);
    expect(predicted).toContainEqual(['coop', 'coop', null]);
  });
});
