// Property-based fuzzing of every parser that reads untrusted input: random and mutated real values, structured-
// field syntax, unicode, control characters, 1 MB values and deep nesting. Seeded, 10,000 runs per parser.
// Every parser must never throw, always return its contract shape, explain an empty result, and be deterministic.
import { describe, expect, it, vi } from 'vitest';

// Generous limits: CI machines are shared and noisy; the budgets that matter are measured in bench/.
vi.setConfig({ testTimeout: 120_000 });
import fc from 'fast-check';
import { parseReportTo, parseReportingEndpoints } from '@/utils/headers/reporting-headers';
import { parseReferencingHeaders } from '@/utils/headers/referencing-headers';
import { parseStrictJson } from '@/utils/headers/strict-json';
import { parsePageEvent } from '@/utils/page/events';
import { parseCheckpoint, recogniseCrashSenseBody } from '@/utils/page/crashsense';
import { scrub } from '@/utils/page/scrub';
import { buildDocumentRecord, pickReportingHeaders } from '@/utils/tab/documents';
import { analyseDocument } from '@/utils/tab/routes';
import { applyReportTo } from '@/utils/tab/origin-cache';
import { REPORTING_HEADERS } from '@/utils/headers/types';

const RUNS = 10_000;
const SEED = 20261121;
const options = { seed: SEED, numRuns: RUNS };
const URLS = [
  'https://example.com/page',
  'https://127.0.0.1:8443/x',
  'https://localhost/',
  'http://example.com/',
  'not a url',
  '',
];

const REAL_VALUES = [
  '{"group":"default","max_age":1800,"endpoints":[{"url":"https://127.0.0.1:8443/reports/default"}],"include_subdomains":true}',
  '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s=x"}],"group":"cf-nel","max_age":604800}',
  'default="https://example.com/reports", csp="/csp"',
  "default-src 'self'; report-to csp; report-uri /csp",
  '{"report_to":"cf-nel","max_age":604800,"success_fraction":0}',
  'same-origin; report-to="coop"',
  'geolocation=();report-to=pp, camera=(self)',
  '*;report-to=dp, oversized-images=2.0',
  'blocked-destinations=(script), endpoints=(integrity)',
];
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ',',
  ';',
  ':',
  '=',
  '"',
  "'",
  '\\',
  '\\/',
  '\\u0000',
  ' ',
  '\t',
  'report-to',
  'max_age',
  '"url"',
  'https://x.example/r',
  '/r',
  '*',
  '?1',
  '1.5e3',
  '-0',
  'true',
  'null',
  '\u202e',
  '\u200b',
  '\u0000',
  '\u001f',
  '\uD800',
  '💥',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
];

/** Real values with random edits: insertions, deletions, duplications. */
const mutated = fc
  .tuple(
    fc.constantFrom(...REAL_VALUES),
    fc.array(fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom(...TOKENS)), { maxLength: 6 }),
  )
  .map(([v, edits]) => {
    let s = v;
    for (const [at, del, ins] of edits) {
      const i = s.length === 0 ? 0 : at % s.length;
      s = s.slice(0, i) + ins + s.slice(i + del);
    }
    return s;
  });
