import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseReferencingHeaders, type ReferencingHeadersResult } from '@/utils/headers/referencing-headers';
import {
  DIAGNOSTIC_CODES as REFERENCING_DIAGNOSTIC_CODES,
  DIAGNOSTIC_SEVERITY as REFERENCING_DIAGNOSTIC_SEVERITY,
  type DiagnosticCode as ReferencingDiagnosticCode,
} from '@/utils/headers/diagnostics';
import type { CapturedHeader, ReportType } from '@/utils/headers/types';

const PAGE = 'https://example.com/app/page.html';

function parse(headers: [string, string][], url = PAGE): ReferencingHeadersResult {
  return parseReferencingHeaders(
    headers.map(([name, value]) => ({ name, value })),
    url,
  );
}

const codes = (r: ReferencingHeadersResult): string[] => r.diagnostics.map((d) => d.code);
const diag = (r: ReferencingHeadersResult, code: ReferencingDiagnosticCode) =>
  r.diagnostics.find((d) => d.code === code);
const names = (r: ReferencingHeadersResult): string[] => r.references.map((x) => x.endpointName);

const REPORT_TYPES: ReportType[] = [
  'csp-violation',
  'network-error',
  'coop',
  'coep',
  'permissions-policy-violation',
  'document-policy-violation',
  'integrity-violation',
  'deprecation',
  'intervention',
  'crash',
];

const HEADER_NAMES = [
  'content-security-policy',
  'content-security-policy-report-only',
  'nel',
  'cross-origin-opener-policy',
  'cross-origin-opener-policy-report-only',
  'cross-origin-embedder-policy',
  'cross-origin-embedder-policy-report-only',
  'permissions-policy',
  'permissions-policy-report-only',
  'document-policy',
  'document-policy-report-only',
  'integrity-policy',
  'integrity-policy-report-only',
];

/** Checks every invariant of the result shape; used by the example tests and the property tests. */
function expectWellFormed(r: ReferencingHeadersResult): void {
  expect(Array.isArray(r.references)).toBe(true);
  expect(Array.isArray(r.reportUris)).toBe(true);
  expect(Array.isArray(r.diagnostics)).toBe(true);
  expect(r.diagnostics.length).toBeLessThanOrEqual(200);
  for (const ref of r.references) {
    expect(REPORT_TYPES).toContain(ref.reportType);
    expect(HEADER_NAMES).toContain(ref.header);
    expect(typeof ref.endpointName).toBe('string');
    expect(typeof ref.detail).toBe('string');
    expect(typeof ref.reportOnly).toBe('boolean');
    expect(ref.reportOnly).toBe(ref.header.endsWith('-report-only'));
    expect(ref.namespace).toBe(ref.reportType === 'network-error' ? 'groups-only' : 'endpoints-or-groups');
  }
  const refKeys = r.references.map((x) => `${x.reportType}|${x.header}|${x.endpointName}|${x.detail}`);
  expect(new Set(refKeys).size).toBe(refKeys.length);
  expect(new Set(r.reportUris).size).toBe(r.reportUris.length);
  for (const u of r.reportUris) {
    expect(new URL(u).href).toBe(u);
    expect(u).toMatch(/^https?:\/\//);
  }
  for (const d of r.diagnostics) {
    expect(Object.keys(REFERENCING_DIAGNOSTIC_CODES)).toContain(d.code);
    expect(d.severity).toBe(REFERENCING_DIAGNOSTIC_SEVERITY[d.code as ReferencingDiagnosticCode]);
    expect(d.header === '(headers)' || HEADER_NAMES.includes(d.header)).toBe(true);
    expect(d.message.length).toBeGreaterThan(20);
    if (d.excerpt !== undefined) {
      expect(d.excerpt.length).toBeGreaterThan(0);
      expect(d.excerpt.length).toBeLessThanOrEqual(160);
    }
  }
}

// ─── The code table ─────────────────────────────────────────────────────────────────────────────────────────────

describe('REFERENCING_DIAGNOSTIC_CODES', () => {
  it('lists kebab-case codes with one-line explanations and a severity each', () => {
    const all = Object.keys(REFERENCING_DIAGNOSTIC_CODES);
    expect(all.length).toBeGreaterThan(40);
    for (const code of all) {
      expect(code).toMatch(/^[a-z]+(-[a-z]+)+$/);
      const text = REFERENCING_DIAGNOSTIC_CODES[code as ReferencingDiagnosticCode];
      expect(text).not.toContain('\n');
      expect(text.length).toBeGreaterThan(20);
      expect(['error', 'warning', 'info']).toContain(
        REFERENCING_DIAGNOSTIC_SEVERITY[code as ReferencingDiagnosticCode],
      );
    }
    expect(Object.keys(REFERENCING_DIAGNOSTIC_SEVERITY).sort()).toEqual([...all].sort());
  });

  it('contains the codes the README promises', () => {
    for (const code of [
      'csp-uppercase-endpoint-name',
      'csp-report-uri-ignored',
      'csp-report-uri-only',
      'csp-duplicate-directive',
      'csp-report-to-extra-tokens',
      'nel-invalid-json',
      'nel-missing-report-to',
      'nel-missing-max-age',
      'nel-bad-fraction',
      'nel-ignored-insecure',
      'nel-repeated',
      'coop-invalid',
      'coop-report-to-token',
      'coep-invalid',
      'permissions-policy-invalid',
      'document-policy-invalid',
      'integrity-policy-invalid',
      'integrity-policy-no-endpoints',
    ])
      expect(REFERENCING_DIAGNOSTIC_CODES).toHaveProperty(code);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(REFERENCING_DIAGNOSTIC_CODES)).toBe(true);
    expect(Object.isFrozen(REFERENCING_DIAGNOSTIC_SEVERITY)).toBe(true);
  });
});

// ─── General behaviour ──────────────────────────────────────────────────────────────────────────────────────────

