/**
 * A transport that subscribes to one tab at once, before the app that uses it has loaded: the background's first
 * push then travels while the panel's modules are still being fetched and evaluated. The app's first subscription
 * to that tab takes over what was started (the newest view and the connection status are replayed); later ones go
 * to the transport as usual (a retry starts afresh). Requests are not started early: the background answers the
 * port's push first, and the app's own `getTabView` stays the fallback that reports a silent background.
 */
import type { Transport } from './protocol';
import type { TabView } from '@/utils/tab/types';

type Status = 'connected' | 'reconnecting';

export function withEarlySubscription(transport: Transport, tabId: number): Transport {
  let latest: TabView | null = null;
  let status: Status | null = null;
  let onView: ((view: TabView) => void) | null = null;
  let onStatus: ((status: Status) => void) | null = null;
  let unsubscribe: (() => void) | null = null;
  try {
    unsubscribe = transport.subscribe(
      tabId,
      (view) => {
        latest = view;
        onView?.(view);
      },
      (s) => {
        status = s;
        onStatus?.(s);
      },
    );
  } catch {
    // The app's own subscription will meet the same failure and show it.
  }
  return {
    send: (name, payload) => transport.send(name, payload),
    subscribe(id, view, st) {
      if (id !== tabId || !unsubscribe) return transport.subscribe(id, view, st);
      const stop = unsubscribe;
      unsubscribe = null;
      onView = view;
      onStatus = st ?? null;
      if (status) st?.(status);
      if (latest) view(latest);
      return () => {
        onView = null;
        onStatus = null;
        stop();
      };
    },
  };
}
