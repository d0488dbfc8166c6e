// The Chromium behaviours of issue 16 (observed in Chromium 156) and the exact offsets of issue 15, per parser.
import { describe, expect, it } from 'vitest';
import { parseReportTo, parseReportingEndpoints } from '@/utils/headers/reporting-headers';
import { parseReferencingHeaders } from '@/utils/headers/referencing-headers';
import { hasRegistrableDomain } from '@/utils/headers/registrable-domain';
import { DIAGNOSTIC_SEVERITY } from '@/utils/headers/diagnostics';

const PAGE = 'https://example.com/p';
const EP = '{"url":"https://c.example/r"}';

describe('Report-To as Chromium reads it', () => {
  it('rejects the whole header for a number beyond double range anywhere', () => {
    for (const v of [
      `{"max_age":60,"endpoints":[${EP}],"x":1e309}`,
      `{"max_age":60,"endpoints":[${EP}]}, {"a":-1e400}`,
    ]) {
      const r = parseReportTo(v, PAGE);
      expect(r.groups).toEqual([]);
      expect(r.diagnostics.map((d) => [d.code, d.ignored])).toEqual([['report-to-invalid-json', true]]);
    }
  });

  it('drops an endpoint whose priority or weight is -0', () => {
    const r = parseReportTo(
      '{"max_age":60,"endpoints":[{"url":"https://c.example/a","priority":-0},{"url":"https://c.example/b","weight":-0},{"url":"https://c.example/c"}]}',
      PAGE,
    );
    expect(r.groups[0]!.endpoints.map((e) => e.url)).toEqual(['https://c.example/c']);
    expect(r.diagnostics.map((d) => d.code)).toEqual([
      'report-to-endpoint-priority-invalid',
      'report-to-endpoint-weight-invalid',
    ]);
    expect(r.diagnostics[0]!.message).toContain('`"priority": -0`');
  });

  it('rejects the whole header for a lone surrogate escape', () => {
    const r = parseReportTo(`{"group":"\\ud800","max_age":60,"endpoints":[${EP}]}`, PAGE);
    expect(r.groups).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'report-to-invalid-json', ignored: true });
  });

  it('keeps the last copy of a URL listed twice in a group', () => {
    const r = parseReportTo(
      '{"max_age":60,"endpoints":[{"url":"https://c.example/a","priority":5},{"url":"https://c.example/a","priority":2}]}',
      PAGE,
    );
    expect(r.groups[0]!.endpoints).toEqual([{ url: 'https://c.example/a', priority: 2, weight: 1 }]);
  });

  it('encodes | and ^ in endpoint paths as GURL does, and says so', () => {
    const r = parseReportTo('{"max_age":60,"endpoints":[{"url":"/r|a^b?q=|"}]}', PAGE);
    expect(r.groups[0]!.endpoints[0]!.url).toBe('https://example.com/r%7Ca%5Eb?q=|');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['endpoint-url-escaped']);
    const e = parseReportingEndpoints('a="https://c.example/x|y"', PAGE);
    expect(e.endpoints).toEqual([{ name: 'a', url: 'https://c.example/x%7Cy' }]);
  });

  it('quotes max_age as written and marks exactly its member', () => {
    const value = '{"group":"g", "max_age": 1800.0, "endpoints":[]}';
    const d = parseReportTo(value, PAGE).diagnostics[0]!;
    expect(d.code).toBe('report-to-max-age-invalid');
    expect(d.message).toContain('`"max_age": 1800.0`');
    expect(value.slice(d.start, d.end)).toBe('"max_age": 1800.0');
    expect(d).toMatchObject({
      header: 'report-to',
      endpointName: 'g',
      dropped: 'group',
      severity: DIAGNOSTIC_SEVERITY['report-to-max-age-invalid'],
    });
  });
});

describe('exact offsets', () => {
  it('Reporting-Endpoints: the highlight of `a="https://x/", Main=1` is exactly `Main=1`', () => {
    const value = 'a="https://x/", Main=1';
    const d = parseReportingEndpoints(value, PAGE).diagnostics[0]!;
    expect(d.code).toBe('reporting-endpoints-uppercase-key');
    expect(value.slice(d.start, d.end)).toBe('Main=1');
    expect(d).toMatchObject({ excerpt: 'Main=1', header: 'reporting-endpoints', ignored: true });
  });

  it('Reporting-Endpoints: a duplicate key marks the definition that loses', () => {
    const value = 'a="https://x/1", b="https://x/2", a="https://x/3"';
    const d = parseReportingEndpoints(value, PAGE).diagnostics[0]!;
    expect(value.slice(d.start, d.end)).toBe('a="https://x/1"');
  });

  it('referencing headers: every diagnostic with offsets marks its excerpt in the joined value', () => {
    const headers = [
      ['content-security-policy', "default-src 'self'; report-to CSP; report-to two"],
      ['nel', '{"report_to":"a","max_age":1.5}'],
      ['cross-origin-opener-policy', 'same-origin; report-to=coop'],
      ['permissions-policy', 'geolocation=();report-to="geo", camera=()'],
      ['document-policy', 'js-profiling=1'],
      ['integrity-policy', 'blocked-destinations=(style)'],
    ] as const;
    const r = parseReferencingHeaders(
      headers.map(([name, value]) => ({ name, value })),
      PAGE,
    );
    expect(r.diagnostics.length).toBeGreaterThanOrEqual(6);
    for (const d of r.diagnostics) {
      const value = headers.find(([n]) => n === d.header)![1];
      expect(d.start, d.code).toBeTypeOf('number');
      expect(value.slice(d.start, d.end), d.code).toBe(d.excerpt);
    }
    const coop = r.diagnostics.find((d) => d.code === 'coop-report-to-token')!;
    expect(coop.excerpt).toBe('report-to=coop');
    const pp = r.diagnostics.find((d) => d.code === 'permissions-policy-report-to-not-token')!;
    expect(pp.excerpt).toBe('geolocation=();report-to="geo"');
  });
});

describe('hasRegistrableDomain (Chromium GetRegistryLength, PSL with private registries)', () => {
  it.each([
    ['127.0.0.1', true],
    ['app.localhost', true],
    ['example.co.uk', true],
    ['me.github.io', true],
    ['www.example.com', true],
    ['localhost', false],
    ['[::1]', false],
    ['intranet', false],
    ['co.uk', false],
    ['github.io', false],
    ['com', false],
  ])('%s → %s', (host, expected) => {
    expect(hasRegistrableDomain(host)).toBe(expected);
  });
});
