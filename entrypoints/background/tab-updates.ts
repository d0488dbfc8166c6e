/**
 * What happens when a tab's state changes: its open panels get the new view (at most every 150 ms per tab) and its
 * toolbar badge follows. Every part of the background that changes a tab calls `tabChanged`.
 */
import type { Runtime } from 'webextension-polyfill';
import { originServesHost } from '@/utils/tab/origin-cache';
import { hostsOfTab } from '@/utils/tab/view';
import type { TabBadges } from './badge';
import type { PanelPorts } from './panel-ports';
import type { Stores } from './tab-and-origin-stores';
import { tabIdOfKey, tabKey } from './tab-and-origin-stores';
import type { TabViews } from './tab-views';

const PUSH_INTERVAL_MS = 150;

export class TabUpdates {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();

  constructor(private readonly parts: { stores: Stores; views: TabViews; panels: PanelPorts; badges: TabBadges }) {}

  /** A tab's state changed: push its view to its panels and update its badge, soon (changes come in bursts). */
  tabChanged(tabId: number): void {
    if (this.timers.has(tabId)) return;
    this.timers.set(
      tabId,
      setTimeout(() => {
        this.timers.delete(tabId);
        void this.push(tabId);
      }, PUSH_INTERVAL_MS),
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

  /** A tab's top frame committed a new document: Chromium cleared its badge (badge.ts), so set it again. */
  navigationCommitted(tabId: number): void {
    this.parts.badges.forget(tabId);
    this.tabChanged(tabId);
  }

  tabRemoved(tabId: number): void {
    const t = this.timers.get(tabId);
    if (t) clearTimeout(t);
    this.timers.delete(tabId);
    this.parts.badges.forget(tabId);
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
