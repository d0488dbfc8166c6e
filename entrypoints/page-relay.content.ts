/**
 * The page relay (ISOLATED world, every frame, document_start): takes the page hook's window messages,
 * checks them (`event.source === window`, namespace, nonce, size, rate, every event validated) and forwards
 * them in batches to the background. Logic in `utils/page-relay.ts`; this file wires it to the browser.
 *
 * In the top frame it also keeps one long-lived port (`RELAY_PORT`): the background reads its disconnect, together
 * with the tab's status, as a navigation or a renderer crash. A port that drops while the document lives
 * (the service worker stopped) is reopened. The port carries no page data, so it stays open on sites where
 * the settings turn recording off.
 *
 * The settings are read once, from `storage.local` directly. The relay does not watch them: a storage listener in
 * every frame of every tab would be handed a copy of each change to `storage.local`, the `Report-To` origin
 * cache included (up to 500 origins, written on every document that sends `Report-To`). The background checks the
 * settings again for every batch, so turning a site off takes effect at once in pages already open.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import browser from 'webextension-polyfill';
import { RELAY_PORT, request } from '@/utils/protocol';
import { createRelay } from '@/utils/page-relay';
import { isHookEnabled, normaliseSettings, SETTINGS_KEY } from '@/utils/settings';

/** Delay before reopening a dropped port. */
const RECONNECT_MS = 1000;

export default defineContentScript({
  matches: ['<all_urls>'],
  runAt: 'document_start',
  allFrames: true,
  main(ctx) {
    const relay = createRelay({
      send: (events, batch) => browser.runtime.sendMessage(request('pageEvents', { events, batch })),
      now: () => Date.now(),
      setTimeout: (fn, ms) => ctx.setTimeout(fn, ms),
    });
    // Registered first and synchronously: the hook's first batch is posted while it installs.
    ctx.addEventListener(window, 'message', (event: MessageEvent) => {
      relay.onMessage(event.data, event.source === window);
    });

    // The top frame's port is what tells a renderer crash apart (crash-detection.ts): opened at once, so a crash
    // while the page loads is seen too. Frames below it need none.
    if (window.top === window) keepPort(ctx);
    // The settings wait until the page has loaded (events queue meanwhile), so that reading them does not compete
    // with the page's own loading (bench/: page load with and without the extension).
    const startNow = afterLoad(ctx, () => {
      browser.storage.local.get(SETTINGS_KEY).then(
        (stored) => relay.setEnabled(isHookEnabled(normaliseSettings(stored[SETTINGS_KEY]), location.href)),
        () => relay.setEnabled(false),
      );
    });
    // Leaving before the load event: read the settings now, and send what they allow (best effort).
    ctx.addEventListener(window, 'pagehide', () => {
      startNow();
      void relay.flush();
    }, { capture: true });
  },
});

/** Longest wait for the load event (a page that never finishes loading still gets its relay). */
const LOAD_WAIT_MS = 3000;

/**
 * Runs `fn` once: after the window's load event (at once if it has fired), or after LOAD_WAIT_MS. Returns a
 * function that runs it now if it has not run yet.
 */
function afterLoad(ctx: ContentScriptContext, fn: () => void): () => void {
  let done = false;
  const run = (): void => {
    if (done || ctx.isInvalid) return;
    done = true;
    fn();
  };
  if (document.readyState === 'complete') run();
  else {
    ctx.addEventListener(window, 'load', () => ctx.setTimeout(run, 0), { once: true });
    ctx.setTimeout(run, LOAD_WAIT_MS);
  }
  return run;
}

/** One port to the background for the top frame's lifetime, reopened when the service worker drops it. */
function keepPort(ctx: ContentScriptContext): void {
  let port: ReturnType<typeof browser.runtime.connect> | null = null;
  let pending = false;
  const connect = (): void => {
    pending = false;
    if (ctx.isInvalid || port) return;
    try {
      port = browser.runtime.connect({ name: RELAY_PORT });
    } catch {
      return; // the extension was reloaded or removed: this script is orphaned
    }
    port.onDisconnect.addListener(() => {
      port = null;
      // Reading lastError keeps Chromium from logging "Unchecked runtime.lastError".
      void (globalThis as { chrome?: { runtime?: { lastError?: unknown } } }).chrome?.runtime?.lastError;
      reconnectLater();
    });
  };
  const reconnectLater = (): void => {
    if (pending || ctx.isInvalid) return;
    pending = true;
    ctx.setTimeout(connect, RECONNECT_MS);
  };
  connect();
  // Back from the back/forward cache: Chromium closed the port when the page was frozen.
  ctx.addEventListener(window, 'pageshow', (event: PageTransitionEvent) => {
    if (event.persisted && !port) connect();
  });
  ctx.onInvalidated(() => {
    port?.disconnect();
    port = null;
  });
}
