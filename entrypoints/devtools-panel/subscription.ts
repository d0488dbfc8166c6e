/**
 * The panel page's first side effects: find the inspected tab (DevTools, or `?tabId=N` when opened as an ordinary
 * page), pick the theme, subscribe to the tab. main.tsx imports this module before the app, so it runs before the
 * app's modules are evaluated and the background's first push overlaps that work.
 */
import type { Browser } from 'webextension-polyfill';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import { withEarlySubscription } from '@/utils/messaging/early-subscription';
import { tabIdParam } from '@/utils/messaging/protocol';

/**
 * The extension API as the browser gives it (Firefox's `browser`, Chromium's promise-returning MV3 `chrome`): this
 * module needs only `runtime.connect` and the `devtools` namespace, nothing of the polyfill.
 */
const ext = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as Pick<
  Browser,
  'runtime'
> & { devtools?: Browser['devtools'] };

export const params = new URLSearchParams(location.search);
// Outside DevTools (the `?tabId=N` page) there is no `devtools` namespace at all.
const devtools = ext.devtools;

export const tabId: number | null = devtools?.inspectedWindow?.tabId ?? tabIdParam(params.get('tabId'));

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
const panels: (Browser['devtools']['panels'] & ThemePanels) | undefined = devtools?.panels;
if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler((name) => applyTheme(name));
else panels?.onThemeChanged?.addListener((name: string) => applyTheme(name));

const runtimeTransport = createRuntimeTransport(ext.runtime);
export const transport = tabId === null ? runtimeTransport : withEarlySubscription(runtimeTransport, tabId);
