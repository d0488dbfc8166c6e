// Crashes and delivery in real Chromium: a crashed demo tab is detected with its predicted report, the collector
// really receives the crash report, the panel's inbox read proves it, a page without a default endpoint sends
// nothing, and the endpoint check tells a CORS-less collector from a working one. Deep capture: deep-capture.spec.ts.
import { test, expect, clearCollector, collectedReports, waitForReport } from './fixtures';
import { asker, crash, openPanel, readInbox, sleep, viewOf } from './helpers';
import { crashReportOf } from '@/utils/tab/crash-report';

test.describe('crashes and delivery', () => {
  test('a crash is detected with its predicted report, delivered, matched in the inbox, and kept across a reload', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await clearCollector(demo);
    const url = `${demo.origin}/good`;
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const { ask, ext } = await asker(openExtensionPage);
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === url, 'the /good document');
    await page.bringToFront();
    await page.click('#violate'); // a click breadcrumb right before the crash
    await viewOf(ask, tabId, (v) => v.state.breadcrumbs.some((b) => b.type === 'click'), 'the click breadcrumb');

    const crashedAt = await crash(page);
    const { report, upload } = await waitForReport(demo, (r) => r.type === 'crash' && r.url === url, {
      timeout: 10_000,
    });
    const v = await viewOf(ask, tabId, (x) => x.state.crashes.length === 1, 'the crash entry');
    const entry = v.state.crashes[0]!;
    const arrival = {
      fromCrash: upload.receivedAt - crashedAt,
      fromDetection: upload.receivedAt - entry.at,
      age: report.age,
    };
    test.info().annotations.push({ type: 'crash report arrival', description: JSON.stringify(arrival) });
    console.log('crash report arrival (ms):', arrival);

    // The prediction matches what Chromium sent.
    expect(upload.path).toBe('/reports/default');
    expect(entry.url).toBe(url);
    expect(entry.predicted.route).toMatchObject({
      willDeliver: true,
      endpointName: 'default',
      url: `${demo.origin}/reports/default`,
    });
    expect(crashReportOf(entry)).toEqual({
      age: 0,
      type: 'crash',
      url,
      user_agent: report.user_agent,
      body: { crash_report_api: {}, is_top_level: true, visibility_state: 'visible' },
    });
    expect(report.body).toEqual(entry.predicted.body);
    expect(Math.abs(upload.receivedAt - (report.age ?? 0) - entry.at)).toBeLessThan(5_000);

    // The panel shows it, with the last breadcrumbs and the predicted report, and the inbox proves it arrived.
    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    const row = panel.getByTestId('crash-row').first();
    await expect(row.getByTestId('crash-route')).toContainText(`default → ${demo.origin}/reports/default`);
    await expect(row.getByTestId('crash-body')).toContainText(`"url": "${url}"`);
    await expect(row.getByTestId('crash-delivery')).toHaveAttribute('data-status', 'unchecked');
    await expect(row).toContainText('Last breadcrumbs before the crash');
    await expect(row).toContainText('#violate');
    await readInbox(panel, demo);
    await expect(row.getByTestId('crash-delivery')).toHaveAttribute('data-status', 'delivered');
    await expect(row.getByTestId('crash-delivery')).toContainText(
      /^delivered \(received \d\d:\d\d:\d\d\.\d{3} at \/reports\/default\)$/,
    );
    await panel.screenshot({ path: test.info().outputPath('crashes-tab.png'), fullPage: true });

    // Reload the crashed tab (Playwright gives up on a crashed page: reload it as the browser would).
    await ext.evaluate(
      (id) =>
        (globalThis as unknown as { chrome: { tabs: { reload(id: number): Promise<void> } } }).chrome.tabs.reload(id),
      tabId,
    );
    await viewOf(ask, tabId, (x) => x.state.documents['0']!.receivedAt > entry.at, 'the reloaded document');
    const after = await ask('getTabView', { tabId });
    expect(after.state.crashes.map((c) => c.id)).toEqual([entry.id]);
    await expect(panel.getByTestId('crash-row')).toHaveCount(1);

    // The popup tells the story after the reload.
    const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
    await expect(popup.getByTestId('popup-last-crash')).toHaveAttribute('data-status', 'delivered');
    await expect(popup.getByTestId('popup-last-crash')).toContainText(
      new RegExp(
        `^Crashed at \\d\\d:\\d\\d:\\d\\d on ${demo.origin.replace(/[.]/g, '\\.')}/good: its report was delivered \\(received [\\d:.]+ at /reports/default\\)$`,
      ),
    );
  });

  test('a page without a default endpoint: the crash report will not be sent, and none arrives', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    // /good leaves the origin a Report-To group "default" for 30 minutes, which crash reports would fall back to.
    await page.goto(`${demo.origin}/max-age-zero`);
    const url = `${demo.origin}/no-default`;
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === url, 'the /no-default document');
    await clearCollector(demo);
    await crash(page);
    const v = await viewOf(ask, tabId, (x) => x.state.crashes.length === 1, 'the crash entry');
    expect(v.state.crashes[0]!.predicted.route.willDeliver).toBe(false);
    expect(v.state.crashes[0]!.predicted.route.reason).toContain('no "crash-reporting" or "default" endpoint');

    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    const row = panel.getByTestId('crash-row').first();
    await expect(row.getByTestId('crash-route')).toContainText('will not be sent');
    // Crash reports arrive within ~100 ms when they are sent at all: give it ample time.
    await sleep(2_000);
    await readInbox(panel, demo);
    await expect(row.getByTestId('crash-delivery')).toHaveAttribute('data-status', 'will-not-be-sent');
    await expect(row.getByTestId('crash-delivery')).toContainText('will not be sent: ');
    expect((await collectedReports(demo)).filter(({ report }) => report.type === 'crash')).toEqual([]);
  });

  test('the endpoint check finds the missing CORS header of /nocors/ and passes /reports/', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await clearCollector(demo);
    const cases = [
      {
        path: '/endpoint-nocors',
        endpoint: `${demo.altOrigin}/nocors/reports/default`,
        verdict: 'fail',
        code: 'cors-missing-allow-origin',
      },
      { path: '/endpoint-cors', endpoint: `${demo.altOrigin}/reports/default`, verdict: 'ok', code: null },
    ];
    for (const c of cases) {
      await page.goto(`${demo.origin}${c.path}`);
      const tabId = await tabIdOf(page);
      const panel = await openPanel(openExtensionPage, tabId, 'endpoints');
      const row = panel.getByTestId('endpoint-row').filter({ hasText: c.endpoint });
      // What the check does is said once above the grid and in the button's tooltip, not on every row.
      await expect(panel.getByTestId('endpoint-check-help')).toContainText(
        'sends a CORS preflight and one test report to the endpoint, only when you click it',
      );
      await expect(row.getByTestId('check-endpoint-button')).toHaveAttribute(
        'title',
        'Sends a CORS preflight and one test report to this URL',
      );
      await row.getByTestId('check-endpoint-button').click();
      // The result shows in the details pane of the row the click selected, its verdict mark in the row.
      const result = panel.getByTestId('endpoints-grid-details').getByTestId('endpoint-check-result');
      await expect(result).toHaveAttribute('data-verdict', c.verdict);
      if (c.code) {
        await expect(result.getByTestId('endpoint-check-finding').first()).toHaveAttribute('data-code', c.code);
        await expect(result).toContainText('Access-Control-Allow-Origin is missing from the preflight answer');
        await panel.screenshot({ path: test.info().outputPath('endpoint-check.png') });
      } else {
        await expect(result.getByTestId('endpoint-check-summary')).toContainText(
          /^Reachable: CORS preflight passes, test report accepted \(preflight 204 in \d+ ms, test report 204 in \d+ ms\)$/,
        );
      }
      await panel.close();
    }
    // Each check sent exactly one marked test report.
    const tests = (await collectedReports(demo)).filter(({ report }) => report.type === 'report-inspector-test');
    expect(tests.map(({ upload }) => upload.path)).toEqual(['/nocors/reports/default', '/reports/default']);
    expect(tests[0]!.report).toMatchObject({
      url: `${demo.origin}/endpoint-nocors`,
      body: { message: 'Test report sent by Report Inspector on user request' },
    });
  });

  test('the default build explains that deep capture needs the deep-capture build', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    await expect(panel.getByTestId('deep-needs-build')).toContainText('npm run build:deep');
    await expect(panel.getByTestId('deep-capture-button')).toHaveCount(0);
  });
});
