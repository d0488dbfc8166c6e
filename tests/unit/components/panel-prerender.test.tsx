// @vitest-environment happy-dom
// The panel's first look as the background writes it into devtools-panel.html: the Overview headline's markup is
// what the panel renders for the same tab, and the app takes the page over in one step once it shows its first view.
import { cleanup } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { overviewHeadlineMarkup, PANEL_PRERENDER_ATTR, prerenderPanelHtml } from '@/components/panel/prerender';
import { appContainer } from '@/entrypoints/devtools-panel/take-over';
import type { TabSummary } from '@/utils/tab/types';
import {
  configuredAnalyses,
  configuredView,
  insecureAnalyses,
  insecureView,
  IMG,
  nothingConfiguredAnalyses,
  nothingConfiguredView,
  SCRIPT,
} from '../../fixtures/views';
import { fixtureStore, renderPanel } from './helpers';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const PACKAGED =
  '<!doctype html><html><head><script type="module" src="/chunks/devtools-panel-x.js"></script></head>' +
  '<body>\n    <div id="app"></div>\n  </body></html>';

/** The summary the panel derives for the configured fixture tab (it has a top document, so a headline). */
const configured: TabSummary = fixtureStore(configuredView, configuredAnalyses).summary.value;

function parsed(markup: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = markup;
  return div;
}

describe('the prerendered Overview headline', () => {
  it.each([
    ['configured', configuredView, configuredAnalyses],
    ['insecure', insecureView, insecureAnalyses],
    ['nothing configured', nothingConfiguredView, nothingConfiguredAnalyses],
  ] as const)('is the markup the panel renders (%s)', (_, view, analyses) => {
    const { container, store } = renderPanel(view, analyses);
    const apps = container.querySelector('[data-testid="overview-headline"]')!;
    expect(apps).not.toBeNull();
    const ours = parsed(overviewHeadlineMarkup(store.summary.value)).firstElementChild!;
    expect(ours.outerHTML).toBe(apps.outerHTML);
  });

  it('escapes what the page controls', () => {
    const summary: TabSummary = { ...configured, headline: `Reporting to ${SCRIPT} & "${IMG}"` };
    const pre = parsed(overviewHeadlineMarkup(summary));
    expect(pre.querySelector('[data-testid="overview-headline"]')!.textContent).toBe(
      `${pre.querySelector('.sev')!.textContent} ${summary.headline}`,
    );
    expect(pre.querySelectorAll('script, img')).toHaveLength(0);
  });

  it('goes into the packaged page, only where the Overview has a headline to show', () => {
    const html = prerenderPanelHtml(PACKAGED, configured)!;
    expect(html.startsWith(PACKAGED.slice(0, PACKAGED.indexOf('<div id="app">')))).toBe(true);
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const look = doc.querySelector(`#app > [${PANEL_PRERENDER_ATTR}]`)!;
    expect(look.querySelector('[data-testid="overview-headline"]')!.textContent).toContain(configured.headline);
    expect(doc.querySelectorAll('[data-testid="overview-headline"]')).toHaveLength(1);
    expect(prerenderPanelHtml(PACKAGED, { ...configured, top: null })).toBeNull();
    expect(prerenderPanelHtml(PACKAGED.replace('<div id="app"></div>', '<main></main>'), configured)).toBeNull();
  });
});

describe('the app taking the page over', () => {
  function pageWithLook(): HTMLElement {
    const root = document.createElement('div');
    root.id = 'app';
    root.innerHTML = prerenderPanelHtml('<div id="app"></div>', configured)!.slice('<div id="app">'.length, -6);
    document.body.replaceChildren(root);
    return root;
  }
  const tick = () => new Promise<void>((r) => setTimeout(r, 0));

  it('renders into #app itself when the page came as packaged', () => {
    const root = document.createElement('div');
    expect(appContainer(root)).toBe(root);
  });

  it('keeps the first look while the app is loading, then swaps in one step', async () => {
    const root = pageWithLook();
    const live = appContainer(root);
    expect(live).not.toBe(root);
    expect(live.isConnected).toBe(false);
    live.innerHTML = '<div class="panel"><div data-testid="panel-loading">Loading…</div></div>';
    await tick();
    expect(root.querySelector(`[${PANEL_PRERENDER_ATTR}]`)).not.toBeNull();
    expect(live.isConnected).toBe(false);
    live.innerHTML = '<div class="panel"><div data-testid="overview-headline">✓ ok</div></div>';
    await tick();
    expect(root.querySelector(`[${PANEL_PRERENDER_ATTR}]`)).toBeNull();
    expect([...root.children]).toEqual([live]);
    expect(document.querySelectorAll('[data-testid="overview-headline"]')).toHaveLength(1);
  });

  it('swaps after a second at most, whatever the app shows', async () => {
    vi.useFakeTimers();
    const root = pageWithLook();
    const live = appContainer(root, 1000);
    live.innerHTML = '<div data-testid="panel-loading">Loading…</div>';
    await vi.advanceTimersByTimeAsync(999);
    expect(live.isConnected).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect([...root.children]).toEqual([live]);
  });
});
