/**
 * What happens when a tab's state changes: its open panels get the new view (at most every 150 ms per tab) and its
 * toolbar badge follows. Every part of the background that changes a tab calls `tabChanged`.
 *
 * A tab without an open panel whose top frame is loading gets its badge once the load completes (at most
 * {@link LOADING_PUSH_MS} after the change): building the view and setting the badge then stay off the page's load,
 * where they competed with it for the browser's main thread (bench/paired.mjs measured them on every load).
 */
import type { Runtime } from 'webextension-polyfill';
import { originServesHost } from '@/utils/tab/origin-cache';
import { hostsOfTab } from '@/utils/tab/view';
import type { TabBadges } from './badge';
import type { PanelPorts } from './panel-ports';
import type { Stores } from './tab-and-origin-stores';
import { tabIdOfKey, tabKey } from './tab-and-origin-stores';
import type { TabViews } from './tab-views';

export const PUSH_INTERVAL_MS = 150;
/** The longest a loading tab without a panel waits for its badge (a load that never completes still gets one). */
export const LOADING_PUSH_MS = 1000;

export class TabUpdates {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Tabs whose top frame committed a document that has not completed loading. */
  private readonly loading = new Set<number>();

  constructor(
    private readonly parts: {
      stores: Stores;
      views: TabViews;
      panels: Pick<PanelPorts, 'has' | 'post' | 'tabIds'>;
      badges: Pick<TabBadges, 'show' | 'forget' | 'remove'>;
    },
  ) {}

  /** A tab's state changed: push its view to its panels and update its badge, soon (changes come in bursts). */
  tabChanged(tabId: number): void {
    if (this.timers.has(tabId)) return;
    const wait = this.loading.has(tabId) && !this.parts.panels.has(tabId) ? LOADING_PUSH_MS : PUSH_INTERVAL_MS;
    this.timers.set(
      tabId,
      setTimeout(() => {
        this.timers.delete(tabId);
        void this.push(tabId);
      }, wait),
    );
  }

  /** A panel just connected: send it the current view at once. */
  panelConnected(tabId: number, port: Runtime.Port): void {
    void this.push(tabId, [port]);
  }

  /** An origin's Report-To changed: update every tab whose documents it serves. */
  async originChanged(origin: string): Promise<void> {
    const tabIds = new Set<number>(this.parts.panels.tabIds());
    for (const key of this.parts.stores.tabs.cachedKeys()) {
      const id = tabIdOfKey(key);
      if (id !== null) tabIds.add(id);
    }
    for (const tabId of tabIds) {
      const state = await this.parts.stores.tabs.get(tabKey(tabId));
      if (!state) continue;
      if ([...hostsOfTab(state)].some((h) => originServesHost(origin, h))) this.tabChanged(tabId);
    }
  }

  /**
   * A tab's top frame committed a new document: Chromium cleared its badge (badge.ts), so set it again, once the
   * document has loaded when no panel is open (a push already due for the tab waits for that too).
   */
  navigationCommitted(tabId: number): void {
    this.parts.badges.forget(tabId);
    this.loading.add(tabId);
    this.cancel(tabId);
    this.tabChanged(tabId);
  }

  /** A tab's top frame completed loading: what waited for it is pushed now. */
  navigationCompleted(tabId: number): void {
    if (!this.loading.delete(tabId)) return;
    if (this.cancel(tabId)) void this.push(tabId);
  }

  tabRemoved(tabId: number): void {
    this.cancel(tabId);
    this.loading.delete(tabId);
    this.parts.badges.remove(tabId);
  }

  /** Drops a tab's pending push; whether there was one. */
  private cancel(tabId: number): boolean {
    const t = this.timers.get(tabId);
    if (t === undefined) return false;
    clearTimeout(t);
    this.timers.delete(tabId);
    return true;
  }

  /** Sends the view to `only` (a panel that just connected), else to every panel of the tab and the badge. */
  private async push(tabId: number, only?: Runtime.Port[]): Promise<void> {
    try {
      const view = await this.parts.views.view(tabId);
      this.parts.panels.post(tabId, { type: 'view', view }, only);
      if (!only) await this.parts.badges.show(tabId, view);
    } catch (e) {
      console.warn('Report Inspector: could not update tab', tabId, e);
    }
  }
}
