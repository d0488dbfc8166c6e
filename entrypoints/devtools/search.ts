/**
 * DevTools' own search (Ctrl+F in a DevTools panel) drives the panel's filter. Chromium's DevTools gives every
 * extension panel a search bar and reports what is typed there to the extension as `ExtensionPanel.onSearch`
 * (front_end/panels/extensions/ExtensionPanel.ts, `ExtensionPanel implements UI.SearchableView.Searchable`;
 * developer.chrome.com/docs/extensions/reference/api/devtools/panels#type-ExtensionPanel).
 */

/** The actions DevTools sends (front_end/models/extensions/ExtensionAPI.ts, `PrivateAPI.Panels.SearchAction`). */
export type SearchAction = 'performSearch' | 'cancelSearch' | 'nextSearchResult' | 'previousSearchResult';

/** Longest query applied: DevTools' search box has no limit of its own. */
export const MAX_QUERY = 500;

/**
 * Applies one search action to the panel's document: a query (or its cancellation) goes into the filter box as if
 * typed there, so the panel filters the active tab; next/previous move the selection in the active tab's first grid.
 * Returns whether anything was done (false while the panel is not rendered yet).
 */
export function applySearch(doc: Document, action: string, query?: string): boolean {
  const win = doc.defaultView;
  if (!win) return false;
  if (action === 'performSearch' || action === 'cancelSearch') {
    const input = doc.querySelector<HTMLInputElement>('[data-testid="filter-input"]');
    if (!input) return false;
    const value = action === 'performSearch' ? String(query ?? '').slice(0, MAX_QUERY) : '';
    if (input.value === value) return true;
    input.value = value;
    input.dispatchEvent(new win.Event('input', { bubbles: true }));
    return true;
  }
  if (action === 'nextSearchResult' || action === 'previousSearchResult') {
    const body = doc.querySelector<HTMLElement>('[role=tabpanel] .grid-body');
    if (!body) return false;
    body.dispatchEvent(
      new win.KeyboardEvent('keydown', { key: action === 'nextSearchResult' ? 'ArrowDown' : 'ArrowUp', bubbles: true }),
    );
    return true;
  }
  return false;
}
