import { describe, expect, it } from 'vitest';
import {
  checkEndpoint,
  checkTargets,
  EndpointCheckError,
  headerValues,
  testReportBody,
  TEST_REPORT_TYPE,
  type EndpointCheckDeps,
} from '@/utils/delivery/endpoint-check';

const PAGE = 'https://shop.example/checkout?step=2';
const ENDPOINT = 'https://collector.example/reports/default';
const UA = 'Mozilla/5.0 Test';

type Answer = {
  status?: number;
  headers?: Record<string, string>;
  fail?: Error;
  delay?: number;
  redirectedTo?: string;
};

/** A fake fetch answering OPTIONS and POST as told, recording the requests, on a fake monotonic clock. */
function fakeFetch(answers: { options: Answer; post: Answer }) {
  let clock = 1000;
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const a = init.method === 'OPTIONS' ? answers.options : answers.post;
    clock += a.delay ?? 0;
    if (a.fail) throw a.fail;
    const res = new Response(null, { status: a.status ?? 204, headers: a.headers ?? {} });
    if (a.redirectedTo) {
      Object.defineProperty(res, 'redirected', { value: true });
      Object.defineProperty(res, 'url', { value: a.redirectedTo });
    }
    return res;
  };
  const deps: EndpointCheckDeps = {
    fetch,
    monotonic: () => clock,
    now: () => 1_700_000_000_000,
    userAgent: UA,
    requestOrigin: 'chrome-extension://abc',
  };
  return { deps, calls };
}

const CORS_OK = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'content-type',
};