const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 40 }).map((a) => a.join(''));
const headerValue = fc.oneof(
  { weight: 3, arbitrary: mutated },
  { weight: 2, arbitrary: soup },
  { weight: 2, arbitrary: fc.string({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
);

describe(`fuzz (${RUNS} runs per parser, seed ${SEED})`, () => {
  it('parseReportTo', () => {
    fc.assert(
      fc.property(headerValue, fc.constantFrom(...URLS), (v, url) => {
        const a = parseReportTo(v, url);
        expect(parseReportTo(v, url)).toEqual(a);
        expect(Array.isArray(a.groups) && Array.isArray(a.removedGroups) && Array.isArray(a.diagnostics)).toBe(true);
        if (a.groups.length === 0 && a.removedGroups.length === 0)
          expect(a.diagnostics.some((d) => d.severity !== 'info')).toBe(true);
        for (const g of a.groups) for (const e of g.endpoints) expect(e.url).toMatch(/^(https|wss):\/\//);
      }),
      options,
    );
  });

  it('parseReportingEndpoints', () => {
    fc.assert(
      fc.property(headerValue, fc.constantFrom(...URLS), (v, url) => {
        const a = parseReportingEndpoints(v, url);
        expect(parseReportingEndpoints(v, url)).toEqual(a);
        if (a.endpoints.length === 0) expect(a.diagnostics.some((d) => d.severity !== 'info')).toBe(true);
        for (const e of a.endpoints) expect(typeof e.name === 'string' && /^(https|wss):\/\//.test(e.url)).toBe(true);
      }),
      options,
    );
  });

  it('parseReferencingHeaders', () => {
    fc.assert(
      fc.property(fc.constantFrom(...REPORTING_HEADERS), headerValue, fc.constantFrom(...URLS), (name, v, url) => {
        const a = parseReferencingHeaders([{ name, value: v }], url);
        expect(parseReferencingHeaders([{ name, value: v }], url)).toEqual(a);
        expect(Array.isArray(a.references) && Array.isArray(a.reportUris) && Array.isArray(a.diagnostics)).toBe(true);
        for (const r of a.references) expect(typeof r.endpointName).toBe('string');
        for (const d of a.diagnostics) expect(['error', 'warning', 'info']).toContain(d.severity);
      }),
      options,
    );
  });

  it('the whole document pipeline (headers → record → routes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...REPORTING_HEADERS, 'X-Other'), headerValue), { maxLength: 5 }),
        fc.constantFrom(...URLS),
        (pairs, url) => {
          const headers = pickReportingHeaders(pairs.map(([name, value]) => ({ name, value })));
          const doc = buildDocumentRecord({
            frameId: 0,
            parentFrameId: -1,
            url,
            type: 'main_frame',
            statusCode: 200,
            headers,
            now: 1,
          });
          const rt = headers.find((h) => h.name === 'report-to');
          const cache = rt ? applyReportTo({}, rt.value, url, 'main_frame', 1).cache : {};
          const a = analyseDocument(doc, cache, 2);
          expect(a.crash.reportType).toBe('crash');
          for (const r of a.routes)
            expect(r.willDeliver ? typeof r.url === 'string' : typeof r.reason === 'string').toBe(true);
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('parseStrictJson', () => {
    fc.assert(
      fc.property(fc.oneof(headerValue, fc.json()), fc.integer({ min: 1, max: 8 }), (v, depth) => {
        const a = parseStrictJson(v, depth);
        expect(parseStrictJson(v, depth)).toEqual(a);
        if (a.ok) {
          let ok = true;
          try {
            JSON.parse(v);
          } catch {
            ok = false;
          }
          expect(ok).toBe(true); // never accepts what JSON.parse rejects
        }
      }),
      options,
    );
  });

  const anyValue = fc.oneof(
    fc.anything({ maxDepth: 3, maxKeys: 6 }),
    fc.json().map((s) => JSON.parse(s) as unknown),
    fc.constant({ __proto__: { polluted: true } }),
  );
  it('parsePageEvent', () => {
    const kinds = fc.constantFrom('breadcrumb', 'report', 'checkpoint', 'app-report', 'app-report-status', 'bogus');
    const ev = fc.oneof(
      anyValue,
      fc.record(
        {
          kind: kinds,
          crumb: anyValue,
          report: anyValue,
          checkpoint: anyValue,
          id: anyValue,
          status: anyValue,
          atLoad: anyValue,
        },
        { requiredKeys: ['kind'] },
      ),
    );
    fc.assert(
      fc.property(ev, (raw) => {
        const a = parsePageEvent(raw);
        expect(parsePageEvent(raw)).toEqual(a);
        if (a) {
          expect(JSON.stringify(a).length).toBeLessThan(200_000);
          expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
        }
      }),
      options,
    );
  });

  it('parseCheckpoint and recogniseCrashSenseBody', () => {
    fc.assert(
      fc.property(fc.oneof(headerValue, fc.json()), anyValue, (text, body) => {
        const c = parseCheckpoint(text);
        expect(parseCheckpoint(text)).toEqual(c);
        const r = recogniseCrashSenseBody(body);
        expect(Array.isArray(r)).toBe(true);
      }),
      options,
    );
  });

  it('scrub', () => {
    fc.assert(
      fc.property(fc.oneof(headerValue, fc.string({ maxLength: 500 })), (s) => {
        const a = scrub(s);
        expect(typeof a).toBe('string');
        expect(scrub(s)).toBe(a);
        expect(scrub(a)).toBe(a); // idempotent: scrubbed text stays scrubbed
      }),
      options,
    );
  });
});

describe('extreme inputs', () => {
  const MB = 1024 * 1024;
  const bigs = [
    'a'.repeat(MB),
    '{'.repeat(MB),
    '['.repeat(MB),
    '"'.repeat(MB),
    `default="${'x'.repeat(MB)}"`,
    '\u0000'.repeat(MB),
    '😀'.repeat(MB / 4),
    `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
  ];
  it.each(bigs.map((b, i) => [i, b] as const))('every parser survives 1 MB value #%i quickly', (_i, v) => {
    const t = performance.now();
    expect(parseReportTo(v, URLS[0]!).diagnostics.length).toBeGreaterThan(0);
    expect(() => parseReportingEndpoints(v, URLS[0]!)).not.toThrow();
    for (const name of REPORTING_HEADERS)
      expect(() => parseReferencingHeaders([{ name, value: v }], URLS[0]!)).not.toThrow();
    expect(() => parseStrictJson(v, 5)).not.toThrow();
    expect(() => parseCheckpoint(v)).not.toThrow();
    expect(() =>
      parsePageEvent({ kind: 'breadcrumb', crumb: { type: 'console', timestamp: 1, message: v } }),
    ).not.toThrow();
    expect(performance.now() - t).toBeLessThan(20_000);
  });
});

// Parsers of untrusted input the block above does not reach: what a page's hook posts (before parsePageEvent),
// a collector's inbox answer, and the headers of an endpoint's answer to the endpoint check.
describe(`fuzz: page hook events, inbox answers, endpoint answers (${RUNS} runs per parser, seed ${SEED})`, () => {
  const jsonish = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.anything({ maxDepth: 3 }),
    fc.record(
      {
        kind: fc.constantFrom('app-upload', 'breadcrumb', 'report', 'checkpoint'),
        body: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 3 })),
        transport: fc.string(),
        destination: fc.string(),
        id: fc.string(),
      },
      { requiredKeys: [] },
    ),
  );

  it('expandHookEvent never throws and yields only valid page events', async () => {
    const { expandHookEvent } = await import('@/utils/page/events');
    fc.assert(
      fc.property(jsonish, (raw) => {
        const evs = expandHookEvent(raw);
        expect(Array.isArray(evs)).toBe(true);
        for (const ev of evs) expect(parsePageEvent(ev)).not.toBeNull();
      }),
      options,
    );
  });

  it('parseInbox returns bounded uploads or throws an Error, never anything else', async () => {
    const { parseInbox } = await import('@/utils/delivery/inbox');
    const upload = fc.record(
      {
        receivedAt: fc.oneof(fc.double(), fc.integer()),
        path: fc.string(),
        reports: fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(jsonish, fc.array(fc.oneof(upload, jsonish), { maxLength: 8 })), (raw) => {
        let r: ReturnType<typeof parseInbox>;
        try {
          r = parseInbox(raw);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect(e).not.toBeInstanceOf(TypeError);
          return;
        }
        expect(Array.isArray(r.uploads)).toBe(true);
        expect(Number.isInteger(r.ignored) && r.ignored >= 0).toBe(true);
      }),
      options,
    );
  });

  it('headerValues (the endpoint check reads the answer headers) never throws', async () => {
    const { headerValues } = await import('@/utils/delivery/endpoint-check');
    fc.assert(
      fc.property(fc.option(headerValue), (v) => {
        for (const x of headerValues(v)) expect(x).toBe(x.trim().toLowerCase());
      }),
      options,
    );
  });
});
