// README screenshot generator, not a check: with UPDATE_SCREENSHOTS=1 it rewrites tests/e2e/screenshots/*.png from
// the real build, in real Chromium, against the demo site:
//
//   npx wxt build && UPDATE_SCREENSHOTS=1 npx playwright test tests/e2e/screenshots.spec.ts
//
// It runs only with UPDATE_SCREENSHOTS=1 (playwright.config.ts leaves it out otherwise), so ordinary runs never
// touch the committed images.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect, clearCollector, waitForReport } from './fixtures';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const PANEL = { width: 1100, height: 700 };
const POPUP_WIDTH = 360;

/** Waits until fonts and layout settle, and moves the pointer away so nothing is hovered. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

test.describe('README screenshots', () => {
  test('generate README screenshots: panel (light, dark, problems) and popup', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const good = await tabIdOf(page);

    for (const theme of ['light', 'dark'] as const) {
      const panel = await openExtensionPage(`devtools-panel.html?tabId=${good}&tab=endpoints&theme=${theme}`);
      await panel.setViewportSize(PANEL);
      // As a person would: the panel open, then the page reloaded (its subresources are recorded from then on).
      await page.reload();
      await expect(panel.getByTestId('subresource-note')).toHaveCount(0);
      await expect(panel.getByTestId('endpoint-row')).toHaveCount(2);
      await expect(panel.locator('[data-testid="group-row"][data-group="default"][data-state="live"]')).toBeVisible();
      await settle(panel);
      await panel.screenshot({ path: path.join(OUT, `panel-${theme}.png`), animations: 'disabled' });
    }

    const popup = await openExtensionPage(`popup.html?tabId=${good}`);
    // Chromium sizes a popup to its content: a short viewport and a full-page shot give the content's height.
    await popup.setViewportSize({ width: POPUP_WIDTH, height: 100 });
    await expect(popup.getByTestId('popup-line-crash')).toHaveAttribute('data-level', 'ok');
    await settle(popup);
    await popup.screenshot({ path: path.join(OUT, 'popup.png'), fullPage: true, animations: 'disabled' });

    await page.goto(`${demo.origin}/uppercase-csp`);
    const problems = await openExtensionPage(
      `devtools-panel.html?tabId=${await tabIdOf(page)}&tab=problems&theme=light`,
    );
    await problems.setViewportSize(PANEL);
    await expect(problems.locator('[data-testid="problem-row"][data-severity="error"]').first()).toBeVisible();
    await settle(problems);
    await problems.screenshot({ path: path.join(OUT, 'panel-problems.png'), animations: 'disabled' });
  });

  test('generate README screenshot: a crash on /crash-context, predicted beside delivered', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await clearCollector(demo);
    await page.goto(`${demo.origin}/crash-context`);
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=crashes&theme=light`);
    await panel.setViewportSize({ width: 1100, height: 1400 });
    await expect(panel.locator('[data-testid="context-entry"][data-key="cart"]')).toBeVisible();
    await page.bringToFront();
    await page.click('#checkout');
    await expect(panel.locator('[data-testid="context-entry"][data-key="route"]')).toContainText('/checkout');
    await page.goto('chrome://crash').catch(() => undefined);
    await waitForReport(demo, (r) => r.type === 'crash', { timeout: 10_000 });
    await expect(panel.getByTestId('crash-row')).toHaveCount(1);
    await panel.getByTestId('inbox-url').fill(`${demo.origin}/reports`);
    await panel.getByTestId('read-inbox').click();
    await expect(panel.getByTestId('crash-comparison')).toHaveAttribute('data-match', 'true');
    await settle(panel);
    await panel
      .getByTestId('crash-row')
      .first()
      .screenshot({ path: path.join(OUT, 'panel-crash.png'), animations: 'disabled' });
  });
});
