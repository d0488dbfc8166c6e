// The Report Inspector panel inside a real DevTools window (Chromium started with --auto-open-devtools-for-tabs):
// what it shows for the inspected page, that it follows the page's navigations without being reloaded, and that it
// follows DevTools' theme. See devtools-fixtures.ts for how the panel is reached.
import { test, expect, type DevToolsPanel } from './devtools-fixtures';

type Row = {
  name?: string;
  type?: string;
  deliver?: string;
  state?: string;
  code?: string;
  text: string;
  visible: boolean;
};

const squash = (text: string) => text.replace(/\s+/g, '');

/** The rows matching `selector` in the panel: their data attributes and visible text. */
function rows(panel: DevToolsPanel, selector: string): Promise<Row[]> {
  return panel.evaluate(
    (s) =>
      [...document.querySelectorAll<HTMLElement>(s)].map((e) => ({
        name: e.dataset.name ?? e.dataset.group,
        type: e.dataset.type,
        deliver: e.dataset.deliver,
        state: e.dataset.state,
        code: e.dataset.code,
        text: e.innerText,
        visible: e.checkVisibility(),
      })),
    selector,
  );
}

// A real DevTools window is slow to load on a shared machine: each test may take a few minutes.
test.describe.configure({ timeout: 240_000 });

