/**
 * Checks one reporting endpoint the way Chromium uploads to it, on the user's request only: the CORS preflight
 * (`OPTIONS`) and one clearly marked test report (`POST`, `application/reports+json`). Pure apart from the
 * `fetch` passed in.
 *
 * What Chromium checks (net/reporting/reporting_uploader.cc): no preflight when the endpoint has the report's
 * origin; otherwise the preflight needs a 2xx status, `Access-Control-Allow-Origin` listing `*` or the page's
 * origin, and `Access-Control-Allow-Headers` listing `*` or `content-type`. It does not check
 * `Access-Control-Allow-Methods` (POST is a CORS-safelisted method). Redirects to non-HTTPS URLs, certificate
 * errors and authentication challenges cancel the upload. A 2xx answer to the upload is a success, 410 removes the
 * endpoint, anything else is a failed attempt.
 */
import type { Severity } from '@/utils/headers/types';

/** The body's `type`, so a collector can tell the test report apart from real ones. */
export const TEST_REPORT_TYPE = 'report-inspector-test';
const TEST_REPORT_MESSAGE = 'Test report sent by Report Inspector on user request';

export interface EndpointFinding {
  severity: Severity;
  code: string;
  message: string;
}

/** One HTTP request of the check. */
export interface HttpAttempt {
  /** HTTP status, or null when no response came back. */
  status: number | null;
  latencyMs: number;
  /** Why no response came back (network, TLS, timeout), else null. */
  error: string | null;
  /** The final URL when the request was redirected. */
  redirectedTo?: string;
}

export interface PreflightAttempt extends HttpAttempt {
  allowOrigin: string | null;
  allowMethods: string | null;
  allowHeaders: string | null;
}

/** What checking one endpoint found. */
export interface EndpointCheckResult {
  /** The endpoint as configured. */
  url: string;
  /** The URL that was requested (a `wss:` endpoint is checked over `https:`). */
  requestedUrl: string;
  pageOrigin: string;
  checkedAt: number;
  /** The endpoint has the page's origin: Chromium sends no preflight, so CORS headers do not matter. */
  sameOrigin: boolean;
  preflight: PreflightAttempt;
  upload: HttpAttempt;
  /** `fail`: Chromium would not deliver; `warning`: it would, with something worth a look; `ok`: it would. */
  verdict: 'ok' | 'warning' | 'fail';
  /** One line for the endpoint's row. */
  summary: string;
  findings: EndpointFinding[];
}

export interface EndpointCheckDeps {
  fetch: (input: string, init: RequestInit) => Promise<Response>;
  /** A monotonic clock in ms (`performance.now`) for latencies. */
  monotonic: () => number;
  /** Wall clock (ms epoch) for `checkedAt`. */
  now: () => number;
  userAgent: string;
  /** The origin the extension's requests carry (`chrome-extension://<id>`): a server that echoes it reflects origins. */
  requestOrigin?: string;
  timeoutMs?: number;
}

export class EndpointCheckError extends Error {}

const DEFAULT_TIMEOUT_MS = 10_000;

/** The test report's JSON, exactly as sent. */
export function testReportBody(pageUrl: string, userAgent: string): string {
  return JSON.stringify([
    { type: TEST_REPORT_TYPE, age: 0, url: pageUrl, user_agent: userAgent, body: { message: TEST_REPORT_MESSAGE } },
  ]);
}

/** The endpoint URL to request and the page origin, or an EndpointCheckError saying why the inputs are refused. */
export function checkTargets(
  url: string,
  pageUrl: string,
): { requestUrl: string; endpointOrigin: string; pageOrigin: string } {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    throw new EndpointCheckError(`Not a URL: ${url.slice(0, 200)}`);
  }
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'wss:') {
    throw new EndpointCheckError(
      'Only https:// and wss:// endpoints can be checked: Chromium uploads reports to no other kind.',
    );
  }
  if (endpoint.username || endpoint.password)
    throw new EndpointCheckError('Endpoints with credentials in the URL are not checked.');
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    throw new EndpointCheckError('The page URL is not a URL.');
  }
  if (page.protocol !== 'https:' && page.protocol !== 'http:')
    throw new EndpointCheckError('The page must be an http(s) page.');
  const requestUrl = endpoint.protocol === 'wss:' ? `https:${endpoint.href.slice('wss:'.length)}` : endpoint.href;
  return { requestUrl, endpointOrigin: new URL(requestUrl).origin, pageOrigin: page.origin };
}

/**
 * Comma-separated header values, trimmed and lower-cased (how `HasHeaderValues` in net/reporting/reporting_uploader.cc
 * reads them).
 */
