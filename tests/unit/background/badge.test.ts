// The toolbar badge's calls (badge.ts): only what differs from what the tab shows, and after a navigation only what
// differs from the badge Chromium reset it to (the default colour set once, an empty text). popup.spec.ts shows
// Chromium resetting a tab's badge to that default in a real browser.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BADGE_COLOR, TabBadges, type BadgeApi } from '@/entrypoints/background/badge';
import { buildDocumentRecord } from '@/utils/tab/documents';
import { summarizeTab } from '@/utils/tab/summary';
import { emptyTabState, type TabView } from '@/utils/tab/types';
import { buildTabView } from '@/utils/tab/view';

const NOW = Date.UTC(2026, 11, 1, 12);

/** The view of a tab whose page was served with `headers`. */
function viewOf(url: string, headers: Record<string, string>): TabView {
  const d = buildDocumentRecord({
    frameId: 0,
    parentFrameId: -1,
    url,
    type: 'main_frame',
    statusCode: 200,
    headers: Object.entries(headers).map(([name, value]) => ({ name, value })),
    now: NOW,
  });
  return buildTabView({ ...emptyTabState(1, NOW), documents: { '0': d } }, {}, NOW);
}
const configuredView = viewOf('https://app.example/', {
  'reporting-endpoints': 'default="https://app.example/r", crash-reporting="https://app.example/c"',
});
const insecureView = viewOf('http://app.example/', {});
const nothingConfiguredView = viewOf('https://app.example/', {});

function recorder() {
  const calls: string[] = [];
  const api: BadgeApi = {
    setBadgeText: async (d) => void calls.push(`text ${d.tabId} ${d.text}`),
    setBadgeBackgroundColor: async (d) => void calls.push(`color ${d.tabId ?? 'all'} ${d.color}`),
  };
  return { calls, badges: new TabBadges(api, () => NOW) };
}

const badgeOf = (v: TabView) => summarizeTab(v, v.state.documents['0']!.url, NOW).badge;

describe('toolbar badge', () => {
  it('sets the default colour once, then per tab only what changed', async () => {
    const { calls, badges } = recorder();
    const ok = badgeOf(configuredView);
    const warn = badgeOf(insecureView);
    expect(ok.color).toBe(DEFAULT_BADGE_COLOR);
    expect(warn.color).not.toBe(DEFAULT_BADGE_COLOR);
    await badges.show(1, configuredView);
    await badges.show(1, configuredView);
    await badges.show(2, insecureView);
    await badges.show(2, insecureView);
    expect(calls).toEqual([
      `color all ${DEFAULT_BADGE_COLOR}`,
      `text 1 ${ok.text}`,
      `color 1 ${ok.color}`,
      `text 2 ${warn.text}`,
      `color 2 ${warn.color}`,
    ]);
  });

  it('after a navigation: a badge of the default colour takes one call, an empty one none', async () => {
    const { calls, badges } = recorder();
    await badges.show(1, insecureView);
    calls.length = 0;
    // Chromium reset the tab's badge: empty text, the default colour.
    badges.forget(1);
    await badges.show(1, configuredView);
    expect(calls).toEqual([`text 1 ${badgeOf(configuredView).text}`]);
    calls.length = 0;
    badges.forget(1);
    expect(badgeOf(nothingConfiguredView).text).toBe('');
    await badges.show(1, nothingConfiguredView);
    expect(calls).toEqual([]);
    // A warning after that: its text and its colour.
    await badges.show(1, insecureView);
    expect(calls).toEqual([`text 1 !`, `color 1 ${badgeOf(insecureView).color}`]);
  });

  it('an empty badge first, then a coloured one: the colour is set (it was never known)', async () => {
    const { calls, badges } = recorder();
    await badges.show(3, nothingConfiguredView);
    await badges.show(3, configuredView);
    expect(calls.filter((c) => c.startsWith('color 3'))).toEqual([`color 3 ${DEFAULT_BADGE_COLOR}`]);
  });
});
