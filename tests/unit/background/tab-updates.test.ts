// When a tab's badge and open panels get its new view (tab-updates.ts): 150 ms after a change while a panel is open
// or the tab is idle; once the top frame has loaded (1 s at most) for a loading tab without a panel, so that building
// the view and setting the badge stay off the page's load.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createStores, tabKey } from '@/entrypoints/background/tab-and-origin-stores';
import { LOADING_PUSH_MS, PUSH_INTERVAL_MS, TabUpdates } from '@/entrypoints/background/tab-updates';
import { TabViews } from '@/entrypoints/background/tab-views';
import { emptyTabState } from '@/utils/tab/types';
import { doc } from '../../fixtures/views';

const NOW = Date.UTC(2026, 11, 1, 12);

async function setup(panelTabs: number[] = []) {
  const stores = createStores();
  for (const id of [1, 2])
    await stores.tabs.update(
      tabKey(id),
      () => emptyTabState(id, NOW),
      (s) => ({ ...s, documents: { '0': doc({ url: `https://app.example/${id}`, receivedAt: NOW }) } }),
    );
  const badges: number[] = [];
  const posts: number[] = [];
  const forgot: number[] = [];
  const updates = new TabUpdates({
    stores,
    views: new TabViews(stores, () => NOW),
    panels: { has: (id) => panelTabs.includes(id), post: (id) => void posts.push(id), tabIds: () => panelTabs },
    badges: { show: async (id) => void badges.push(id), forget: (id) => void forgot.push(id), remove: () => {} },
  });
  return { updates, badges, posts, forgot };
}

beforeEach(() => {
  fakeBrowser.reset();
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => vi.useRealTimers());

describe('tab updates', () => {
  it('an idle tab gets its badge 150 ms after a burst of changes, once', async () => {
    const { updates, badges } = await setup();
    for (let i = 0; i < 5; i++) updates.tabChanged(1);
    await vi.advanceTimersByTimeAsync(PUSH_INTERVAL_MS - 1);
    expect(badges).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(badges).toEqual([1]);
  });

  it('a loading tab without a panel gets its badge when its top frame completes, not during the load', async () => {
    const { updates, badges, forgot } = await setup();
    // The document's headers arrive before its commit: the push they asked for waits for the load too.
    updates.tabChanged(1);
    updates.navigationCommitted(1);
    expect(forgot).toEqual([1]);
    updates.tabChanged(1);
    await vi.advanceTimersByTimeAsync(LOADING_PUSH_MS - 1);
    expect(badges).toEqual([]);
    updates.navigationCompleted(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(badges).toEqual([1]);
    // Loaded: changes are pushed 150 ms later again, and a second completion pushes nothing more.
    updates.navigationCompleted(1);
    updates.tabChanged(1);
    await vi.advanceTimersByTimeAsync(PUSH_INTERVAL_MS);
    expect(badges).toEqual([1, 1]);
  });

  it('a load that never completes still gets its badge after 1 s; other tabs are not held up', async () => {
    const { updates, badges } = await setup();
    updates.navigationCommitted(1);
    updates.tabChanged(2);
    await vi.advanceTimersByTimeAsync(PUSH_INTERVAL_MS);
    expect(badges).toEqual([2]);
    await vi.advanceTimersByTimeAsync(LOADING_PUSH_MS - PUSH_INTERVAL_MS);
    expect(badges).toEqual([2, 1]);
  });

  it('a tab with an open panel gets its view 150 ms after a change, loading or not', async () => {
    const { updates, badges, posts } = await setup([1]);
    updates.navigationCommitted(1);
    updates.tabChanged(1);
    await vi.advanceTimersByTimeAsync(PUSH_INTERVAL_MS);
    expect(posts).toEqual([1]);
    expect(badges).toEqual([1]);
  });

  it('a closed tab pushes nothing, even when its load completes after', async () => {
    const { updates, badges } = await setup();
    updates.navigationCommitted(1);
    updates.tabRemoved(1);
    updates.navigationCompleted(1);
    await vi.advanceTimersByTimeAsync(2 * LOADING_PUSH_MS);
    expect(badges).toEqual([]);
  });
});
