// Crash detection: a relay port that closes, a loading page whose relay has not arrived yet, a top frame the relay
// could not be put into (with fake timers), and the sweep that records crashes nobody saw when the worker was
// stopped around them, once.
import type { Runtime } from 'webextension-polyfill';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { CrashDetector, crashRecordedForTop, type CrashDeps } from '@/entrypoints/background/crash-detection';
import { createStores as createStoresNow, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { handleHeadersReceived } from '@/entrypoints/background/header-capture';
import { RELAY_LEAVING } from '@/utils/messaging/protocol';

const ORIGIN = 'https://shop.test';
let clock = Date.UTC(2026, 10, 21, 9);

type TabInfo = { id?: number; discarded?: boolean; active?: boolean; url?: string };

function detector(stores: Stores, tabs: () => TabInfo[]) {
  const changed: number[] = [];
  const deps: CrashDeps = {
    stores,
    now: () => clock,
    tabChanged: (id) => changed.push(id),
    getTab: async (id) => (tabs().find((t) => t.id === id) as never) ?? null,
    queryUnloaded: async () => tabs() as never,
  };
  return { d: new CrashDetector(deps), changed };
}

async function load(stores: Stores, tabId: number, path: string) {
  await handleHeadersReceived(
    {
      tabId,
      frameId: 0,
      parentFrameId: -1,
      url: `${ORIGIN}${path}`,
      type: 'main_frame',
      statusCode: 200,
      responseHeaders: [{ name: 'Reporting-Endpoints', value: 'default="/r"' }],
    },
    { stores, now: () => clock, tabChanged() {}, originChanged() {} },
  );
}

// Every test's stores, written out before the next test resets the fake storage: a write still coalescing when a
// test ends would otherwise land in the next test's storage (same tab id) and show there as a crash of its own.
const created: Stores[] = [];
function createStores(): Stores {
  const stores = createStoresNow();
  created.push(stores);
  return stores;
}

afterEach(async () => {
  await Promise.all(created.splice(0).flatMap((s) => [s.tabs.flush(), s.origins.flush()]));
});

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.UTC(2026, 10, 21, 9);
});

describe('crash sweep', () => {
  it('records the crash of an unloaded, not discarded tab with a captured document, once', async () => {
    const stores = createStores();
    await load(stores, 1, '/a');
    clock += 5000;
    const unloaded: TabInfo[] = [{ id: 1, discarded: false, active: true, url: `${ORIGIN}/a` }];
    const { d, changed } = detector(stores, () => unloaded);
    await d.sweep();
    const s = (await stores.tabs.get(tabKey(1)))!;
    expect(s.crashes.map((c) => [c.url, c.at, c.detectedBy])).toEqual([[`${ORIGIN}/a`, clock, 'port-disconnect']]);
    expect(s.crashes[0]!.predicted.route).toMatchObject({ endpointName: 'default', willDeliver: true });
    expect(crashRecordedForTop(s)).toBe(true);
    expect(changed).toEqual([1]);
    // Later wakes find it recorded: nothing added, however late.
    clock += 60_000;
    await d.sweep();
    await Promise.all([d.sweep(), d.sweep()]);
    expect((await stores.tabs.get(tabKey(1)))!.crashes).toHaveLength(1);
    expect(changed).toEqual([1]);
  });

  it('records again after the tab loaded a new document and crashed again', async () => {
    const stores = createStores();
    await load(stores, 1, '/a');
    const unloaded: TabInfo[] = [];
    const { d } = detector(stores, () => unloaded);
    await d.sweep();
    expect((await stores.tabs.get(tabKey(1)))!.crashes).toHaveLength(0); // loaded, not crashed
    unloaded.push({ id: 1, discarded: false, url: `${ORIGIN}/a` });
    clock += 1000;
    await d.sweep();
    unloaded.length = 0;
    clock += 10_000;
    await load(stores, 1, '/b');
    clock += 1000;
    unloaded.push({ id: 1, discarded: false, url: `${ORIGIN}/b` });
    await d.sweep();
    expect((await stores.tabs.get(tabKey(1)))!.crashes.map((c) => c.url)).toEqual([`${ORIGIN}/b`, `${ORIGIN}/a`]);
  });

  it('leaves discarded tabs, tabs without a captured document, and tabs showing another URL alone', async () => {
    const stores = createStores();
    await load(stores, 1, '/a');
    await load(stores, 2, '/b');
    const { d, changed } = detector(stores, () => [
      { id: 1, discarded: true, url: `${ORIGIN}/a` },
      { id: 2, discarded: false, url: `${ORIGIN}/elsewhere` },
      { id: 3, discarded: false, url: `${ORIGIN}/never-seen` },
      { discarded: false },
    ]);
    await d.sweep();
    expect((await stores.tabs.get(tabKey(1)))!.crashes).toHaveLength(0);
    expect((await stores.tabs.get(tabKey(2)))!.crashes).toHaveLength(0);
    expect(await stores.tabs.get(tabKey(3))).toBeUndefined();
    expect(changed).toEqual([]);
  });

  it('the port path and the sweep see one crash: one entry', async () => {
    const stores = createStores();
    await load(stores, 1, '/a');
    clock += 2000;
    const { d } = detector(stores, () => [{ id: 1, discarded: false, url: `${ORIGIN}/a` }]);
    await d.record(1, clock, true);
    clock += 8000; // beyond addCrash's 5-second merge window
    await d.sweep();
    await d.record(1, clock, true);
    expect((await stores.tabs.get(tabKey(1)))!.crashes).toHaveLength(1);
  });

  it('survives a browser that cannot list tabs', async () => {
    const stores = createStores();
    const d = new CrashDetector({
      stores,
      now: () => clock,
      tabChanged() {},
      getTab: async () => null,
      queryUnloaded: () => Promise.reject(new Error('no tabs API')),
    });
    await expect(d.sweep()).resolves.toBeUndefined();
  });
});

