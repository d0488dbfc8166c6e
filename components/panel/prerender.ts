/**
 * The panel's first look as an HTML string, for the background to put into `devtools-panel.html` before the page's
 * scripts have even been fetched (entrypoints/background/popup-prerender.ts): the header and tab bar's places and the
 * Overview's headline, whose markup is exactly what `OverviewTab` renders for the same summary (a unit test holds
 * them together). The panel renders its app beside it and swaps it in once the app shows its own first view
 * (entrypoints/devtools-panel/mount.tsx), so the headline never changes under the reader's eyes.
 *
 * No Preact here: the worker builds a string and nothing else.
 */
import type { TabSummary } from '@/utils/tab/types';
import { escapeHtml, fillApp } from '@/components/common/prerender-html';
import { SEVERITY_GLYPH } from '@/components/common/severity-glyph';

/** Marks the page's prerendered part (the panel replaces it with the app). */
export const PANEL_PRERENDER_ATTR = 'data-prerendered';

/** The Overview's headline, as `OverviewTab` renders it for `summary`. */
export function overviewHeadlineMarkup(summary: TabSummary): string {
  const level = escapeHtml(summary.level);
  return (
    `<div class="overview-headline level-${level}" data-testid="overview-headline" data-level="${level}">` +
    `<span class="sev sev-${level}" role="img" aria-label="${level}" title="${level}">${SEVERITY_GLYPH[summary.level]}` +
    `</span> ${escapeHtml(summary.headline)}</div>`
  );
}

/**
 * The packaged `devtools-panel.html` with the panel's first look in its `#app`, or null: no empty `#app` to fill, or
 * a tab whose Overview shows no headline (no top document yet), where the packaged page serves as it is.
 */
export function prerenderPanelHtml(packaged: string, summary: TabSummary): string | null {
  if (!summary.top) return null;
  return fillApp(
    packaged,
    `<div class="panel panel-prerendered" ${PANEL_PRERENDER_ATTR}="" aria-busy="true">` +
      `<div class="panel-header"></div><div class="tabbar"></div>` +
      `<div class="tabpanel tabpanel-overview"><div class="overview"><section class="card">` +
      `${overviewHeadlineMarkup(summary)}</section></div></div></div>`,
  );
}
