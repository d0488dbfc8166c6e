import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseReportTo, parseReportingEndpoints } from '@/utils/headers/reporting-headers';
import { DIAGNOSTIC_CODES as REPORTING_DIAGNOSTIC_CODES } from '@/utils/headers/diagnostics';
import type { Diagnostic } from '@/utils/headers/types';

const PAGE = 'https://example.com/page?x=1';
const codes = (d: Diagnostic[]) => d.map((x) => x.code);

describe('parseReportTo', () => {
  it('parses the seed configuration exactly', () => {
    const r = parseReportTo(
      '{"group":"default","max_age":1800,"endpoints":[{"url":"https://collector.example/reports"}],"include_subdomains":true}',
      PAGE,
    );
    expect(r).toEqual({
      groups: [
        {
          name: 'default',
          maxAge: 1800,
          includeSubdomains: true,
          endpoints: [{ url: 'https://collector.example/reports', priority: 1, weight: 1 }],
        },
      ],
      removedGroups: [],
      diagnostics: [],
    });
  });

  it('parses the 2018 spec example with several groups, priority and weight', () => {
    const value =
      '{ "group": "endpoint-1", "max_age": 10886400, "endpoints": [ { "url": "https://example.com/reports" }, { "url": "https://backup.com/reports", "priority": 2, "weight": 3 } ] }, ' +
      '{ "max_age": 86400, "endpoints": [ { "url": "https://example.com/other" } ] }';
    const r = parseReportTo(value, PAGE);
    expect(r.diagnostics).toEqual([]);
    expect(r.groups).toEqual([
      {
        name: 'endpoint-1',
        maxAge: 10886400,
        includeSubdomains: false,
        endpoints: [
          { url: 'https://example.com/reports', priority: 1, weight: 1 },
          { url: 'https://backup.com/reports', priority: 2, weight: 3 },
        ],
      },
      {
        name: 'default',
        maxAge: 86400,
        includeSubdomains: false,
        endpoints: [{ url: 'https://example.com/other', priority: 1, weight: 1 }],
      },
    ]);
  });

  it('reads Cloudflare-style values with escaped slashes', () => {
    const r = parseReportTo(
      '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s=abc%2Bdef"}],"group":"cf-nel","max_age":604800}',
      PAGE,
    );
    expect(r.groups).toEqual([
      {
        name: 'cf-nel',
        maxAge: 604800,
        includeSubdomains: false,
        endpoints: [{ url: 'https://a.nel.cloudflare.com/report/v4?s=abc%2Bdef', priority: 1, weight: 1 }],
      },
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('joins repeated headers as a list of groups', () => {
    const one = '{"group":"a","max_age":60,"endpoints":[{"url":"https://c.example/a"}]}';
    const two = '{"group":"b","max_age":120,"endpoints":[{"url":"https://c.example/b"}]}';
    const r = parseReportTo(`${one}, ${two}`, PAGE);
    expect(r.groups.map((g) => [g.name, g.maxAge])).toEqual([
      ['a', 60],
      ['b', 120],
    ]);
  });

  it('resolves a path with exactly one leading slash against the origin, and rejects others', () => {
    const r = parseReportTo(
      '{"max_age":60,"endpoints":[{"url":"/r/one"},{"url":"//evil.example/x"},{"url":"relative/x"},{"url":"https://c.example/ok"}]}',
      'https://example.com:8443/deep/page',
    );
    expect(r.groups[0]!.endpoints.map((e) => e.url)).toEqual([
      'https://example.com:8443/r/one',
      'https://c.example/ok',
    ]);
    expect(codes(r.diagnostics)).toEqual(['report-to-endpoint-url-invalid', 'report-to-endpoint-url-invalid']);
  });

  it('drops non-HTTPS endpoints with a diagnostic naming the URL, accepts wss', () => {
    const r = parseReportTo(
      '{"max_age":60,"endpoints":[{"url":"http://c.example/r"},{"url":"wss://c.example/ws"}]}',
      PAGE,
    );
    expect(r.groups[0]!.endpoints).toEqual([{ url: 'wss://c.example/ws', priority: 1, weight: 1 }]);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'warning', code: 'report-to-endpoint-insecure' });
    expect(r.diagnostics[0]!.message).toContain('endpoint `http://c.example/r` is not HTTPS: Chromium drops it');
  });

  it('mentions the spec difference for http://localhost endpoints', () => {
    const r = parseReportTo('{"max_age":60,"endpoints":[{"url":"http://localhost:8080/r"}]}', PAGE);
    expect(r.groups).toEqual([]);
    expect(r.diagnostics.map((d) => d.message).join('\n')).toMatch(
      /spec counts `http:\/\/localhost` as potentially trustworthy/,
    );
    expect(codes(r.diagnostics)).toContain('report-to-group-no-endpoints');
  });

  it('ignores a group without max_age, with the message a developer needs', () => {
    const r = parseReportTo('{"group":"g","endpoints":[{"url":"https://c.example/r"}]}', PAGE);
    expect(r.groups).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'report-to-max-age-missing' });
    expect(r.diagnostics[0]!.message).toBe(
      'group `g`: `max_age` is missing: the whole group is ignored. Add `"max_age": 86400` (seconds).',
    );
  });

  it.each([
    ['-1', 'negative'],
    ['1800.0', 'fraction'],
    ['1.8e3', 'exponent'],
    ['"1800"', 'string'],
    ['2147483648', 'beyond int32'],
  ])('rejects max_age %s (%s)', (maxAge) => {
    const r = parseReportTo(`{"max_age":${maxAge},"endpoints":[{"url":"https://c.example/r"}]}`, PAGE);
    expect(r.groups).toEqual([]);
    expect(codes(r.diagnostics)).toContain('report-to-max-age-invalid');
  });

  it('accepts the largest int32 max_age', () => {
    const r = parseReportTo('{"max_age":2147483647,"endpoints":[{"url":"https://c.example/r"}]}', PAGE);
    expect(r.groups[0]!.maxAge).toBe(2147483647);
  });

  it('removes a group with max_age 0 and reports it', () => {
    const r = parseReportTo('{"group":"default","max_age":0,"endpoints":[{"url":"https://c.example/r"}]}', PAGE);
    expect(r.groups).toEqual([]);
    expect(r.removedGroups).toEqual(['default']);
    expect(r.diagnostics).toEqual([expect.objectContaining({ severity: 'info', code: 'report-to-group-removed' })]);
  });

  it('removes with max_age 0 even without endpoints', () => {
    const r = parseReportTo('{"group":"old","max_age":0}', PAGE);
    expect(r.removedGroups).toEqual(['old']);
  });

  it('counts include_subdomains only when literally true', () => {
    const r = parseReportTo(
      '{"group":"a","max_age":60,"include_subdomains":"true","endpoints":[{"url":"https://c.example/r"}]},' +
        '{"group":"b","max_age":60,"include_subdomains":1,"endpoints":[{"url":"https://c.example/r"}]},' +
        '{"group":"c","max_age":60,"include_subdomains":false,"endpoints":[{"url":"https://c.example/r"}]}',
      PAGE,
    );
    expect(r.groups.map((g) => g.includeSubdomains)).toEqual([false, false, false]);
    expect(codes(r.diagnostics)).toEqual([
      'report-to-include-subdomains-not-boolean',
      'report-to-include-subdomains-not-boolean',
    ]);
  });

  it('rejects include_subdomains on localhost but keeps it on 127.0.0.1', () => {
    const seed = '{"group":"default","max_age":1800,"endpoints":[{"url":"/reports"}],"include_subdomains":true}';
    const local = parseReportTo(seed, 'https://localhost:8443/');
    expect(local.groups).toEqual([]);
    expect(codes(local.diagnostics)).toContain('report-to-include-subdomains-no-registrable-domain');
    const ip = parseReportTo(seed, 'https://127.0.0.1:8443/');
    expect(ip.groups).toEqual([
      {
        name: 'default',
        maxAge: 1800,
        includeSubdomains: true,
        endpoints: [{ url: 'https://127.0.0.1:8443/reports', priority: 1, weight: 1 }],
      },
    ]);
  });

  it('drops endpoints with invalid priority or weight', () => {
    const r = parseReportTo(
      '{"max_age":60,"endpoints":[{"url":"https://c.example/a","priority":-1},{"url":"https://c.example/b","weight":1.5},{"url":"https://c.example/c","priority":0,"weight":0}]}',
      PAGE,
    );
    expect(r.groups[0]!.endpoints).toEqual([{ url: 'https://c.example/c', priority: 0, weight: 0 }]);
    expect(codes(r.diagnostics)).toEqual(['report-to-endpoint-priority-invalid', 'report-to-endpoint-weight-invalid']);
  });

  it('merges same-named groups and keeps the last copy of a duplicate URL', () => {
    const r = parseReportTo(
      '{"group":"g","max_age":60,"endpoints":[{"url":"https://c.example/a"},{"url":"https://c.example/a"}]},' +
        '{"group":"g","max_age":90,"endpoints":[{"url":"https://c.example/b"},{"url":"https://c.example/a"}]}',
      PAGE,
    );
    expect(r.groups).toEqual([
      {
        name: 'g',
        maxAge: 90,
        includeSubdomains: false,
        endpoints: [
          { url: 'https://c.example/b', priority: 1, weight: 1 },
          { url: 'https://c.example/a', priority: 1, weight: 1 },
        ],
      },
    ]);
    expect(codes(r.diagnostics)).toEqual([
      'report-to-endpoint-duplicate',
      'report-to-duplicate-group',
      'report-to-endpoint-duplicate',
    ]);
  });

  it('reports invalid JSON with its position in the header value', () => {
    const r = parseReportTo('{"group":"default",max_age:10}', PAGE);
    expect(r.groups).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'report-to-invalid-json' });
    expect(r.diagnostics[0]!.message).toMatch(
      /^`Report-To` is not valid JSON at character 20: expected a double-quoted member name but found `m`/,
    );
    expect(r.diagnostics[0]).toMatchObject({ start: 19, end: 26, excerpt: 'max_age', ignored: true });
  });

  it.each([
    ['trailing comma', '{"max_age":60,"endpoints":[{"url":"https://c.example/r"}],}'],
    ['single quotes', "{'max_age':60}"],
    ['comment', '{"max_age":60 /* x */}'],
    ['bare words', 'max_age=60'],
    ['unterminated', '{"max_age":60,"endpoints":[{"url":"https://c.example/r'],
  ])('rejects non-RFC JSON: %s', (_name, value) => {
    const r = parseReportTo(value, PAGE);
    expect(r.groups).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['report-to-invalid-json']);
  });

  it('rejects 5 nested containers counting the wrapping list, accepts 4', () => {
    const four = parseReportTo('{"max_age":60,"endpoints":[{"url":"https://c.example/r","x":1}]}', PAGE);
    expect(four.groups).toHaveLength(1);
    const deep = parseReportTo('{"max_age":60,"endpoints":[{"url":"https://c.example/r","x":{"y":1}}]}', PAGE);
    expect(deep.groups).toEqual([]);
    expect(codes(deep.diagnostics)).toEqual(['report-to-too-deep']);
  });

  it('ignores headers over 16 KiB', () => {
    const big = `{"max_age":60,"endpoints":[{"url":"https://c.example/${'a'.repeat(17000)}"}]}`;
    const r = parseReportTo(big, PAGE);
    expect(r.groups).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['report-to-too-large']);
  });

  it('ignores Report-To on non-HTTPS responses', () => {
    const r = parseReportTo('{"max_age":60,"endpoints":[{"url":"https://c.example/r"}]}', 'http://example.com/');
    expect(r.groups).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'report-to-insecure-response' });
  });

  it('says that a header without any valid group clears the origin', () => {
    const r = parseReportTo('{"group":"g","max_age":60,"endpoints":[]}', PAGE);
    expect(r.groups).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['report-to-group-no-endpoints', 'report-to-no-valid-groups']);
  });

  it('points out a url placed at group level', () => {
    const r = parseReportTo('{"max_age":60,"url":"https://c.example/r"}', PAGE);
    expect(r.groups).toEqual([]);
    const msg = r.diagnostics.map((d) => d.message).join('\n');
    expect(msg).toContain('put URLs inside `"endpoints": [{"url": "…"}]`');
  });

  it('keeps the last of duplicate JSON members, and says so', () => {
    const r = parseReportTo('{"max_age":0,"max_age":60,"endpoints":[{"url":"https://c.example/r"}]}', PAGE);
    expect(r.groups[0]!.maxAge).toBe(60);
    expect(codes(r.diagnostics)).toEqual(['report-to-duplicate-key']);
  });

  it('never throws and always explains an empty result', () => {
    const inputs = [
      '',
      '   ',
      'null',
      '[]',
      '1',
      '"x"',
      '{}',
      '{"max_age":60}',
      '\u0000',
      '\uD800',
      '{"a":"\uDC00"}',
      '['.repeat(100000),
      '{"x":'.repeat(5000),
    ];
    for (const v of inputs) {
      const r = parseReportTo(v, PAGE);
      expect(Array.isArray(r.groups)).toBe(true);
      if (r.groups.length === 0 && r.removedGroups.length === 0) {
        expect(
          r.diagnostics.some((d) => d.severity !== 'info'),
          JSON.stringify(v).slice(0, 40),
        ).toBe(true);
      }
    }
  });

  it('handles a 100 KB value quickly', () => {
    const value = Array.from(
      { length: 1500 },
      (_, i) => `{"group":"g${i}","max_age":60,"endpoints":[{"url":"https://c.example/${i}"}]}`,
    ).join(', ');
    const t = performance.now();
    const r = parseReportTo(value, PAGE);
    expect(performance.now() - t).toBeLessThan(500);
    expect(codes(r.diagnostics)).toEqual(['report-to-too-large']);
  });
});

