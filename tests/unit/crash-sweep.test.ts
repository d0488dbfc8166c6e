// Crash detection when the worker was stopped around the crash: the sweep records crashes nobody saw, once.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { CrashDetector, crashRecordedForTop, type CrashDeps } from '../../entrypoints/background/crash-detection';
import { createStores, tabKey, type Stores } from '../../entrypoints/background/stores';
import { handleHeadersReceived } from '../../entrypoints/background/header-capture';

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
    { tabId, frameId: 0, parentFrameId: -1, url: `${ORIGIN}${path}`, type: 'main_frame', statusCode: 200, responseHeaders: [{ name: 'Reporting-Endpoints', value: 'default="/r"' }] },
    { stores, now: () => clock, tabChanged() {}, originChanged() {} },
  );
}

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
    const d = new CrashDetector({ stores, now: () => clock, tabChanged() {}, getTab: async () => null, queryUnloaded: () => Promise.reject(new Error('no tabs API')) });
    await expect(d.sweep()).resolves.toBeUndefined();
  });
});
