/**
 * Deep capture: on the user's request, the debugger is attached to one tab to read what the browser itself says
 * about reporting: its report queue with statuses and attempts (`Network.reportingApiReport*`), the endpoints it
 * registered per origin, and `Inspector.targetCrashed`, the definitive sign of a renderer crash. Everything goes to
 * the tab's state in storage (`state.deep`), so a woken worker carries on.
 *
 * `chrome.debugger` exists only where the `debugger` permission is granted (never in Firefox), and the
 * webextension polyfill does not wrap it: it is reached through `globalThis.chrome` and typed here.
 */
import type { CrashEntry, TabState } from '@/utils/tab/types';
import type { DeepCaptureState } from '@/utils/delivery/types';
import { emptyTabState } from '@/utils/tab/types';
import { applyDebuggerEvent, emptyDeepState } from '@/utils/delivery/deep-capture-state';
import type { Stores } from './tab-and-origin-stores';
import { tabKey } from './tab-and-origin-stores';

export interface Debuggee {
  tabId?: number;
  targetId?: string;
  extensionId?: string;
}

interface EventLike<F> {
  addListener(cb: F): void;
  removeListener(cb: F): void;
}

/** The part of `chrome.debugger` used here (MV3: the methods return promises). */
export interface DebuggerApi {
  attach(target: Debuggee, requiredVersion: string): Promise<void>;
  detach(target: Debuggee): Promise<void>;
  sendCommand(target: Debuggee, method: string, params?: Record<string, unknown>): Promise<unknown>;
  onEvent: EventLike<(source: Debuggee, method: string, params?: unknown) => void>;
  onDetach: EventLike<(source: Debuggee, reason: string) => void>;
}

/** `chrome.debugger` when this browser offers it and the permission is granted, else null. */
export function chromeDebugger(): DebuggerApi | null {
  const api = (globalThis as { chrome?: { debugger?: DebuggerApi } }).chrome?.debugger;
  return api && typeof api.attach === 'function' && api.onEvent ? api : null;
}

const PROTOCOL_VERSION = '1.3';

/** Commands sent after attaching, in order. */
export const ENABLE_COMMANDS: readonly [string, Record<string, unknown>?][] = [
  ['Network.enable'],
  ['Network.enableReportingApi', { enable: true }],
  ['Inspector.enable'],
];

export interface DeepCaptureDeps {
  stores: Stores;
  now(): number;
  tabChanged(tabId: number): void;
  /** Records a crash (`CrashDetector.record`). */
  recordCrash(tabId: number, at: number, visible: boolean, detectedBy: CrashEntry['detectedBy']): Promise<void>;
  /** Whether the tab is in front (for the crash report's `visibility_state`). */
  isTabVisible(tabId: number): Promise<boolean>;
  /** The debugger API, looked up each time: it appears when the permission is granted. */
  api(): DebuggerApi | null;
}

export class DeepCaptureError extends Error {}

export class DeepCapture {
  private listening: DebuggerApi | null = null;

  constructor(private readonly deps: DeepCaptureDeps) {}

  /** Whether deep capture can be used at all here (the debugger API is present). */
  available(): boolean {
    return this.deps.api() !== null;
  }

  /**
   * Registers the debugger's listeners, once, if the API is present. Called synchronously when the worker starts and
   * again when a permission is added (the API appears only once `debugger` is granted).
   */
  listen(): boolean {
    const api = this.deps.api();
    if (!api || this.listening === api) return api !== null;
    api.onEvent.addListener((source, method, params) => void this.handleEvent(source, method, params));
    api.onDetach.addListener((source, reason) => void this.handleDetach(source, reason));
    this.listening = api;
    return true;
  }

