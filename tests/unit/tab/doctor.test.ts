import { describe, expect, it } from 'vitest';
import { diagnoseRoute, reportingDisabledBy, type DoctorFacts } from '@/utils/tab/doctor';
import { analyseDocument } from '@/utils/tab/routes';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { buildDocumentRecord, pickReportingHeaders } from '@/utils/tab/documents';
import type { OriginCache } from '@/utils/tab/types';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);
const O = 'https://shop.example';
const KNOWN: DoctorFacts = { now: NOW, backgroundSync: 'granted', cookiesBlocked: false };

function analyse(url: string, headers: Record<string, string>, earlier: [string, string][] = [], now = NOW) {
  let cache: OriginCache = {};
  for (const [u, rt] of earlier) cache = applyReportTo(cache, rt, u, 'image', NOW).cache;
  const picked = pickReportingHeaders(Object.entries(headers).map(([name, value]) => ({ name, value })));
  const rt = picked.find((h) => h.name === 'report-to');
  if (rt) cache = applyReportTo(cache, rt.value, url, 'main_frame', NOW).cache;
  const doc = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url,
    type: 'main_frame',
    statusCode: 200,
    headers: picked,
    now: NOW,
  });
  return analyseDocument(doc, cache, now);
}

function diagnose(a: ReturnType<typeof analyse>, type: string, facts: DoctorFacts = KNOWN) {
  const route = a.routes.find((r) => r.reportType === type);
  if (!route) throw new Error(`no ${type} route`);
  return diagnoseRoute(route, a, facts);
}

const check = (v: ReturnType<typeof diagnose>, id: string) => v.checks.find((c) => c.id === id);

function endpointCheck(
  url: string,
  patch: {
    preflight?: number | null;
    upload?: number | null;
    sameOrigin?: boolean;
    verdict?: 'ok' | 'warning' | 'fail';
  },
): EndpointCheckResult {
  const attempt = (status: number | null) => ({
    status,
    latencyMs: 5,
    error: status === null ? 'net::ERR_FAILED' : null,
  });
  return {
    url,
    requestedUrl: url,
    pageOrigin: O,
    checkedAt: NOW,
    sameOrigin: patch.sameOrigin ?? false,
    preflight: {
      ...attempt(patch.preflight === undefined ? 204 : patch.preflight),
      allowOrigin: '*',
      allowMethods: null,
      allowHeaders: 'content-type',
    },
    upload: attempt(patch.upload === undefined ? 204 : patch.upload),
    verdict: patch.verdict ?? 'ok',
    summary: 'checked',
    findings: [],
  };
}

