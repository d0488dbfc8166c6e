// Privacy in real Chromium: during a whole session (demo pages, the panel and its tabs, the popup) the extension
// itself makes no network request; only the buttons that say they send something do, and only to the URL shown.
// That breadcrumbs never carry the demo's /pii secrets unscrubbed is proven by page-capture.spec.ts ("/pii").
import type { Page, Request } from '@playwright/test';
import { test, expect } from './fixtures';
import { sleep } from './helpers';

type Seen = { url: string; from: string; method: string };

/** Every request made by the extension (its service worker or its pages), other than loading its own files. */
function watchExtensionRequests(context: import('@playwright/test').BrowserContext, extensionId: string): Seen[] {
  const origin = `chrome-extension://${extensionId}/`;
  const seen: Seen[] = [];
  context.on('request', (r: Request) => {
    if (r.url().startsWith(origin)) return; // its own files
    let from: string;
    const sw = r.serviceWorker();
    if (sw) from = sw.url();
    else {
      try {
        from = r.frame().url();
      } catch {
        from = '';
      }
    }
    if (from.startsWith(origin)) seen.push({ url: r.url(), from, method: r.method() });
  });
  return seen;
}

test.describe('privacy', () => {
  test('no request of its own during a session; the endpoint check and the inbox send only to the URL shown, only on click', async ({
    page,
    context,
    demo,
    extensionId,
    tabIdOf,
    openExtensionPage,
  }) => {
    test.setTimeout(120_000);
    const seen = watchExtensionRequests(context, extensionId);

    // A session: demo pages with every kind of header, clicks, the panel's tabs, the popup.
    for (const p of ['/good', '/no-default', '/report-to-only', '/'])
      await page.goto(`${demo.origin}${p}`).catch(() => undefined);
    await page.goto(`${demo.origin}/good`);
    await page.click('#violate').catch(() => undefined);
    const tabId = await tabIdOf(page);
    const panel: Page = await openExtensionPage(`devtools-panel.html?tabId=${tabId}`);
    await expect(panel.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
    const tabs = panel.locator('[role=tab]');
    const n = await tabs.count();
    expect(n).toBeGreaterThan(3);
    for (let i = 0; i < n; i++) await tabs.nth(i).click();
    const popup = await openExtensionPage(`popup.html?tabId=${tabId}`);
    await expect(popup.locator('body')).not.toBeEmpty();
    await page.reload();
    await sleep(1500);
    expect(seen, 'requests made by the extension without a click').toEqual([]);

    // The endpoint check: a CORS preflight and one test report, to the endpoint URL the row shows, and nothing else.
    await panel.getByTestId('tab-endpoints').click();
    const check = panel.getByTestId('endpoint-check').first();
    await expect(panel.getByTestId('endpoint-check-help')).toContainText('sends a CORS preflight and one test report');
    const row = panel
      .locator('[data-testid=endpoint-check]')
      .first()
      .locator('xpath=ancestor::*[contains(., "https://")][1]');
    await check.getByTestId('check-endpoint-button').click();
    await expect(
      panel.getByTestId('endpoint-check-result').or(panel.getByTestId('endpoint-check-error')).first(),
    ).toBeVisible();
    expect(seen.length).toBeGreaterThan(0);
    const targets = new Set(seen.map((s) => s.url));
    expect(targets.size, JSON.stringify(seen)).toBe(1);
    const target = [...targets][0]!;
    expect(target.startsWith(`${demo.origin}/reports/`)).toBe(true);
    await expect(row).toContainText(target);
    expect(seen.every((s) => s.method === 'OPTIONS' || s.method === 'POST')).toBe(true);

    // The inbox: one GET of the URL typed in, and nothing else.
    seen.length = 0;
    await panel.getByTestId('tab-crashes').click();
    const inbox = `${demo.origin}/reports`;
    await panel.getByTestId('inbox-url').fill(inbox);
    await sleep(500);
    expect(seen, 'typing an inbox URL sends nothing').toEqual([]);
    await panel.getByTestId('read-inbox').click();
    await expect(panel.getByTestId('inbox-result').or(panel.getByTestId('inbox-error')).first()).toBeVisible();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([`GET ${inbox}`]);

    // And quiet again afterwards.
    seen.length = 0;
    await page.goto(`${demo.origin}/no-default`);
    for (let i = 0; i < n; i++) await tabs.nth(i).click();
    await sleep(1000);
    expect(seen).toEqual([]);
  });
});
