/**
 * The toolbar badge of each tab: the summary's text and colour, set only when they change. Each call costs the
 * worker about a millisecond (bench/profile.mjs), and Chromium resets a tab's badge on every navigation, so the
 * calls a navigation needs are kept to what differs from the reset badge: the default colour is the usual one
 * (blue), set once for all tabs, and an empty text needs no call at all.
 */
import type { TabView } from '@/utils/tab/types';
import { BADGE_COLORS, summarizeTab } from '@/utils/tab/summary';

/** The part of `browser.action` used here. */
export interface BadgeApi {
  setBadgeText(details: { tabId: number; text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { tabId?: number; color: string }): Promise<void>;
}

/** The colour every tab's badge has until it is given its own: the one of a page whose reports can go somewhere. */
export const DEFAULT_BADGE_COLOR = BADGE_COLORS.ok;

export class TabBadges {
  /** What each tab's badge shows (as set, or as Chromium reset it); a tab not here is unknown. */
  private readonly shown = new Map<number, { text: string; color: string | null }>();
  /** Set for all tabs once per worker life, before the first tab's badge. */
  private defaultColor: Promise<void> | null = null;

  constructor(
    private readonly api: BadgeApi | null,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows a tab's badge from its view (its top document's summary); nothing before the tab has a document. */
  async show(tabId: number, view: TabView): Promise<void> {
    if (!this.api) return;
    const top = view.state.documents['0'];
    if (!top) return;
    const { text, color } = summarizeTab(view, top.url, this.now()).badge;
    const was = this.shown.get(tabId);
    // An empty badge shows no colour: only its text matters.
    if (was && was.text === text && (text === '' || was.color === color)) return;
    // An empty text leaves the colour as it was (unknown before the first one).
    this.shown.set(tabId, { text, color: text === '' ? (was?.color ?? null) : color });
    try {
      await (this.defaultColor ??= this.api.setBadgeBackgroundColor({ color: DEFAULT_BADGE_COLOR }).catch(() => {}));
      if (!was || was.text !== text) await this.api.setBadgeText({ tabId, text });
      if (text !== '' && was?.color !== color) await this.api.setBadgeBackgroundColor({ tabId, color });
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
    this.shown.set(tabId, { text: '', color: DEFAULT_BADGE_COLOR });
  }

  /** A closed tab: nothing is known of it any more. */
  remove(tabId: number): void {
    this.shown.delete(tabId);
  }
}
