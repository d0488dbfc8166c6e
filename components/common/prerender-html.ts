/**
 * What the popup's and the panel's prerendered first lines share (components/popup/prerender.ts,
 * components/panel/prerender.ts): text escaped for HTML, and the packaged page with its empty `#app` filled.
 * No Preact here: the worker builds strings and nothing else.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** `s` as HTML text or attribute value. */
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** The packaged page with `markup` in its empty `#app` and `after` right behind it; null when it has no empty `#app`. */
export function fillApp(packaged: string, markup: string, after = ''): string | null {
  const empty = '<div id="app"></div>';
  const at = packaged.indexOf(empty);
  if (at === -1) return null;
  return `${packaged.slice(0, at)}<div id="app">${markup}</div>${after}${packaged.slice(at + empty.length)}`;
}
