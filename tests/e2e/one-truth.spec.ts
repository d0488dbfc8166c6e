// Every demo page in real Chromium: the toolbar badge (read in the service worker), the popup
// (popup.html?tabId=N) and the panel (devtools-panel.html?tabId=N) show the same numbers, the ones of the one
// summary the background derives (getTabSummary).
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import type { TabSummary } from '@/utils/tab/types';
import { badgeOf, requestFrom } from './helpers';
import { CASES } from '../demo/pages.mjs';

const plural = (n: number, one: string) => `${n} ${n === 1 ? one : `${one}s`}`;

test.describe('one truth on every screen', () => {
  test('badge, popup and panel agree on every demo page', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    test.setTimeout(CASES.length * 20_000);
    await page.goto(`${demo.origin}/max-age-zero`); // a clean origin to start from
    const tabId = await tabIdOf(page);
    const popup: Page = await openExtensionPage(`popup.html?tabId=${tabId}`);
    const panel: Page = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=overview`);
    for (const c of CASES) {
      await test.step(c.path, async () => {
        const url = `${demo.origin}${c.path}`;
        await page.bringToFront();
        await page.goto(url);
        // The background has captured this document: its summary names it.
        let s!: TabSummary;
        await expect
          .poll(
            async () => {
              s = await requestFrom(popup, 'getTabSummary', { tabId });
              return s.top?.url;
            },
            { message: `${c.path}: summary of the new document`, timeout: 10_000 },
          )
          .toBe(url);
        await expect.poll(() => badgeOf(serviceWorker, tabId), { message: `${c.path}: badge` }).toEqual(s.badge);
        if (s.kind !== 'nothing-configured') expect(s.badge.text).toBe(String(s.endpoints + s.groups));

        await popup.reload();
        await expect(popup.getByTestId('popup-headline')).toHaveText(s.headline);
        await expect(popup.getByTestId('popup-line-report-to')).toContainText(
          `Report-To: ${plural(s.groups, 'group')}`,
        );
        await expect(popup.getByTestId('popup-line-routes')).toContainText(
          `${s.delivering} of ${plural(s.routes, 'route')} deliver`,
        );
        const re = s.top!.reportingEndpoints;
        if (re.state === 'kept' || re.state === 'partial') {
          await expect(popup.getByTestId('popup-line-reporting-endpoints')).toContainText(
            plural(s.endpoints, 'endpoint'),
          );
        }
        if (re.state === 'rejected')
          await expect(popup.getByTestId('popup-line-reporting-endpoints')).toContainText('sent and rejected');

        await panel.reload();
        await expect(panel.getByTestId('overview-url')).toHaveText(url);
        await expect(panel.getByTestId('overview-headline')).toContainText(s.headline);
        await expect(panel.getByTestId('count-endpoints')).toHaveText(plural(s.endpoints, 'endpoint'));
        await expect(panel.getByTestId('count-groups')).toHaveText(plural(s.groups, 'Report-To group'));
        await expect(panel.getByTestId('count-routes')).toHaveText(
          `${plural(s.routes, 'route')} (${s.delivering} delivering)`,
        );
        await expect(panel.getByTestId('overview-fate-reporting-endpoints')).toHaveAttribute('data-state', re.state);
        await expect(panel.getByTestId('overview-fate-report-to')).toHaveAttribute('data-state', s.top!.reportTo.state);
        await expect(panel.getByTestId('crash-verdict')).toHaveAttribute('data-deliver', String(s.crash.willDeliver));
        // A rejected header is never "absent", and a dropped http:// endpoint never "Every endpoint is HTTPS".
        if (s.top!.insecureEndpointUrls.length > 0) {
          await expect(panel.getByTestId('overview-delivery')).not.toContainText('Every endpoint');
          await expect(panel.getByTestId('overview-insecure-endpoints')).toContainText(s.top!.insecureEndpointUrls[0]!);
        }
        await panel.getByTestId('tab-history').click();
        await expect(panel.getByTestId('history-current').getByTestId('history-counts')).toHaveText(
          `${plural(s.endpoints, 'endpoint')} · ${plural(s.groups, 'group')} · ${plural(s.routes, 'route')} (${s.delivering} delivering) · ${plural(s.problems.errors + s.problems.warnings, 'problem')}`,
        );
        await panel.getByTestId('tab-overview').click();
      });
    }
  });
});
