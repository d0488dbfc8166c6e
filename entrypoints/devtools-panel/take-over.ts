/** The panel page taking over the first look the background served it with (components/panel/prerender.ts). */
import { PANEL_PRERENDER_ATTR } from '@/components/panel/prerender';

/** Longest time the background's first look stays up while the app waits for its first view. */
const PRERENDER_MAX_MS = 1000;

/**
 * Where the app renders: `#app`, or, when the background served the page with its first look in it
 * (components/panel/prerender.ts), a container of its own that replaces that look once the app shows more than its
 * loading state (or after {@link PRERENDER_MAX_MS}). Until then the app renders off the page, so the page never holds
 * two headlines, and the reader sees the first look turn into the panel in one step.
 */
export function appContainer(root: HTMLElement, maxMs = PRERENDER_MAX_MS): HTMLElement {
  if (!root.querySelector(`[${PANEL_PRERENDER_ATTR}]`)) return root;
  const live = root.ownerDocument.createElement('div');
  live.className = 'app-live';
  let done = false;
  const swap = () => {
    if (done) return;
    done = true;
    observer.disconnect();
    clearTimeout(timer);
    root.replaceChildren(live);
  };
  const observer = new MutationObserver(() => {
    if (live.firstChild && !live.querySelector('[data-testid="panel-loading"]')) swap();
  });
  observer.observe(live, { childList: true, subtree: true });
  const timer = setTimeout(swap, maxMs);
  return live;
}
