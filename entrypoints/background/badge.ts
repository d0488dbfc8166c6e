/** The toolbar badge of each tab: the summary's text and colour, set only when they change. */
import type { TabView } from '@/utils/tab/types';
import { summarizeTab } from '@/utils/tab/summary';

/** The part of `browser.action` used here. */
export interface BadgeApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId: number; color: string }): Promise<void>;
}

export class TabBadges {
  /** What each tab's badge was last set to (`text|color`). */
  private readonly shown = new Map<number, string>();

  constructor(
    private readonly api: BadgeApi | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows a tab's badge from its view (its top document's summary); nothing before the tab has a document. */
  async show(tabId: number, view: TabView): Promise<void> {
    if (!this.api) return;
    const top = view.state.documents['0'];
    if (!top) return;
    const s = summarizeTab(view, top.url, this.now());
    const key = `${s.badge.text}|${s.badge.color}`;
    if (this.shown.get(tabId) === key) return;
    this.shown.set(tabId, key);
    try {
      await this.api.setBadgeText({ tabId, text: s.badge.text });
      await this.api.setBadgeBackgroundColor({ tabId, color: s.badge.color });
    } catch {
      // The tab is gone.
      this.shown.delete(tabId);
    }
  }

  /**
   * Forgets what a tab's badge shows. Chromium resets a tab's own badge when its top frame commits a new document
   * (chrome/browser/extensions/extension_action_runner.cc: `DidFinishNavigation` calls
   * `ExtensionActionAPI::ClearAllValuesForTab`), so after a navigation the badge must be set again even when the
   * summary is the same.
   */
  forget(tabId: number): void {
    this.shown.delete(tabId);
  }
}
