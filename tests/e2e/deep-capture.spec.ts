// Deep capture in real Chromium, against the deep-capture build (`npm run build:deep`, which declares the
// `debugger` permission): the browser's own queue shows a CSP report reach Success, matching the collector; the
// one-click crash is confirmed by the debugger; closing the panel ends deep capture.
import { test, expect, clearCollector, waitForReport, DEEP_EXTENSION_DIR } from './fixtures';
import { asker, openPanel, viewOf } from './helpers';

test.use({ extensionDir: DEEP_EXTENSION_DIR });

test.describe('deep capture (deep-capture build)', () => {
  test("deep capture: the browser's queue shows a CSP report reach Success, matching the collector; one-click crash", async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await clearCollector(demo);
    const url = `${demo.origin}/good`;
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === url, 'the /good document');

    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    await expect(panel.getByTestId('deep-explanation')).toContainText('started debugging this browser');
    await panel.getByTestId('deep-capture-button').click();
    await expect(panel.getByTestId('delivery-section')).toHaveAttribute('data-attached', 'true');
    await expect(panel.getByTestId('deep-status')).toContainText('On since');

    // Reload so the browser registers the page's endpoints while deep capture listens, then cause a CSP report.
    await page.reload();
    await page.click('#violate');
    const { report, upload } = await waitForReport(demo, (r) => r.type === 'csp-violation' && r.url === url, {
      timeout: 15_000,
    });
    const success = panel
      .getByTestId('browser-report')
      .and(panel.locator('[data-type="csp-violation"][data-status="Success"]'));
    await expect(success).toHaveCount(1);
    await expect(success.getByTestId('browser-report-status')).toHaveText('delivered');
    await expect(success.getByTestId('browser-report-attempts')).toHaveText(/^[01] attempts?$/);
    await success.getByTestId('browser-report-status').click();
    await expect(success.getByTestId('browser-report-body')).toContainText(
      String((report.body as { blockedURL: string }).blockedURL),
    );
    expect(upload.path).toBe('/reports/csp');
    // The page's endpoints beside the browser's. The browser lists endpoints per origin: when another document of the
    // origin (an earlier test's page) named `default` differently, it may list that one for the name instead.
    const comparison = (name: string) =>
      panel
        .getByTestId('endpoint-comparison-row')
        .and(panel.locator(`[data-name="${name}"][data-url="${demo.origin}/reports/${name}"]`));
    await expect(comparison('csp')).toHaveAttribute('data-status', 'same');
    await expect(comparison('default')).toHaveAttribute('data-status', /^(same|parsed-only)$/);
    if ((await comparison('default').getAttribute('data-status')) === 'parsed-only') {
      await expect(comparison('default')).toHaveAttribute('data-differs', 'true');
    }
    await panel.screenshot({ path: test.info().outputPath('deep-capture.png'), fullPage: true });

    // "Crash this tab now": the debugger reports the crash.
    await panel.getByTestId('crash-tab-button').click();
    const v = await viewOf(
      ask,
      tabId,
      (x) => x.state.crashes[0]?.detectedBy === 'debugger',
      'a crash detected by the debugger',
    );
    expect(v.state.crashes).toHaveLength(1);
    await waitForReport(demo, (r) => r.type === 'crash' && r.url === url, { timeout: 10_000 });

    // Closing the panel ends deep capture.
    await panel.close();
    const off = await viewOf(
      ask,
      tabId,
      (x) => x.state.deep?.attached === false,
      'deep capture off after the panel closed',
    );
    expect(off.state.deep!.detachReason).toBe('panel_closed');
  });
});
