/**
 * The page relay (ISOLATED world): takes the page hook's window messages, checks them (`event.source === window`,
 * namespace, nonce, size, rate, every event validated) and forwards them in batches to the background. Logic in
 * `utils/page/relay-core.ts`; this file wires it to the browser.
 *
 * It is not a manifest content script: the background injects it (`relay-injection.ts`) once a frame has loaded,
 * or at once while a Report Inspector panel is open for the tab. A script in the extension's isolated world at
 * `document_start` made every page load wait ~3 ms for Chromium to set that world up (bench/, README
 * "Performance"), even with an empty script. The hook keeps what the page does until the relay says hello.
 *
 * In the top frame it keeps one long-lived port (`RELAY_PORT`): the background reads its disconnect, together with
 * the tab's status, as a navigation or a renderer crash. A port that drops while the document lives (the service
 * worker stopped) is reopened. The port carries no page data, so it stays open on sites where the settings turn
 * recording off.
 *
 * The top frame sends its batches on that port (`PortBatches`, relay-core.ts): one post each way instead of a
 * message channel per batch; frames below it, and the top frame while its port is down, use `runtime.sendMessage`.
 *
 * The settings' verdict for the page comes with the port (the background posts it as the port opens); frames
 * below the top read the settings once, from `storage.local` directly. The relay does not watch them: a storage listener in
 * every frame of every tab would be handed a copy of each change to `storage.local`, the `Report-To` origin
 * cache included (up to 500 origins, written on every document that sends `Report-To`). The background checks the
 * settings again for every batch, so turning a site off takes effect at once in pages already open.
 *
 * `chrome.*` itself, not webextension-polyfill: MV3's APIs return promises, and the relay goes into every frame of
 * every page, where the polyfill was two thirds of its size.
 */
import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { browser, type Browser } from '@wxt-dev/browser';
import { RELAY_LEAVING, RELAY_PORT, request, verdictOf } from '@/utils/messaging/protocol';
import { createRelay, PortBatches, type Relay } from '@/utils/page/relay-core';
import { PAGE_MESSAGE_KEY, RELAY_HELLO } from '@/utils/page/events';
import { isHookEnabled, normaliseSettings, SETTINGS_KEY } from '@/utils/storage/settings';

/** Delay before reopening a dropped port. */
const RECONNECT_MS = 1000;
/** Marks a frame whose relay runs (in the isolated world's global: the page cannot see it). */
const RUNNING = Symbol.for('report-inspector.relay');

export default defineUnlistedScript(() => {
  // Injected again into the same document (a panel opened, a page restored from the back/forward cache): the
  // running relay stays, unless the extension was reloaded since and it is orphaned.
  const g = globalThis as unknown as Record<symbol, (() => boolean) | undefined>;
  if (g[RUNNING]?.()) return;
  const alive = (): boolean => {
    try {
      return !!browser.runtime?.id;
    } catch {
      return false;
    }
  };
  g[RUNNING] = alive;

  const top = window.top === window;
  const port = new PortBatches();
  const relay = createRelay({
    send: (events, batch) => {
      const message = request('pageEvents', { events, batch });
      return port.send(message, batch) ?? browser.runtime.sendMessage(message);
    },
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(() => alive() && fn(), ms),
    baseUrl: () => location.href,
  });
  window.addEventListener('message', (event: MessageEvent) => {
    if (alive()) relay.onMessage(event.data, event.source === window);
  });
  // Listening now: the hook sends what it kept, led by a message that carries its nonce.
  window.postMessage({ [PAGE_MESSAGE_KEY]: RELAY_HELLO }, '*');

  // The top frame's port is what tells a renderer crash apart (crash-detection.ts). Frames below it need none.
  if (!top || !keepPort(alive, port, relay))
    browser.storage.local.get(SETTINGS_KEY).then(
      (stored) => relay.setEnabled(isHookEnabled(normaliseSettings(stored[SETTINGS_KEY]), location.href)),
      () => relay.setEnabled(false),
    );
  // Leaving: send what is queued (best effort).
  window.addEventListener('pagehide', () => void relay.flush(), { capture: true });
});

/**
 * One port to the background for the top frame's lifetime, reopened when the service worker drops it; batches go
 * on it and the settings' verdict comes on it. False when it could not be opened.
 */
function keepPort(alive: () => boolean, batches: PortBatches, relay: Relay): boolean {
  let port: Browser.runtime.Port | null = null;
  let pending = false;
  const connect = (): boolean => {
    pending = false;
    if (!alive() || port) return false;
    try {
      port = browser.runtime.connect({ name: RELAY_PORT });
    } catch {
      return false; // the extension was reloaded or removed: this script is orphaned
    }
    const opened = port;
    batches.attach(opened);
    opened.onMessage.addListener((message: unknown) => {
      if (batches.onMessage(message)) return;
      const enabled = verdictOf(message);
      if (enabled !== null) relay.setEnabled(enabled);
    });
    opened.onDisconnect.addListener(() => {
      port = null;
      batches.detach();
      // Reading lastError keeps Chromium from logging "Unchecked runtime.lastError".
      void (globalThis as { chrome?: { runtime?: { lastError?: unknown } } }).chrome?.runtime?.lastError;
      reconnectLater();
    });
    return true;
  };
  const reconnectLater = (): void => {
    if (pending || !alive()) return;
    pending = true;
    setTimeout(connect, RECONNECT_MS);
  };
  const connected = connect();
  // Leaving the document: the port's close that follows is a navigation (crash-detection.ts), told without the
  // worker listening to every commit.
  window.addEventListener(
    'pagehide',
    () => {
      try {
        port?.postMessage(RELAY_LEAVING);
      } catch {
        // the port closed already
      }
    },
    { capture: true },
  );
  // Back from the back/forward cache: Chromium closed the port when the page was frozen.
  window.addEventListener('pageshow', (event: PageTransitionEvent) => {
    if (event.persisted && !port) connect();
  });
  return connected;
}
