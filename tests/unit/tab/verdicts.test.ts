import { describe, expect, it } from 'vitest';
import { documentVerdict } from '@/utils/tab/verdicts';
import type { HeaderDiagnostic } from '@/utils/headers/types';
import { doc, plainAnalysis } from '../../fixtures/views';

const URL_ = 'https://shop.acme.test/';
const header = { name: 'reporting-endpoints', value: 'default="https://r.acme.test/", csp="http://r.acme.test/csp"' };

/** A diagnostic with a code no parser emits: the verdict may only read its structured facts. */
function diag(partial: Partial<HeaderDiagnostic>): HeaderDiagnostic {
  return {
    severity: 'warning',
    code: 'made-up-code',
    message: 'made-up message',
    header: 'reporting-endpoints',
    ignored: false,
    dropped: 'nothing',
    ...partial,
  };
}

function verdictOf(diagnostics: HeaderDiagnostic[], kept: string[]) {
  const d = doc({
    url: URL_,
    headers: [header],
    endpoints: kept.map((name) => ({ name, url: `https://r.acme.test/${name}` })),
    diagnostics,
  });
  return documentVerdict(plainAnalysis(d));
}

describe('documentVerdict reads the diagnostics’ structured facts, not their codes', () => {
  it('a dropped endpoint makes the header "partly kept" and names its http: URL, whatever the code', () => {
    const v = verdictOf(
      [diag({ dropped: 'endpoint', endpointName: 'csp', excerpt: '"http://r.acme.test/csp"', message: 'csp dropped' })],
      ['default'],
    );
    expect(v.reportingEndpoints.state).toBe('partial');
    expect(v.reportingEndpoints.why).toBe('csp dropped');
    expect(v.reportingEndpoints.text).toBe('sent, 1 endpoint kept (default); dropped: csp dropped');
    expect(v.insecureEndpointUrls).toEqual(['http://r.acme.test/csp']);
  });

  it('advice that drops nothing leaves the header kept, with its severity', () => {
    const v = verdictOf([diag({ dropped: 'nothing', message: 'advice' })], ['default']);
    expect(v.reportingEndpoints.state).toBe('kept');
    expect(v.reportingEndpoints.severity).toBe('warning');
    expect(v.insecureEndpointUrls).toEqual([]);
  });

  it('a fault that makes Chromium ignore the whole header is the reason it was rejected', () => {
    const v = verdictOf(
      [
        diag({ dropped: 'endpoint', message: 'an endpoint fault' }),
        diag({ severity: 'error', ignored: true, dropped: 'header', message: 'whole header ignored' }),
      ],
      [],
    );
    expect(v.reportingEndpoints.state).toBe('rejected');
    expect(v.reportingEndpoints.text).toBe('sent and rejected: whole header ignored');
    expect(v.reportingEndpoints.severity).toBe('error');
  });

  it("a parser code's severity comes from the one table, whatever the diagnostic says", () => {
    // `reporting-endpoints-uppercase-key` is an error in DIAGNOSTIC_SEVERITY; a stale copy saying warning loses.
    const v = verdictOf(
      [diag({ code: 'reporting-endpoints-uppercase-key', severity: 'warning', ignored: true, dropped: 'header' })],
      [],
    );
    expect(v.reportingEndpoints.severity).toBe('error');
    expect(v.problems).toEqual({ errors: 1, warnings: 0, infos: 0 });
  });

  it('a header not sent is "not sent", with no reason', () => {
    const v = documentVerdict(plainAnalysis(doc({ url: URL_ })));
    expect(v.reportingEndpoints).toMatchObject({ state: 'not-sent', why: null, severity: null, text: 'not sent' });
    expect(v.reportTo.state).toBe('not-sent');
  });
});
