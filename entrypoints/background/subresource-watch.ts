/**
 * Which responses the background listens to. Chromium sends every response a listener's filter matches to the
 * service worker (a trip across processes and into JavaScript per response), so:
 * - documents (`main_frame`, `sub_frame`) are always watched: one event per navigation or frame;
 * - subresources (fetch, XHR, images, scripts, styles…) are watched per tab, while a Report Inspector panel is open
 *   for it, like the DevTools Network panel. Their `Report-To` configures their origin (see header-capture.ts).
 *
 * bench/ measures what this saves: with a listener for every response, 2,000 same-origin fetches took markedly
 * longer than with the documents-only listener, which costs no more than holding the `webRequest` permission.
 */

/** The document types: watched on every tab. */
export const DOCUMENT_TYPES = ['main_frame', 'sub_frame'] as const;

/** Subresource types for browsers that do not publish their list (`webRequest.ResourceType`). */
const FALLBACK_SUBRESOURCE_TYPES = [
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'csp_report',
  'media',
  'websocket',
  'other',
];

/** Every resource type but the documents, from the browser's own list when it has one. */
export function subresourceTypes(published?: Record<string, string>): string[] {
  const all = published ? Object.values(published).filter((t) => typeof t === 'string') : [];
  const types = (all.length ? all : FALLBACK_SUBRESOURCE_TYPES).filter(
    (t) => !(DOCUMENT_TYPES as readonly string[]).includes(t),
  );
  return [...new Set(types)];
}

type Listener<D> = (details: D) => void;

/** The part of `webRequest.onHeadersReceived` the watcher uses (tests pass a fake). */
export interface HeadersEventLike<D> {
  addListener(cb: Listener<D>, filter: { urls: string[]; types?: string[]; tabId?: number }, extra?: string[]): void;
  removeListener(cb: Listener<D>): void;
}

/** Subresource listeners, one per watched tab. */
export class SubresourceWatch<D> {
  private readonly listeners = new Map<number, { listener: Listener<D>; since: number }>();

  constructor(
    private readonly event: HeadersEventLike<D>,
    private readonly types: string[],
    private readonly handle: Listener<D>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Start watching a tab's subresource responses (again: no-op). */
  watch(tabId: number): void {
    if (this.listeners.has(tabId) || !Number.isInteger(tabId) || tabId < 0) return;
    const listener: Listener<D> = (details) => this.handle(details);
    try {
      this.event.addListener(listener, { urls: ['<all_urls>'], types: this.types, tabId }, ['responseHeaders']);
      this.listeners.set(tabId, { listener, since: this.now() });
    } catch (e) {
      console.warn('Report Inspector: could not watch the subresources of tab', tabId, e);
    }
  }

  /** Stop watching a tab (its panels closed, or the tab did). */
  unwatch(tabId: number): void {
    const entry = this.listeners.get(tabId);
    if (!entry) return;
    this.listeners.delete(tabId);
    this.event.removeListener(entry.listener);
  }

  /** Since when a tab's subresources are watched (ms since the epoch), or null when they are not. */
  since(tabId: number): number | null {
    return this.listeners.get(tabId)?.since ?? null;
  }
}