  /** Turns deep capture on or off for a tab; returns the tab's deep state afterwards. */
  async set(tabId: number, on: boolean, why = 'turned_off'): Promise<DeepCaptureState | null> {
    const api = this.deps.api();
    if (on) {
      if (!api)
        throw new DeepCaptureError(
          'Deep capture needs the debugger, which this browser does not offer to Report Inspector.',
        );
      this.listen();
      await this.attach(api, tabId);
      const now = this.deps.now();
      const state = await this.deps.stores.tabs.update(
        tabKey(tabId),
        () => emptyTabState(tabId, now),
        (s) => {
          const previous = s.deep ?? emptyDeepState(now);
          const deep: DeepCaptureState = { ...previous, attached: true, since: now };
          delete deep.detachReason;
          return { ...s, deep };
        },
      );
      this.deps.tabChanged(tabId);
      return state.deep ?? null;
    }
    const current = await this.deps.stores.tabs.get(tabKey(tabId));
    if (!current?.deep?.attached) return current?.deep ?? null;
    if (api) await api.detach({ tabId }).catch(() => undefined); // already detached: nothing to undo
    const next = await this.markDetached(tabId, why);
    return next?.deep ?? null;
  }

  /** Crashes the tab's renderer (`Page.crash`). Deep capture must be on: the command goes through its session. */
  async crash(tabId: number): Promise<void> {
    const api = this.deps.api();
    const state = await this.deps.stores.tabs.get(tabKey(tabId));
    if (!api || !state?.deep?.attached)
      throw new DeepCaptureError('Turn on deep capture first: crashing a tab goes through the debugger.');
    // The renderer dies while handling the command, so it never answers: do not wait for it.
    void api.sendCommand({ tabId }, 'Page.crash').catch(() => undefined);
  }

  /** The last panel of a tab closed: stop deep capture there. */
  panelsClosed(tabId: number): void {
    void this.set(tabId, false, 'panel_closed').catch((e: unknown) =>
      console.warn('Report Inspector: could not stop deep capture', e),
    );
  }

  /** A debugger event (exported for tests, which have no `chrome.debugger`). */
  async handleEvent(source: Debuggee, method: string, params: unknown): Promise<void> {
    const tabId = source.tabId;
    if (tabId === undefined) return;
    if (method === 'Inspector.targetCrashed') {
      const at = this.deps.now();
      const visible = await this.deps.isTabVisible(tabId).catch(() => true);
      await this.deps.recordCrash(tabId, at, visible, 'debugger');
      return;
    }
    if (!method.startsWith('Network.reportingApi')) return; // Network.enable's request events: not ours to keep
    const now = this.deps.now();
    const existing = await this.deps.stores.tabs.get(tabKey(tabId));
    if (!existing) return; // the tab is gone
    let changed = false;
    await this.deps.stores.tabs.update(
      tabKey(tabId),
      () => existing,
      (s) => {
        const deep = s.deep ?? { ...emptyDeepState(now), attached: true };
        const next = applyDebuggerEvent(deep, method, params, now);
        if (next === deep && s.deep) return s;
        changed = true;
        return { ...s, deep: next };
      },
    );
    if (changed) this.deps.tabChanged(tabId);
  }

  /** The browser ended the session: the user cancelled the debugging bar, or the tab went away. */
  async handleDetach(source: Debuggee, reason: string): Promise<void> {
    if (source.tabId === undefined) return;
    await this.markDetached(source.tabId, reason);
  }

  private async markDetached(tabId: number, reason: string): Promise<TabState | null> {
    const existing = await this.deps.stores.tabs.get(tabKey(tabId));
    if (!existing?.deep) return existing ?? null; // a closed tab's state is not brought back
    const next = await this.deps.stores.tabs.update(
      tabKey(tabId),
      () => existing,
      (s) => (s.deep ? { ...s, deep: { ...s.deep, attached: false, detachReason: reason } } : s),
    );
    this.deps.tabChanged(tabId);
    return next;
  }

  private async attach(api: DebuggerApi, tabId: number): Promise<void> {
    try {
      await api.attach({ tabId }, PROTOCOL_VERSION);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // After a worker restart the session may still be ours: a command on it succeeds only if so.
      if (!/already attached/i.test(message)) throw new DeepCaptureError(`Could not attach the debugger: ${message}`);
      try {
        await api.sendCommand({ tabId }, 'Network.enable');
      } catch {
        throw new DeepCaptureError(
          'Another debugger is attached to this tab (another extension or tool). Close it and try again.',
        );
      }
    }
    for (const [method, params] of ENABLE_COMMANDS) {
      try {
        await api.sendCommand({ tabId }, method, params);
      } catch (e) {
        await api.detach({ tabId }).catch(() => undefined);
        throw new DeepCaptureError(`The debugger refused ${method}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
}