describe('parseReportingEndpoints', () => {
  it('parses the spec example', () => {
    const r = parseReportingEndpoints('default="https://example.com/reports", csp="https://example.com/csp"', PAGE);
    expect(r).toEqual({
      endpoints: [
        { name: 'default', url: 'https://example.com/reports' },
        { name: 'csp', url: 'https://example.com/csp' },
      ],
      diagnostics: [],
    });
  });

  it('resolves single-slash paths against the document origin and serialises URLs', () => {
    const r = parseReportingEndpoints('default="/r", x="HTTPS://Example.COM:443/a/../b"', 'https://example.com:8443/p');
    expect(r.endpoints).toEqual([
      { name: 'default', url: 'https://example.com:8443/r' },
      { name: 'x', url: 'https://example.com/b' },
    ]);
  });

  it('rejects the whole header when one member is not a string, naming the spec difference', () => {
    const r = parseReportingEndpoints('default="https://example.com/r", csp=https://example.com/csp', PAGE);
    expect(r.endpoints).toEqual([]);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'reporting-endpoints-non-string' });
    expect(r.diagnostics[0]!.message).toBe(
      '`csp=https://example.com/csp` is a token, not a quoted string: Chromium rejects the whole header (the spec would skip only that member). Quote the URL: `csp="https://…"`.',
    );
    expect(r.diagnostics[0]).toMatchObject({
      start: 33,
      end: 60,
      excerpt: 'csp=https://example.com/csp',
      endpointName: 'csp',
      ignored: true,
    });
  });

  it.each(['a=1', 'a=?1', 'a=("https://x.example/r")', 'a=:aGVsbG8=:'])('rejects non-string members: %s', (v) => {
    const r = parseReportingEndpoints(`default="https://example.com/r", ${v}`, PAGE);
    expect(r.endpoints).toEqual([]);
    expect(codes(r.diagnostics)).toEqual(['reporting-endpoints-non-string']);
  });

  it('lets the last duplicate key win, with a warning', () => {
    const r = parseReportingEndpoints('default="https://example.com/a", default="https://example.com/b"', PAGE);
    expect(r.endpoints).toEqual([{ name: 'default', url: 'https://example.com/b' }]);
    expect(codes(r.diagnostics)).toEqual(['reporting-endpoints-duplicate-key']);
  });

  it('joins repeated headers (as webRequest combines them)', () => {
    const r = parseReportingEndpoints('default="https://example.com/a", csp="https://example.com/c"', PAGE);
    expect(r.endpoints.map((e) => e.name)).toEqual(['default', 'csp']);
  });

  it('ignores parameters on members', () => {
    const r = parseReportingEndpoints('default="https://example.com/a";x=1', PAGE);
    expect(r.endpoints).toEqual([{ name: 'default', url: 'https://example.com/a' }]);
  });

  it('drops non-HTTPS and invalid endpoints but keeps the rest', () => {
    const r = parseReportingEndpoints(
      'a="http://example.com/r", b="", c="//x.example/r", d="https://example.com/ok"',
      PAGE,
    );
    expect(r.endpoints).toEqual([{ name: 'd', url: 'https://example.com/ok' }]);
    expect(codes(r.diagnostics)).toEqual([
      'reporting-endpoints-insecure-endpoint',
      'reporting-endpoints-url-empty',
      'reporting-endpoints-url-invalid',
    ]);
    expect(r.diagnostics[0]!.message).toContain('endpoint `http://example.com/r` is not HTTPS: Chromium drops it');
    expect(r.diagnostics.map((d) => [d.excerpt, d.endpointName, d.dropped])).toEqual([
      ['"http://example.com/r"', 'a', 'endpoint'],
      ['""', 'b', 'endpoint'],
      ['"//x.example/r"', 'c', 'endpoint'],
    ]);
  });

  it('explains uppercase names', () => {
    const r = parseReportingEndpoints('CSP="https://example.com/csp"', PAGE);
    expect(r.endpoints).toEqual([]);
    expect(r.diagnostics[0]).toMatchObject({ code: 'reporting-endpoints-uppercase-key', severity: 'error' });
  });

  it('explains other syntax errors at their place', () => {
    const r = parseReportingEndpoints('default="https://example.com/r",, x="y"', PAGE);
    expect(r.endpoints).toEqual([]);
    expect(r.diagnostics[0]!.code).toBe('reporting-endpoints-invalid');
    expect(r.diagnostics[0]!.message).toMatch(/two commas in a row\) at character 33/);
    expect(r.diagnostics[0]).toMatchObject({ start: 32, end: 33, excerpt: ',' });
  });

  it('is ignored on http pages, localhost included', () => {
    for (const url of ['http://example.com/', 'http://localhost:8080/', 'http://127.0.0.1/']) {
      const r = parseReportingEndpoints('default="https://example.com/r"', url);
      expect(r.endpoints).toEqual([]);
      expect(codes(r.diagnostics)).toEqual(['reporting-endpoints-insecure-document']);
    }
  });

  it('never throws and always explains an empty result', () => {
    const inputs = [
      '',
      ' ',
      ',',
      '=',
      'a',
      'a=',
      '"x"',
      '\u0000',
      'a="\u00e9"',
      'a="x',
      'a=(',
      '('.repeat(50000),
      'a="' + 'x'.repeat(1_000_000) + '"',
    ];
    for (const v of inputs) {
      const r = parseReportingEndpoints(v, PAGE);
      if (r.endpoints.length === 0) expect(r.diagnostics.some((d) => d.severity !== 'info')).toBe(true);
    }
  });
});

