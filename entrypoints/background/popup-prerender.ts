/**
 * Serves `popup.html?tabId=N` with its headline already in it, and `devtools-panel.html?tabId=N` (Overview first)
 * with the Overview's headline. A popup that renders itself waits for its script,
 * then for one round trip to this worker, before it shows anything; answered here, the navigation's own response
 * carries the headline and the summary it came from (components/popup/prerender.ts), and the page's script only
 * takes over.
 *
 * A fetch handler would see every request of every extension page (the panel's scripts too, and a stopped worker
 * would have to start for each), so a static route, set when the worker is installed, sends everything but
 * `popup.html` straight to the package (the Service Worker Static Routing API: `InstallEvent.addRoutes`). Of what
 * still comes here, only the popup's own navigation with a tab id is answered; `respondWith` is not called for the
 * rest, so Chromium loads it as if there were no handler. Whatever goes wrong (no summary in time, a read that
 * fails), the packaged page is served, which then asks for the summary itself.
 */
import type { TabSummary } from '@/utils/tab/types';
import { prerenderPopupHtml } from '@/components/popup/prerender';
import { prerenderPanelHtml } from '@/components/panel/prerender';
import { tabIdParam } from '@/utils/messaging/protocol';

/** The part of a service worker's `FetchEvent` used here. */
export interface FetchEventLike {
  request: Request;
  respondWith(response: Promise<Response>): void;
}

export interface PopupPrerenderDeps {
  /** What `getTabSummary` answers for the tab. */
  summary(tabId: number): Promise<TabSummary>;
  now(): number;
  /** `chrome-extension://<id>/` */
  extensionOrigin: string;
  /** The worker's own `fetch`: it reads the package, never through this handler. */
  fetch(input: Request | string): Promise<Response>;
  /** Longest wait for the summary before the packaged page is served instead. */
  timeoutMs?: number;
}

/** The pages served here, and their packaged files. */
export const PRERENDERED_PAGES = { popup: 'popup.html', panel: 'devtools-panel.html' } as const;
export type PrerenderedPage = keyof typeof PRERENDERED_PAGES;
const PAGE_NAMES = Object.keys(PRERENDERED_PAGES) as PrerenderedPage[];

/**
 * Which page a request is and for which tab: a navigation to `popup.html?tabId=N`, or to
 * `devtools-panel.html?tabId=N` that opens on the Overview (no `tab`, or `tab=overview`); else null.
 */
export function prerenderTarget(
  request: Request,
  extensionOrigin: string,
): { page: PrerenderedPage; tabId: number } | null {
  if (request.mode !== 'navigate' || request.method !== 'GET') return null;
  const url = new URL(request.url);
  // Not `url.origin`: outside a browser that registers the scheme, a `chrome-extension:` URL's origin is opaque.
  if (`${url.protocol}//${url.host}/` !== extensionOrigin) return null;
  const page = PAGE_NAMES.find((p) => url.pathname === `/${PRERENDERED_PAGES[p]}`);
  if (!page) return null;
  const tab = url.searchParams.get('tab');
  if (page === 'panel' && tab !== null && tab !== 'overview') return null;
  const tabId = tabIdParam(url.searchParams.get('tabId'));
  return tabId === null ? null : { page, tabId };
}

/** The tab id of a request for the popup page (`popup.html?tabId=N`, a navigation), else null. */
export function popupTabId(request: Request, extensionOrigin: string): number | null {
  const target = prerenderTarget(request, extensionOrigin);
  return target?.page === 'popup' ? target.tabId : null;
}

/** The part of the worker's global scope used here. */
export interface WorkerScopeLike {
  addEventListener(type: 'install' | 'fetch', listener: (event: Event) => void): void;
}

/** The part of an `InstallEvent` used here (`addRoutes` only where the browser has static routing). */
interface InstallEventLike {
  addRoutes?(rules: unknown): Promise<void>;
}

/** The static route: every request but one for a page served here goes to the package without waking the worker. */
export function packageRoute(): unknown {
  return {
    condition: {
      not: { or: Object.values(PRERENDERED_PAGES).map((file) => ({ urlPattern: { pathname: `/${file}` } })) },
    },
    source: 'network',
  };
}

/** Adds the install and fetch listeners; call it with the others, before any await. */
export function listenForPopup(scope: WorkerScopeLike, deps: PopupPrerenderDeps): void {
  scope.addEventListener('install', (e) => {
    // Without static routing the handler still sees everything and lets it through: only slower.
    void (e as InstallEventLike).addRoutes?.(packageRoute())?.catch((err: unknown) => {
      console.warn('Report Inspector: no static route for extension pages', err);
    });
  });
  scope.addEventListener('fetch', popupPrerender(deps));
}

/** The `fetch` listener (a `FetchEvent` comes typed as `Event` here). */
export function popupPrerender(deps: PopupPrerenderDeps): (event: Event) => void {
  const timeoutMs = deps.timeoutMs ?? 250;
  // The packaged pages, each read once per worker life (their script and stylesheet names are hashed at build time).
  const packaged = new Map<PrerenderedPage, Promise<{ text: string; headers: Headers }>>();
  const page = (which: PrerenderedPage) => {
    const known = packaged.get(which);
    if (known) return known;
    const file = PRERENDERED_PAGES[which];
    const read = deps.fetch(`${deps.extensionOrigin}${file}`).then(async (r) => {
      if (!r.ok) throw new Error(`${file}: ${r.status}`);
      const headers = new Headers(r.headers);
      // They describe the packaged file, not this page.
      headers.delete('etag');
      headers.delete('last-modified');
      return { text: await r.text(), headers };
    });
    packaged.set(which, read);
    read.catch(() => packaged.delete(which));
    return read;
  };

  const render = async (which: PrerenderedPage, tabId: number): Promise<Response> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('summary too late')), timeoutMs);
    });
    try {
      const [{ text, headers }, summary] = await Promise.race([Promise.all([page(which), deps.summary(tabId)]), late]);
      const html =
        which === 'popup' ? prerenderPopupHtml(text, { summary, now: deps.now() }) : prerenderPanelHtml(text, summary);
      if (html === null) throw new Error(`${PRERENDERED_PAGES[which]}: nothing to render into`);
      // The package's headers (the content type, and the extension's CSP where Chromium sends it as a header).
      return new Response(html, { status: 200, headers });
    } finally {
      clearTimeout(timer);
    }
  };

  return (e) => {
    const event = e as unknown as FetchEventLike;
    const target = prerenderTarget(event.request, deps.extensionOrigin);
    if (target === null) return;
    const request = event.request;
    event.respondWith(render(target.page, target.tabId).catch(() => deps.fetch(request)));
  };
}