describe('the doctor', () => {
  const GOOD = { 'Reporting-Endpoints': 'csp="/csp", default="/d"', 'Content-Security-Policy': 'report-to csp' };

  it('says a same-origin route on an HTTPS page is delivered when every fact is known', () => {
    const v = diagnose(analyse(`${O}/`, GOOD), 'csp-violation');
    expect(v.verdict).toBe('delivered');
    expect(v.headline).toBe(`Will be delivered to ${O}/csp.`);
    expect(v.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(check(v, 'cors')).toMatchObject({ status: 'pass', title: 'Same-origin endpoint' });
    for (const c of v.checks) expect(c.source).not.toBe('');
  });

  it('names what it cannot see and how to check it', () => {
    const v = diagnose(analyse(`${O}/`, GOOD), 'csp-violation', { now: NOW });
    expect(v.verdict).toBe('unless');
    expect(check(v, 'background-sync')).toMatchObject({ status: 'unknown' });
    expect(check(v, 'background-sync')!.detail).toContain('Cannot be seen from here');
    expect(check(v, 'background-sync')!.fix).toContain("navigator.permissions.query({name: 'background-sync'})");
    expect(check(v, 'cookies')).toMatchObject({ status: 'unknown' });
    expect(v.headline).toContain('unless background sync permission or cookies for the site');
  });

  it('blocks every route of a page that is not HTTPS, localhost included', () => {
    const a = analyse('http://localhost:8080/', GOOD);
    for (const r of a.routes) {
      const v = diagnoseRoute(r, a, KNOWN);
      expect(v.verdict).toBe('blocked');
      expect(v.checks.find((c) => c.id === 'page-https')).toMatchObject({ status: 'fail' });
    }
    expect(check(diagnose(a, 'crash'), 'page-https')!.detail).toContain('http://localhost included');
  });

  it('fails a name that resolves to nothing, with a fix', () => {
    const v = diagnose(
      analyse(`${O}/`, { 'Reporting-Endpoints': 'csp="/csp"', 'Content-Security-Policy': 'report-to CSP' }),
      'csp-violation',
    );
    expect(v.verdict).toBe('blocked');
    expect(check(v, 'name-resolves')).toMatchObject({ status: 'fail' });
    expect(check(v, 'name-resolves')?.fix).toContain('lower case');
    expect(v.headline).toContain('no endpoint');
  });

  it('fails an expired group and warns about one about to expire', () => {
    const rt: [string, string][] = [[`${O}/a.png`, '{"group":"default","max_age":600,"endpoints":[{"url":"/g"}]}']];
    const later = diagnose(analyse(`${O}/`, {}, rt, NOW + 601_000), 'crash');
    expect(check(later, 'group-live')).toMatchObject({ status: 'fail', title: 'Group expired' });
    const soon = diagnose(analyse(`${O}/`, {}, rt, NOW + 400_000), 'crash', { ...KNOWN, now: NOW + 400_000 });
    expect(check(soon, 'group-live')).toMatchObject({ status: 'warn' });
    expect(check(soon, 'group-live')!.detail).toContain('expires in 3 min');
    expect(soon.verdict).toBe('delivered');
  });

  it('fails a group removed by a later header of the origin', () => {
    const v = diagnose(
      analyse(`${O}/`, { 'Report-To': '{"group":"other","max_age":60,"endpoints":[{"url":"/o"}]}' }, [
        [`${O}/a.js`, '{"group":"default","max_age":60,"endpoints":[{"url":"/g"}]}'],
      ]),
      'deprecation',
    );
    expect(check(v, 'group-live')).toMatchObject({ status: 'fail', title: 'Group removed' });
  });

  it('fails include_subdomains on localhost', () => {
    const v = diagnose(
      analyse('https://localhost:8443/', {
        'Report-To': '{"max_age":60,"include_subdomains":true,"endpoints":[{"url":"/g"}]}',
      }),
      'crash',
    );
    expect(check(v, 'include-subdomains')).toMatchObject({ status: 'fail' });
    expect(check(v, 'include-subdomains')?.fix).toContain('127.0.0.1');
  });

  it('fails a Reporting-Endpoints header Chromium rejects whole', () => {
    const a = analyse(`${O}/`, { 'Reporting-Endpoints': 'default=1', 'Content-Security-Policy': 'report-to default' });
    expect(a.rejected).toEqual({ reportTo: false, reportingEndpoints: true });
    const v = diagnose(a, 'csp-violation');
    expect(check(v, 'header-accepted')).toMatchObject({ status: 'fail', title: 'Reporting-Endpoints rejected whole' });
  });

  it('warns that a rejected Report-To leaves the earlier groups in force', () => {
    const a = analyse(`${O}/`, { 'Report-To': '{"group": nope' }, [
      [`${O}/a.js`, '{"group":"default","max_age":60,"endpoints":[{"url":"/g"}]}'],
    ]);
    expect(a.rejected?.reportTo).toBe(true);
    const v = diagnose(a, 'crash');
    expect(check(v, 'header-accepted')).toMatchObject({
      status: 'warn',
      title: "This document's Report-To was ignored",
    });
    expect(v.verdict).toBe('delivered');
  });

  it('uses what the page and the browser say: Background Sync, cookies, Brave', () => {
    const a = analyse(`${O}/`, GOOD);
    expect(check(diagnose(a, 'crash', { ...KNOWN, backgroundSync: 'denied' }), 'background-sync')).toMatchObject({
      status: 'fail',
    });
    expect(check(diagnose(a, 'crash', { ...KNOWN, cookiesBlocked: true }), 'cookies')).toMatchObject({
      status: 'fail',
    });
    const brave = diagnose(a, 'crash', { ...KNOWN, reportingDisabledBy: 'Brave' });
    expect(brave.verdict).toBe('blocked');
    expect(check(brave, 'browser')!.source).toContain('brave-browser/issues/7956');
  });

  it('tells cross-origin endpoints apart and reads the endpoint check: failing preflight, 410 Gone', () => {
    const a = analyse(`${O}/`, { 'Reporting-Endpoints': 'default="https://collector.example/r"' });
    const plain = diagnose(a, 'deprecation');
    expect(check(plain, 'cors')).toMatchObject({ status: 'info', title: 'Cross-origin endpoint' });
    expect(check(plain, 'cors')!.detail).toContain('without cookies');
    const url = 'https://collector.example/r';
    const preflight = diagnose(a, 'deprecation', {
      ...KNOWN,
      endpointCheck: (u) => (u === url ? endpointCheck(u, { preflight: 404, verdict: 'fail' }) : undefined),
    });
    expect(check(preflight, 'cors')).toMatchObject({ status: 'fail' });
    const gone = diagnose(a, 'deprecation', { ...KNOWN, endpointCheck: (u) => endpointCheck(u, { upload: 410 }) });
    expect(check(gone, 'endpoint-gone')).toMatchObject({ status: 'fail', title: '410 Gone' });
    const ok = diagnose(a, 'deprecation', { ...KNOWN, endpointCheck: (u) => endpointCheck(u, {}) });
    expect(ok.verdict).toBe('delivered');
    expect(check(ok, 'cors')).toMatchObject({ status: 'pass' });
  });

  it('fails when Reporting-Endpoints came only on subresources', () => {
    const v = diagnose(analyse(`${O}/`, { 'Content-Security-Policy': 'report-to csp' }), 'csp-violation', {
      ...KNOWN,
      reportingEndpointsOnSubresources: [`${O}/app.js`],
    });
    expect(check(v, 'document-response')).toMatchObject({ status: 'fail' });
    expect(check(v, 'document-response')?.fix).toContain('HTML response');
  });

  it('keeps legacy report-uri apart from the Reporting API checks', () => {
    const v = diagnose(
      analyse('http://shop.example/', { 'Content-Security-Policy': "default-src 'self'; report-uri /csp" }),
      'csp-violation',
    );
    expect(v.verdict).toBe('delivered');
    expect(v.checks.map((c) => c.id)).toEqual(['page-https']);
  });

  it('states the queue limits and the delivery delay, with --short-reporting-delay', () => {
    const v = diagnose(analyse(`${O}/`, GOOD), 'csp-violation');
    expect(check(v, 'queue-limits')!.detail).toContain('100 queued reports');
    expect(check(v, 'queue-limits')!.detail).toContain('15 minutes');
    expect(check(v, 'delivery-delay')!.fix).toContain('--short-reporting-delay');
    expect(check(diagnose(analyse(`${O}/`, GOOD), 'crash'), 'delivery-delay')!.detail).toContain('100 ms');
  });

  it('recognises Brave from the navigator', () => {
    expect(reportingDisabledBy({ brave: {} })).toBe('Brave');
    expect(reportingDisabledBy({ userAgentData: { brands: [{ brand: 'Brave' }, { brand: 'Chromium' }] } })).toBe(
      'Brave',
    );
    expect(reportingDisabledBy({ userAgentData: { brands: [{ brand: 'Google Chrome' }] } })).toBeNull();
    expect(reportingDisabledBy(undefined)).toBeNull();
  });
});

describe('the doctor: endpoint scheme, certificate and NEL sampling', () => {
  const RT = (extra = '') =>
    `{"group":"nel","max_age":86400,"endpoints":[{"url":"https://collector.example/nel"}]${extra}}`;

  it('fails an endpoint that is not HTTPS with its own check and fix, not as an unknown name', () => {
    const a = analyse(`${O}/`, {
      'Reporting-Endpoints': 'csp="http://collector.example/csp"',
      'Content-Security-Policy': 'report-to csp',
    });
    const v = diagnose(a, 'csp-violation');
    expect(v.verdict).toBe('blocked');
    expect(check(v, 'endpoint-https')).toMatchObject({ status: 'fail', title: 'Endpoint is not HTTPS' });
    expect(check(v, 'endpoint-https')?.fix).toMatch(/https:\/\//);
    expect(check(v, 'name-resolves')).toBeUndefined();
    expect(v.headline).toMatch(/endpoint is not https/);
  });

  it('passes an HTTPS endpoint', () => {
    const v = diagnose(
      analyse(`${O}/`, { 'Reporting-Endpoints': 'csp="/csp"', 'Content-Security-Policy': 'report-to csp' }),
      'csp-violation',
    );
    expect(check(v, 'endpoint-https')).toMatchObject({ status: 'pass' });
  });

  it('names the certificate condition on Report-To routes only, without changing the verdict', () => {
    const viaGroup = diagnose(
      analyse(`${O}/`, { 'Report-To': RT(), NEL: '{"report_to":"nel","max_age":86400}' }),
      'network-error',
    );
    expect(check(viaGroup, 'certificate')).toMatchObject({ status: 'info' });
    expect(check(viaGroup, 'certificate')?.source).toMatch(/http_network_transaction\.cc/);
    expect(viaGroup.verdict).toBe('delivered');
    const viaEndpoints = diagnose(
      analyse(`${O}/`, { 'Reporting-Endpoints': 'csp="/csp"', 'Content-Security-Policy': 'report-to csp' }),
      'csp-violation',
    );
    expect(check(viaEndpoints, 'certificate')).toBeUndefined();
  });

  it('warns that NEL samples failures when failure_fraction is below 1, and passes the default', () => {
    const sampled = diagnose(
      analyse(`${O}/`, { 'Report-To': RT(), NEL: '{"report_to":"nel","max_age":3600,"failure_fraction":0.05}' }),
      'network-error',
    );
    expect(check(sampled, 'sampling')).toMatchObject({ status: 'warn', title: 'Failures are sampled' });
    expect(check(sampled, 'sampling')?.detail).toMatch(/1 in 20/);
    expect(check(sampled, 'sampling')?.fix).toMatch(/"failure_fraction": 1/);
    const every = diagnose(
      analyse(`${O}/`, { 'Report-To': RT(), NEL: '{"report_to":"nel","max_age":3600}' }),
      'network-error',
    );
    expect(check(every, 'sampling')).toMatchObject({ status: 'pass' });
    const none = diagnose(
      analyse(`${O}/`, { 'Report-To': RT(), NEL: '{"report_to":"nel","max_age":3600,"failure_fraction":0}' }),
      'network-error',
    );
    expect(check(none, 'sampling')?.detail).toMatch(/reports no network error/);
    const csp = diagnose(
      analyse(`${O}/`, { 'Reporting-Endpoints': 'csp="/csp"', 'Content-Security-Policy': 'report-to csp' }),
      'csp-violation',
    );
    expect(check(csp, 'sampling')).toBeUndefined();
  });

  it('gives every failing or warning check a fix and every check a source', () => {
    const a = analyse(`${O}/`, {
      'Report-To': RT(',"include_subdomains":true'),
      NEL: '{"report_to":"nel","max_age":3600,"failure_fraction":0.5}',
      'Reporting-Endpoints': 'csp="http://collector.example/csp"',
      'Content-Security-Policy': 'report-to csp',
    });
    for (const r of a.routes) {
      const v = diagnoseRoute(r, a, { now: NOW });
      for (const c of v.checks) {
        expect(c.source, `${r.reportType}/${c.id}`).not.toBe('');
        if (c.status === 'fail' || c.status === 'warn' || c.status === 'unknown')
          expect(c.fix, `${r.reportType}/${c.id} says how to fix it`).toBeTruthy();
      }
    }
  });
});