describe('properties', () => {
  const fragments = [
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\/',
    'max_age',
    '"max_age"',
    '"group"',
    '"endpoints"',
    '"url"',
    '"https://c.example/r"',
    '"/r"',
    '"http://c.example/r"',
    '0',
    '60',
    '-1',
    '1.5',
    'true',
    'false',
    'null',
    '"include_subdomains"',
    ' ',
    '\u202e',
    '\u200b',
    '\u0000',
    '=',
    ';',
    'a',
    '(',
    ')',
  ];
  const soup = fc.array(fc.constantFrom(...fragments), { maxLength: 60 }).map((a) => a.join(''));
  const anything = fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }), soup);
  const urls = fc.constantFrom(
    'https://example.com/',
    'https://localhost:8443/',
    'http://example.com/',
    'not a url',
    '',
  );

  it('parseReportTo never throws, returns the contract shape, explains emptiness, is deterministic', () => {
    fc.assert(
      fc.property(anything, urls, (value, url) => {
        const a = parseReportTo(value, url);
        const b = parseReportTo(value, url);
        expect(b).toEqual(a);
        for (const g of a.groups) {
          expect(typeof g.name).toBe('string');
          expect(Number.isInteger(g.maxAge) && g.maxAge > 0).toBe(true);
          expect(g.endpoints.length).toBeGreaterThan(0);
          for (const e of g.endpoints) expect(/^(https|wss):/.test(e.url)).toBe(true);
        }
        if (a.groups.length === 0 && a.removedGroups.length === 0)
          expect(a.diagnostics.some((d) => d.severity !== 'info')).toBe(true);
        for (const d of a.diagnostics) expect(d.code in REPORTING_DIAGNOSTIC_CODES).toBe(true);
      }),
      { seed: 20261121, numRuns: 3000 },
    );
  });

  it('parseReportingEndpoints never throws, returns the contract shape, explains emptiness, is deterministic', () => {
    fc.assert(
      fc.property(anything, urls, (value, url) => {
        const a = parseReportingEndpoints(value, url);
        expect(parseReportingEndpoints(value, url)).toEqual(a);
        for (const e of a.endpoints) {
          expect(/^[a-z*][a-z0-9_.*-]*$/.test(e.name)).toBe(true);
          expect(/^(https|wss):/.test(e.url)).toBe(true);
        }
        if (a.endpoints.length === 0) expect(a.diagnostics.some((d) => d.severity !== 'info')).toBe(true);
        for (const d of a.diagnostics) expect(d.code in REPORTING_DIAGNOSTIC_CODES).toBe(true);
      }),
      { seed: 20261121, numRuns: 3000 },
    );
  });
});
