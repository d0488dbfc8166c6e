// The popup opened as an ordinary page, `popup.html?tabId=N` (contract 2), in real Chromium: the verdict for each
// kind of tab, the simulate-crash buttons and what they put on the clipboard, and the toolbar badge agreeing with it.
import type { Page } from '@playwright/test';
import { test, expect, type DemoServer } from './fixtures';
import type { TabSummary } from '@/utils/tab/types';
import { badgeOf, requestFrom } from './helpers';

type Helpers = { tabIdOf: (p: Page) => Promise<number>; openExtensionPage: (p: string) => Promise<Page> };

/** Opens the popup page for `page`'s tab, once it shows that tab's current URL. */
async function openPopup(page: Page, { tabIdOf, openExtensionPage }: Helpers): Promise<{ popup: Page; tabId: number }> {
  const tabId = await tabIdOf(page);
  const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
  await expect(popup.getByTestId('popup-headline')).toBeVisible();
  return { popup, tabId };
}

/** Asks the background for a tab's summary from an extension page, as the popup does. */
function summaryOf(extensionPage: Page, tabId: number): Promise<TabSummary> {
  return requestFrom(extensionPage, 'getTabSummary', { tabId });
}

test.describe('the popup page (popup.html?tabId=N)', () => {
  test('a configured page: reports are configured, crash reports go to default, the badge counts its endpoints', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const { popup, tabId } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-headline')).toContainText(/configured/i);
    await expect(popup.getByTestId('popup-headline')).toContainText('default');
    await expect(popup.getByTestId('popup-headline')).not.toContainText('not be sent');
    await expect(popup.getByTestId('popup-kind-message')).toHaveCount(0);
    await expect(popup.getByTestId('popup-line-reporting-endpoints')).toHaveAttribute('data-level', 'ok');
    await expect(popup.getByTestId('popup-line-reporting-endpoints')).toContainText('2 endpoints');
    await expect(popup.getByTestId('popup-line-report-to')).toContainText(
      /1 group.*default; soonest expires in (29|30) min/s,
    );
    await expect(popup.getByTestId('popup-line-crash')).toHaveAttribute('data-level', 'ok');
    await expect(popup.getByTestId('popup-line-crash')).toContainText(`${demo.origin}/reports/default`);
    await expect(popup.getByTestId('popup-line-routes')).toContainText('all resolve');
    await expect(popup.getByTestId('popup-line-problems')).toContainText('none found');

    // The badge the background set for the tab is the summary's: /good has 2 Reporting-Endpoints and 1 Report-To
    // group endpoint, so 3, in the "ok" colour.
    const summary = await summaryOf(popup, tabId);
    expect(summary.endpoints).toBe(2);
    expect(summary.badge).toEqual({ text: '3', color: '#1a73e8' });
    await expect.poll(() => badgeOf(serviceWorker, tabId), { message: 'the toolbar badge' }).toEqual(summary.badge);
  });

  test("the badge is set again after a reload (Chromium clears a tab's badge on navigation)", async ({
    page,
    demo,
    tabIdOf,
    serviceWorker,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    await expect.poll(() => badgeOf(serviceWorker, tabId)).toEqual({ text: '3', color: '#1a73e8' });
    await page.reload();
    await expect
      .poll(() => badgeOf(serviceWorker, tabId), { message: 'the badge after a reload' })
      .toEqual({ text: '3', color: '#1a73e8' });
    await page.goto(`${demo.origin}/good?again`);
    await expect
      .poll(() => badgeOf(serviceWorker, tabId), { message: 'the badge after a new page with the same summary' })
      .toEqual({ text: '3', color: '#1a73e8' });
  });

  test('a navigation resets the badge to the default colour: a warning page, then a blue one', async ({
    page,
    demo,
    tabIdOf,
    serviceWorker,
  }) => {
    // The background sets the blue once for all tabs and, after a navigation, only a badge's text when it is blue:
    // Chromium must have dropped the amber the previous page set for the tab.
    await page.goto(`${demo.origin}/max-age-zero`);
    await page.goto(`${demo.origin}/no-default`);
    const tabId = await tabIdOf(page);
    await expect.poll(() => badgeOf(serviceWorker, tabId)).toEqual({ text: '1', color: '#e37400' });
    await page.goto(`${demo.origin}/good`);
    await expect
      .poll(() => badgeOf(serviceWorker, tabId), { message: 'the badge of the next page' })
      .toEqual({ text: '3', color: '#1a73e8' });
  });

  test('no default endpoint: crash reports will not be sent, and the badge warns', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    await page.goto(`${demo.origin}/max-age-zero`); // removes the origin's Report-To "default" that /good leaves
    await page.goto(`${demo.origin}/no-default`);
    const { popup, tabId } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-headline')).toContainText('crash reports will not be sent');
    await expect(popup.getByTestId('popup-line-crash')).toHaveAttribute('data-level', 'error');
    await expect(popup.getByTestId('popup-line-crash')).toContainText('not sent');
    await expect(popup.getByTestId('popup-line-crash')).toContainText('no "crash-reporting" or "default" endpoint');
    await expect(popup.getByTestId('popup-line-reporting-endpoints')).toContainText('1 endpoint');

    const summary = await summaryOf(popup, tabId);
    expect(summary.endpoints).toBe(1);
    expect(summary.groups).toBe(0);
    expect(summary.badge).toEqual({ text: String(summary.endpoints), color: '#e37400' });
    await expect.poll(() => badgeOf(serviceWorker, tabId), { message: 'the toolbar badge' }).toEqual(summary.badge);

    // Crash simulation still explains where the report would (not) go.
    await popup.getByTestId('copy-crash-url').click();
    await expect(popup.getByTestId('crash-expected-route')).toContainText('will not be sent');
  });

  test('an http:// page: not HTTPS', async ({ page, demo, tabIdOf, openExtensionPage, serviceWorker }) => {
    await page.goto(`${demo.httpOrigin}/good`);
    const { popup, tabId } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-kind-message')).toHaveAttribute('data-kind', 'insecure');
    await expect(popup.getByTestId('popup-kind-message')).toContainText('Not HTTPS.');
    await expect(popup.getByTestId('popup-headline')).toContainText('This page is not HTTPS');
    // No crash of an http:// page can be reported: no crash control.
    await expect(popup.getByTestId('simulate-crash')).toHaveCount(0);
    await expect.poll(() => badgeOf(serviceWorker, tabId)).toEqual({ text: '!', color: '#e37400' });
  });

  test('a browser page (chrome://): nothing to inspect', async ({
    page,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    await page.goto('chrome://version/');
    const { popup, tabId } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-kind-message')).toHaveAttribute('data-kind', 'browser-page');
    await expect(popup.getByTestId('popup-kind-message')).toContainText("This is one of the browser's own pages");
    await expect(popup.getByTestId('popup-headline')).toContainText('This is a browser page');
    await expect(popup.getByTestId('simulate-crash')).toHaveCount(0);
    expect(await badgeOf(serviceWorker, tabId)).toMatchObject({ text: '' });
  });

  test('the URL is shown scrubbed: a token in the query never shows', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/pii?token=tok_live_8f2a9c77&view=1`);
    const { popup } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-url')).toHaveText(`${demo.origin}/pii?token=[redacted]&view=1`);
    await expect(popup.locator('body')).not.toContainText('tok_live_8f2a9c77');
  });

  test('a page that configures nothing', async ({ page, demo, tabIdOf, openExtensionPage, serviceWorker }) => {
    // On the demo's second origin: Report-To state that other tests leave on the first one (a live group from /good,
    // or /max-age-zero's removal) applies to every page of that origin.
    await page.goto(`${demo.altOrigin}/custom?h=${encodeURIComponent('{}')}`);
    const { popup, tabId } = await openPopup(page, { tabIdOf, openExtensionPage });
    await expect(popup.getByTestId('popup-kind-message')).toHaveAttribute('data-kind', 'nothing-configured');
    await expect(popup.getByTestId('popup-kind-message')).toContainText('Nothing configured.');
    await expect(popup.getByTestId('popup-headline')).toContainText('Nothing configured');
    await expect.poll(() => badgeOf(serviceWorker, tabId)).toMatchObject({ text: '' });
  });

  test('the crash buttons copy chrome://crash/, chrome://memory-exhaust/ and chrome://hang/ and say what to expect', async ({
    page,
    context,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    // Chromium refuses to grant permissions to a chrome-extension:// origin ("opaque origins"), so grant them for
    // every origin, for this test only.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    try {
      await copyCrashUrls(page, demo, { tabIdOf, openExtensionPage });
    } finally {
      await context.clearPermissions();
    }
  });
});

test.describe('the popup page served by the service worker', () => {
  test('the navigation itself carries the headline the app then shows, and nothing else comes from the worker', async ({
    page,
    context,
    demo,
    tabIdOf,
    extensionId,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    const popup = await context.newPage();
    const fromWorker: string[] = [];
    popup.on('response', (r) => void (r.fromServiceWorker() && fromWorker.push(new URL(r.url()).pathname)));
    const response = await popup.goto(`chrome-extension://${extensionId}/popup.html?tabId=${tabId}`);
    const html = await response!.text();
    const served = /data-testid="popup-headline"[^>]*>([^<]+)</.exec(html)?.[1];
    expect(served, 'the headline in the HTML the worker answered').toContain('configured');
    // One headline, the same text, once the app has taken over and refreshed.
    await expect(popup.getByTestId('popup-line-crash')).toContainText(`${demo.origin}/reports/default`);
    await popup.waitForTimeout(1_200);
    await expect(popup.getByTestId('popup-headline')).toHaveCount(1);
    expect(await popup.getByTestId('popup-headline').textContent()).toBe(unescapeHtml(served!));
    // The extension's CSP still applies to the page the worker wrote.
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(fromWorker).toEqual(['/popup.html']);

    // The panel, opened on the Overview: its navigation comes with the Overview's headline, its scripts from the
    // package; opened on another tab, it is the packaged page.
    const panel = await context.newPage();
    const panelFromWorker: string[] = [];
    panel.on('response', (r) => void (r.fromServiceWorker() && panelFromWorker.push(new URL(r.url()).pathname)));
    const panelResponse = await panel.goto(`chrome-extension://${extensionId}/devtools-panel.html?tabId=${tabId}`);
    const panelHtml = await panelResponse!.text();
    const look = /data-testid="overview-headline"[^>]*>(?:<span[^>]*>[^<]*<\/span>)?\s*([^<]+)</.exec(panelHtml)?.[1];
    expect(look, 'the Overview headline in the HTML the worker answered').toBeTruthy();
    await expect(panel.getByTestId('tabpanel-overview')).toBeVisible();
    await expect(panel.locator('[data-prerendered]')).toHaveCount(0);
    await expect(panel.getByTestId('overview-headline')).toHaveCount(1);
    expect((await panel.getByTestId('overview-headline').textContent())!.trim()).toContain(unescapeHtml(look!.trim()));
    expect(panelFromWorker).toEqual(['/devtools-panel.html']);
    const onReports = await context.newPage();
    const reportsResponse = await onReports.goto(
      `chrome-extension://${extensionId}/devtools-panel.html?tabId=${tabId}&tab=reports`,
    );
    expect(reportsResponse!.fromServiceWorker()).toBe(false);
  });

  test('with the worker stopped, and for a tab it knows nothing of, the popup still opens', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    stopServiceWorker,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    await stopServiceWorker({ wake: false });
    const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
    await expect(popup.getByTestId('popup-headline')).toContainText(/configured/i);
    const unknown = await openExtensionPage('popup.html?tabId=2147483000');
    await expect(unknown.getByTestId('popup-headline')).toBeVisible();
    await expect(unknown.getByTestId('popup-kind-message')).toHaveAttribute('data-kind', 'unknown');
  });
});

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', '#39': "'" };
/** Text as it was before HTML escaping. */
const unescapeHtml = (s: string) => s.replace(/&(quot|amp|lt|gt|#39);/g, (_, e: string) => ENTITIES[e]!);

/** Clicks each crash button in the popup of a /good tab and reads what it put on the clipboard. */
async function copyCrashUrls(page: Page, demo: DemoServer, helpers: Helpers): Promise<void> {
  await page.goto(`${demo.origin}/good`);
  const { popup } = await openPopup(page, helpers);
  await popup.bringToFront();
  const clipboard = () => popup.evaluate(() => navigator.clipboard.readText());

  await expect(popup.getByTestId('copy-crash-url')).toHaveAttribute('data-url', 'chrome://crash/');
  await popup.getByTestId('copy-crash-url').click();
  const instructions = popup.getByTestId('crash-instructions');
  await expect(instructions).toBeVisible();
  await expect(instructions).toContainText('Copied chrome://crash/.');
  await expect(instructions).toContainText('Paste into the address bar of this tab');
  await expect(instructions).toContainText('(no reason)');
  await expect(popup.getByTestId('crash-expected-route')).toContainText(
    `will go to default → ${demo.origin}/reports/default`,
  );
  expect(await clipboard()).toBe('chrome://crash/');

  await popup.getByTestId('copy-oom-url').click();
  await expect(instructions).toContainText('Copied chrome://memory-exhaust/.');
  await expect(instructions).toContainText('with reason oom');
  expect(await clipboard()).toBe('chrome://memory-exhaust/');

  await popup.getByTestId('copy-hang-url').click();
  await expect(instructions).toContainText('Copied chrome://hang/.');
  await expect(instructions).toContainText('with reason unresponsive');
  expect(await clipboard()).toBe('chrome://hang/');
}
