// The worker's fetch listener for popup.html: it answers the popup's own navigation only, with the headline in
// the page, and with the packaged page whenever it cannot (never an unanswered or failed navigation).
import { describe, expect, it, vi } from 'vitest';
import {
  listenForPopup,
  packageRoute,
  popupPrerender,
  popupTabId,
  prerenderTarget,
  type PopupPrerenderDeps,
} from '@/entrypoints/background/popup-prerender';
import { PRERENDER_ID } from '@/components/popup/prerender';
import type { TabSummary } from '@/utils/tab/types';
import { configuredSummary, NOW } from '../../fixtures/views';

const ORIGIN = 'chrome-extension://abc/';
const CSP = "script-src 'self'; object-src 'none'";
const PACKAGED =
  '<!doctype html><head><script type="module" src="/chunks/popup-x.js"></script></head><div id="app"></div>';

/** A request as the worker sees it (Node cannot construct a navigation request). */
const req = (url: string, mode: RequestMode = 'navigate', method = 'GET') => ({ url, mode, method }) as Request;

function packagedResponse(body = PACKAGED) {
  return new Response(body, { headers: { 'content-type': 'text/html', 'content-security-policy': CSP, etag: '"x"' } });
}

function setup(summary: PopupPrerenderDeps['summary'] = async () => configuredSummary, timeoutMs = 50) {
  const passthrough = packagedResponse('as packaged');
  const fetch = vi.fn(async (input: Request | string) =>
    typeof input === 'string' ? packagedResponse() : passthrough,
  );
  const listener = popupPrerender({ summary, now: () => NOW, extensionOrigin: ORIGIN, fetch, timeoutMs });
  /** Dispatches one fetch event; the response it was answered with, or null when it was let through. */
  const dispatch = (request: Request): Promise<Response> | null => {
    let answered: Promise<Response> | null = null;
    listener({ request, respondWith: (r: Promise<Response>) => (answered = r) } as unknown as Event);
    return answered;
  };
  return { dispatch, fetch, passthrough };
}

