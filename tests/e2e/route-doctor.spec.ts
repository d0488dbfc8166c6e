// "Why no report?" in real Chromium: the Routes tab's verdict and checklist for demo pages, fed by what the user
// checked (the endpoint check's CORS preflight) and what the product cannot see (Background Sync, cookies).
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures';

async function routesOf(
  page: Page,
  tabIdOf: (p: Page) => Promise<number>,
  openExtensionPage: (p: string) => Promise<Page>,
  tab = 'routes',
): Promise<Page> {
  const panel = await openExtensionPage(`devtools-panel.html?tabId=${await tabIdOf(page)}&tab=${tab}`);
  await expect(panel.getByTestId(`tabpanel-${tab}`)).toBeVisible();
  return panel;
}

const routeRow = (panel: Page | Locator, type: string): Locator =>
  panel.locator(`[data-testid="route-row"][data-type="${type}"]`).first();
const checkOf = (scope: Locator, id: string): Locator =>
  scope.locator(`[data-testid="doctor-check"][data-check="${id}"]`);

test.describe('the Routes tab doctor', () => {
  test('/good: delivered unless what cannot be seen from here, with how to check it', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await routesOf(page, tabIdOf, openExtensionPage);
    const csp = routeRow(panel, 'csp-violation');
    await expect(csp.getByTestId('route-doctor')).toHaveAttribute('data-verdict', 'unless');
    await expect(csp.getByTestId('route-doctor-headline')).toHaveText(
      `Will be delivered to ${demo.origin}/reports/csp, unless background sync permission or cookies for the site stops it (not visible from here).`,
    );
    await csp.getByTestId('route-doctor-details').locator('summary').click();
    await expect(checkOf(csp, 'page-https')).toHaveAttribute('data-status', 'pass');
    await expect(checkOf(csp, 'cors')).toHaveAttribute('data-status', 'pass');
    await expect(checkOf(csp, 'background-sync')).toHaveAttribute('data-status', 'unknown');
    await expect(checkOf(csp, 'background-sync').getByTestId('doctor-fix')).toContainText(
      "navigator.permissions.query({name: 'background-sync'})",
    );
    await expect(checkOf(csp, 'delivery-delay')).toContainText('--short-reporting-delay');
  });

  test('/endpoint-nocors: the endpoint check the user ran makes the route fail on its CORS preflight', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/endpoint-nocors`);
    const panel = await routesOf(page, tabIdOf, openExtensionPage, 'endpoints');
    const endpoint = panel.getByTestId('endpoint-row').filter({ hasText: `${demo.altOrigin}/nocors/reports/default` });
    await endpoint.getByTestId('check-endpoint-button').click();
    await expect(panel.getByTestId('endpoints-grid-details').getByTestId('endpoint-check-result')).toHaveAttribute(
      'data-verdict',
      'fail',
    );
    await expect(endpoint.getByTestId('endpoint-check-verdict')).toContainText('✕');
    await panel.getByTestId('tab-routes').click();
    const csp = routeRow(panel, 'csp-violation');
    await expect(csp.getByTestId('route-doctor')).toHaveAttribute('data-verdict', 'blocked');
    await expect(csp.getByTestId('route-doctor-headline')).toContainText('Will not be delivered: cors preflight fails');
    await csp.getByTestId('route-doctor-details').locator('summary').click();
    await expect(checkOf(csp, 'cors')).toHaveAttribute('data-status', 'fail');
    await expect(checkOf(csp, 'cors').getByTestId('doctor-fix')).toContainText('Access-Control-Allow-Origin');
  });

  test('an http:// copy of the page: every route blocked, the page is not HTTPS', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.httpOrigin}/good`);
    const panel = await routesOf(page, tabIdOf, openExtensionPage);
    await expect(panel.getByTestId('route-doctor').first()).toBeVisible();
    for (const d of await panel.getByTestId('route-doctor').all()) {
      await expect(d).toHaveAttribute('data-verdict', 'blocked');
      await expect(d.getByTestId('route-doctor-headline')).toContainText('page is not https');
    }
  });
});
