// @vitest-environment happy-dom
import { fireEvent, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from '@testing-library/preact';
import {
  BROWSER_PAGE_URL,
  browserPageView,
  configuredAnalyses,
  configuredView,
  emptyView,
  insecureAnalyses,
  insecureView,
  manyProblemsAnalyses,
  manyProblemsView,
  nothingConfiguredAnalyses,
  nothingConfiguredView,
  NOW,
} from '../../fixtures/views';
import { flush, parsedTab, renderPanel } from './helpers';

afterEach(cleanup);

const text = (id: string) => screen.getByTestId(id).textContent ?? '';
describe('panel states', () => {
  it('asks for a tab when there is none', () => {
    renderPanel(null, [], { tabId: null });
    expect(text('state-no-tab')).toContain('?tabId=N');
  });

  it('shows loading, then the error of a failed transport', () => {
    const { rerender } = renderPanel(null, [], { tabId: 4, status: 'reconnecting' });
    expect(text('panel-loading')).toContain('Reconnecting');
    rerender(<div />);
    cleanup();
    const onRetry = vi.fn();
    renderPanel(null, [], { tabId: 4, error: 'Could not establish connection.', onRetry });
    expect(text('panel-error')).toContain('Could not establish connection.');
    fireEvent.click(screen.getByTestId('retry-button'));
    expect(onRetry).toHaveBeenCalled();
  });

  it('says how to get data for an empty tab', () => {
    renderPanel(emptyView, []);
    expect(text('state-no-data')).toContain('Reload the page to capture its headers');
  });

  it('explains browser pages', () => {
    renderPanel(browserPageView, [], { tabUrl: BROWSER_PAGE_URL });
    expect(text('state-browser-page')).toContain('chrome://settings/');
  });

  it('explains insecure pages', () => {
    renderPanel(insecureView, insecureAnalyses);
    expect(text('state-insecure')).toContain('not HTTPS');
    expect(text('crash-verdict')).toContain('will not be sent');
    fireEvent.click(screen.getByTestId('tab-endpoints'));
    expect(text('no-reporting-endpoints')).toContain('not HTTPS');
    fireEvent.click(screen.getByTestId('tab-problems'));
    expect(screen.getAllByTestId('problem-row')).toHaveLength(2);
    expect(screen.getByTestId('problem-excerpt').textContent).toBe('http://localhost:8080/reports');
  });

  it('says nothing is configured and how to configure it', () => {
    renderPanel(nothingConfiguredView, nothingConfiguredAnalyses);
    expect(text('state-nothing-configured')).toContain('Reporting-Endpoints: default=');
    expect(text('count-endpoints')).toBe('0 endpoints');
    fireEvent.click(screen.getByTestId('tab-problems'));
    expect(text('empty-problems')).toContain('No problems found');
  });
});

describe('overview', () => {
  it('shows the document, delivery, counts, crash verdict and iframes', () => {
    const last = renderPanel(configuredView, configuredAnalyses);
    expect(text('overview-url')).toBe('https://shop.acme.test/checkout');
    expect(screen.getByTestId('overview-delivery').dataset.ok).toBe('true');
    // The top document's numbers, from the tab's one summary (the popup and the badge read the same).
    const { store } = last;
    const s = store.summary.value;
    expect(text('count-endpoints')).toBe(`${s.endpoints} endpoints`);
    expect(text('count-endpoints')).toBe('3 endpoints');
    expect(text('count-groups')).toBe('3 Report-To groups');
    expect(text('count-routes')).toBe(`${s.routes} routes (${s.delivering} delivering)`);
    expect(text('count-routes')).toBe('7 routes (5 delivering)');
    expect(text('count-problems')).toBe('3 problems (2 errors, 1 warning)');
    expect(text('overview-headline')).toBe(`✕ ${s.headline}`);
    expect(screen.getByTestId('overview-fate-reporting-endpoints').dataset.state).toBe('kept');
    expect(text('overview-fate-report-to')).toContain('2 groups: default, nel');
    expect(text('overview-groups-elsewhere')).toContain('acme-nel');
    expect(text('crash-verdict')).toBe(
      'crash reports → default → https://reports.acme.test/default (Reporting-Endpoints)',
    );
    const frames = screen.getAllByTestId('iframe-row');
    expect(frames).toHaveLength(1);
    expect(frames[0]!.textContent).toContain('https://pay.widget.test/frame?order=42');
    // A crash is in the past: its report went (never "will go").
    expect(text('overview-last-crash')).toBe(
      'Crashed at 12:00:04 (oom) on https://shop.acme.test/checkout: its report went to "default" → https://reports.acme.test/default',
    );
    expect(text('overview-abnormal-end')).toContain('ended abnormally');
  });
});

describe('endpoints', () => {
  it('lists endpoints, live, expired, parent-domain and removed groups with visible expiry text', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'endpoints' });
    const endpoints = screen.getAllByTestId('endpoint-row');
    expect(endpoints.map((e) => e.dataset.name)).toEqual(['default', 'csp', 'Crash', 'default']);
    expect(endpoints[0]!.textContent).toContain('https://reports.acme.test/default');
    expect(endpoints[3]!.textContent).toContain('https://pay.widget.test/frame?order=42');

    const groups = screen.getAllByTestId('group-row');
    const byName = (n: string) => groups.find((g) => g.dataset.group === n)!;
    expect(within(byName('default')).getByTestId('group-expiry').textContent).toBe('expires in 29 min 12 s');
    expect(byName('default').textContent).toContain('https://backup.acme.test/rt');
    expect(byName('default').textContent).toContain('priority 2, weight 1');
    expect(byName('legacy').dataset.state).toBe('expired');
    expect(byName('legacy').textContent).toContain('expired');
    expect(byName('legacy').textContent).toContain('expired 3 min ago');
    expect(byName('acme-nel').textContent).toContain('via include_subdomains');
    expect(byName('old-nel').dataset.state).toBe('removed');
    expect(byName('old-nel').textContent).toContain('removed (max_age 0)');
  });

  it('shows every fact of a group as a column, and its endpoints in the details on Enter', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'endpoints' });
    const row = screen.getAllByTestId('group-row')[0]!;
    expect(within(row).getByTestId('group-subdomains').textContent).toBe('false');
    expect(within(row).getByTestId('group-max-age').textContent).toMatch(/^[\d,]+ s$/);
    expect(within(row).getByTestId('group-received').textContent).toBe('12:02:16');
    const grid = row.closest('[role=grid]') as HTMLElement;
    expect(within(grid).queryByTestId('groups-grid-details')).toBeNull();
    const body = within(grid).getByTestId('groups-grid-body');
    fireEvent.keyDown(body, { key: 'ArrowDown' });
    fireEvent.keyDown(body, { key: 'Enter' });
    const details = within(grid).getByTestId('groups-grid-details');
    expect(details.textContent).toContain('priority');
    expect(details.textContent).toContain('received');
    fireEvent.keyDown(body, { key: 'Escape' });
    expect(within(grid).queryByTestId('groups-grid-details')).toBeNull();
  });

  it('converts the groups to Reporting-Endpoints and copies the header', async () => {
    const copy = vi.fn(async () => true);
    renderPanel(configuredView, configuredAnalyses, { tab: 'endpoints', copy });
    fireEvent.click(screen.getAllByTestId('convert-button')[0]!);
    expect(text('migrate-header')).toBe(
      'Reporting-Endpoints: default="https://reports.acme.test/rt-a", nel="https://reports.acme.test/nel", acme-nel="https://nel.acme.test/collect"',
    );
    expect(text('migrate-output')).toContain('failover');
    expect(text('migrate-output')).toContain('NEL');
    fireEvent.click(screen.getByTestId('copy-migrated'));
    await flush();
    expect(copy).toHaveBeenCalledWith(expect.stringMatching(/^Reporting-Endpoints: default=/));
    expect(text('copy-migrated')).toBe('Copied');
  });

  it('filters rows with the filter box', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'endpoints' });
    fireEvent.input(screen.getByTestId('filter-input'), { target: { value: 'csp' } });
    expect(screen.getAllByTestId('endpoint-row').map((e) => e.dataset.name)).toEqual(['csp']);
  });
});