export function headerValues(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter((v) => v !== '');
}

function describeError(e: unknown, timeoutMs: number): string {
  const name = typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${Math.round(timeoutMs / 1000)} s`;
  const message = e instanceof Error ? e.message : String(e);
  // Browsers say only "Failed to fetch": DNS, TLS (certificate) and connection errors look the same from here.
  return `network failure (DNS, TLS certificate or connection): ${message}`;
}

async function attempt(
  deps: EndpointCheckDeps,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<{ attempt: HttpAttempt; response: Response | null }> {
  const start = deps.monotonic();
  try {
    const response = await deps.fetch(url, {
      ...init,
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'follow',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = Math.round(deps.monotonic() - start);
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    const out: HttpAttempt = { status: response.status, latencyMs, error: null };
    if (response.redirected && response.url && response.url !== url) out.redirectedTo = response.url;
    return { attempt: out, response };
  } catch (e) {
    return {
      attempt: { status: null, latencyMs: Math.round(deps.monotonic() - start), error: describeError(e, timeoutMs) },
      response: null,
    };
  }
}

const ok2xx = (status: number | null): boolean => status !== null && status >= 200 && status <= 299;

/**
 * Sends the preflight and one test report to `url` as if the page at `pageUrl` reported to it, and says what
 * Chromium would make of the answers. Throws EndpointCheckError for inputs it refuses (not https/wss).
 */
export async function checkEndpoint(
  url: string,
  pageUrl: string,
  deps: EndpointCheckDeps,
): Promise<EndpointCheckResult> {
  const { requestUrl, endpointOrigin, pageOrigin } = checkTargets(url, pageUrl);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sameOrigin = endpointOrigin === pageOrigin;
  const checkedAt = deps.now();
  const findings: EndpointFinding[] = [];
  // A CORS problem only matters for cross-origin endpoints: Chromium skips the preflight otherwise.
  const corsSeverity: Severity = sameOrigin ? 'info' : 'error';
  const corsNote = sameOrigin
    ? " (does not matter here: the endpoint has the page's origin, so Chromium sends no preflight)"
    : '';

  // 1. The preflight.
  const pre = await attempt(deps, requestUrl, { method: 'OPTIONS' }, timeoutMs);
  const h = pre.response?.headers;
  const preflight: PreflightAttempt = {
    ...pre.attempt,
    allowOrigin: h?.get('access-control-allow-origin') ?? null,
    allowMethods: h?.get('access-control-allow-methods') ?? null,
    allowHeaders: h?.get('access-control-allow-headers') ?? null,
  };
  if (preflight.error !== null) {
    findings.push({
      severity: corsSeverity,
      code: 'preflight-network',
      message: `Preflight (OPTIONS) failed: ${preflight.error}${corsNote}.`,
    });
  } else {
    if (!ok2xx(preflight.status)) {
      findings.push({
        severity: corsSeverity,
        code: 'preflight-status',
        message: `Preflight (OPTIONS) answered HTTP ${preflight.status}: Chromium needs a 2xx answer${corsNote}.`,
      });
    }
    const origins = headerValues(preflight.allowOrigin);
    const reflected = deps.requestOrigin !== undefined && origins.includes(deps.requestOrigin.toLowerCase());
    if (preflight.allowOrigin === null) {
      findings.push({
        severity: corsSeverity,
        code: 'cors-missing-allow-origin',
        message: `Access-Control-Allow-Origin is missing from the preflight answer: Chromium needs * or ${pageOrigin}${corsNote}.`,
      });
    } else if (origins.includes('*') || origins.includes(pageOrigin.toLowerCase())) {
      // Fine.
    } else if (reflected) {
      findings.push({
        severity: 'info',
        code: 'cors-reflects-origin',
        message: `The server echoes the request's origin in Access-Control-Allow-Origin; a preflight from ${pageOrigin} should get ${pageOrigin} back.`,
      });
    } else {
      findings.push({
        severity: corsSeverity,
        code: 'cors-wrong-allow-origin',
        message: `Access-Control-Allow-Origin is "${preflight.allowOrigin}", not * or ${pageOrigin}${corsNote}.`,
      });
    }
    const allowHeaders = headerValues(preflight.allowHeaders);
    if (preflight.allowHeaders === null) {
      findings.push({
        severity: corsSeverity,
        code: 'cors-missing-allow-headers',
        message: `Access-Control-Allow-Headers is missing from the preflight answer: Chromium needs content-type or *${corsNote}.`,
      });
    } else if (!allowHeaders.includes('*') && !allowHeaders.includes('content-type')) {
      findings.push({
        severity: corsSeverity,
        code: 'cors-wrong-allow-headers',
        message: `Access-Control-Allow-Headers is "${preflight.allowHeaders}", which does not allow content-type${corsNote}.`,
      });
    }
    const methods = headerValues(preflight.allowMethods);
    if (preflight.allowMethods !== null && !methods.includes('post') && !methods.includes('*')) {
      findings.push({
        severity: sameOrigin ? 'info' : 'warning',
        code: 'cors-methods-without-post',
        message: `Access-Control-Allow-Methods is "${preflight.allowMethods}", without POST. Chromium does not check this header for report uploads (POST is a CORS-safelisted method); other browsers may refuse the upload.`,
      });
    }
    if (preflight.redirectedTo && !preflight.redirectedTo.startsWith('https:')) {
      findings.push({
        severity: corsSeverity,
        code: 'preflight-insecure-redirect',
        message: `The preflight was redirected to ${preflight.redirectedTo}: Chromium cancels redirects to non-HTTPS URLs${corsNote}.`,
      });
    }
  }

  // 2. One test report, as Chromium uploads it.
  const up = await attempt(
    deps,
    requestUrl,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/reports+json' },
      body: testReportBody(pageUrl, deps.userAgent),
    },
    timeoutMs,
  );
  const upload = up.attempt;
  if (upload.error !== null) {
    findings.push({
      severity: 'error',
      code: 'upload-network',
      message: `The test report could not be sent: ${upload.error}.`,
    });
  } else if (upload.status === 410) {
    findings.push({
      severity: 'error',
      code: 'upload-gone',
      message:
        'The test report got HTTP 410 Gone: Chromium removes an endpoint that answers 410 and sends it nothing more.',
    });
  } else if (!ok2xx(upload.status)) {
    findings.push({
      severity: 'error',
      code: 'upload-status',
      message: `The test report got HTTP ${upload.status}: Chromium counts this as a failed attempt and retries later (at most 5 attempts, backing off from 1 minute).`,
    });
  }
  if (upload.redirectedTo) {
    findings.push({
      severity: upload.redirectedTo.startsWith('https:') ? 'warning' : 'error',
      code: 'upload-redirect',
      message: `The test report was redirected to ${upload.redirectedTo}${upload.redirectedTo.startsWith('https:') ? '' : ': Chromium cancels redirects to non-HTTPS URLs'}.`,
    });
  }

  const verdict: EndpointCheckResult['verdict'] = findings.some((f) => f.severity === 'error')
    ? 'fail'
    : findings.some((f) => f.severity === 'warning')
      ? 'warning'
      : 'ok';
  return {
    url,
    requestedUrl: requestUrl,
    pageOrigin,
    checkedAt,
    sameOrigin,
    preflight,
    upload,
    verdict,
    summary: summarise(verdict, findings, preflight, upload, sameOrigin),
    findings,
  };
}

