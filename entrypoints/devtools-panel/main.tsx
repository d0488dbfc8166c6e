/**
 * Side effects of the panel page: find the inspected tab (DevTools, or `?tabId=N` when opened as an ordinary page),
 * pick the theme, subscribe to the tab, then load and render the app (mount.tsx). Subscribing comes first so that
 * the background's first push overlaps the loading of the UI's modules.
 */
import type { Browser } from 'webextension-polyfill';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import { withEarlySubscription } from '@/utils/messaging/early-subscription';
import './style.css';

/**
 * The extension API as the browser gives it (Firefox's `browser`, Chromium's promise-returning MV3 `chrome`): the
 * polyfill is one more module to fetch and run before subscribing, for calls that need none of it (mount.tsx, which
 * loads alongside, uses it).
 */
const ext = ((globalThis as { browser?: unknown }).browser ?? (globalThis as { chrome?: unknown }).chrome) as Pick<
  Browser,
  'runtime'
> & { devtools?: Browser['devtools'] };

const params = new URLSearchParams(location.search);
// Outside DevTools (the `?tabId=N` page) there is no `devtools` namespace at all.
const devtools = ext.devtools;

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
const panels: (Browser['devtools']['panels'] & ThemePanels) | undefined = devtools?.panels;
if (typeof panels?.setThemeChangeHandler === 'function') panels.setThemeChangeHandler((name) => applyTheme(name));
else panels?.onThemeChanged?.addListener((name: string) => applyTheme(name));

// The app's modules start loading first; the subscription follows at once, so both travel together.
const app = import('./mount');
const runtimeTransport = createRuntimeTransport(ext.runtime);
const transport = tabId === null ? runtimeTransport : withEarlySubscription(runtimeTransport, tabId);

app.then(
  ({ mountPanel }) => mountPanel(transport, tabId, params),
  (e: unknown) => {
    // Only an extension update or reload in the middle of loading gets here: say so rather than stay blank.
    document.getElementById('app')!.textContent =
      `Report Inspector could not load its panel: ${e instanceof Error ? e.message : String(e)}`;
  },
);