describe('parseReferencingHeaders: general', () => {
  it('returns empty results for no headers', () => {
    expect(parseReferencingHeaders([], PAGE)).toEqual({ references: [], reportUris: [], diagnostics: [] });
  });

  it('ignores unrelated headers, require-document-policy, Report-To and Reporting-Endpoints', () => {
    const r = parse([
      ['content-type', 'text/html'],
      ['report-to', '{"group":"x","max_age":1,"endpoints":[{"url":"https://r.example/"}]}'],
      ['reporting-endpoints', 'x="https://r.example/"'],
      ['require-document-policy', 'force-load-at-top;report-to=x'],
      ['set-cookie', 'a=b'],
    ]);
    expect(r).toEqual({ references: [], reportUris: [], diagnostics: [] });
  });

  it('accepts header names in any case and with stray whitespace', () => {
    const r = parseReferencingHeaders(
      [{ name: ' Content-Security-Policy ', value: "script-src 'self'; report-to csp" }],
      PAGE,
    );
    expect(r.references).toEqual([
      {
        reportType: 'csp-violation',
        endpointName: 'csp',
        header: 'content-security-policy',
        detail: 'report-to csp',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('does not depend on the order of unrelated headers', () => {
    const a = parse([
      ['nel', '{"report_to":"n","max_age":5}'],
      ['content-security-policy', 'report-to c'],
    ]);
    const b = parse([
      ['content-security-policy', 'report-to c'],
      ['nel', '{"report_to":"n","max_age":5}'],
    ]);
    expect(a).toEqual(b);
  });

  it('survives an unparseable document URL', () => {
    const r = parse(
      [
        ['content-security-policy', 'report-uri /csp; report-to'],
        ['nel', '{"report_to":"n","max_age":5}'],
      ],
      'not a url',
    );
    expectWellFormed(r);
    expect(codes(r)).toContain('csp-report-to-empty');
    expect(codes(r)).toContain('nel-ignored-insecure');
  });

  it('survives malformed entries passed by untyped callers', () => {
    const junk = [
      null,
      undefined,
      5,
      {},
      { name: 7 },
      { name: 'nel' },
      { name: 'content-security-policy', value: 42 },
    ] as unknown as CapturedHeader[];
    const r = parseReferencingHeaders(junk, PAGE);
    expectWellFormed(r);
    expect(codes(r)).toContain('nel-invalid-json');
    expect(parseReferencingHeaders(null as unknown as CapturedHeader[], PAGE)).toEqual({
      references: [],
      reportUris: [],
      diagnostics: [],
    });
  });

  it('caps diagnostics and says so', () => {
    const value = Array.from({ length: 400 }, (_, i) => `report-to Name${i}`).join(', ');
    const r = parse([['content-security-policy', value]]);
    expectWellFormed(r);
    expect(r.diagnostics.length).toBeLessThanOrEqual(200);
    expect(r.diagnostics.at(-1)?.code).toBe('diagnostics-truncated');
  });

  it('caps references and says so', () => {
    const value = Array.from({ length: 700 }, (_, i) => `report-to n${i}`).join(', ');
    const r = parse([['content-security-policy', value]]);
    expect(r.references).toHaveLength(500);
    expect(codes(r)).toContain('referencing-references-truncated');
  });
});

// ─── Content-Security-Policy ────────────────────────────────────────────────────────────────────────────────────

describe('Content-Security-Policy', () => {
  it('reads report-to (CSP3 §6.5.1 example)', () => {
    const r = parse([['content-security-policy', "script-src 'self'; object-src 'none'; report-to endpoint-1"]]);
    expect(r.references).toEqual([
      {
        reportType: 'csp-violation',
        endpointName: 'endpoint-1',
        header: 'content-security-policy',
        detail: 'report-to endpoint-1',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.reportUris).toEqual([]);
  });

  it('marks Content-Security-Policy-Report-Only references as report-only', () => {
    const r = parse([['content-security-policy-report-only', 'default-src https:; report-to csp-ro']]);
    expect(r.references[0]).toMatchObject({
      header: 'content-security-policy-report-only',
      endpointName: 'csp-ro',
      reportOnly: true,
    });
  });

  it('treats directive names case-insensitively', () => {
    const r = parse([['content-security-policy', "SCRIPT-SRC 'self'; Report-To csp"]]);
    expect(names(r)).toEqual(['csp']);
  });

  it('keeps the endpoint name as written and warns about upper case (it can still match a Report-To group)', () => {
    const r = parse([['content-security-policy', "default-src 'self'; report-to CSP"]]);
    expect(names(r)).toEqual(['CSP']);
    const d = diag(r, 'csp-uppercase-endpoint-name');
    expect(d).toMatchObject({ header: 'content-security-policy', severity: 'warning', excerpt: 'report-to CSP' });
    expect(d?.message).toContain('`report-to CSP`');
    expect(d?.message).toContain('lower-case');
    expect(d?.message).toContain('`report-to csp`');
    expect(d?.message).toContain('`Report-To` group');
    expect(d).toMatchObject({ start: 20, end: 33, endpointName: 'CSP' });
  });

  it('warns when the name is not a structured-field key', () => {
    const r = parse([['content-security-policy', 'report-to 9csp+x']]);
    expect(names(r)).toEqual(['9csp+x']);
    expect(diag(r, 'csp-endpoint-name-not-key')?.message).toContain('`report-to csp-x`');
    expect(codes(parse([['content-security-policy', 'report-to csp_endpoint.v2*']]))).toEqual([]);
  });

  it('uses only the first report-to token, like Chromium', () => {
    const r = parse([['content-security-policy', 'report-to a b c']]);
    expect(names(r)).toEqual(['a']);
    const d = diag(r, 'csp-report-to-extra-tokens');
    expect(d?.severity).toBe('warning');
    expect(d?.message).toContain('only `a` is used');
    expect(d?.message).toContain('`b c`');
  });

  it('lets the first occurrence of a directive win', () => {
    const r = parse([['content-security-policy', 'report-to first; report-to second']]);
    expect(names(r)).toEqual(['first']);
    expect(diag(r, 'csp-duplicate-directive')).toMatchObject({ severity: 'warning', excerpt: 'report-to second' });
  });

  it('warns about any duplicated directive, case-insensitively', () => {
    const r = parse([['content-security-policy', "script-src 'self'; SCRIPT-SRC 'none'"]]);
    expect(codes(r)).toEqual(['csp-duplicate-directive']);
    expect(r.references).toEqual([]);
  });

  it('treats every comma-separated policy separately (duplicates across policies are fine)', () => {
    const r = parse([['content-security-policy', "script-src 'self'; report-to a, img-src 'none'; report-to b"]]);
    expect(names(r)).toEqual(['a', 'b']);
    expect(r.diagnostics).toEqual([]);
  });

  it('handles repeated headers as separate entries or one comma-joined value alike', () => {
    const separate = parse([
      ['content-security-policy', "script-src 'self'; report-to a"],
      ['content-security-policy', 'report-uri /r'],
    ]);
    const joined = parse([['content-security-policy', "script-src 'self'; report-to a, report-uri /r"]]);
    expect(separate).toEqual(joined);
    expect(joined.reportUris).toEqual(['https://example.com/r']);
    expect(names(joined)).toEqual(['a']);
  });

  it('de-duplicates identical references', () => {
    const r = parse([
      ['content-security-policy', 'report-to a, report-to a'],
      ['content-security-policy', 'report-to a'],
    ]);
    expect(r.references).toHaveLength(1);
  });

  it('resolves report-uri against the document and serialises with the WHATWG URL parser', () => {
    const r = parse([
      [
        'content-security-policy',
        "default-src 'self'; report-uri /csp-report ../up HTTPS://Reports.Example.COM:443/a%20b https://example.com/csp-report",
      ],
    ]);
    expect(r.reportUris).toEqual([
      'https://example.com/csp-report',
      'https://example.com/up',
      'https://reports.example.com/a%20b',
    ]);
    expect(r.references).toEqual([]);
  });

  it('suggests report-to when a policy only has report-uri', () => {
    const r = parse([['content-security-policy', "default-src 'self'; report-uri /csp"]]);
    expect(diag(r, 'csp-report-uri-only')).toMatchObject({ severity: 'info', excerpt: 'report-uri /csp' });
    expect(diag(r, 'csp-report-uri-only')?.message).toContain('report-to');
  });

  it('notes that report-uri is ignored when report-to is present, whatever their order (CSP3)', () => {
    for (const value of ['report-to csp; report-uri /csp', 'report-uri /csp; report-to csp']) {
      const r = parse([['content-security-policy', value]]);
      expect(names(r)).toEqual(['csp']);
      expect(r.reportUris).toEqual([]);
      expect(diag(r, 'csp-report-uri-ignored')).toMatchObject({ severity: 'info', excerpt: 'report-uri /csp' });
      expect(diag(r, 'csp-report-uri-ignored')?.message).toContain('ignores `report-uri`');
      const d = diag(r, 'csp-report-uri-ignored')!;
      expect(value.slice(d.start, d.end)).toBe('report-uri /csp');
    }
  });

  it('keeps report-uri of another policy that has no report-to', () => {
    const r = parse([['content-security-policy', 'report-to a; report-uri /x, report-uri /y']]);
    expect(names(r)).toEqual(['a']);
    expect(r.reportUris).toEqual(['https://example.com/y']);
  });

  it('drops http: report-uri targets on HTTPS pages as mixed content, but keeps localhost', () => {
    const r = parse([
      ['content-security-policy', 'report-uri http://collector.example/r http://localhost:8080/r http://127.0.0.1/r'],
    ]);
    expect(r.reportUris).toEqual(['http://localhost:8080/r', 'http://127.0.0.1/r']);
    expect(diag(r, 'csp-report-uri-mixed-content')?.message).toContain('`https://collector.example/r`');
  });

  it('keeps http: report-uri targets on http: pages', () => {
    const r = parse([['content-security-policy', 'report-uri http://collector.example/r']], 'http://example.com/');
    expect(r.reportUris).toEqual(['http://collector.example/r']);
    expect(codes(r)).toEqual(['csp-report-uri-only']);
  });

  it('warns about report-uri targets that are not http(s) URLs', () => {
    const r = parse([['content-security-policy', 'report-uri javascript:alert(1) https://[bad /ok']]);
    expect(r.reportUris).toEqual(['https://example.com/ok']);
    expect(r.diagnostics.filter((d) => d.code === 'csp-report-uri-invalid').map((d) => d.excerpt)).toEqual([
      'javascript:alert(1)',
      'https://[bad',
    ]);
  });

  it('warns when report-to has no name: Chromium then reports nowhere, not even to report-uri', () => {
    const r = parse([['content-security-policy', "script-src 'self'; report-uri /x; report-to"]]);
    expect(r.references).toEqual([]);
    expect(r.reportUris).toEqual([]);
    expect(codes(r)).toContain('csp-report-to-empty');
  });

  it('produces nothing for a CSP without reporting', () => {
    expect(parse([['content-security-policy', "default-src 'self'; upgrade-insecure-requests"]])).toEqual({
      references: [],
      reportUris: [],
      diagnostics: [],
    });
  });

  it('notes a report-only policy that cannot report', () => {
    const r = parse([['content-security-policy-report-only', "default-src 'self'"]]);
    expect(codes(r)).toEqual(['csp-report-only-without-endpoint']);
  });

  it('ignores unknown directives silently but flags misspelt reporting directives', () => {
    expect(parse([['content-security-policy', "foo-bar baz; default-src 'self'"]]).diagnostics).toEqual([]);
    for (const [value, meant] of [
      ['report_to csp', 'report-to csp'],
      ['report-to: csp', 'report-to csp'],
      ['reportUri /r', 'report-uri /r'],
      ['report-url /r', 'report-uri /r'],
    ] as const) {
      const r = parse([['content-security-policy', value]]);
      expect(r.references).toEqual([]);
      expect(r.reportUris).toEqual([]);
      const d = diag(r, 'csp-misspelt-reporting-directive');
      expect(d?.message).toContain(`\`${meant}\``);
    }
  });

  it('ignores a reporting directive with non-ASCII characters, like Chromium', () => {
    const r = parse([['content-security-policy', 'report-to cspé; report-uri /fallback']]);
    expect(r.references).toEqual([]);
    expect(r.reportUris).toEqual(['https://example.com/fallback']);
    expect(codes(r)).toContain('csp-invalid-directive-value');
  });

  it('treats empty and whitespace-only values as nothing', () => {
    expect(parse([['content-security-policy', '']])).toEqual({ references: [], reportUris: [], diagnostics: [] });
    expect(parse([['content-security-policy', ' ,; ;, \t']])).toEqual({
      references: [],
      reportUris: [],
      diagnostics: [],
    });
  });
});

// ─── NEL ────────────────────────────────────────────────────────────────────────────────────────────────────────

describe('NEL', () => {
  const nel = (value: string, url = PAGE) => parse([['nel', value]], url);

  it('reads the Cloudflare-style policy', () => {
    const r = nel('{"success_fraction":0,"report_to":"cf-nel","max_age":604800}');
    expect(r).toEqual({
      references: [
        {
          reportType: 'network-error',
          endpointName: 'cf-nel',
          header: 'nel',
          detail: 'report_to cf-nel',
          reportOnly: false,
          namespace: 'groups-only',
        },
      ],
      reportUris: [],
      diagnostics: [],
    });
  });

  it('reads the NEL spec examples', () => {
    expect(names(nel('{"report_to": "network-errors", "max_age": 2592000}'))).toEqual(['network-errors']);
    const r = nel(
      '{ "report_to": "network-errors", "max_age": 2592000, "include_subdomains": true, "success_fraction": 0.01, "failure_fraction": 1.0 }',
    );
    expect(names(r)).toEqual(['network-errors']);
    expect(r.diagnostics).toEqual([]);
  });

  it('keeps upper-case group names without a warning (Report-To group names are case-sensitive strings)', () => {
    const r = nel('{"report_to":"NEL","max_age":60}');
    expect(names(r)).toEqual(['NEL']);
    expect(r.diagnostics).toEqual([]);
  });

  it('reports invalid JSON with a position', () => {
    const r = nel('{"report_to":"a" "max_age":1}');
    const d = diag(r, 'nel-invalid-json');
    expect(d?.severity).toBe('error');
    expect(d?.message).toMatch(/at character 18/);
    expect(d?.message).toContain('{"report_to":"default","max_age":86400}');
    expect(r.references).toEqual([]);
  });

  it.each([
    ["{'report_to':'a','max_age':1}", 'single quotes'],
    ['{"report_to":"a","max_age":1,}', 'trailing comma'],
    ['{report_to:"a",max_age:1}', 'double-quoted member name'],
    ['{"report_to":"a","max_age":1', 'missing }'],
    ['{"report_to":"a\u0001","max_age":1}', 'control character'],
    ['{"report_to":"\\x41","max_age":1}', 'invalid escape'],
    ['{"report_to":"a","max_age":01}', 'expected `,` or `}` but found `1`'],
    ['{"a":[[[1]]],"report_to":"a","max_age":1}', '4 nested containers (at most 3)'],
    ['{"report_to":"a","max_age":1} trailing', 'unexpected data after the JSON value'],
  ])('rejects %s (%s)', (value, reason) => {
    const r = nel(value);
    expect(codes(r)).toEqual(['nel-invalid-json']);
    expect(r.diagnostics[0]?.message).toContain(reason);
    expect(r.references).toEqual([]);
  });

  it("accepts nesting up to Chromium's limit (3 containers: kMaxJsonDepth 4 rejects 4, as Report-To's 5 rejects 5) and ignores unknown members", () => {
    const r = nel('{"x":[[1]],"report_to":"a","max_age":1,"future":"ok"}');
    expect(names(r)).toEqual(['a']);
    expect(r.diagnostics).toEqual([]);
  });

  it('rejects an empty value and non-objects', () => {
    expect(codes(nel(''))).toEqual(['nel-invalid-json']);
    expect(codes(nel('[{"report_to":"a","max_age":1}]'))).toEqual(['nel-not-object']);
    expect(diag(nel('[{"report_to":"a","max_age":1}]'), 'nel-not-object')?.message).toContain('not a list');
    expect(codes(nel('"a"'))).toEqual(['nel-not-object']);
    expect(codes(nel('null'))).toEqual(['nel-not-object']);
  });

  it('diagnoses repeated NEL headers: Chromium joins them and ignores NEL altogether', () => {
    const separate = parse([
      ['nel', '{"report_to":"a","max_age":1}'],
      ['nel', '{"report_to":"b","max_age":1}'],
    ]);
    const joined = nel('{"report_to":"a","max_age":1}, {"report_to":"b","max_age":1}');
    for (const r of [separate, joined]) {
      expect(r.references).toEqual([]);
      expect(codes(r)).toEqual(['nel-repeated']);
      expect(r.diagnostics[0]?.severity).toBe('error');
      expect(r.diagnostics[0]?.excerpt).toBe(', {"report_to":"b","max_age":1}');
      expect(r.diagnostics[0]?.message).toContain('first policy');
    }
  });

  it('requires report_to and max_age', () => {
    expect(codes(nel('{"max_age":1}'))).toEqual(['nel-missing-report-to']);
    expect(codes(nel('{"report_to":"a"}'))).toEqual(['nel-missing-max-age']);
    expect(nel('{"report_to":"a"}').references).toEqual([]);
    expect(codes(nel('{}'))).toEqual(['nel-missing-max-age', 'nel-missing-report-to']);
  });

  it('requires report_to to be a string', () => {
    const r = nel('{"report_to":["a"],"max_age":1}');
    expect(codes(r)).toEqual(['nel-bad-report-to']);
    expect(r.references).toEqual([]);
  });

  it.each([
    ['"86400"', 'not a string'],
    ['86400.0', 'without a fraction'],
    ['8.64e4', 'without a fraction'],
    ['-1', 'non-negative'],
    ['4294967296', '32 bits'],
    ['true', 'non-negative integer'],
  ])('rejects max_age %s', (maxAge, hint) => {
    const r = nel(`{"report_to":"a","max_age":${maxAge}}`);
    expect(codes(r)).toEqual(['nel-bad-max-age']);
    expect(r.diagnostics[0]?.message).toContain(hint === 'not a string' ? 'a number, not a string' : hint);
    expect(r.references).toEqual([]);
  });

  it('treats max_age 0 as removal: no reference, report_to optional', () => {
    for (const value of ['{"report_to":"a","max_age":0}', '{"max_age":0}']) {
      const r = nel(value);
      expect(r.references).toEqual([]);
      expect(codes(r)).toEqual(['nel-max-age-zero']);
      expect(r.diagnostics[0]?.severity).toBe('info');
    }
  });

  it('warns about fractions outside 0..1 or not numbers, but keeps the policy', () => {
    const r = nel('{"report_to":"a","max_age":1,"success_fraction":1.5,"failure_fraction":"0.5"}');
    expect(names(r)).toEqual(['a']);
    expect(r.diagnostics.map((d) => [d.code, d.excerpt])).toEqual([
      ['nel-bad-fraction', '"success_fraction":1.5'],
      ['nel-bad-fraction', '"failure_fraction":"0.5"'],
    ]);
    expect(codes(nel('{"report_to":"a","max_age":1,"failure_fraction":-0.1}'))).toEqual(['nel-bad-fraction']);
    expect(codes(nel('{"report_to":"a","max_age":1,"success_fraction":0,"failure_fraction":1}'))).toEqual([]);
  });

  it('warns when include_subdomains is not a boolean', () => {
    const r = nel('{"report_to":"a","max_age":1,"include_subdomains":"true"}');
    expect(codes(r)).toEqual(['nel-bad-include-subdomains']);
    expect(names(r)).toEqual(['a']);
  });

  it('flags misspelt members', () => {
    const r = nel('{"report-to":"a","max_age":1}');
    expect(codes(r)).toEqual(['nel-unknown-key', 'nel-missing-report-to']);
    expect(diag(r, 'nel-unknown-key')?.message).toContain('`"report_to"`');
    expect(codes(nel('{"report_to":"a","maxAge":1}'))).toEqual(['nel-unknown-key', 'nel-missing-max-age']);
  });

  it('is ignored on non-HTTPS pages, localhost included', () => {
    for (const url of ['http://example.com/', 'http://localhost:3000/']) {
      const r = nel('{"report_to":"a","max_age":1}', url);
      expect(r.references).toEqual([]);
      expect(codes(r)).toEqual(['nel-ignored-insecure']);
      expect(r.diagnostics[0]?.severity).toBe('error');
      expect(r.diagnostics[0]?.ignored).toBe(true);
    }
  });

  it('rejects include_subdomains on hosts without a registrable domain', () => {
    // Chromium's GetRegistryLength (GURL overload) has no IP check: 127.0.0.1 counts "1" as an unknown registry.
    expect(names(nel('{"report_to":"a","max_age":1,"include_subdomains":true}', 'https://127.0.0.1:8443/'))).toEqual([
      'a',
    ]);
    expect(names(nel('{"report_to":"a","max_age":1,"include_subdomains":true}', 'https://app.localhost/'))).toEqual([
      'a',
    ]);
    for (const url of [
      'https://localhost/',
      'https://[::1]/',
      'https://intranet/',
      'https://github.io/',
      'https://co.uk/',
    ]) {
      const r = nel('{"report_to":"a","max_age":1,"include_subdomains":true}', url);
      expect(r.references).toEqual([]);
      expect(codes(r)).toEqual(['nel-include-subdomains-no-registrable-domain']);
    }
    expect(names(nel('{"report_to":"a","max_age":1,"include_subdomains":true}', 'https://www.example.co.uk/'))).toEqual(
      ['a'],
    );
    expect(names(nel('{"report_to":"a","max_age":1}', 'https://127.0.0.1/'))).toEqual(['a']);
  });

  it('ignores values over 16 KiB', () => {
    const r = nel(`{"report_to":"a","max_age":1,"pad":"${'x'.repeat(17000)}"}`);
    expect(codes(r)).toEqual(['nel-too-large']);
    expect(r.diagnostics[0]).toMatchObject({ ignored: true, dropped: 'header' });
  });

  it('accepts a byte-order mark and unicode group names', () => {
    expect(names(nel('\ufeff{"report_to":"grüße 😀","max_age":1}'))).toEqual(['grüße 😀']);
    expect(names(nel('{"report_to":"\\u0041","max_age":1}'))).toEqual(['A']);
  });
});

// ─── COOP / COEP ────────────────────────────────────────────────────────────────────────────────────────────────

describe('Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy', () => {
  it('read report-to strings (HTML spec examples)', () => {
    const r = parse([
      ['cross-origin-opener-policy', 'same-origin; report-to="coop"'],
      ['cross-origin-opener-policy-report-only', 'same-origin-allow-popups; report-to="coop-ro"'],
      ['cross-origin-embedder-policy', 'require-corp; report-to="coep"'],
      ['cross-origin-embedder-policy-report-only', 'credentialless;report-to="coep-ro"'],
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.references).toEqual([
      {
        reportType: 'coop',
        endpointName: 'coop',
        header: 'cross-origin-opener-policy',
        detail: 'same-origin',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'coop',
        endpointName: 'coop-ro',
        header: 'cross-origin-opener-policy-report-only',
        detail: 'same-origin-allow-popups',
        reportOnly: true,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'coep',
        endpointName: 'coep',
        header: 'cross-origin-embedder-policy',
        detail: 'require-corp',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'coep',
        endpointName: 'coep-ro',
        header: 'cross-origin-embedder-policy-report-only',
        detail: 'credentialless',
        reportOnly: true,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('produce no reference without report-to', () => {
    expect(
      parse([
        ['cross-origin-opener-policy', 'same-origin'],
        ['cross-origin-embedder-policy', 'require-corp'],
      ]),
    ).toEqual({ references: [], reportUris: [], diagnostics: [] });
  });

  it('warn that an unquoted token is ignored', () => {
    const r = parse([
      ['cross-origin-opener-policy', 'same-origin; report-to=coop'],
      ['cross-origin-embedder-policy', 'require-corp; report-to=coep'],
    ]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['coop-report-to-token', 'coep-report-to-token']);
    expect(diag(r, 'coop-report-to-token')?.message).toContain('`report-to="coop"`');
    expect(diag(r, 'coop-report-to-token')?.excerpt).toBe('report-to=coop');
  });

  it('warn about other non-string report-to values', () => {
    const r = parse([
      ['cross-origin-opener-policy', 'same-origin; report-to=5'],
      ['cross-origin-embedder-policy', 'require-corp; report-to'],
    ]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['coop-report-to-not-string', 'coep-report-to-not-string']);
  });

  it('flag upper-case names but keep the reference', () => {
    const r = parse([['cross-origin-opener-policy', 'same-origin; report-to="COOP"']]);
    expect(names(r)).toEqual(['COOP']);
    expect(diag(r, 'coop-uppercase-endpoint-name')?.message).toContain('`report-to="coop"`');
  });

  it('reject unparseable values with what is wrong', () => {
    for (const [value, hint] of [
      ['same-origin;', 'not a valid structured-field item'],
      ['"same-origin"', 'not a string'],
      ['', 'not a valid structured-field item'],
      ['same origin', 'not a valid structured-field item'],
    ] as const) {
      const r = parse([['cross-origin-opener-policy', value]]);
      expect(codes(r)).toEqual(['coop-invalid']);
      expect(r.diagnostics[0]?.severity).toBe('error');
      expect(r.diagnostics[0]?.message).toContain(hint === 'not a string' ? 'unquoted token, not a string' : hint);
    }
  });

  it('reject a repeated header, however it arrives', () => {
    const separate = parse([
      ['cross-origin-embedder-policy', 'require-corp; report-to="a"'],
      ['cross-origin-embedder-policy', 'require-corp; report-to="b"'],
    ]);
    const joined = parse([
      ['cross-origin-embedder-policy', 'require-corp; report-to="a", require-corp; report-to="b"'],
    ]);
    for (const r of [separate, joined]) {
      expect(r.references).toEqual([]);
      expect(codes(r)).toEqual(['coep-invalid']);
      expect(r.diagnostics[0]?.message).toContain('more than once');
    }
  });

  it('COOP with an unknown value acts as unsafe-none but keeps its endpoint (Chromium)', () => {
    const r = parse([['cross-origin-opener-policy', 'Same-Origin; report-to="coop"']]);
    expect(names(r)).toEqual(['coop']);
    expect(diag(r, 'coop-unknown-value')?.message).toContain('case-sensitive');
    expect(codes(parse([['cross-origin-opener-policy', 'restrict-properties']]))).toEqual(['coop-unknown-value']);
    expect(codes(parse([['cross-origin-opener-policy', 'noopener-allow-popups; report-to="c"']]))).toEqual([]);
  });

  it('COEP with an unknown value or unsafe-none never reports', () => {
    const unknown = parse([['cross-origin-embedder-policy', 'require-cors; report-to="coep"']]);
    expect(unknown.references).toEqual([]);
    expect(codes(unknown)).toEqual(['coep-unknown-value']);
    const none = parse([['cross-origin-embedder-policy', 'unsafe-none; report-to="coep"']]);
    expect(none.references).toEqual([]);
    expect(codes(none)).toEqual(['coep-report-to-unused']);
    expect(parse([['cross-origin-embedder-policy', 'unsafe-none']]).diagnostics).toEqual([]);
  });

  it('are ignored outside secure contexts, but apply on http://localhost', () => {
    const insecure = parse([['cross-origin-opener-policy', 'same-origin; report-to="coop"']], 'http://example.com/');
    expect(insecure.references).toEqual([]);
    expect(codes(insecure)).toEqual(['coop-ignored-insecure']);
    const local = parse([['cross-origin-opener-policy', 'same-origin; report-to="coop"']], 'http://localhost:8080/');
    expect(names(local)).toEqual(['coop']);
    expect(local.diagnostics).toEqual([]);
  });

  it('ignore other parameters', () => {
    expect(names(parse([['cross-origin-opener-policy', 'same-origin; foo=1; report-to="coop"; bar']]))).toEqual([
      'coop',
    ]);
  });
});

// ─── Permissions-Policy ─────────────────────────────────────────────────────────────────────────────────────────

describe('Permissions-Policy', () => {
  it('reads per-feature report-to tokens (Permissions Policy reporting)', () => {
    const r = parse([
      ['permissions-policy', 'geolocation=(self "https://maps.example");report-to=geo, camera=();report-to=pp'],
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.references).toEqual([
      {
        reportType: 'permissions-policy-violation',
        endpointName: 'geo',
        header: 'permissions-policy',
        detail: 'geolocation',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'permissions-policy-violation',
        endpointName: 'pp',
        header: 'permissions-policy',
        detail: 'camera',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('sends restricting features without report-to to `default`', () => {
    const r = parse([
      [
        'permissions-policy',
        'geolocation=(), microphone=self, fullscreen=*, payment=(* self), usb=("https://a.example")',
      ],
    ]);
    expect(r.references.map((x) => [x.endpointName, x.detail])).toEqual([
      ['default', 'geolocation (default endpoint)'],
      ['default', 'microphone (default endpoint)'],
      ['default', 'usb (default endpoint)'],
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('supports Permissions-Policy-Report-Only', () => {
    const r = parse([['permissions-policy-report-only', 'geolocation=();report-to=pp-ro']]);
    expect(r.references).toEqual([
      {
        reportType: 'permissions-policy-violation',
        endpointName: 'pp-ro',
        header: 'permissions-policy-report-only',
        detail: 'geolocation',
        reportOnly: true,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('ignores a quoted report-to (it must be a token) and falls back to default', () => {
    const r = parse([['permissions-policy', 'geolocation=();report-to="geo"']]);
    expect(r.references.map((x) => x.endpointName)).toEqual(['default']);
    const d = diag(r, 'permissions-policy-report-to-not-token');
    expect(d?.message).toContain('`report-to=geo`');
    expect(d?.excerpt).toBe('geolocation=();report-to="geo"');
  });

  it('warns about report-to inside the parentheses', () => {
    const r = parse([['permissions-policy', 'geolocation=(self;report-to=geo)']]);
    expect(r.references.map((x) => x.endpointName)).toEqual(['default']);
    expect(codes(r)).toEqual(['permissions-policy-report-to-misplaced']);
  });

  it('flags upper-case endpoint tokens', () => {
    const r = parse([['permissions-policy', 'camera=();report-to=PP']]);
    expect(names(r)).toEqual(['PP']);
    expect(diag(r, 'permissions-policy-uppercase-endpoint-name')?.message).toContain('`camera=…;report-to=pp`');
  });

  it('flags allowlist items Chromium ignores', () => {
    const r = parse([
      ['permissions-policy', 'a=(none), b=("self"), c=(1), d, e=("*"), f=("https://ok.example" "nope")'],
    ]);
    expect(codes(r)).toEqual(Array(6).fill('permissions-policy-bad-allowlist-item'));
    expect(r.diagnostics[0]?.message).toContain('`a=()`');
    expect(r.diagnostics[1]?.message).toContain('without quotes');
  });

  it('rejects the whole header when it is not a dictionary, with a hint for Feature-Policy syntax', () => {
    const r = parse([['permissions-policy', "geolocation 'none'; camera 'self'"]]);
    expect(r.references).toEqual([]);
    const d = diag(r, 'permissions-policy-invalid');
    expect(d?.severity).toBe('error');
    expect(d?.message).toContain('at character 1 is not a valid member');
    expect(d).toMatchObject({ start: 0, end: 33, excerpt: "geolocation 'none'; camera 'self'", ignored: true });
    expect(d?.message).toContain('Feature-Policy');
    expect(codes(parse([['permissions-policy', 'Geolocation=()']]))).toEqual(['permissions-policy-invalid']);
    expect(codes(parse([['permissions-policy', 'geolocation=(),']]))).toEqual(['permissions-policy-invalid']);
  });

  it('merges repeated headers like Chromium (a later duplicate feature wins)', () => {
    const separate = parse([
      ['permissions-policy', 'geolocation=();report-to=a'],
      ['permissions-policy', 'camera=();report-to=b, geolocation=(self);report-to=c'],
    ]);
    const joined = parse([
      ['permissions-policy', 'geolocation=();report-to=a, camera=();report-to=b, geolocation=(self);report-to=c'],
    ]);
    expect(separate).toEqual(joined);
    expect(joined.references.map((x) => [x.detail, x.endpointName])).toEqual([
      ['geolocation', 'c'],
      ['camera', 'b'],
    ]);
  });

  it('ignores policies over 65,536 characters', () => {
    const r = parse([['permissions-policy', `geolocation=();report-to=pp, x=("${'a'.repeat(70000)}")`]]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['permissions-policy-too-large']);
  });

  it('treats an empty value as no policy', () => {
    expect(parse([['permissions-policy', '']])).toEqual({ references: [], reportUris: [], diagnostics: [] });
  });
});

// ─── Document-Policy ────────────────────────────────────────────────────────────────────────────────────────────

describe('Document-Policy', () => {
  it('uses `*;report-to` as the default endpoint and per-feature report-to as an override', () => {
    const r = parse([['document-policy', '*;report-to=dp, js-profiling=?0, force-load-at-top;report-to=top']]);
    expect(r.diagnostics).toEqual([]);
    expect(r.references).toEqual([
      {
        reportType: 'document-policy-violation',
        endpointName: 'dp',
        header: 'document-policy',
        detail: 'js-profiling (default endpoint from *)',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'document-policy-violation',
        endpointName: 'top',
        header: 'document-policy',
        detail: 'force-load-at-top',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('turns reporting off with report-to=none', () => {
    const r = parse([['document-policy', '*;report-to=dp, js-profiling=?0;report-to=none, force-load-at-top']]);
    expect(r.references.map((x) => x.detail)).toEqual(['force-load-at-top (default endpoint from *)']);
    expect(codes(parse([['document-policy', '*;report-to=none, js-profiling=?0']]))).toEqual([
      'document-policy-no-report-to',
    ]);
  });

  it('supports Document-Policy-Report-Only', () => {
    const r = parse([['document-policy-report-only', 'js-profiling=?0;report-to=dp-ro']]);
    expect(r.references[0]).toMatchObject({
      header: 'document-policy-report-only',
      reportOnly: true,
      endpointName: 'dp-ro',
    });
  });

  it('explains that a top-level report-to member is not the default endpoint in Chromium', () => {
    const r = parse([['document-policy', 'report-to=dp, js-profiling=?0']]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['document-policy-report-to-member', 'document-policy-no-report-to']);
    expect(diag(r, 'document-policy-report-to-member')?.message).toContain('`*;report-to=dp`');
  });

  it('drops a feature whose report-to is not a token', () => {
    const r = parse([['document-policy', 'js-profiling;report-to="dp"']]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['document-policy-report-to-not-token']);
  });

  it('flags unknown features and wrongly typed values', () => {
    const r = parse([
      ['document-policy', '*;report-to=dp, oversized-images=2.0, js-profiling=1, force-load-at-top=(?1)'],
    ]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual([
      'document-policy-unknown-feature',
      'document-policy-bad-value',
      'document-policy-bad-value',
    ]);
  });

  it('notes a policy that names no endpoint', () => {
    const r = parse([['document-policy', 'force-load-at-top']]);
    expect(codes(r)).toEqual(['document-policy-no-report-to']);
    expect(r.diagnostics[0]?.severity).toBe('info');
  });

  it('flags upper-case endpoint names once', () => {
    const r = parse([['document-policy', '*;report-to=DP, js-profiling, force-load-at-top']]);
    expect(names(r)).toEqual(['DP', 'DP']);
    expect(codes(r)).toEqual(['document-policy-uppercase-endpoint-name']);
  });

  it('rejects values that are not dictionaries', () => {
    expect(codes(parse([['document-policy', 'js-profiling report-to=dp']]))).toEqual(['document-policy-invalid']);
    // Parameters may have spaces after the semicolon (RFC 9651), so this one is fine.
    expect(names(parse([['document-policy', 'js-profiling; report-to=dp']]))).toEqual(['dp']);
  });
});

// ─── Integrity-Policy ───────────────────────────────────────────────────────────────────────────────────────────

describe('Integrity-Policy', () => {
  it('reads endpoints (Integrity Policy explainer example)', () => {
    const r = parse([
      [
        'integrity-policy',
        'blocked-destinations=(script), endpoints=(integrity-endpoint some-other-integrity-endpoint)',
      ],
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.references).toEqual([
      {
        reportType: 'integrity-violation',
        endpointName: 'integrity-endpoint',
        header: 'integrity-policy',
        detail: 'blocked-destinations=(script)',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
      {
        reportType: 'integrity-violation',
        endpointName: 'some-other-integrity-endpoint',
        header: 'integrity-policy',
        detail: 'blocked-destinations=(script)',
        reportOnly: false,
        namespace: 'endpoints-or-groups',
      },
    ]);
  });

  it('supports Integrity-Policy-Report-Only and sources=(inline)', () => {
    const r = parse([
      ['integrity-policy-report-only', 'blocked-destinations=(script), sources=(inline), endpoints=(ip)'],
    ]);
    expect(r.references).toEqual([
      {
        reportType: 'integrity-violation',
        endpointName: 'ip',
        header: 'integrity-policy-report-only',
        detail: 'blocked-destinations=(script)',
        reportOnly: true,
        namespace: 'endpoints-or-groups',
      },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('notes an enforcing policy without endpoints and warns about a report-only one', () => {
    const enforce = parse([['integrity-policy', 'blocked-destinations=(script)']]);
    expect(enforce.references).toEqual([]);
    expect(diag(enforce, 'integrity-policy-no-endpoints')?.severity).toBe('info');
    expect(diag(enforce, 'integrity-policy-no-endpoints')?.message).toContain('blocked but not reported');
    const ro = parse([['integrity-policy-report-only', 'blocked-destinations=(script)']]);
    expect(codes(ro)).toEqual(['integrity-policy-report-only-no-endpoints']);
  });

  it('warns about destinations Chromium does not support (style, in Chromium 156)', () => {
    const r = parse([['integrity-policy', 'blocked-destinations=(script style), endpoints=(ip)']]);
    expect(names(r)).toEqual(['ip']);
    expect(codes(r)).toEqual(['integrity-policy-unknown-destination']);
    expect(r.diagnostics[0]?.message).toContain('`style`');
  });

  it('reports nothing when no supported destination is blocked', () => {
    const r = parse([['integrity-policy', 'blocked-destinations=(style), endpoints=(ip)']]);
    expect(r.references).toEqual([]);
    expect(codes(r)).toEqual(['integrity-policy-unknown-destination', 'integrity-policy-no-destinations']);
    expect(codes(parse([['integrity-policy', 'endpoints=(ip)']]))).toEqual(['integrity-policy-no-destinations']);
  });

  it('flags strings, non-lists, unknown members and sources', () => {
    const r = parse([
      ['integrity-policy', 'blocked-destinations=("script"), endpoints=ip, sources=(external), mode=(x)'],
    ]);
    expect(codes(r)).toEqual([
      'integrity-policy-not-token',
      'integrity-policy-not-list',
      'integrity-policy-unknown-source',
      'integrity-policy-unknown-key',
      'integrity-policy-no-destinations',
    ]);
    expect(r.diagnostics[1]?.message).toContain('`endpoints=(ip)`');
  });

  it('flags upper-case endpoint names', () => {
    const r = parse([['integrity-policy', 'blocked-destinations=(script), endpoints=(IP)']]);
    expect(names(r)).toEqual(['IP']);
    expect(codes(r)).toEqual(['integrity-policy-uppercase-endpoint-name']);
  });

  it('rejects values that are not dictionaries', () => {
    expect(codes(parse([['integrity-policy', 'blocked-destinations=(script']]))).toEqual(['integrity-policy-invalid']);
  });
});

// ─── Robustness ─────────────────────────────────────────────────────────────────────────────────────────────────

const REAL_VALUES: [string, string][] = [
  [
    'content-security-policy',
    "default-src 'self'; script-src 'nonce-abc' 'strict-dynamic'; report-to csp-endpoint; report-uri /csp",
  ],
  [
    'content-security-policy-report-only',
    "img-src https:; report-to CSP, style-src 'self'; report-uri https://r.example/a http://x/b",
  ],
  ['nel', '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}'],
  ['nel', '{"report_to":"network-errors","max_age":2592000,"include_subdomains":true,"failure_fraction":0.5}'],
  ['cross-origin-opener-policy', 'same-origin; report-to="coop"'],
  ['cross-origin-opener-policy-report-only', 'same-origin-allow-popups; report-to=coop'],
  ['cross-origin-embedder-policy', 'require-corp; report-to="coep"'],
  ['cross-origin-embedder-policy-report-only', 'credentialless; report-to="COEP"'],
  ['permissions-policy', 'geolocation=(self "https://maps.example");report-to=geo, camera=(), fullscreen=*'],
  ['permissions-policy-report-only', 'microphone=();report-to="pp"'],
  ['document-policy', '*;report-to=dp, js-profiling=?0, force-load-at-top;report-to=none'],
  ['document-policy-report-only', 'report-to=dp, sync-xhr=?0'],
  ['integrity-policy', 'blocked-destinations=(script), endpoints=(integrity-endpoint)'],
  ['integrity-policy-report-only', 'blocked-destinations=(script style), sources=(inline), endpoints=(IP)'],
];

describe('robustness', () => {
  it('stays linear and well-formed on 1 MB values of every shape', () => {
    const shapes = (n: number) => [
      ' '.repeat(n) + 'x',
      ','.repeat(n),
      ';'.repeat(n),
      '"'.repeat(n),
      '{'.repeat(n),
      '('.repeat(n),
      'a'.repeat(n),
      'report-to a b; '.repeat(n / 15),
      "script-src 'self'; report-to e, ".repeat(n / 32),
      'a=(self "https://x.example");report-to=pp, '.repeat(n / 44),
      'report-uri /a /b http://x/ '.repeat(n / 26),
      'é😀'.repeat(n / 3),
      '\u0000\u0001\u001f\u007f'.repeat(n / 4),
      `{"report_to":"${'a'.repeat(n)}","max_age":1}`,
    ];
    const M = 1 << 20;
    const parse = (value: string) =>
      parseReferencingHeaders(
        HEADER_NAMES.map((name) => ({ name, value })),
        PAGE,
      );
    const timeOf = (value: string) => {
      const started = performance.now();
      const r = parse(value);
      const elapsed = performance.now() - started;
      expectWellFormed(r);
      return elapsed;
    };
    // Linear, not quadratic, judged against the same shape at a sixteenth of the size on this machine, so a busy
    // machine slows both alike: linear work grows about 16 times, quadratic 256. Each size counts its fastest
    // attempt (a scheduling hiccup or a collection in another worker only ever adds time), and a ratio over 64 is
    // measured again, up to five attempts, so only a growth that every attempt shows can fail it.
    const small = shapes(M / 16);
    shapes(M).forEach((value, i) => {
      let big = Infinity;
      let base = Infinity;
      for (let attempt = 0; attempt < 5 && (attempt === 0 || big / base >= 64); attempt++) {
        big = Math.min(big, timeOf(value));
        base = Math.min(base, Math.max(timeOf(small[i]!), 1));
      }
      expect(big / base, `shape ${i}: fastest time at 1 MB over fastest at 64 KB`).toBeLessThan(64);
    });
  }, 120_000);

  it('handles control characters, unicode and empty strings in every header', () => {
    for (const value of ['', '\u0000', '\r\n', 'ä', '😀;😀', 'report-to \u0085x', '\ud800', 'report-to a\u0000b']) {
      const r = parseReferencingHeaders(
        HEADER_NAMES.map((name) => ({ name, value })),
        PAGE,
      );
      expectWellFormed(r);
    }
  });

  it('escapes control characters in messages and excerpts', () => {
    const r = parse([['content-security-policy', 'report-to a\u0000b']]);
    const d = diag(r, 'csp-invalid-directive-value');
    expect(d?.excerpt).toBe('report-to a\\x00b');
    expect(d?.message).not.toContain('\u0000');
  });

  it('never throws and always returns the shape for random headers (property)', () => {
    const name = fc.oneof(
      fc.constantFrom(...HEADER_NAMES),
      fc.constantFrom(...HEADER_NAMES).map((n) => n.toUpperCase()),
      fc.string({ maxLength: 30 }),
    );
    const value = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...' ,;=()"\'{}[]:*?-_.\\/\t\u0000é'.split('')), maxLength: 120 }),
    );
    const url = fc.oneof(
      fc.constantFrom(PAGE, 'http://localhost/', 'http://example.com/', 'https://127.0.0.1/', 'about:blank', ''),
      fc.string(),
    );
    fc.assert(
      fc.property(fc.array(fc.record({ name, value }), { maxLength: 6 }), url, (headers, documentUrl) => {
        expectWellFormed(parseReferencingHeaders(headers, documentUrl));
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('never throws on mutated real values (property)', () => {
    const edit = fc.record({
      kind: fc.constantFrom('insert', 'delete', 'replace', 'duplicate', 'upper', 'join'),
      at: fc.nat(),
      len: fc.nat({ max: 20 }),
      text: fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom(
          ',',
          ';',
          '"',
          '=',
          '(',
          ')',
          '{',
          '}',
          ':',
          ' ',
          '\u0000',
          'é',
          '\\',
          'report-to',
          'report_to',
        ),
      ),
    });
    const header = fc
      .tuple(fc.constantFrom(...REAL_VALUES), fc.array(edit, { maxLength: 6 }))
      .map(([[n, v], edits]) => {
        let s = v;
        for (const e of edits) {
          const at = s.length === 0 ? 0 : e.at % (s.length + 1);
          if (e.kind === 'insert') s = s.slice(0, at) + e.text + s.slice(at);
          else if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + e.len);
          else if (e.kind === 'replace') s = s.slice(0, at) + e.text + s.slice(at + e.text.length);
          else if (e.kind === 'duplicate') s = `${s}, ${s}`;
          else if (e.kind === 'upper') s = s.slice(0, at) + s.slice(at, at + e.len).toUpperCase() + s.slice(at + e.len);
          else s = `${s}, ${e.text}`;
        }
        return { name: n, value: s };
      });
    fc.assert(
      fc.property(
        fc.array(header, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(PAGE, 'http://localhost:3000/', 'http://example.com/'),
        (headers, documentUrl) => {
          expectWellFormed(parseReferencingHeaders(headers, documentUrl));
        },
      ),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('keeps unmutated real values stable (snapshot of the routes they name)', () => {
    const r = parseReferencingHeaders(
      REAL_VALUES.map(([name, value]) => ({ name, value })),
      PAGE,
    );
    expectWellFormed(r);
    expect(r.references.map((x) => `${x.header} ${x.reportType} ${x.endpointName} (${x.detail})`)).toEqual([
      'content-security-policy csp-violation csp-endpoint (report-to csp-endpoint)',
      'content-security-policy-report-only csp-violation CSP (report-to CSP)',
      'cross-origin-opener-policy coop coop (same-origin)',
      'cross-origin-embedder-policy coep coep (require-corp)',
      'cross-origin-embedder-policy-report-only coep COEP (credentialless)',
      'permissions-policy permissions-policy-violation geo (geolocation)',
      'permissions-policy permissions-policy-violation default (camera (default endpoint))',
      'permissions-policy-report-only permissions-policy-violation default (microphone (default endpoint))',
      'document-policy document-policy-violation dp (js-profiling (default endpoint from *))',
      'integrity-policy integrity-violation integrity-endpoint (blocked-destinations=(script))',
      'integrity-policy-report-only integrity-violation IP (blocked-destinations=(script))',
    ]);
    expect(r.reportUris).toEqual(['https://r.example/a']);
    expect(codes(r)).toContain('nel-repeated');
  });
});