/** The first failure in a few words (the findings say the rest). */
const SHORT_REASON: Record<string, string> = {
  'preflight-network': 'the preflight could not reach the endpoint',
  'preflight-status': 'the preflight is refused',
  'preflight-insecure-redirect': 'the preflight is redirected to a non-HTTPS URL',
  'cors-missing-allow-origin': 'the CORS preflight fails (no Access-Control-Allow-Origin)',
  'cors-wrong-allow-origin': 'the CORS preflight fails (Access-Control-Allow-Origin names another origin)',
  'cors-missing-allow-headers': 'the CORS preflight fails (no Access-Control-Allow-Headers)',
  'cors-wrong-allow-headers': 'the CORS preflight fails (content-type is not allowed)',
  'upload-network': 'the endpoint could not be reached',
  'upload-gone': 'the endpoint answers 410 Gone',
  'upload-status': 'the endpoint refuses the report',
  'upload-redirect': 'the upload is redirected to a non-HTTPS URL',
};

function summarise(
  verdict: EndpointCheckResult['verdict'],
  findings: EndpointFinding[],
  preflight: PreflightAttempt,
  upload: HttpAttempt,
  sameOrigin: boolean,
): string {
  const timing = `preflight ${preflight.status ?? 'failed'} in ${preflight.latencyMs} ms, test report ${upload.status ?? 'failed'} in ${upload.latencyMs} ms`;
  if (verdict === 'fail') {
    const first = findings.find((f) => f.severity === 'error')!;
    return `Reports will not arrive: ${SHORT_REASON[first.code] ?? first.message} (${timing})`;
  }
  const how = sameOrigin ? 'same origin, no preflight needed' : 'CORS preflight passes';
  return `${verdict === 'ok' ? 'Reachable' : 'Reachable, with a warning'}: ${how}, test report accepted (${timing})`;
}
