/**
 * Side effects of the panel page: find the inspected tab (DevTools, or `?tabId=N` when opened as an ordinary page),
 * pick the theme, build the runtime transport, render the app.
 */
import browser from 'webextension-polyfill';
import { render } from 'preact';
import { isTabName } from '@/components/panel/labels-and-filter';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import { App } from './App';
import type { PanelPlatform } from './delivery-actions';
import { inboxUrlItem } from '@/utils/storage/inbox-url-item';
import './style.css';

const params = new URLSearchParams(location.search);
// Outside DevTools (the `?tabId=N` page) there is no `devtools` namespace at all.
const devtools = (browser as { devtools?: typeof browser.devtools }).devtools;

function tabIdFromQuery(): number | null {
  const raw = params.get('tabId');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

const tabId: number | null = devtools?.inspectedWindow?.tabId ?? tabIdFromQuery();

function applyTheme(themeName: string | undefined) {
  const forced = params.get('theme');
  const theme =
    forced === 'dark' || forced === 'light'
      ? forced
      : themeName === undefined
        ? null
        : themeName === 'dark'
          ? 'dark'
          : 'light';
  // Without DevTools and without `?theme=`, the stylesheet follows prefers-color-scheme.
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}
applyTheme(devtools?.panels?.themeName);
// Chromium tells the panel about theme changes through `setThemeChangeHandler` (it has no `onThemeChanged`);
// Firefox through the `onThemeChanged` event.
type ThemePanels = { setThemeChangeHandler?: (callback?: (themeName: string) => void) => void };
const panels: (typeof browser.devtools.panels & ThemePanels) | undefined = devtools?.panels;
if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler((name) => applyTheme(name));
else panels?.onThemeChanged?.addListener((name: string) => applyTheme(name));

const transport = createRuntimeTransport(browser.runtime);

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
  loadInboxUrl: () => inboxUrlItem.getValue(),
  saveInboxUrl: (url) => inboxUrlItem.setValue(url),
};
const root = document.getElementById('app')!;
const initialTab = params.get('tab');
let tabUrl: string | null = null;

function draw() {
  render(
    <App
      transport={transport}
      tabId={tabId}
      tabUrl={tabUrl}
      initialTab={isTabName(initialTab) ? initialTab : undefined}
      platform={platform}
    />,
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
