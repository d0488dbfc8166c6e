// Pages restored from Chromium's back/forward cache: no response comes for them, so the worker hears of such a
// load only when it completes, and finds its document in the tab's history. Playwright turns the cache off by default; this spec's browser keeps it on.
import { test, expect } from './fixtures';
import { asker, badgeOf } from './helpers';

test.use({ backForwardCache: true });

test('a page back from the back/forward cache is the tab’s document again, with its badge, and leaving it was no crash', async ({
  page,
  demo,
  tabIdOf,
  openExtensionPage,
  serviceWorker,
}) => {
  test.setTimeout(60_000);
  const tabId = await tabIdOf(page);
  // The demo pages are sent with `Cache-Control: no-store`, which keeps them out of the cache: these are not.
  const custom = (names: string[]) =>
    `${demo.origin}/custom?h=${encodeURIComponent(
      JSON.stringify({
        'Cache-Control': 'max-age=0',
        'Reporting-Endpoints': names.map((n) => `${n}="${demo.origin}/reports/${n}"`).join(', '),
      }),
    )}`;
  const first = custom(['default', 'csp', 'extra']);
  const second = custom(['default']);
  await page.goto(first);
  await expect.poll(async () => (await badgeOf(serviceWorker, tabId)).text).not.toBe('');
  const good = await badgeOf(serviceWorker, tabId);
  await page.evaluate(() => ((window as unknown as { restored?: number }).restored = 1));
  // Let the relay go in (after the load) and connect its port.
  await page.waitForTimeout(500);

  await page.goto(second);
  // Another badge (fewer places a report can go).
  await expect
    .poll(async () => (await badgeOf(serviceWorker, tabId)).text)
    .toMatch(new RegExp(`^(?!${good.text}$)\\d+$`));
  await page.waitForTimeout(500);

  await page.goBack({ waitUntil: 'commit' });
  // The same document, restored (a marker set on its window survived): Chromium reset the badge as it committed.
  expect(await page.evaluate(() => (window as unknown as { restored?: number }).restored)).toBe(1);
  await expect.poll(() => badgeOf(serviceWorker, tabId)).toEqual(good);

  // The tab's current document is the restored one again, and leaving either page (both with their relay in
  // them) was not taken for a crash.
  await page.waitForTimeout(1000);
  const { ask } = await asker(openExtensionPage);
  const view = await ask('getTabView', { tabId });
  expect(view.state.documents['0']?.url).toBe(first);
  expect(view.state.documents['0']?.endpoints).toHaveLength(3);
  expect(view.state.history[0]?.url).toBe(second);
  expect(view.state.crashes).toEqual([]);
});