test.describe('the panel in DevTools', () => {
  test('shows endpoints, groups, routes and problems, and follows the inspected page without a reload', async ({
    page,
    demo,
    devtools,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await devtools.openPanel(page);

    // Overview: the inspected document, live over the panel's port.
    await expect
      .poll(() => panel.text('[data-testid="overview-url"]'), { message: 'overview URL' })
      .toBe(`${demo.origin}/good`);
    await expect.poll(() => panel.attribute('[data-testid="connection-status"]', 'data-status')).toBe('connected');
    expect(await panel.attribute('[data-testid="crash-verdict"]', 'data-deliver')).toBe('true');
    expect(await panel.text('[data-testid="count-endpoints"]')).toBe('2 endpoints');
    // Marks this panel document: a reload would lose it.
    await panel.evaluate(() => {
      (window as unknown as { riSameDocument: boolean }).riSameDocument = true;
    });

    // Endpoints: both Reporting-Endpoints with their URLs, and the origin's Report-To group with its expiry as text.
    await panel.selectTab('endpoints');
    await expect
      .poll(async () => (await rows(panel, '[data-testid="endpoint-row"]')).map((r) => r.name))
      .toEqual(['default', 'csp']);
    const endpoints = await rows(panel, '[data-testid="endpoint-row"]');
    expect(endpoints[0]!.text).toContain(`${demo.origin}/reports/default`);
    expect(endpoints[1]!.text).toContain(`${demo.origin}/reports/csp`);
    const group = (await rows(panel, '[data-testid="group-row"]')).find((r) => r.name === 'default');
    expect(group).toMatchObject({ state: 'live', visible: true });
    expect(group!.text).toContain(`${demo.origin}/reports/default`);
    // max_age 1800: under 30 min left, however long a busy machine took to get here.
    expect(await panel.text('[data-testid="group-row"][data-group="default"] [data-testid="group-expiry"]')).toMatch(
      /^expires in ([12]\d|30) min/,
    );
    expect(await panel.evaluate(() => document.querySelector('[data-testid="group-expiry"]')!.checkVisibility())).toBe(
      true,
    );
    expect(endpoints.every((r) => r.visible)).toBe(true);

    // Routes: the CSP goes to csp, crash/deprecation/intervention reports to default.
    await panel.selectTab('routes');
    await expect.poll(async () => (await rows(panel, '[data-testid="route-row"]')).length).toBeGreaterThanOrEqual(4);
    const routes = await rows(panel, '[data-testid="route-row"]');
    const csp = routes.find((r) => r.type === 'csp-violation')!;
    expect(csp).toMatchObject({ deliver: 'true' });
    expect(csp.text).toContain(`${demo.origin}/reports/csp`);
    for (const type of ['crash', 'deprecation', 'intervention']) {
      const r = routes.find((x) => x.type === type);
      expect(r, type).toMatchObject({ deliver: 'true' });
      expect(r!.text).toContain(`${demo.origin}/reports/default`);
    }

    // The panel opened as a page for the same tab (devtools-panel.html?tabId=N) shows the same rows. (Compared without
    // white space: where innerText breaks lines depends on the layout, and the DevTools iframe is narrower.)
    const asPage = await openExtensionPage(`devtools-panel.html?tabId=${await tabIdOf(page)}&tab=routes`);
    await expect(asPage.getByTestId('route-row')).toHaveCount(routes.length);
    expect((await asPage.getByTestId('route-row').allInnerTexts()).map(squash)).toEqual(
      routes.map((r) => squash(r.text)),
    );
    await asPage.getByTestId('tab-endpoints').click();
    await expect(asPage.getByTestId('endpoint-row')).toHaveCount(endpoints.length);
    expect((await asPage.getByTestId('endpoint-row').allInnerTexts()).map(squash)).toEqual(
      endpoints.map((r) => squash(r.text)),
    );
    await asPage.close();
    await page.bringToFront();

    // The inspected page navigates to a problem page: the same panel document shows its problems.
    await page.goto(`${demo.origin}/invalid-json`);
    await panel.selectTab('problems');
    await expect
      .poll(async () => (await rows(panel, '[data-testid="problem-row"]')).map((r) => r.code), {
        message: 'problems of /invalid-json',
      })
      .toContain('report-to-invalid-json');
    const invalid = (await rows(panel, '[data-testid="problem-row"]')).find(
      (r) => r.code === 'report-to-invalid-json',
    )!;
    expect(
      await panel.text(
        '[data-testid="problem-row"][data-code="report-to-invalid-json"] [data-testid="problem-message"]',
      ),
    ).toContain('is not valid JSON at character');
    expect(invalid.text).toContain('Report-To');

    // /max-age-zero removes the origin's Report-To "default" that /good left; then /no-default has no crash route.
    await page.goto(`${demo.origin}/max-age-zero`);
    await page.goto(`${demo.origin}/no-default`);
    await panel.selectTab('overview');
    await expect.poll(() => panel.text('[data-testid="overview-url"]')).toBe(`${demo.origin}/no-default`);
    await expect.poll(() => panel.attribute('[data-testid="crash-verdict"]', 'data-deliver')).toBe('false');
    expect(await panel.text('[data-testid="crash-verdict"]')).toContain('will not be sent');
    expect(
      await panel.evaluate(() => (window as unknown as { riSameDocument?: boolean }).riSameDocument === true),
    ).toBe(true);
  });

  test("follows DevTools' theme, live and when DevTools opens", async ({ context, page, demo, devtools }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await devtools.openPanel(page);
    const theme = () =>
      panel.evaluate(() => ({
        theme: document.documentElement.dataset.theme ?? null,
        background: getComputedStyle(document.body).backgroundColor,
      }));
    // Headless Chromium prefers light: DevTools' theme name is "default".
    await expect.poll(theme).toEqual({ theme: 'light', background: 'rgb(255, 255, 255)' });
    try {
      // Settings → Preferences → Theme: Dark, while the panel is open.
      await panel.setDevToolsTheme('dark');
      await expect
        .poll(theme, { message: 'the panel turns dark with DevTools' })
        .toEqual({ theme: 'dark', background: 'rgb(32, 33, 36)' });
      const textColour = await panel.evaluate(
        () => getComputedStyle(document.querySelector('[data-testid="overview-url"]')!.closest('.card')!).color,
      );
      expect(textColour).toBe('rgb(232, 234, 237)');

      // A DevTools window opened while the theme is dark starts its panel dark (devtools.panels.themeName).
      const other = await context.newPage();
      await other.goto(`${demo.origin}/repeated`);
      const second = await devtools.openPanel(other);
      await expect
        .poll(() => second.evaluate(() => document.documentElement.dataset.theme ?? null), {
          message: 'a panel opened in dark DevTools',
        })
        .toBe('dark');

      await panel.setDevToolsTheme('default');
      await expect
        .poll(theme, { message: 'the panel turns light again' })
        .toEqual({ theme: 'light', background: 'rgb(255, 255, 255)' });
    } finally {
      await panel.setDevToolsTheme('systemPreferred').catch(() => {});
    }
  });
});

test.describe("the panel in DevTools' idiom", () => {
  test("Ctrl+F, pressed in DevTools, opens DevTools' search bar, and what is typed there filters the active tab", async ({
    page,
    demo,
    devtools,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await devtools.openPanel(page);
    await panel.selectTab('endpoints');
    await expect.poll(async () => (await panel.texts('[data-testid="endpoint-row"]')).length).toBe(2);
    const rowNames = () =>
      panel.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('[data-testid="endpoint-row"]')].map((r) => r.dataset.name),
      );
    const filterValue = () =>
      panel.evaluate(() => (document.querySelector('[data-testid="filter-input"]') as HTMLInputElement).value);
    const searchFocused = async () => /id="search-input-field"/.test((await panel.devToolsFocus()) ?? '');
    // Real key events (CDP Input) in the DevTools window, its own UI focused: DevTools opens the search bar it gives
    // every extension panel (front_end/panels/extensions/ExtensionPanel.ts, a UI.SearchableView), and what is typed
    // there reaches the extension as ExtensionPanel.onSearch (entrypoints/devtools/search.ts).
    await panel.frontendEvaluate(() => document.body.focus());
    await panel.pressInDevTools('f', 'KeyF', 70, 2);
    await expect.poll(searchFocused, { message: "DevTools' search bar has the focus" }).toBe(true);
    await panel.typeInDevTools('csp');
    await expect.poll(filterValue, { message: 'the query reaches the filter box' }).toBe('csp');
    await expect.poll(rowNames).toEqual(['csp']);
    // Escape closes DevTools' search bar: DevTools cancels the search, and the filter empties.
    await panel.pressInDevTools('Escape', 'Escape', 27);
    await expect.poll(filterValue, { message: 'the cancelled search clears the filter' }).toBe('');
    await expect.poll(rowNames).toHaveLength(2);
  });
});

