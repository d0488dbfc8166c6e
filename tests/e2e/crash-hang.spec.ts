// chrome://hang in headless Chromium 156 (the README's Crashes section reports it): the renderer hangs and stays
// hung. Without a window there is no "Page unresponsive" dialog to end it, so no `unresponsive` crash report is
// sent; the tab stays `loading` at the page's URL, and Report Inspector records no crash for it.
import { test, expect, clearCollector, collectedReports } from './fixtures';
import { asker, viewOf, sleep } from './helpers';

test('chrome://hang in headless Chromium: the tab stays hung, no report is sent, no crash is recorded', async ({
  page,
  demo,
  tabIdOf,
  openExtensionPage,
}) => {
  test.setTimeout(90_000);
  await clearCollector(demo);
  const url = `${demo.origin}/crash-context`;
  await page.goto(url);
  const tabId = await tabIdOf(page);
  const { ask, ext } = await asker(openExtensionPage);
  await viewOf(ask, tabId, (v) => v.state.live?.['0']?.context?.entries.length === 2, 'the crash context');
  await page.bringToFront();
  void page.goto('chrome://hang').catch(() => undefined);
  // Crash reports arrive within ~100 ms of a crash; a hang detected by Chromium would end the renderer within ~30 s
  // in a windowed browser. Give it 20 s.
  await sleep(20_000);
  const tab = await ext.evaluate(
    (id) =>
      (
        globalThis as unknown as { chrome: { tabs: { get(id: number): Promise<{ status?: string; url?: string }> } } }
      ).chrome.tabs.get(id),
    tabId,
  );
  test.info().annotations.push({ type: 'chrome://hang after 20 s', description: JSON.stringify(tab) });
  expect(tab).toMatchObject({ status: 'loading', url });
  expect((await collectedReports(demo)).filter(({ report }) => report.type === 'crash')).toEqual([]);
  expect((await ask('getTabView', { tabId })).state.crashes).toEqual([]);
});