describe('crash detection before the relay arrives', () => {
  afterEach(() => vi.useRealTimers());

  async function setup(tab: () => { status: string; discarded?: boolean } | null) {
    const stores = createStores();
    await load(stores, 1, '/app');
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
      queryUnloaded: async () =>
        tab()?.status === 'unloaded'
          ? [{ id: 1, discarded: tab()?.discarded, active: true, url: `${ORIGIN}/app` }]
          : [],
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
    const messages: ((m: unknown) => void)[] = [];
    const p = {
      sender: { tab: { id: tabId }, frameId: 0 },
      onDisconnect: { addListener: (f: () => void) => listeners.push(f) },
      onMessage: { addListener: (f: (m: unknown) => void) => messages.push(f) },
    } as unknown as Runtime.Port;
    return Object.assign(p, {
      close: () => listeners.forEach((f) => f()),
      receive: (m: unknown) => messages.forEach((f) => f(m)),
    });
  };

  it('a relay port that closes after its relay said it is leaving is a navigation, to any URL, without asking for the tab', async () => {
    const { d, crashes, advance, looked } = await setup(() => ({ status: 'unloaded' }));
    clock += 6000; // past the sweep that relays connecting right after a worker start trigger
    const p = port(1);
    d.relayConnected(p);
    p.receive({ ns: 'report-inspector', leaving: false });
    p.receive({ ns: 'someone-else', leaving: true });
    p.receive(RELAY_LEAVING);
    p.close();
    await advance(5000);
    expect(looked).toEqual([]);
    expect(await crashes()).toEqual([]);
    // Without it (a renderer that died), the close is looked at.
    const q = port(1);
    d.relayConnected(q);
    q.receive({ ns: 'report-inspector', leaving: 'yes' });
    q.close();
    await advance(200);
    expect(looked).toHaveLength(1);
    expect(await crashes()).toHaveLength(1);
  });

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

  it('a relay port that closes after the tab committed another document is a navigation, without asking for the tab', async () => {
    const { d, crashes, advance, looked } = await setup(() => ({ status: 'unloaded' }));
    // The port may close before or after the worker hears of the commit: either way, no look at the tab.
    for (const order of ['commit first', 'close first']) {
      const p = port(1);
      d.relayConnected(p);
      if (order === 'commit first') d.navigated(1);
      p.close();
      if (order === 'close first') d.navigated(1);
      await advance(5000);
    }
    expect(looked).toEqual([]);
    expect(await crashes()).toEqual([]);
    // A port connected after the commit belongs to the new document: its close is looked at (and is a crash here).
    const p = port(1);
    d.relayConnected(p);
    p.close();
    await advance(200);
    expect(looked).toHaveLength(1);
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
