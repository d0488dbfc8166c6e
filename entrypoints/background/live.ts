/**
 * Live updates: panel ports per tab get the tab's whole view when it changes (throttled), and the toolbar badge
 * follows each tab's summary.
 */
import type { Runtime } from 'webextension-polyfill';
import type { TabState, TabSummary, TabView } from '@/utils/tab/types';
import { emptyTabState } from '@/utils/tab/types';
import type { PanelPush } from '@/utils/messaging/protocol';
import { summarizeTab } from '@/utils/tab/summary';
import { buildTabView, hostsOfTab, originServesHost } from '@/utils/tab/view';
import type { Stores } from './stores';
import { ORIGIN_CACHE_KEY, tabIdOfKey, tabKey } from './stores';

export interface BadgeApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
}

const PUSH_INTERVAL_MS = 150;

export class LiveUpdates {
  private readonly ports = new Map<number, Set<Runtime.Port>>();
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private readonly lastBadge = new Map<number, string>();
  private readonly closedListeners: ((tabId: number) => void)[] = [];
  private readonly openedListeners: ((tabId: number) => void)[] = [];
  /** Since when a tab's subresources are recorded (see subresource-watch.ts). */
  subresourcesSince: (tabId: number) => number | null = () => null;

  constructor(
    private readonly stores: Stores,
    private readonly badge: BadgeApi | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Reads a tab's view from the stores (an empty state when nothing is known yet). */
  async view(tabId: number): Promise<TabView> {
    const [state, cache] = await Promise.all([this.stores.tabs.get(tabKey(tabId)), this.stores.origins.get(ORIGIN_CACHE_KEY)]);
    const now = this.now();
    return { ...buildTabView(state ?? emptyTabState(tabId, now), cache ?? {}, now), subresourcesSince: this.subresourcesSince(tabId) };
  }

  async summary(tabId: number, tabUrl: string | undefined): Promise<TabSummary> {
    const view = await this.view(tabId);
    const url = tabUrl ?? view.state.documents['0']?.url ?? '';
    return summarizeTab(view, url, this.now());
  }

  /** A panel connected for a tab: send the current view at once, then every change. */
  addPanelPort(tabId: number, port: Runtime.Port): void {
    let set = this.ports.get(tabId);
    if (!set) this.ports.set(tabId, (set = new Set()));
    set.add(port);
    for (const cb of this.openedListeners) cb(tabId);
    port.onDisconnect.addListener(() => {
      set!.delete(port);
      if (set!.size === 0 && this.ports.get(tabId) === set) {
        this.ports.delete(tabId);
        for (const cb of this.closedListeners) cb(tabId);
      }
    });
    void this.push(tabId, [port]);
  }

  /** Calls `cb` when a panel connects for a tab (before the first view is sent). */
  onPanelOpened(cb: (tabId: number) => void): void {
    this.openedListeners.push(cb);
  }

  /** Calls `cb` when the last panel of a tab disconnects. */
  onPanelsClosed(cb: (tabId: number) => void): void {
    this.closedListeners.push(cb);
  }

  hasPanel(tabId: number): boolean {
    return (this.ports.get(tabId)?.size ?? 0) > 0;
  }

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

  /** An origin's Report-To changed: update every tab whose documents it serves. */
  async originChanged(origin: string): Promise<void> {
    const tabIds = new Set<number>(this.ports.keys());
    for (const key of this.stores.tabs.cachedKeys()) {
      const id = tabIdOfKey(key);
      if (id !== null) tabIds.add(id);
    }
    for (const tabId of tabIds) {
      const state = await this.stores.tabs.get(tabKey(tabId));
      if (!state) continue;
      if ([...hostsOfTab(state)].some((h) => originServesHost(origin, h))) this.tabChanged(tabId);
    }
  }

  /**
   * A tab's top frame committed a new document. Chromium resets a tab's own badge on every such navigation, so the
   * last badge set for it is gone: forget it and set the badge again (else a reload, or a new page with the same
   * summary, leaves the badge blank).
   */
  navigationCommitted(tabId: number): void {
    this.lastBadge.delete(tabId);
    this.tabChanged(tabId);
  }

  tabRemoved(tabId: number): void {
    const t = this.timers.get(tabId);
    if (t) clearTimeout(t);
    this.timers.delete(tabId);
    this.lastBadge.delete(tabId);
  }

  private async push(tabId: number, only?: Runtime.Port[]): Promise<void> {
    try {
      const view = await this.view(tabId);
      const targets = only ?? [...(this.ports.get(tabId) ?? [])];
      const message: PanelPush = { type: 'view', view };
      for (const port of targets) {
        try {
          port.postMessage(message);
        } catch {
          // The port closed meanwhile; its onDisconnect cleans up.
        }
      }
      if (!only) await this.updateBadge(tabId, view.state, view);
    } catch (e) {
      console.warn('Report Inspector: could not update tab', tabId, e);
    }
  }

  private async updateBadge(tabId: number, state: TabState, view: TabView): Promise<void> {
    if (!this.badge) return;
    const top = state.documents['0'];
    if (!top) return;
    const s = summarizeTab(view, top.url, this.now());
    const key = `${s.badge.text}|${s.badge.color}`;
    if (this.lastBadge.get(tabId) === key) return;
    this.lastBadge.set(tabId, key);
    try {
      await this.badge.setBadgeText({ tabId, text: s.badge.text });
      await this.badge.setBadgeBackgroundColor({ tabId, color: s.badge.color });
    } catch {
      // The tab is gone.
      this.lastBadge.delete(tabId);
    }
  }
}

