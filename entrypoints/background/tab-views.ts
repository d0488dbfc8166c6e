/**
 * A tab's view (its state with the origin cache and its documents analysed) and its popup summary, read from the stores:
 * what the panel port, the popup and `getTabView` get.
 */
import type { TabSummary, TabView } from '@/utils/tab/types';
import { emptyTabState } from '@/utils/tab/types';
import { summarizeTab } from '@/utils/tab/summary';
import { buildTabView } from '@/utils/tab/view';
import { AnalysisCache } from '@/utils/tab/derive-analyses';
import type { Stores } from './tab-and-origin-stores';
import { ORIGIN_CACHE_KEY, tabKey } from './tab-and-origin-stores';

export class TabViews {
  /** Documents are analysed once, not on every push of a busy tab. */
  private readonly analyses = new AnalysisCache();

  constructor(
    private readonly stores: Stores,
    private readonly now: () => number = Date.now,
    /** Since when a tab's subresources are recorded (subresource-watch.ts); null when they are not. */
    private readonly subresourcesSince: (tabId: number) => number | null = () => null,
  ) {}

  /** Reads a tab's view from the stores (an empty state when nothing is known yet). */
  async view(tabId: number): Promise<TabView> {
    const [state, cache] = await Promise.all([
      this.stores.tabs.get(tabKey(tabId)),
      this.stores.origins.get(ORIGIN_CACHE_KEY),
    ]);
    const now = this.now();
    return {
      ...buildTabView(state ?? emptyTabState(tabId, now), cache ?? {}, now, this.analyses),
      subresourcesSince: this.subresourcesSince(tabId),
    };
  }

  /** What the popup shows for a tab; `tabUrl` is the tab's address when known (else its top document's). */
  async summary(tabId: number, tabUrl: string | undefined): Promise<TabSummary> {
    const view = await this.view(tabId);
    const url = tabUrl ?? view.state.documents['0']?.url ?? '';
    return summarizeTab(view, url, this.now());
  }
}
