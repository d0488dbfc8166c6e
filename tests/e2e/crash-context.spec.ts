// Crash reports exactly as Chromium sends them, in real Chromium: window.crashReport entries appear live in the
// panel; a real chrome://crash delivers a report whose crash_report_api (and every other field) is the predicted
// one, at the URL the document had after pushState; the panel shows the two side by side and says they match.
import { test, expect, clearCollector, waitForReport } from './fixtures';
import { crashReportOf, NOT_OPTED_IN } from '@/utils/tab/crash-report';
import { asker, crash, openPanel, readInbox, viewOf } from './helpers';

test.describe('crash context and the exact crash report', () => {
  test('window.crashReport entries appear live, follow pushState, and the delivered report equals the prediction', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    stopServiceWorker,
  }) => {
    await clearCollector(demo);
    const url = `${demo.origin}/crash-context`;
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    await viewOf(
      ask,
      tabId,
      (v) => v.state.live?.['0']?.context?.entries.length === 2,
      'the two crash context entries',
    );

    // Live in the panel: key, value, bytes, and the budget.
    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    const frame = panel.getByTestId('frame-context').first();
    await expect(frame.locator('[data-testid="context-entry"][data-key="route"]')).toContainText('/crash-context');
    await expect(frame.locator('[data-testid="context-entry"][data-key="cart"]')).toContainText('3 items');
    // "route":"/crash-context" is 24 bytes, "cart":"3 items" 16; with braces and a comma, 43.
    await expect(frame.locator('[data-testid="context-entry"][data-key="route"] td.num')).toHaveText('24');
    await expect(frame.getByTestId('context-budget')).toHaveText(
      '43 of 4,096 bytes used (initialize(4096); initialized)',
    );
    await expect(panel.getByTestId('hang-stacks')).toContainText("carry the page's JS call stack");

    // A same-document navigation and a new value: both followed live.
    await page.bringToFront();
    await page.click('#checkout');
    await expect(frame.locator('[data-testid="context-entry"][data-key="route"]')).toContainText('/checkout');
    await page.click('#too-large');
    await expect(frame.getByTestId('context-error')).toContainText(
      "crashReport.set(\"blob\") threw NotAllowedError: Failed to execute 'set' on 'CrashReportContext': The crash report data is too large",
    );
    const before = await viewOf(
      ask,
      tabId,
      (v) => v.state.live?.['0']?.url === `${url}?step=checkout`,
      'the pushed URL',
    );
    expect(before.state.breadcrumbs.filter((b) => b.type === 'state').map((b) => b.message)).toEqual([
      'crashReport.initialize(4096)',
      'crashReport.set("route", "/crash-context")',
      'crashReport.set("cart", "3 items")',
      'crashReport.set("route", "/checkout")',
      expect.stringMatching(/^crashReport\.set\("blob", "x{20,}…?"\) threw NotAllowedError: /),
    ]);

    await crash(page);
    const pushed = `${url}?step=checkout`;
    const { report } = await waitForReport(demo, (r) => r.type === 'crash' && r.url === pushed, { timeout: 10_000 });
    const v = await viewOf(ask, tabId, (x) => x.state.crashes.length === 1, 'the crash entry');
    const entry = v.state.crashes[0]!;
    const predicted = crashReportOf(entry);
    test.info().annotations.push({ type: 'delivered crash report', description: JSON.stringify(report) });
    expect(entry.url).toBe(pushed);
    expect(entry.loadUrl).toBe(url);
    expect(predicted.url).toBe(report.url);
    expect(predicted.body.crash_report_api).toEqual({ cart: '3 items', route: '/checkout' });
    expect(report.body).toEqual(predicted.body);
    expect(report.user_agent).toBe(predicted.user_agent);
    expect(entry.context).toMatchObject({ requested: 4096, status: 'initialized', used: 38 });

    // The panel shows the delivered report beside the prediction and says they match.
    await readInbox(panel, demo);
    const row = panel.getByTestId('crash-row').first();
    await expect(row.getByTestId('crash-delivery')).toHaveAttribute('data-status', 'delivered');
    await expect(row.getByTestId('crash-comparison')).toHaveAttribute('data-match', 'true');
    await expect(row.getByTestId('crash-comparison-verdict')).toHaveText(
      'The delivered report matches the prediction.',
    );
    await expect(
      row.locator('[data-testid="comparison-row"][data-path="body.crash_report_api.route"]'),
    ).toHaveAttribute('data-status', 'same');
    await expect(row.getByTestId('crash-context-entries')).toContainText('/checkout');

    // Kept across a restart of the worker and a reload of the tab (Playwright gives up on a crashed page: reload
    // it as the browser would).
    await stopServiceWorker();
    const again = await asker(openExtensionPage);
    await again.ext.evaluate(
      (id) =>
        (globalThis as unknown as { chrome: { tabs: { reload(id: number): Promise<void> } } }).chrome.tabs.reload(id),
      tabId,
    );
    await viewOf(again.ask, tabId, (x) => x.state.documents['0']!.receivedAt > entry.at, 'the reloaded document');
    const after = await again.ask('getTabView', { tabId });
    expect(after.state.crashes[0]!.context).toEqual(entry.context);
    expect(after.state.crashes[0]!.delivery?.report?.body).toEqual(report.body);
  });

  test('a page without crash context or opt-in: crash_report_api is empty, and the panel says hang reports carry no stack', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await clearCollector(demo);
    const url = `${demo.origin}/crash-plain`;
    await page.goto(url);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === url, 'the /crash-plain document');

    const overview = await openPanel(openExtensionPage, tabId, 'overview');
    await expect(overview.getByTestId('overview-call-stacks')).toContainText(`Chromium writes "${NOT_OPTED_IN}"`);
    await expect(overview.getByTestId('overview-call-stacks')).toContainText(
      'Document-Policy: include-js-call-stacks-in-crash-reports',
    );
    await overview.close();

    await crash(page);
    const { report } = await waitForReport(demo, (r) => r.type === 'crash' && r.url === url, { timeout: 10_000 });
    const v = await viewOf(ask, tabId, (x) => x.state.crashes.length === 1, 'the crash entry');
    const predicted = crashReportOf(v.state.crashes[0]!);
    test.info().annotations.push({ type: 'delivered crash report', description: JSON.stringify(report) });
    expect(report.body).toEqual(predicted.body);

    const panel = await openPanel(openExtensionPage, tabId, 'crashes');
    await expect(panel.getByTestId('crash-call-stack')).toHaveAttribute('data-opted-in', 'false');
    await readInbox(panel, demo);
    await expect(panel.getByTestId('crash-comparison').first()).toHaveAttribute('data-match', 'true');
  });
});