test.describe('the panel as a page, narrow', () => {
  const TAB_NAMES = [
    'overview',
    'endpoints',
    'routes',
    'problems',
    'headers',
    'history',
    'reports',
    'breadcrumbs',
    'crashes',
  ];

  for (const width of [520, 360]) {
    test(`every tab is reachable at ${width} px, through the » menu when it does not fit`, async ({
      page,
      demo,
      tabIdOf,
      openExtensionPage,
    }) => {
      await page.goto(`${demo.origin}/good`);
      const panel = await openExtensionPage(`devtools-panel.html?tabId=${await tabIdOf(page)}`);
      await panel.setViewportSize({ width, height: 640 });
      await expect(panel.getByTestId('tab-overview')).toBeVisible();
      // Nothing is cut: the bar is no wider than the window, and some tabs went into the menu.
      await expect.poll(() => panel.getByTestId('tab-more').isVisible()).toBe(true);
      expect(await panel.locator('.tabbar').evaluate((b) => b.scrollWidth <= b.clientWidth + 1)).toBe(true);
      for (const name of TAB_NAMES) {
        const tab = panel.getByTestId(`tab-${name}`);
        if ((await tab.getAttribute('data-overflowed')) === 'true') {
          await panel.getByTestId('tab-more').click();
          await panel.getByTestId(`tab-menu-${name}`).click();
        } else {
          await tab.click();
        }
        await expect(panel.getByTestId(`tabpanel-${name}`)).toBeVisible();
        // The selected tab is always shown in the bar itself.
        await expect(tab).toBeVisible();
        await expect(tab).toHaveAttribute('aria-selected', 'true');
      }
      // Keyboard: from the last tab, → wraps to the first.
      await panel.getByTestId('tab-crashes').focus();
      await panel.keyboard.press('ArrowRight');
      await expect(panel.getByTestId('tabpanel-overview')).toBeVisible();
    });
  }

  test('Ctrl+F focuses the filter outside DevTools; grids sort, open details with Enter and close with Esc', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${await tabIdOf(page)}&tab=endpoints`);
    await expect(panel.getByTestId('endpoint-row')).toHaveCount(2);
    await panel.getByTestId('endpoints-grid-body').first().focus();
    await panel.keyboard.press('Control+f');
    await expect(panel.getByTestId('filter-input')).toBeFocused();
    // Sort the endpoints by name: csp before default, then the other way round.
    const names = () =>
      panel.getByTestId('endpoint-row').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.name));
    const header = panel.getByTestId('grid-header-name').first();
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'ascending');
    expect(await names()).toEqual(['csp', 'default']);
    await header.getByRole('button').click();
    await expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(await names()).toEqual(['default', 'csp']);
    // The keyboard: ↓ selects, Enter opens the details under the grid, Esc closes them.
    const body = panel.getByTestId('endpoints-grid-body').first();
    await body.focus();
    await panel.keyboard.press('ArrowDown');
    await panel.keyboard.press('Enter');
    const details = panel.getByTestId('endpoints-grid-details').first();
    await expect(details).toBeVisible();
    await expect(details).toContainText(`${demo.origin}/reports/default`);
    await panel.keyboard.press('Escape');
    await expect(details).toHaveCount(0);
    // Groups: include_subdomains, max_age, received and expiry are columns of the row, no expanding needed.
    const group = panel.locator('[data-testid="group-row"][data-group="default"][data-state="live"]');
    await expect(group.getByTestId('group-subdomains')).toBeVisible();
    await expect(group.getByTestId('group-max-age')).toHaveText(/^[\d,]+ s$/);
    await expect(group.getByTestId('group-expiry')).toHaveText(/^expires in/);
  });

  test('screenshots at 520 px, light and dark, with legible chips', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }, info) => {
    await page.goto(`${demo.origin}/invalid-json`);
    const tabId = await tabIdOf(page);
    for (const theme of ['light', 'dark']) {
      for (const tab of ['problems', 'endpoints']) {
        const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=${tab}&theme=${theme}`);
        await panel.setViewportSize({ width: 520, height: 560 });
        await expect(panel.getByTestId(`tabpanel-${tab}`)).toBeVisible();
        const first = panel.locator('[role=grid] .vrow').first();
        if (await first.count()) await first.click();
        await panel.screenshot({ path: info.outputPath(`panel-${tab}-${theme}-520.png`) });
        // Chips and severity icons: text colour differs from its background.
        const clash = await panel.evaluate(
          () =>
            [...document.querySelectorAll<HTMLElement>('.sev-chip, .sev')].filter((e) => {
              const s = getComputedStyle(e);
              return s.color === s.backgroundColor;
            }).length,
        );
        expect(clash).toBe(0);
        await panel.close();
      }
    }
  });
});
