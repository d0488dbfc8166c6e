// The page relay is put into frames after they load (at once while a panel is open), and a top frame left without
// a relay is watched for a crash: relay-injection.ts and the crash detector's load checks, with fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { LOAD_FALLBACK_MS, RELAY_FILE, RelayInjector, relayCanRun, type InjectionDeps } from '../../entrypoints/background/relay-injection';
import { CrashDetector } from '../../entrypoints/background/crash-detection';
import { createStores, tabKey } from '../../entrypoints/background/stores';
import { handleHeadersReceived } from '../../entrypoints/background/header-capture';
import type { Runtime } from 'webextension-polyfill';

const ORIGIN = 'https://shop.test';

function injector(opts: { panels?: number[]; fail?: boolean; tabs?: { id?: number; url?: string }[] } = {}) {
  const calls: Parameters<InjectionDeps['executeScript']>[0][] = [];
  const failedTops: number[] = [];
  const inj = new RelayInjector({
    executeScript: async (details) => {
      calls.push(details);
      if (opts.fail) throw new Error('Frame with ID 0 was removed.');
      return [];
    },
    hasPanel: (tabId) => (opts.panels ?? []).includes(tabId),
    onTopFailed: (tabId) => failedTops.push(tabId),
    queryTabs: async () => opts.tabs ?? [],
  });
  return { inj, calls, failedTops };
}

describe('relay injection', () => {
  it('puts the relay into a frame once it has loaded, not as it commits', async () => {
    const { inj, calls } = injector();
    await inj.committed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    await inj.completed({ tabId: 4, frameId: 7, url: 'http://127.0.0.1:8080/frame' });
    expect(calls).toEqual([
      { target: { tabId: 4, frameIds: [0] }, files: [RELAY_FILE] },
      { target: { tabId: 4, frameIds: [7] }, files: [RELAY_FILE] },
    ]);
  });

  it('puts it in at once, as the document commits, while a panel is open for the tab', async () => {
    const { inj, calls } = injector({ panels: [4] });
    await inj.committed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    await inj.committed({ tabId: 5, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([{ target: { tabId: 4, frameIds: [0] }, files: [RELAY_FILE], injectImmediately: true }]);
  });

  it('reaches every frame of a tab when a panel opens, and shrugs off pages it cannot run in', async () => {
    const ok = injector();
    await ok.inj.injectTab(9);
    expect(ok.calls).toEqual([{ target: { tabId: 9, allFrames: true }, files: [RELAY_FILE] }]);
    const failing = injector({ fail: true });
    await expect(failing.inj.injectTab(9)).resolves.toBeUndefined();
    expect(failing.failedTops).toEqual([]);
  });

  it('skips frames it cannot run in, and reports a top frame it could not reach', async () => {
    const { inj, calls, failedTops } = injector({ fail: true });
    for (const url of ['chrome://settings/', 'about:blank', 'data:text/html,x', 'chrome-extension://abc/x.html']) {
      await inj.completed({ tabId: 4, frameId: 0, url });
    }
    await inj.completed({ tabId: -1, frameId: 0, url: `${ORIGIN}/` });
    expect(calls).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 3, url: `${ORIGIN}/frame` });
    expect(failedTops).toEqual([]);
    await inj.completed({ tabId: 4, frameId: 0, url: `${ORIGIN}/` });
    expect(failedTops).toEqual([4]);
  });

  it('puts it into a frame still loading 5 s after its commit, unless it loaded or navigated meanwhile', async () => {
    vi.useFakeTimers();
    try {
      const { inj, calls } = injector();
      const frame = (frameId: number) => ({ tabId: 4, frameId, url: `${ORIGIN}/f${frameId}` });
      for (const id of [0, 1, 2, 3]) await inj.committed(frame(id));
      await inj.committed({ tabId: 4, frameId: 5, url: 'about:blank' });
      expect(calls).toEqual([]);
      await inj.completed(frame(1)); // loaded in time: injected now, no second time later
      await vi.advanceTimersByTimeAsync(2000);
      await inj.committed(frame(2)); // a new document in that frame: its own timer starts
      inj.tabRemoved(9);
      await vi.advanceTimersByTimeAsync(LOAD_FALLBACK_MS - 2001);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1]]);
      await vi.advanceTimersByTimeAsync(1);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1], [0], [3]]);
      await vi.advanceTimersByTimeAsync(2000);
      expect(calls.map((c) => c.target.frameIds)).toEqual([[1], [0], [3], [2]]);
      await inj.committed(frame(6));
      inj.tabRemoved(4);
      await vi.advanceTimersByTimeAsync(LOAD_FALLBACK_MS);
      expect(calls).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reaches the tabs already open when the extension is installed or updated', async () => {
    const { inj, calls } = injector({ tabs: [{ id: 1, url: `${ORIGIN}/a` }, { id: 2, url: 'chrome://newtab/' }, { id: 3 }, { url: `${ORIGIN}/b` }, { id: 5, url: 'http://127.0.0.1:8080/' }] });
    await inj.installed();
    expect(calls).toEqual([
      { target: { tabId: 1, allFrames: true }, files: [RELAY_FILE] },
      { target: { tabId: 5, allFrames: true }, files: [RELAY_FILE] },
    ]);
  });

  it('knows where it can run', () => {
    expect(['https://a.example/', 'http://127.0.0.1/', 'file:///tmp/x.html', 'HTTPS://A.EXAMPLE/'].map(relayCanRun)).toEqual([true, true, true, true]);
    expect(['about:blank', 'about:srcdoc', 'chrome://newtab/', 'blob:https://a.example/x', 'javascript:1', ''].map(relayCanRun)).toEqual([false, false, false, false, false, false]);
  });
});

