// When the page relay arrives, seen from the page in real Chromium: after the load event on an ordinary tab (the
// page's load never waits for the extension's isolated world), before it while a panel is open for the tab. What
// the page did while loading still reaches the panel, and a crash while the page loads is still found.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { asker, crash, viewOf } from './helpers';
import { PAGE_MESSAGE_KEY, RELAY_HELLO } from '@/utils/page/events';

/**
 * Runs in the page before its own scripts: records when the load event and the relay's hello come (ms since
 * navigation start), logs a line while the page loads, and keeps the load waiting `slowMs` on an image.
 */
function instrument(slowMs: number) {
  return `(() => {
    const t = (window.__relayTiming = {});
    addEventListener('message', (e) => {
      const d = e.data;
      if (d && d[${JSON.stringify(PAGE_MESSAGE_KEY)}] === ${JSON.stringify(RELAY_HELLO)} && t.hello === undefined) t.hello = performance.now();
    });
    addEventListener('load', () => { t.load = performance.now(); });
    document.addEventListener('DOMContentLoaded', () => {
      console.log('logged while loading');
      if (${slowMs} > 0) { const img = new Image(); img.src = '/api/slow?ms=${slowMs}'; document.body.append(img); }
    });
  })();`;
}

/** Waits for the relay's hello (the page may still be loading), then the page's timings. */
async function timing(page: Page, timeout = 5_000): Promise<{ hello: number; load?: number }> {
  await expect
    .poll(
      () =>
        page
          .evaluate(
            () => (window as unknown as { __relayTiming?: { hello?: number } }).__relayTiming?.hello !== undefined,
          )
          .catch(() => false),
      {
        message: 'the relay said hello',
        timeout,
      },
    )
    .toBe(true);
  return page.evaluate(() => (window as unknown as { __relayTiming: { hello: number; load?: number } }).__relayTiming);
}

test.describe('when the relay arrives', () => {
  test('after the load event on an ordinary tab; what the page did while loading still arrives', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.addInitScript(instrument(400));
    await page.goto(`${demo.origin}/breadcrumbs`);
    const t = await timing(page);
    expect(t.load).toBeGreaterThan(400);
    expect(t.hello).toBeGreaterThan(t.load!);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    const v = await viewOf(
      ask,
      tabId,
      (x) => x.state.breadcrumbs.some((b) => b.message === 'logged while loading'),
      'the line logged during load',
    );
    expect(v.state.breadcrumbs.find((b) => b.type === 'navigation')?.message).toBe(`load ${demo.origin}/breadcrumbs`);
  });

  test('before the load event while a panel is open for the tab', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/breadcrumbs`);
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    await expect(panel.getByTestId('breadcrumb-list')).toBeVisible();
    await page.addInitScript(instrument(1500));
    await page.goto(`${demo.origin}/breadcrumbs?inspected`);
    const t = await timing(page);
    expect(t.hello).toBeLessThan(t.load!);
    await expect(panel.getByText('logged while loading').first()).toBeVisible();
  });

  test('5 s after its commit on a page that is still loading', async ({ page, demo }) => {
    // An image that never arrives (held by the test, no network): the load event never comes.
    await page.route('**/stalled-image', () => undefined);
    await page.addInitScript(
      instrument(0) +
        `document.addEventListener('DOMContentLoaded', () => { const i = new Image(); i.src = '/stalled-image'; document.body.append(i); });`,
    );
    void page.goto(`${demo.origin}/breadcrumbs?stalled`).catch(() => undefined);
    const t = await timing(page, 12_000);
    expect(t.load).toBeUndefined();
    expect(t.hello).toBeGreaterThanOrEqual(4900); // ms since navigation start, which comes before the commit
  });

  test('a crash while the page loads, before any relay, is found', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    const { ask } = await asker(openExtensionPage);
    await page.addInitScript(instrument(8000));
    const url = `${demo.origin}/good`;
    void page.goto(url).catch(() => undefined);
    const tabId = await expect
      .poll(() => tabIdOf(page).catch(() => -1))
      .not.toBe(-1)
      .then(() => tabIdOf(page));
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === url, 'the /good document');
    // Neither loaded nor 5 s past its commit: no relay yet, so no port to close.
    expect(await page.evaluate(() => (window as unknown as { __relayTiming: object }).__relayTiming)).toEqual({});
    await crash(page);
    const v = await viewOf(ask, tabId, (x) => x.state.crashes.length === 1, 'the crash entry', 15_000);
    expect(v.state.crashes[0]!.url).toBe(url);
  });
});

// What the relay costs a later load, seen in Chromium's own execution contexts (README "Performance"): Blink keeps a
// frame's worlds across its navigations, so once the relay has run in a frame, Chromium sets up Report Inspector's
// isolated world again as each later document of that frame commits, before the document has loaded, whether or
// not the relay goes into it. The first document of a tab gets the world only with the relay, after its load.
test('Chromium sets up the relay’s world again at each later document of the frame, before its load', async ({
  page,
  demo,
  extensionId,
}) => {
  const cdp = await page.context().newCDPSession(page);
  const events: string[] = [];
  cdp.on(
    'Runtime.executionContextCreated',
    ({ context }: { context: { origin: string; auxData?: { type?: string } } }) => {
      if (context.auxData?.type === 'isolated' && context.origin === `chrome-extension://${extensionId}`)
        events.push('world');
    },
  );
  cdp.on('Page.loadEventFired', () => events.push('load'));
  await cdp.send('Page.enable');
  await cdp.send('Runtime.enable');
  const settled = async (want: string) => {
    await expect.poll(() => events.join(' '), { message: 'the worlds and loads so far' }).toBe(want);
    await page.waitForTimeout(500); // and nothing more: the relay going in again makes no second world
    expect(events.join(' ')).toBe(want);
    events.length = 0;
  };
  await page.goto(`${demo.origin}/good?first`);
  await settled('load world');
  await page.goto(`${demo.origin}/good?second`);
  await settled('world load');
  await page.reload();
  await settled('world load');
  await cdp.detach();
});
