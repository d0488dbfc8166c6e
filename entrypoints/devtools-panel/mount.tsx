/**
 * The panel's UI, loaded by main.tsx once it has subscribed: the browser side of the delivery features, the
 * tab's URL, the render.
 */
import browser from 'webextension-polyfill';
import { render } from 'preact';
import { isTabName } from '@/components/panel/labels-and-filter';
import { loadTab } from '@/components/panel/lazy-tabs';
import { appContainer } from './take-over';
import type { Transport } from '@/utils/messaging/protocol';
import { App } from './App';
import type { PanelPlatform } from './delivery-actions';

const DEBUGGER = { permissions: ['debugger'] } as const;

/** The browser side of the delivery features: the `debugger` permission and the remembered inbox address. */
const platform: PanelPlatform = {
  async deepAvailability() {
    // Chromium grants `debugger` only when declared at install (it cannot be optional): the default build lists it
    // as optional, Chromium drops it, and deep capture needs the deep-capture build. Firefox has no debugger API.
    if (await browser.permissions.contains({ permissions: ['debugger'] }).catch(() => false)) return 'granted';
    const optional = browser.runtime.getManifest().optional_permissions ?? [];
    if (!optional.includes('debugger')) return 'unavailable';
    return (globalThis as { chrome?: { debugger?: unknown } }).chrome !== undefined &&
      !('getBrowserInfo' in browser.runtime)
      ? 'needs-build'
      : 'requestable';
  },
  requestDebugger: () => browser.permissions.request({ permissions: [...DEBUGGER.permissions] as never[] }),
  // The storage module is loaded when first needed, not with the panel.
  loadInboxUrl: () => import('@/utils/storage/inbox-url-item').then(({ inboxUrlItem }) => inboxUrlItem.getValue()),
  saveInboxUrl: (url) =>
    import('@/utils/storage/inbox-url-item').then(({ inboxUrlItem }) => inboxUrlItem.setValue(url)),
};
/** Renders the panel for `tabId` into `#app` and keeps the tab's URL up to date. */
export function mountPanel(transport: Transport, tabId: number | null, params: URLSearchParams): void {
  const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;
  const root = appContainer(document.getElementById('app')!);
  const requested = params.get('tab');
  const initialTab = isTabName(requested) ? requested : undefined;
  // A panel opened on another tab than the Overview fetches that tab's code alongside.
  if (initialTab && initialTab !== 'overview') void loadTab(initialTab).catch(() => undefined);
  let tabUrl: string | null = null;

  function draw() {
    render(
      <App transport={transport} tabId={tabId} tabUrl={tabUrl} initialTab={initialTab} platform={platform} />,
      root,
    );
  }

  async function refreshTabUrl() {
    if (tabId === null) return;
    try {
      tabUrl = (await browser.tabs.get(tabId)).url ?? null;
    } catch {
      try {
        // DevTools pages may lack the tabs API: ask the inspected page itself.
        const [href] = (await devtools?.inspectedWindow.eval('location.href')) ?? [];
        tabUrl = typeof href === 'string' ? href : null;
      } catch {
        tabUrl = null;
      }
    }
    draw();
  }

  draw();
  void refreshTabUrl();
  try {
    browser.tabs?.onUpdated?.addListener((id, change) => {
      if (id === tabId && change.url !== undefined) void refreshTabUrl();
    });
  } catch {
    /* no tabs API here */
  }
  devtools?.network?.onNavigated?.addListener(() => void refreshTabUrl());
}