describe('crash detection before the relay arrives', () => {
  let clock = Date.UTC(2026, 10, 21, 9);
  beforeEach(() => {
    fakeBrowser.reset();
    clock = Date.UTC(2026, 10, 21, 9);
  });
  afterEach(() => vi.useRealTimers());

  async function setup(tab: () => { status: string; discarded?: boolean } | null) {
    const stores = createStores();
    await handleHeadersReceived(
      { tabId: 1, frameId: 0, parentFrameId: -1, url: `${ORIGIN}/app`, type: 'main_frame', statusCode: 200, responseHeaders: [{ name: 'Reporting-Endpoints', value: 'default="/r"' }] },
      { stores, now: () => clock, tabChanged() {}, originChanged() {} },
    );
    vi.useFakeTimers(); // after the load: storing it waits on real timers
    const looked: number[] = [];
    const d = new CrashDetector({
      stores,
      now: () => clock,
      tabChanged() {},
      getTab: async () => {
        looked.push(clock);
        return tab() as never;
      },
      queryUnloaded: async () => (tab()?.status === 'unloaded' ? [{ id: 1, discarded: tab()?.discarded, active: true, url: `${ORIGIN}/app` }] : []) as never,
    });
    const crashes = async () => (await stores.tabs.get(tabKey(1)))!.crashes;
    const advance = async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
    };
    return { d, crashes, advance, looked };
  }

  const port = (tabId: number) => {
    const listeners: (() => void)[] = [];
    const p = { sender: { tab: { id: tabId }, frameId: 0 }, onDisconnect: { addListener: (f: () => void) => listeners.push(f) } } as unknown as Runtime.Port;
    return Object.assign(p, { close: () => listeners.forEach((f) => f()) });
  };

  it('a relay port that closes and an unloaded tab: a crash, at the time the port closed', async () => {
    const { d, crashes, advance } = await setup(() => ({ status: 'unloaded' }));
    const p = port(1);
    d.relayConnected(p);
    const closedAt = clock;
    p.close();
    await advance(200);
    expect((await crashes()).map((c) => c.at)).toEqual([closedAt]);
  });

  it('a relay port that closes while the tab loads again is a navigation; a later sweep still sees the tab', async () => {
    let status = 'loading';
    const { d, crashes, advance } = await setup(() => ({ status }));
    const p = port(1);
    d.relayConnected(p);
    p.close();
    await advance(5000);
    expect(await crashes()).toEqual([]);
    // The next page crashed before its relay connected, and the worker was asleep meanwhile: the sweep finds it.
    status = 'unloaded';
    await d.sweep();
    expect(await crashes()).toHaveLength(1);
  });

  it('records a crash while the page loads, when no relay has connected yet', async () => {
    let status = 'loading';
    const { d, crashes, advance, looked } = await setup(() => ({ status }));
    d.documentCommitted(1);
    await advance(1000);
    expect(await crashes()).toEqual([]);
    status = 'unloaded';
    await advance(2000);
    expect((await crashes()).map((c) => c.url)).toEqual([`${ORIGIN}/app`]);
    await advance(20_000);
    expect(looked).toHaveLength(2);
    expect(await crashes()).toHaveLength(1);
  });

  it('stops looking once the relay connects, and never records a loaded page', async () => {
    const { d, crashes, advance, looked } = await setup(() => ({ status: 'unloaded' }));
    clock += 6000; // past the sweep that relays connecting right after a worker start trigger
    d.documentCommitted(1);
    d.relayConnected(port(1));
    await advance(20_000);
    expect(looked).toEqual([]);
    expect(await crashes()).toEqual([]);
    vi.useRealTimers();
    const loaded = await setup(() => ({ status: 'complete' }));
    loaded.d.documentCommitted(1);
    await loaded.advance(20_000);
    expect(loaded.looked).toHaveLength(3);
    expect(await loaded.crashes()).toEqual([]);
  });

  it('does not take a discarded tab for a crash', async () => {
    const { d, crashes, advance } = await setup(() => ({ status: 'unloaded', discarded: true }));
    d.documentCommitted(1);
    await advance(20_000);
    expect(await crashes()).toEqual([]);
  });

  it('looks at the tab when the relay could not be put into its top frame', async () => {
    const { d, crashes, advance } = await setup(() => ({ status: 'unloaded' }));
    d.relayMissing(1);
    await advance(200);
    expect((await crashes()).map((c) => c.url)).toEqual([`${ORIGIN}/app`]);
  });
});
