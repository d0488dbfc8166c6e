/**
 * The delivery features' requests (endpoint checks, the collector inbox, deep capture, crashing the tab), wired to
 * the transport and the store: the components only render the store's state and call these.
 */
import type { Transport } from '@/utils/messaging/protocol';
import type { DeepAvailability } from '@/components/panel/delivery';
import { checkKey } from '@/components/panel/delivery';
import type { PanelActions, PanelStore } from './store';

/** What the panel needs of the browser beyond the transport: the debugger permission and a remembered inbox address. */
export interface PanelPlatform {
  /** Whether deep capture can be used here. */
  deepAvailability(): Promise<DeepAvailability>;
  /** Asks the browser for the debugger permission. Called first thing in a click handler (the user's gesture). */
  requestDebugger(): Promise<boolean>;
  loadInboxUrl(): Promise<string | null>;
  saveInboxUrl(url: string): Promise<void>;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The delivery actions for the store's tab; those that need a tab (or the platform) are absent without one. */
export function deliveryActions(
  store: PanelStore,
  transport: Transport,
  platform: PanelPlatform | undefined,
): Pick<PanelActions, 'checkEndpoint' | 'readInbox' | 'setDeepCapture' | 'crashTab'> {
  const tabId = store.tabId;
  return {
    checkEndpoint: (url, pageUrl) => {
      const key = checkKey(url, pageUrl);
      const previous = store.checks.value[key];
      store.checks.value = { ...store.checks.value, [key]: { pending: true, result: previous?.result } };
      transport.send('checkEndpoint', { url, pageUrl }).then(
        (result) => (store.checks.value = { ...store.checks.value, [key]: { pending: false, result } }),
        (e: unknown) =>
          (store.checks.value = { ...store.checks.value, [key]: { pending: false, error: messageOf(e) } }),
      );
    },
    readInbox:
      tabId === null
        ? undefined
        : () => {
            const url = store.inboxUrl.value.trim();
            void platform?.saveInboxUrl(url).catch(() => undefined);
            store.inbox.value = { pending: true, result: store.inbox.value?.result };
            transport.send('readInbox', { url, tabId }).then(
              (result) => (store.inbox.value = { pending: false, result }),
              (e: unknown) => (store.inbox.value = { pending: false, error: messageOf(e) }),
            );
          },
    setDeepCapture:
      tabId === null || !platform
        ? undefined
        : (on) => {
            // The permission prompt needs the click's user gesture: ask before anything is awaited.
            const permitted =
              on && store.deepAvailability.value === 'requestable' ? platform.requestDebugger() : Promise.resolve(true);
            store.deepPending.value = true;
            store.deepError.value = null;
            permitted
              .then((granted) => {
                if (!granted)
                  throw new Error('The browser did not grant access to the page debugger: deep capture stays off.');
                if (on) store.deepAvailability.value = 'granted';
                return transport.send('setDeepCapture', { tabId, on });
              })
              .then(
                () => (store.deepOnHere.value = on),
                (e: unknown) => (store.deepError.value = messageOf(e)),
              )
              .finally(() => (store.deepPending.value = false));
          },
    crashTab:
      tabId === null
        ? undefined
        : () => {
            store.deepError.value = null;
            transport.send('crashTab', { tabId }).catch((e: unknown) => (store.deepError.value = messageOf(e)));
          },
  };
}
