// The panel opened as an ordinary page, `devtools-panel.html?tabId=N` (contract 2), in real Chromium: what a person
// reads for each demo case, the export, the conversion to Reporting-Endpoints, and the theme parameter.
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, type DemoServer } from './fixtures';

type TabName = 'overview' | 'endpoints' | 'routes' | 'problems' | 'headers';

/** Opens the panel page for `page`'s tab on one of its tabs, once the panel shows that tab's current document. */
async function openPanel(
  page: Page,
  tab: TabName,
  {
    tabIdOf,
    openExtensionPage,
  }: { tabIdOf: (p: Page) => Promise<number>; openExtensionPage: (p: string) => Promise<Page> },
  query = '',
): Promise<Page> {
  const url = page.url();
  const tabId = await tabIdOf(page);
  const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=${tab}${query}`);
  await expect(panel.getByTestId(`tabpanel-${tab}`)).toBeVisible();
  // The overview names the captured document: wait until it is this one, not the tab's previous page.
  if (tab === 'overview') await expect(panel.getByTestId('overview-url')).toHaveText(url);
  return panel;
}

const row = (scope: Page | Locator, testId: string, attrs: Record<string, string>): Locator =>
  scope.locator(
    `[data-testid="${testId}"]${Object.entries(attrs)
      .map(([k, v]) => `[data-${k}="${v}"]`)
      .join('')}`,
  );

type Case = {
  path: string;
  /** What a person should find, as the demo page states it. */
  fact: string;
  tab: TabName;
  /** Remove the origin's Report-To "default" (left by /good for 30 min) first. */
  clean?: boolean;
  /** The fact comes from a subresource: recorded once the panel is open, so the page is reloaded then. */
  subresources?: boolean;
  check: (panel: Page, demo: DemoServer) => Promise<void>;
};

const cases: Case[] = [
  {
    path: '/insecure-endpoint',
    fact: 'the http:// endpoint is flagged: Chromium drops it',
    tab: 'problems',
    check: async (panel, demo) => {
      const problem = row(panel, 'problem-row', { code: 'reporting-endpoints-insecure-endpoint' });
      await expect(problem).toHaveAttribute('data-severity', /^(error|warning)$/);
      await expect(problem.getByTestId('problem-message')).toContainText('is not HTTPS: Chromium drops it');
      await expect(problem.getByTestId('problem-message')).toContainText(`${demo.httpOrigin}/reports/default`);
    },
  },
  {
    path: '/invalid-json',
    fact: 'Report-To is not valid JSON',
    tab: 'problems',
    check: async (panel) => {
      const problem = row(panel, 'problem-row', { code: 'report-to-invalid-json' });
      await expect(problem).toHaveAttribute('data-severity', 'error');
      await expect(problem.getByTestId('problem-message')).toContainText('is not valid JSON at character');
    },
  },
  {
    path: '/uppercase-csp',
    fact: 'report-to CSP never matches the endpoint csp: CSP violations are not delivered',
    tab: 'routes',
    check: async (panel) => {
      const route = row(panel, 'route-row', { type: 'csp-violation' });
      await expect(route).toHaveAttribute('data-deliver', 'false');
      await expect(route.getByTestId('route-reason')).toContainText('lower-case');
      await expect(route.getByTestId('route-reason')).toContainText('write "csp"');
    },
  },
  {
    path: '/no-default',
    fact: 'no default endpoint: crash reports will not be sent',
    tab: 'overview',
    clean: true,
    check: async (panel) => {
      await expect(panel.getByTestId('crash-verdict')).toHaveAttribute('data-deliver', 'false');
      await expect(panel.getByTestId('crash-verdict')).toContainText('will not be sent');
      await expect(panel.getByTestId('crash-verdict')).toContainText('no "crash-reporting" or "default" endpoint');
    },
  },
  {
    path: '/nel-mismatch',
    fact: 'NEL names "nel", which exists only in Reporting-Endpoints',
    tab: 'routes',
    // Other pages of the origin (/repeated) leave a live Report-To group "nel".
    clean: true,
    check: async (panel) => {
      const route = row(panel, 'route-row', { type: 'network-error' });
      await expect(route).toHaveAttribute('data-deliver', 'false');
      await expect(route.getByTestId('route-reason')).toContainText('"nel" exists only in Reporting-Endpoints');
      await expect(route.getByTestId('route-reason')).toContainText('add a Report-To group named "nel"');
    },
  },
  {
    path: '/iframe',
    fact: "the child frame's endpoints, listed with its frame",
    tab: 'endpoints',
    check: async (panel, demo) => {
      const top = panel.locator('[data-testid="endpoints-section"][data-frame="0"]');
      const frame = panel.locator('[data-testid="endpoints-section"]:not([data-frame="0"])');
      await expect(frame).toHaveCount(1);
      await expect(frame.locator('h3')).toContainText(`Iframe ${demo.origin}/iframe/child`);
      await expect(row(frame, 'endpoint-row', { name: 'child' })).toContainText(`${demo.origin}/reports/child`);
      await expect(row(frame, 'endpoint-row', { name: 'child' })).toContainText(`${demo.origin}/iframe/child`);
      await expect(top.getByTestId('endpoint-row')).toHaveCount(1);
      await expect(row(top, 'endpoint-row', { name: 'default' })).toContainText(`${demo.origin}/reports/default`);
    },
  },
  {
    path: '/subresource',
    fact: "the origin's Report-To group, set by an image response",
    tab: 'endpoints',
    clean: true,
    subresources: true,
    check: async (panel, demo) => {
      const group = row(panel, 'group-row', { group: 'default', state: 'live' });
      await expect(group).toContainText(`${demo.origin}/reports/default`);
      await expect(group.getByTestId('group-expiry')).toContainText(/expires in (9|10) min/);
      await expect(panel.getByTestId('no-reporting-endpoints')).toBeVisible();
      // Where the group came from: the Headers tab lists the image's response.
      await panel.getByTestId('tab-headers').click();
      await expect(panel.getByTestId('tabpanel-headers')).toContainText(`${demo.origin}/assets/report-to.png`);
    },
  },
  {
    path: '/max-age-zero',
    fact: 'max_age 0 removes the group: shown as removed, with no expiry',
    tab: 'endpoints',
    check: async (panel) => {
      const removed = row(panel, 'group-row', { group: 'default', state: 'removed' });
      await expect(removed).toContainText('removed (max_age 0)');
      await expect(removed.getByTestId('group-expiry')).toHaveCount(0);
      await expect(row(panel, 'group-row', { group: 'default', state: 'live' })).toHaveCount(0);
    },
  },
  {
    path: '/cloudflare',
    fact: 'NEL → the Report-To group cf-nel, escapes decoded, kept 7 days',
    tab: 'routes',
    check: async (panel, demo) => {
      const nel = row(panel, 'route-row', { type: 'network-error' });
      await expect(nel).toHaveAttribute('data-deliver', 'true');
      await expect(nel).toContainText('cf-nel');
      await expect(nel.getByTestId('route-url')).toHaveText(`${demo.origin}/reports/default`);
      await panel.getByTestId('tab-endpoints').click();
      await expect(row(panel, 'group-row', { group: 'cf-nel' }).getByTestId('group-expiry')).toContainText(
        /expires in (6 d 23 h|7 d)/,
      );
    },
  },
  {
    path: '/all-policies',
    fact: 'COOP, COEP, Permissions-, Document- and Integrity-Policy each route to their endpoint',
    tab: 'routes',
    check: async (panel, demo) => {
      const expected: [string, string][] = [
        ['coop', 'coop'],
        ['coep', 'coep'],
        ['permissions-policy-violation', 'pp'],
        ['integrity-violation', 'integrity'],
        ['document-policy-violation', 'dp'],
      ];
      for (const [type, endpoint] of expected) {
        const routes = row(panel, 'route-row', { type, deliver: 'true' });
        await expect(routes.first(), type).toBeVisible();
        await expect(routes.first().getByTestId('route-url'), type).toHaveText(`${demo.origin}/reports/${endpoint}`);
      }
      await expect(row(panel, 'route-row', { type: 'coop' })).toHaveCount(2); // enforced and report-only
      await expect(row(panel, 'route-row', { type: 'coep' })).toHaveCount(2);
      await expect(row(panel, 'route-row', { deliver: 'false' })).toHaveCount(0);
      await panel.getByTestId('tab-problems').click();
      await expect(row(panel, 'problem-row', { code: 'document-policy-unknown-feature' })).toHaveCount(0);
    },
  },
];

test.describe('the panel page (devtools-panel.html?tabId=N)', () => {
  test('shows /good as the DevTools panel does: endpoints, group expiry, routes, crash verdict', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await openPanel(page, 'overview', { tabIdOf, openExtensionPage });
    await expect(panel.getByTestId('crash-verdict')).toHaveAttribute('data-deliver', 'true');
    await expect(panel.getByTestId('crash-verdict')).toContainText(
      `crash reports → default → ${demo.origin}/reports/default`,
    );
    await expect(panel.getByTestId('count-endpoints')).toHaveText('2 endpoints');
    await expect(panel.getByTestId('count-problems')).toHaveText('0 problems');

    await panel.getByTestId('tab-endpoints').click();
    await expect(panel.getByTestId('endpoint-row')).toHaveCount(2);
    await expect(row(panel, 'endpoint-row', { name: 'default' }).getByTestId('endpoint-url')).toHaveText(
      `${demo.origin}/reports/default`,
    );
    await expect(row(panel, 'endpoint-row', { name: 'csp' }).getByTestId('endpoint-url')).toHaveText(
      `${demo.origin}/reports/csp`,
    );
    const group = row(panel, 'group-row', { group: 'default', state: 'live' });
    await expect(group.getByTestId('group-name')).toHaveText('default');
    await expect(group.getByTestId('group-expiry')).toHaveText(/^expires in (29|30) min/);

    await panel.getByTestId('tab-routes').click();
    await expect(
      row(panel, 'route-row', { type: 'csp-violation', deliver: 'true' }).getByTestId('route-url'),
    ).toHaveText(`${demo.origin}/reports/csp`);
    for (const type of ['crash', 'deprecation', 'intervention']) {
      await expect(row(panel, 'route-row', { type, deliver: 'true' }).getByTestId('route-url'), type).toHaveText(
        `${demo.origin}/reports/default`,
      );
    }
    await expect(row(panel, 'route-row', { deliver: 'false' })).toHaveCount(0);

    await panel.getByTestId('tab-problems').click();
    await expect(panel.getByTestId('empty-problems')).toContainText('No problems found');
  });

  for (const c of cases) {
    test(`${c.path}: ${c.fact}`, async ({ page, demo, tabIdOf, openExtensionPage }) => {
      if (c.clean) await page.goto(`${demo.origin}/max-age-zero`);
      await page.goto(`${demo.origin}${c.path}`);
      const panel = await openPanel(page, c.tab, { tabIdOf, openExtensionPage });
      if (c.subresources) {
        // Loaded before the panel opened: the panel says to reload, and after the reload the note is gone.
        await expect(panel.getByTestId('subresource-note')).toContainText('reload the page (F5)');
        await page.reload();
        await expect(panel.getByTestId('subresource-note')).toHaveCount(0);
      }
      await c.check(panel, demo);
    });
  }

  test('Export downloads a report-inspector-bug-report document', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await openPanel(page, 'overview', { tabIdOf, openExtensionPage });
    const [download] = await Promise.all([panel.waitForEvent('download'), panel.getByTestId('export-button').click()]);
    expect(download.suggestedFilename()).toMatch(/^report-inspector-127\.0\.0\.1-.*\.json$/);
    const file = JSON.parse(fs.readFileSync(await download.path(), 'utf8')) as {
      format: string;
      version: number;
      exportedAt: string;
      summary: { endpoints: number; groups: number; routes: number };
      documents: { frame: string; url: string; endpoints: { name: string }[]; routes: { verdict: string }[] }[];
      raw?: unknown;
    };
    expect(file.format).toBe('report-inspector-bug-report');
    expect(file.version).toBe(1);
    expect(file.exportedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(file.summary).toMatchObject({ endpoints: 2, groups: 1, routes: 4 });
    expect(file.documents[0]).toMatchObject({ frame: 'top', url: `${demo.origin}/good` });
    expect(file.documents[0]!.endpoints.map((e) => e.name)).toEqual(['default', 'csp']);
    expect(file.documents[0]!.routes.every((r) => r.verdict === 'delivers')).toBe(true);
    expect(file.raw).toBeUndefined();
  });

  test('Convert to Reporting-Endpoints shows the equivalent header', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await openPanel(page, 'endpoints', { tabIdOf, openExtensionPage });
    await panel.getByTestId('convert-button').click();
    const header = panel.getByTestId('migrate-header');
    await expect(header).toBeVisible();
    await expect(header).toContainText('Reporting-Endpoints: default="https://127.0.0.1:');
    await expect(header).toContainText(`default="${demo.origin}/reports/default"`);
    await expect(panel.getByTestId('copy-migrated')).toBeVisible();
  });

  test('?theme= forces the theme; without it the page follows prefers-color-scheme', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const background = (p: Page) => p.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const dark = await openPanel(page, 'overview', { tabIdOf, openExtensionPage }, '&theme=dark');
    await expect(dark.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await background(dark)).toBe('rgb(32, 33, 36)');

    const system = await openPanel(page, 'overview', { tabIdOf, openExtensionPage });
    await expect(system.locator('html')).not.toHaveAttribute('data-theme', /.*/);
    expect(await background(system)).toBe('rgb(255, 255, 255)');
    await system.emulateMedia({ colorScheme: 'dark' });
    expect(await background(system)).toBe('rgb(32, 33, 36)');

    const light = await openPanel(page, 'overview', { tabIdOf, openExtensionPage }, '&theme=light');
    await light.emulateMedia({ colorScheme: 'dark' });
    await expect(light.locator('html')).toHaveAttribute('data-theme', 'light');
    expect(await background(light)).toBe('rgb(255, 255, 255)');
  });
});