describe('routes', () => {
  it('shows every route with its URL or the reason it goes nowhere', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'routes' });
    const rows = screen.getAllByTestId('route-row');
    expect(rows).toHaveLength(10);
    const ro = rows.find((r) => r.textContent?.includes('csp-ro'))!;
    expect(ro.dataset.deliver).toBe('false');
    expect(within(ro).getByTestId('route-reason').textContent).toContain(
      'no Reporting-Endpoints entry or Report-To group named "csp-ro"',
    );
    expect(ro.textContent).toContain('report-only');
    expect(ro.textContent).toContain('from Content-Security-Policy-Report-Only');
    const nel = rows.find((r) => r.dataset.type === 'network-error')!;
    expect(nel.textContent).toContain('https://reports.acme.test/nel');
    expect(nel.textContent).toContain('via Report-To');
  });
});

describe('problems', () => {
  it('lists diagnostics errors first with the excerpt marked in the raw header', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'problems' });
    const rows = screen.getAllByTestId('problem-row');
    expect(rows.map((r) => r.dataset.severity)).toEqual(['error', 'error', 'warning', 'info']);
    expect(rows[0]!.textContent).toContain('report-to names "csp-ro"');
    const mark = within(rows[0]!).getByTestId('problem-excerpt');
    expect(mark.tagName).toBe('MARK');
    expect(mark.textContent).toBe('report-to csp-ro');
    // The details show the whole header as received with the offending part marked.
    fireEvent.click(rows[0]!);
    const marked = within(screen.getByTestId('problems-grid-details')).getByTestId('problem-highlight');
    expect(marked.textContent).toBe('report-to csp-ro');
    expect(marked.parentElement!.textContent).toBe("script-src 'none'; report-to csp-ro");
    expect(text('problems-summary')).toBe('2 errors, 1 warning, 1 note');
  });

  it('renders dozens of problems', () => {
    renderPanel(manyProblemsView, manyProblemsAnalyses, { tab: 'problems' });
    expect(screen.getAllByTestId('problem-row')).toHaveLength(36);
    expect(screen.getAllByTestId('problem-excerpt')).toHaveLength(36);
    fireEvent.input(screen.getByTestId('filter-input'), { target: { value: 'number 35' } });
    expect(screen.getAllByTestId('problem-row')).toHaveLength(1);
  });
});

