// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fireEvent, render, within } from '@testing-library/preact';
import { h } from 'preact';
import { RoutesTab } from '@/components/panel/RoutesTab';
import { analyseDocument } from '@/utils/tab/routes';
import { buildDocumentRecord, pickReportingHeaders } from '@/utils/tab/documents';
import { checkKey } from '@/components/panel/delivery';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';

const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

function analysis(url: string, headers: Record<string, string>) {
  const picked = pickReportingHeaders(Object.entries(headers).map(([name, value]) => ({ name, value })));
  return analyseDocument(
    buildDocumentRecord({
      frameId: 0,
      parentFrameId: -1,
      url,
      type: 'main_frame',
      statusCode: 200,
      headers: picked,
      now: NOW,
    }),
    {},
    NOW,
  );
}

describe('the Routes tab\'s "Why no report?" doctor', () => {
  const good = analysis('https://shop.example/', {
    'Reporting-Endpoints': 'csp="https://collector.example/csp", default="/d"',
    'Content-Security-Policy': 'report-to csp',
  });

  it('shows a verdict per route as text and the checklist on demand', () => {
    const r = render(h(RoutesTab, { analyses: [good], now: NOW, facts: {} }));
    const rows = r.getAllByTestId('route-row');
    expect(rows.length).toBe(4);
    for (const row of rows)
      expect(within(row).getByTestId('route-doctor-headline').textContent).toMatch(/^Will be delivered to https:\/\//);
    const csp = rows.find((x) => x.dataset.type === 'csp-violation')!;
    const doctor = within(csp).getByTestId('route-doctor');
    expect(doctor.dataset.verdict).toBe('unless');
    const details = within(csp).getByTestId<HTMLDetailsElement>('route-doctor-details');
    expect(details.textContent).toContain('not visible from here');
    fireEvent.click(details.querySelector('summary')!);
    const checks = within(csp).getAllByTestId('doctor-check');
    const byId: Record<string, HTMLElement | undefined> = Object.fromEntries(
      checks.map((c): [string, HTMLElement] => [c.dataset.check ?? '', c]),
    );
    expect(byId['cors']!.dataset.status).toBe('info');
    expect(byId['cors']!.textContent).toContain('without cookies');
    expect(byId['background-sync']!.dataset.status).toBe('unknown');
    expect(within(byId['background-sync']!).getByTestId('doctor-fix').textContent).toContain(
      "navigator.permissions.query({name: 'background-sync'})",
    );
    expect(byId['delivery-delay']!.textContent).toContain('--short-reporting-delay');
    r.unmount();
  });

  it('reads the endpoint check the user ran: 410 Gone blocks the route', () => {
    const url = 'https://collector.example/csp';
    const result = {
      url,
      requestedUrl: url,
      pageOrigin: 'https://shop.example',
      checkedAt: NOW,
      sameOrigin: false,
      preflight: {
        status: 204,
        latencyMs: 3,
        error: null,
        allowOrigin: '*',
        allowMethods: null,
        allowHeaders: 'content-type',
      },
      upload: { status: 410, latencyMs: 3, error: null },
      verdict: 'fail',
      summary: '410',
      findings: [],
    } as EndpointCheckResult;
    const r = render(
      h(RoutesTab, {
        analyses: [good],
        now: NOW,
        facts: {},
        checks: { checks: { [checkKey(url, good.document.url)]: { pending: false, result } } },
      }),
    );
    const csp = r.getAllByTestId('route-row').find((x) => x.dataset.type === 'csp-violation')!;
    expect(within(csp).getByTestId('route-doctor').dataset.verdict).toBe('blocked');
    expect(within(csp).getByTestId('route-doctor-headline').textContent).toContain('410 gone');
    r.unmount();
  });

  it('says why an http page sends nothing, and shows no doctor without a clock', () => {
    const r = render(
      h(RoutesTab, {
        analyses: [analysis('http://localhost:8080/', { 'Reporting-Endpoints': 'default="/d"' })],
        now: NOW,
        facts: {},
      }),
    );
    for (const d of r.getAllByTestId('route-doctor')) {
      expect(d.dataset.verdict).toBe('blocked');
      expect(d.textContent).toContain('page is not https');
    }
    r.unmount();
    const plain = render(h(RoutesTab, { analyses: [good] }));
    expect(plain.queryByTestId('route-doctor')).toBeNull();
    plain.unmount();
  });
});