describe('which requests are the popup', () => {
  it('the navigation to popup.html?tabId=N, and only that', () => {
    expect(popupTabId(req(`${ORIGIN}popup.html?tabId=42`), ORIGIN)).toBe(42);
    expect(popupTabId(req(`${ORIGIN}popup.html?theme=dark&tabId=7`), ORIGIN)).toBe(7);
    for (const r of [
      req(`${ORIGIN}popup.html`),
      req(`${ORIGIN}popup.html?tabId=`),
      req(`${ORIGIN}popup.html?tabId=-1`),
      req(`${ORIGIN}popup.html?tabId=1e3`),
      req(`${ORIGIN}popup.html?tabId=99999999999999999999`),
      req(`${ORIGIN}popup.html?tabId=42`, 'same-origin'),
      req(`${ORIGIN}popup.html?tabId=42`, 'navigate', 'POST'),
      req(`${ORIGIN}devtools-panel.html?tabId=42`),
      req(`${ORIGIN}chunks/popup.html?tabId=42`),
      req('chrome-extension://other/popup.html?tabId=42'),
      req('https://acme.test/popup.html?tabId=42'),
    ])
      expect(popupTabId(r, ORIGIN), r.url).toBeNull();
  });

  it('everything else is not answered at all (Chromium loads it as without the listener)', () => {
    const { dispatch, fetch } = setup();
    expect(dispatch(req(`${ORIGIN}devtools-panel.html?tabId=42&tab=breadcrumbs`))).toBeNull();
    expect(dispatch(req(`${ORIGIN}devtools-panel.html`))).toBeNull();
    expect(dispatch(req(`${ORIGIN}chunks/popup-x.js`, 'cors'))).toBeNull();
    expect(dispatch(req(`${ORIGIN}popup.html`))).toBeNull();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('which requests are the panel', () => {
  it('the navigation to devtools-panel.html?tabId=N that opens on the Overview, and only that', () => {
    expect(prerenderTarget(req(`${ORIGIN}devtools-panel.html?tabId=42`), ORIGIN)).toEqual({ page: 'panel', tabId: 42 });
    expect(prerenderTarget(req(`${ORIGIN}devtools-panel.html?tab=overview&tabId=3`), ORIGIN)).toEqual({
      page: 'panel',
      tabId: 3,
    });
    expect(prerenderTarget(req(`${ORIGIN}popup.html?tabId=5`), ORIGIN)).toEqual({ page: 'popup', tabId: 5 });
    for (const r of [
      req(`${ORIGIN}devtools-panel.html?tabId=42&tab=reports`),
      req(`${ORIGIN}devtools-panel.html?tabId=x`),
      req(`${ORIGIN}devtools-panel.html?tabId=42`, 'no-cors'),
      req(`${ORIGIN}toString?tabId=42`),
      req(`${ORIGIN}__proto__?tabId=42`),
      req(`${ORIGIN}options.html?tabId=42`),
    ])
      expect(prerenderTarget(r, ORIGIN), r.url).toBeNull();
  });
});

describe('the panel page served by the worker', () => {
  /** A tab with a top document: the Overview has a headline to show. */
  const withTop = { ...configuredSummary, top: { secure: true } } as unknown as TabSummary;
  const PANEL =
    '<!doctype html><head><script type="module" src="/chunks/devtools-panel-x.js"></script></head><div id="app"></div>';
  function panelSetup(summary: TabSummary = withTop) {
    const passthrough = packagedResponse('as packaged');
    const fetch = vi.fn(async (input: Request | string) =>
      typeof input === 'string'
        ? packagedResponse(input.endsWith('devtools-panel.html') ? PANEL : PACKAGED)
        : passthrough,
    );
    const listener = popupPrerender({ summary: async () => summary, now: () => NOW, extensionOrigin: ORIGIN, fetch });
    const dispatch = (request: Request): Promise<Response> | null => {
      let answered: Promise<Response> | null = null;
      listener({ request, respondWith: (r: Promise<Response>) => (answered = r) } as unknown as Event);
      return answered;
    };
    return { dispatch, fetch, passthrough };
  }

  it("carries the Overview's headline, the panel's own scripts and the package's CSP", async () => {
    const { dispatch, fetch } = panelSetup();
    const res = await dispatch(req(`${ORIGIN}devtools-panel.html?tabId=${configuredSummary.tabId}`))!;
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    const html = await res.text();
    expect(html).toContain('data-testid="overview-headline"');
    expect(html).toContain(configuredSummary.headline);
    expect(html).toContain('/chunks/devtools-panel-x.js');
    expect(html).not.toContain('popup-headline');
    expect(fetch).toHaveBeenCalledWith(`${ORIGIN}devtools-panel.html`);
  });

  it('serves the packaged panel for a tab with no top document yet', async () => {
    const { dispatch, passthrough } = panelSetup({ ...configuredSummary, top: null });
    expect(await dispatch(req(`${ORIGIN}devtools-panel.html?tabId=1`))).toBe(passthrough);
  });
});

describe('the popup page served by the worker', () => {
  it("carries the tab's headline and summary, with the package's CSP", async () => {
    const summary = vi.fn(async () => configuredSummary);
    const { dispatch } = setup(summary);
    const res = await dispatch(req(`${ORIGIN}popup.html?tabId=${configuredSummary.tabId}`))!;
    expect(summary).toHaveBeenCalledWith(configuredSummary.tabId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CSP);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(res.headers.get('etag')).toBeNull();
    const html = await res.text();
    expect(html).toContain(
      `data-testid="popup-headline" data-level="${configuredSummary.level}">${configuredSummary.headline}</div>`,
    );
    expect(html).toContain(`<script type="application/json" id="${PRERENDER_ID}">`);
    expect(html).toContain(`"now":${NOW}`);
    expect(html).toContain('<script type="module" src="/chunks/popup-x.js"></script>');
  });

  it('reads the packaged page once per worker life', async () => {
    const { dispatch, fetch } = setup();
    await dispatch(req(`${ORIGIN}popup.html?tabId=1`));
    await dispatch(req(`${ORIGIN}popup.html?tabId=2`));
    expect(fetch.mock.calls.filter(([input]) => input === `${ORIGIN}popup.html`)).toHaveLength(1);
  });

  it('serves the packaged page when the summary fails', async () => {
    const { dispatch, fetch, passthrough } = setup(async () => {
      throw new Error('storage unavailable');
    });
    const request = req(`${ORIGIN}popup.html?tabId=1`);
    expect(await dispatch(request)).toBe(passthrough);
    expect(fetch).toHaveBeenLastCalledWith(request);
  });

  it('serves the packaged page when the summary is late, without waiting for it', async () => {
    const { dispatch, passthrough } = setup(() => new Promise<TabSummary>(() => {}), 20);
    const started = Date.now();
    expect(await dispatch(req(`${ORIGIN}popup.html?tabId=1`))).toBe(passthrough);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('serves the packaged page when reading it fails, and reads it again next time', async () => {
    const { dispatch, fetch, passthrough } = setup();
    fetch.mockImplementationOnce(async () => new Response('', { status: 404 }));
    expect(await dispatch(req(`${ORIGIN}popup.html?tabId=1`))).toBe(passthrough);
    const res = await dispatch(req(`${ORIGIN}popup.html?tabId=1`))!;
    expect(await res.text()).toContain(configuredSummary.headline);
  });

  it('serves the packaged page when it has no #app to fill', async () => {
    const { dispatch, fetch, passthrough } = setup();
    fetch.mockImplementationOnce(async () => packagedResponse('<div id="root"></div>'));
    expect(await dispatch(req(`${ORIGIN}popup.html?tabId=1`))).toBe(passthrough);
  });
});

describe('the static route set at install', () => {
  const deps: PopupPrerenderDeps = {
    summary: async () => configuredSummary,
    now: () => NOW,
    extensionOrigin: ORIGIN,
    fetch: async () => packagedResponse(),
  };
  function listeners() {
    const added = new Map<string, (e: Event) => void>();
    listenForPopup({ addEventListener: (type, l) => void added.set(type, l) }, deps);
    return added;
  }

  it('sends everything but the two pages to the package, and the fetch listener is there for the rest', () => {
    const added = listeners();
    const addRoutes = vi.fn(async () => {});
    added.get('install')!({ addRoutes } as unknown as Event);
    expect(addRoutes).toHaveBeenCalledWith(packageRoute());
    expect(packageRoute()).toEqual({
      condition: {
        not: {
          or: [{ urlPattern: { pathname: '/popup.html' } }, { urlPattern: { pathname: '/devtools-panel.html' } }],
        },
      },
      source: 'network',
    });
    expect(added.has('fetch')).toBe(true);
  });

  it('installs where the browser has no static routing, or refuses the route', async () => {
    const added = listeners();
    expect(() => added.get('install')!({} as Event)).not.toThrow();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    added.get('install')!({ addRoutes: async () => Promise.reject(new TypeError('bad route')) } as unknown as Event);
    await new Promise((r) => setTimeout(r, 0));
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
