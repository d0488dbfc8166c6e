/**
 * Serves `popup.html?tabId=N` with its headline already in it. A popup that renders itself waits for its script,
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

/** The tab id of a request for the popup page (`popup.html?tabId=N`, a navigation), else null. */
export function popupTabId(request: Request, extensionOrigin: string): number | null {
  if (request.mode !== 'navigate' || request.method !== 'GET') return null;
  const url = new URL(request.url);
  // Not `url.origin`: outside a browser that registers the scheme, a `chrome-extension:` URL's origin is opaque.
  if (`${url.protocol}//${url.host}/` !== extensionOrigin || url.pathname !== '/popup.html') return null;
  const raw = url.searchParams.get('tabId');
  if (raw === null || !/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) return null;
  return Number(raw);
}

/** The part of the worker's global scope used here. */
export interface WorkerScopeLike {
  addEventListener(type: 'install' | 'fetch', listener: (event: Event) => void): void;
}

/** The part of an `InstallEvent` used here (`addRoutes` only where the browser has static routing). */
interface InstallEventLike {
  addRoutes?(rules: unknown): Promise<void>;
}

/** The static route: every request but one for `popup.html` goes to the package without waking the worker. */
export function packageRoute(): unknown {
  return { condition: { not: { urlPattern: { pathname: '/popup.html' } } }, source: 'network' };
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
  // The packaged page, read once per worker life (its script and stylesheet names are hashed at build time).
  let packaged: Promise<{ text: string; headers: Headers }> | null = null;
  const page = () =>
    (packaged ??= deps.fetch(`${deps.extensionOrigin}popup.html`).then(async (r) => {
      if (!r.ok) throw new Error(`popup.html: ${r.status}`);
      const headers = new Headers(r.headers);
      // They describe the packaged file, not this page.
      headers.delete('etag');
      headers.delete('last-modified');
      return { text: await r.text(), headers };
    })).catch((e: unknown) => {
      packaged = null;
      throw e;
    });

  const render = async (tabId: number): Promise<Response> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('summary too late')), timeoutMs);
    });
    try {
      const [{ text, headers }, summary] = await Promise.race([Promise.all([page(), deps.summary(tabId)]), late]);
      const html = prerenderPopupHtml(text, { summary, now: deps.now() });
      if (html === null) throw new Error('popup.html has no #app');
      // The package's headers (the content type, and the extension's CSP where Chromium sends it as a header).
      return new Response(html, { status: 200, headers });
    } finally {
      clearTimeout(timer);
    }
  };

  return (e) => {
    const event = e as unknown as FetchEventLike;
    const tabId = popupTabId(event.request, deps.extensionOrigin);
    if (tabId === null) return;
    const request = event.request;
    event.respondWith(render(tabId).catch(() => deps.fetch(request)));
  };
}
