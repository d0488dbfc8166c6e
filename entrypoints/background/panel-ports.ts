/**
 * The open DevTools panels: one port per panel, named `panel:<tabId>`, grouped by the tab they inspect. Tells
 * `opened` when a tab's first panel connects and `closed` when its last one goes, so what serves open panels only
 * (subresource capture, relay injection, deep capture) follows them.
 */
import type { Runtime } from 'webextension-polyfill';
import type { PanelPush } from '@/utils/messaging/protocol';

export interface PanelPortEvents {
  /** A panel connected for a tab (called before it is sent its first view). */
  opened?(tabId: number): void;
  /** The last panel of a tab disconnected. */
  closed?(tabId: number): void;
}

export class PanelPorts {
  private readonly ports = new Map<number, Set<Runtime.Port>>();

  constructor(private readonly events: PanelPortEvents = {}) {}

  /** Keeps a panel's port until it disconnects. */
  add(tabId: number, port: Runtime.Port): void {
    let set = this.ports.get(tabId);
    if (!set) this.ports.set(tabId, (set = new Set()));
    const ofTab = set;
    ofTab.add(port);
    this.events.opened?.(tabId);
    port.onDisconnect.addListener(() => {
      ofTab.delete(port);
      if (ofTab.size === 0 && this.ports.get(tabId) === ofTab) {
        this.ports.delete(tabId);
        this.events.closed?.(tabId);
      }
    });
  }

  has(tabId: number): boolean {
    return (this.ports.get(tabId)?.size ?? 0) > 0;
  }

  /** The tabs with at least one open panel. */
  tabIds(): number[] {
    return [...this.ports.keys()];
  }

  /** Posts to every panel of a tab, or to the given ports only. */
  post(tabId: number, message: PanelPush, only?: readonly Runtime.Port[]): void {
    for (const port of only ?? [...(this.ports.get(tabId) ?? [])]) {
      try {
        port.postMessage(message);
      } catch {
        // The port closed meanwhile; its onDisconnect cleans up.
      }
    }
  }
}