describe('headers', () => {
  it('shows raw headers with copy buttons', async () => {
    const copy = vi.fn(async () => true);
    renderPanel(configuredView, configuredAnalyses, { tab: 'headers', copy });
    const rows = screen.getAllByTestId('header-row');
    expect(rows.length).toBe(8 + 1); // top 6, iframe 2, and the parent domain's Report-To
    expect(rows[0]!.textContent).toContain('Reporting-Endpoints:');
    fireEvent.click(within(rows[0]!).getByTestId('copy-header'));
    await flush();
    expect(copy).toHaveBeenLastCalledWith(expect.stringMatching(/^Reporting-Endpoints: default="https/));
    fireEvent.click(screen.getByTestId('copy-all-headers'));
    await flush();
    expect(copy).toHaveBeenLastCalledWith(expect.stringContaining('# iframe https://pay.widget.test/frame?order=42'));
  });
});

describe('history', () => {
  it('lists previous documents with counts, expandable, and the dropped count', () => {
    const { store } = renderPanel(configuredView, configuredAnalyses, { tab: 'history' });
    const rows = screen.getAllByTestId('history-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain('https://shop.acme.test/cart');
    // The same derivation as the current document's (no other count of routes or groups).
    const v = store.history.value[0]!;
    expect(within(rows[0]!).getByTestId('history-counts').textContent).toBe(
      `${v.endpoints.length} endpoints · ${v.groups.length} groups · ${v.routes.length} route (${v.delivering} delivering) · 1 problem`,
    );
    fireEvent.click(rows[0]!.querySelector('.row-summary')!);
    expect(rows[0]!.textContent).toContain('Only Report-To is configured');
    expect(text('history-dropped')).toBe('3 older entries dropped');
    expect(screen.getByTestId('history-current').textContent).toContain(
      '3 endpoints · 3 groups · 7 routes (5 delivering) · 3 problems',
    );
  });

  it('explains an empty history', () => {
    renderPanel(nothingConfiguredView, nothingConfiguredAnalyses, { tab: 'history' });
    expect(text('empty-history')).toContain('compare before and after a deploy');
  });
});

describe('endpoints: rejected is not absent', () => {
  it('a Reporting-Endpoints header that was sent and rejected says so, and why', () => {
    const { v, analyses } = parsedTab([{ name: 'reporting-endpoints', value: 'Main="https://r.acme.test/"' }]);
    const { store } = renderPanel(v, analyses, { tab: 'endpoints' });
    expect(screen.queryByTestId('no-reporting-endpoints')).toBeNull();
    const fate = screen.getByTestId('endpoints-fate-reporting-endpoints');
    expect(fate.dataset.state).toBe('rejected');
    expect(fate.textContent).toContain('Sent and rejected: ');
    expect(fate.textContent).toContain('uppercase');
    // The same verdict as the one summary behind Overview, the popup and the badge.
    expect(store.summary.value.top!.reportingEndpoints.state).toBe('rejected');
    expect(fate.textContent).toContain(store.summary.value.top!.reportingEndpoints.why!.replace(/`/g, ''));
  });

  it('a header partly kept names what was kept and what was dropped; Report-To not sent says not sent', () => {
    const { v, analyses } = parsedTab([
      { name: 'reporting-endpoints', value: 'default="https://r.acme.test/d", csp="http://r.acme.test/csp"' },
    ]);
    renderPanel(v, analyses, { tab: 'endpoints' });
    const fate = screen.getByTestId('endpoints-fate-reporting-endpoints');
    expect(fate.dataset.state).toBe('partial');
    expect(fate.textContent).toMatch(/^.*Sent, partly kept \(default\); dropped: .*http:\/\/r\.acme\.test\/csp/);
    expect(screen.getAllByTestId('endpoint-row').map((r) => r.dataset.name)).toEqual(['default']);
    expect(screen.queryByTestId('endpoints-fate-report-to')).toBeNull();
    expect(text('no-groups')).toContain('This document sent no Report-To.');
  });

  it('a Report-To header rejected as invalid JSON says so; Reporting-Endpoints not sent says not sent', () => {
    const { v, analyses } = parsedTab([{ name: 'report-to', value: '{group: "default", "max_age": 1}' }]);
    renderPanel(v, analyses, { tab: 'endpoints' });
    const fate = screen.getByTestId('endpoints-fate-report-to');
    expect(fate.dataset.state).toBe('rejected');
    expect(fate.textContent).toContain('Sent and rejected: ');
    expect(fate.textContent).toContain('not valid JSON');
    expect(text('no-reporting-endpoints')).toBe('Not sent.');
  });
});

describe('reports', () => {
  it('shows observed reports with their route and app reports', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'reports' });
    const rows = screen.getAllByTestId('report-row');
    expect(rows.map((r) => r.dataset.type)).toEqual(['permissions-policy-violation', 'deprecation', 'csp-violation']);
    const csp = rows[2]!;
    expect(within(csp).getByTestId('report-route').textContent).toContain(
      'will go to csp → https://reports.acme.test/csp',
    );
    expect(within(csp).getByTestId('report-route').textContent).toContain('will not be sent');
    expect(within(rows[0]!).getByTestId('report-route').textContent).toContain('will not be sent');
    // A CSP report's key fields are columns; its body is in the details, with a Copy button.
    expect(within(csp).getByTestId('report-subject').textContent).toBe('script-src-elem');
    expect(within(csp).getByTestId('report-detail').textContent).toBe('https://evil-cdn.test/x.js');
    expect(within(csp).getByTestId('report-disposition').textContent).toBe('enforce');
    expect(within(rows[0]!).getByTestId('report-subject').textContent).toBe('geolocation');
    expect(within(rows[1]!).getByTestId('report-subject').textContent).toBe('UnloadHandler');
    expect(within(rows[1]!).getByTestId('report-detail').textContent).toBe(
      'Unload event listeners are deprecated and will be removed.',
    );
    fireEvent.click(csp);
    expect(screen.getByTestId('report-body').textContent).toContain('"effectiveDirective": "script-src-elem"');
    expect(screen.getByTestId('copy-report-body').textContent).toBe('Copy');

    const app = screen.getByTestId('app-report-row');
    expect(app.textContent).toContain('memory / heap_growth');
    expect(app.textContent).toContain('HTTP 202');
    expect(app.textContent).toContain('https://api.acme.test/crashes');
    fireEvent.click(app);
    const details = screen.getByTestId('app-reports-grid-details');
    expect(details.textContent).toContain('usedJSHeapSize 1.9 GB');
    expect(details.textContent).toContain('a1b2c3d4');
  });

  it('copies every body through the panel clipboard: a report, an app report, a predicted crash report', async () => {
    const copy = vi.fn(async (_: string) => true);
    const { store } = renderPanel(configuredView, configuredAnalyses, { tab: 'reports', copy });
    fireEvent.click(screen.getAllByTestId('report-row')[2]!);
    fireEvent.click(screen.getByTestId('copy-report-body'));
    await flush();
    expect(JSON.parse(copy.mock.lastCall![0])).toMatchObject({ effectiveDirective: 'script-src-elem' });
    expect(text('copy-report-body')).toBe('Copied');
    fireEvent.click(screen.getByTestId('app-report-row'));
    fireEvent.click(screen.getByTestId('copy-app-report-body'));
    await flush();
    expect(copy.mock.lastCall![0]).toContain('heap_growth');
    store.tab.value = 'crashes';
    await flush();
    // The crash row shows its predicted report (and the details pane the same): every copy button copies it.
    const crashCopies = screen.getAllByTestId('copy-crash-body');
    for (const b of crashCopies) fireEvent.click(b);
    await flush();
    expect(JSON.parse(copy.mock.lastCall![0])).toMatchObject({ type: 'crash', body: { reason: 'oom' } });
    expect(copy).toHaveBeenCalledTimes(2 + crashCopies.length);
  });

  it('explains an empty reports tab', () => {
    renderPanel(nothingConfiguredView, nothingConfiguredAnalyses, { tab: 'reports' });
    expect(text('empty-reports')).toContain('Reports the page can observe (CSP, deprecation');
  });
});

describe('crashes', () => {
  it('shows each crash with its predicted body, route and last breadcrumbs', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'crashes' });
    const row = screen.getByTestId('crash-row');
    expect(row.textContent).toContain('12:00:04');
    expect(row.textContent).toContain('out of memory');
    expect(within(row).getByTestId('crash-route').textContent).toContain(
      'will go to default → https://reports.acme.test/default',
    );
    expect(within(row).getByTestId('crash-body').textContent).toContain('"reason": "oom"');
    expect(within(row).getAllByText(/before crash/).length).toBeGreaterThan(0);
  });

  it('explains how to simulate a crash when there is none', () => {
    renderPanel(nothingConfiguredView, nothingConfiguredAnalyses, { tab: 'crashes' });
    expect(text('empty-crashes')).toContain(
      'No crash seen in this tab. To simulate one, type chrome://crash into the address bar of this tab',
    );
  });
});

describe('keyboard', () => {
  it('moves between tabs with arrow keys', async () => {
    renderPanel(configuredView, configuredAnalyses);
    fireEvent.keyDown(screen.getByTestId('tab-overview'), { key: 'ArrowRight' });
    expect(screen.getByTestId('tab-endpoints').getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(screen.getByTestId('tab-endpoints'), { key: 'ArrowLeft' });
    fireEvent.keyDown(screen.getByTestId('tab-overview'), { key: 'ArrowLeft' });
    expect(screen.getByTestId('tab-crashes').getAttribute('aria-selected')).toBe('true');
    await flush();
    expect(document.activeElement).toBe(screen.getByTestId('tab-crashes'));
  });

  it('focuses the filter with Ctrl+F and moves through rows with up and down', () => {
    renderPanel(configuredView, configuredAnalyses, { tab: 'routes' });
    fireEvent.keyDown(document, { key: 'f', ctrlKey: true });
    expect(document.activeElement).toBe(screen.getByTestId('filter-input'));
    const rows = screen.getAllByTestId('route-row');
    rows[0]!.focus();
    fireEvent.keyDown(rows[0]!, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(rows[1]);
    fireEvent.keyDown(rows[1]!, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rows[0]);
    fireEvent.keyDown(rows[0]!, { key: 'End' });
    expect(document.activeElement).toBe(rows[6]); // the top document's list ends at its 7th route
  });
});

describe('header bar', () => {
  it('shows the connection status and exports', () => {
    const onExport = vi.fn();
    renderPanel(configuredView, configuredAnalyses, { status: 'reconnecting', onExport });
    expect(text('connection-status')).toBe('reconnecting…');
    fireEvent.click(screen.getByTestId('export-button'));
    expect(onExport).toHaveBeenCalled();
    void NOW;
  });
});