describe('endpoint check', () => {
  it('passes an endpoint whose preflight allows the page and which accepts the test report, with latencies', async () => {
    const { deps, calls } = fakeFetch({
      options: { status: 204, headers: CORS_OK, delay: 12 },
      post: { status: 204, delay: 30 },
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.verdict).toBe('ok');
    expect(r.findings).toEqual([]);
    expect(r.sameOrigin).toBe(false);
    expect(r.preflight).toMatchObject({
      status: 204,
      latencyMs: 12,
      error: null,
      allowOrigin: '*',
      allowHeaders: 'content-type',
    });
    expect(r.upload).toMatchObject({ status: 204, latencyMs: 30, error: null });
    expect(r.summary).toBe(
      'Reachable: CORS preflight passes, test report accepted (preflight 204 in 12 ms, test report 204 in 30 ms)',
    );
    expect(r.checkedAt).toBe(1_700_000_000_000);

    // Exactly two requests: the preflight, then one marked test report.
    expect(calls.map((c) => [c.url, c.init.method])).toEqual([
      [ENDPOINT, 'OPTIONS'],
      [ENDPOINT, 'POST'],
    ]);
    expect(calls[1]!.init.headers).toEqual({ 'Content-Type': 'application/reports+json' });
    expect(JSON.parse(calls[1]!.init.body as string)).toEqual([
      {
        type: TEST_REPORT_TYPE,
        age: 0,
        url: PAGE,
        user_agent: UA,
        body: { message: 'Test report sent by Report Inspector on user request' },
      },
    ]);
    for (const c of calls) expect(c.init).toMatchObject({ credentials: 'omit', cache: 'no-store' });
  });

  it('accepts the page origin itself in Access-Control-Allow-Origin, and * in Allow-Headers, case-insensitively', async () => {
    const { deps } = fakeFetch({
      options: {
        headers: {
          'access-control-allow-origin': 'https://SHOP.example',
          'access-control-allow-headers': 'X-Other, *',
        },
      },
      post: { status: 200 },
    });
    expect((await checkEndpoint(ENDPOINT, PAGE, deps)).verdict).toBe('ok');
  });

  it('fails on a missing Access-Control-Allow-Origin (the demo /nocors/ collector)', async () => {
    const { deps } = fakeFetch({
      options: { status: 204, headers: { Allow: 'POST, OPTIONS' } },
      post: { status: 204 },
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => [f.code, f.severity])).toEqual([
      ['cors-missing-allow-origin', 'error'],
      ['cors-missing-allow-headers', 'error'],
    ]);
    expect(r.summary).toBe(
      'Reports will not arrive: the CORS preflight fails (no Access-Control-Allow-Origin) (preflight 204 in 0 ms, test report 204 in 0 ms)',
    );
    expect(r.findings[0]!.message).toBe(
      'Access-Control-Allow-Origin is missing from the preflight answer: Chromium needs * or https://shop.example.',
    );
  });

  it('fails when Access-Control-Allow-Origin names another origin, but accepts a server that reflects the request origin', async () => {
    const other = fakeFetch({
      options: { headers: { ...CORS_OK, 'Access-Control-Allow-Origin': 'https://other.example' } },
      post: {},
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, other.deps);
    expect(r.findings[0]).toMatchObject({ code: 'cors-wrong-allow-origin', severity: 'error' });
    expect(r.findings[0]!.message).toContain('"https://other.example", not * or https://shop.example');

    const reflect = fakeFetch({
      options: { headers: { ...CORS_OK, 'Access-Control-Allow-Origin': 'chrome-extension://abc' } },
      post: {},
    });
    const r2 = await checkEndpoint(ENDPOINT, PAGE, reflect.deps);
    expect(r2.verdict).toBe('ok');
    expect(r2.findings).toEqual([expect.objectContaining({ code: 'cors-reflects-origin', severity: 'info' })]);
  });

  it('warns on Access-Control-Allow-Methods without POST (Chromium does not check it; others may)', async () => {
    const { deps } = fakeFetch({
      options: { headers: { ...CORS_OK, 'Access-Control-Allow-Methods': 'GET, PUT' } },
      post: {},
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.verdict).toBe('warning');
    expect(r.findings).toEqual([expect.objectContaining({ code: 'cors-methods-without-post', severity: 'warning' })]);
    expect(r.summary).toMatch(/^Reachable, with a warning/);
  });

  it('fails on Access-Control-Allow-Headers that do not allow content-type', async () => {
    const { deps } = fakeFetch({
      options: { headers: { ...CORS_OK, 'Access-Control-Allow-Headers': 'x-api-key' } },
      post: {},
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.findings.map((f) => f.code)).toEqual(['cors-wrong-allow-headers']);
  });

  it('reports HTTP errors: a failing preflight and a 500 on the test report', async () => {
    const { deps } = fakeFetch({ options: { status: 405, headers: CORS_OK }, post: { status: 500 } });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.code)).toEqual(['preflight-status', 'upload-status']);
    expect(r.findings[0]!.message).toContain('HTTP 405');
    expect(r.findings[1]!.message).toContain('HTTP 500: Chromium counts this as a failed attempt');
    expect(r.upload.status).toBe(500);
  });

  it('says that a 410 makes Chromium drop the endpoint', async () => {
    const { deps } = fakeFetch({ options: { headers: CORS_OK }, post: { status: 410 } });
    expect((await checkEndpoint(ENDPOINT, PAGE, deps)).findings.map((f) => f.code)).toEqual(['upload-gone']);
  });

  it('reports a network failure (DNS, TLS, connection) as such, with the time it took', async () => {
    const { deps } = fakeFetch({
      options: { fail: new TypeError('Failed to fetch'), delay: 40 },
      post: { fail: new TypeError('Failed to fetch'), delay: 41 },
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.verdict).toBe('fail');
    expect(r.preflight).toMatchObject({ status: null, latencyMs: 40, allowOrigin: null });
    expect(r.preflight.error).toBe('network failure (DNS, TLS certificate or connection): Failed to fetch');
    expect(r.upload).toMatchObject({ status: null, latencyMs: 41 });
    expect(r.findings.map((f) => f.code)).toEqual(['preflight-network', 'upload-network']);
    expect(r.summary).toContain('preflight failed in 40 ms, test report failed in 41 ms');
  });

  it('reports a timeout', async () => {
    const timeout = Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
    const { deps } = fakeFetch({ options: { fail: timeout }, post: { fail: timeout } });
    const r = await checkEndpoint(ENDPOINT, PAGE, { ...deps, timeoutMs: 5000 });
    expect(r.preflight.error).toBe('no answer within 5 s');
  });

  it('treats CORS as irrelevant for a same-origin endpoint (Chromium sends no preflight)', async () => {
    const { deps } = fakeFetch({ options: { status: 404 }, post: { status: 204 } });
    const r = await checkEndpoint('https://shop.example/reports', PAGE, deps);
    expect(r.sameOrigin).toBe(true);
    expect(r.verdict).toBe('ok');
    expect(r.findings.every((f) => f.severity === 'info')).toBe(true);
    expect(r.summary).toContain('same origin, no preflight needed');
  });

  it('flags redirects, failing those to non-HTTPS URLs', async () => {
    const { deps } = fakeFetch({
      options: { headers: CORS_OK },
      post: { status: 204, redirectedTo: 'http://collector.example/r' },
    });
    const r = await checkEndpoint(ENDPOINT, PAGE, deps);
    expect(r.findings).toEqual([expect.objectContaining({ code: 'upload-redirect', severity: 'error' })]);
  });

  it('checks only https and wss endpoints (wss over https), never anything else', async () => {
    expect(() => checkTargets('http://collector.example/r', PAGE)).toThrow(EndpointCheckError);
    expect(() => checkTargets('javascript:alert(1)', PAGE)).toThrow(EndpointCheckError);
    expect(() => checkTargets('not a url', PAGE)).toThrow(EndpointCheckError);
    expect(() => checkTargets('https://u:p@collector.example/r', PAGE)).toThrow(EndpointCheckError);
    expect(checkTargets('wss://collector.example/r', PAGE)).toEqual({
      requestUrl: 'https://collector.example/r',
      endpointOrigin: 'https://collector.example',
      pageOrigin: 'https://shop.example',
    });
    const { deps, calls } = fakeFetch({ options: {}, post: {} });
    await expect(checkEndpoint('http://collector.example/r', PAGE, deps)).rejects.toBeInstanceOf(EndpointCheckError);
    expect(calls).toEqual([]);
  });

  it('reads comma-separated header values like Chromium', () => {
    expect(headerValues(' Content-Type , X-A,,')).toEqual(['content-type', 'x-a']);
    expect(headerValues(null)).toEqual([]);
    expect((JSON.parse(testReportBody('https://a.example/', 'UA')) as { type: string }[])[0]?.type).toBe(
      'report-inspector-test',
    );
  });
});
