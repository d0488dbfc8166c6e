/**
 * The popup's first lines as an HTML string, for the background to put into `popup.html` before the page's script
 * has even been fetched (entrypoints/background/popup-prerender.ts). The markup is exactly what `App` and
 * `PopupView` render for the same summary (a unit test holds them together), so when the app renders into it,
 * Preact keeps these elements and only adds the rest: no flash, no second headline.
 *
 * No Preact here: the worker builds a string and nothing else.
 */
import type { TabSummary } from '@/utils/tab/types';
import { capText } from '@/utils/display/format';
import { escapeHtml, fillApp } from '@/components/common/prerender-html';

/** The id of the data block that carries the summary the markup was made from. */
export const PRERENDER_ID = 'popup-prerendered';

/** What the page needs to take over: the summary shown, and the time its expiries were written for. */
export interface Prerendered {
  summary: TabSummary;
  now: number;
}

/** The popup root with its header (headline and URL), as `App` renders it for `summary`. */
export function popupHeaderMarkup(summary: TabSummary): string {
  const level = escapeHtml(summary.level);
  const { text, omitted } = capText(summary.url, 200);
  const more = omitted > 0 ? `<span class="omitted">… (${omitted.toLocaleString('en-US')} more characters)</span>` : '';
  return (
    `<div class="popup-root"><div class="popup" data-kind="${escapeHtml(summary.kind)}" data-level="${level}">` +
    `<header><div class="headline level-${level}" data-testid="popup-headline" data-level="${level}">` +
    `${escapeHtml(summary.headline)}</div><div class="url muted mono" data-testid="popup-url"><span>` +
    `${escapeHtml(text)}${more}</span></div></header></div></div>`
  );
}

/**
 * The packaged `popup.html` with the header rendered into its `#app` and the summary after it, as a JSON data block
 * (not a script: the extension's CSP runs no inline code, and this runs none). Null when the page has no empty
 * `#app` to fill (then it is served as packaged).
 */
export function prerenderPopupHtml(packaged: string, prerendered: Prerendered): string | null {
  // `<` escaped, so no value can close the block.
  const json = JSON.stringify(prerendered).replace(/</g, '\\u003c');
  return fillApp(
    packaged,
    popupHeaderMarkup(prerendered.summary),
    `<script type="application/json" id="${PRERENDER_ID}">${json}</script>`,
  );
}

/** The summary the background rendered into this page for tab `tabId`, or null (none, another tab's, malformed). */
export function readPrerendered(doc: Document, tabId: number): Prerendered | null {
  const text = doc.getElementById(PRERENDER_ID)?.textContent;
  if (!text) return null;
  try {
    const data = JSON.parse(text) as Partial<Prerendered> | null;
    const summary = data?.summary;
    if (typeof data?.now !== 'number' || !summary || summary.tabId !== tabId || typeof summary.headline !== 'string')
      return null;
    return { summary, now: data.now };
  } catch {
    return null;
  }
}
