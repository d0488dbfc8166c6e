import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import browser from 'webextension-polyfill';
import { createStores, ORIGIN_CACHE_KEY, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import type { CaptureContext, HeadersReceivedDetails } from '@/entrypoints/background/header-capture';
import {
  DeferredCapture,
  PENDING_PREFIX,
  pendingKey,
  reviveKept,
  SETTLE_MS,
  type KeyedArea,
} from '@/entrypoints/background/deferred-capture';
import { pickReportingHeaders } from '@/utils/tab/documents';

const ORIGIN = 'https://127.0.0.1:8443';
const REPORT_TO = `{"group":"default","max_age":1800,"endpoints":[{"url":"${ORIGIN}/reports/default"}]}`;
let clock = Date.UTC(2026, 11, 3, 12);

function details(over: Partial<HeadersReceivedDetails> & { headers?: Record<string, string> } = {}) {
  const responseHeaders = Object.entries(over.headers ?? {}).map(([name, value]) => ({ name, value }));
  const d: HeadersReceivedDetails = {
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    url: `${ORIGIN}/a`,
    type: 'main_frame',
    statusCode: 200,
    responseHeaders,
    ...over,
  };
  return d;
}

/** A worker's life: its stores and its deferred capture, wired as the background wires them. */
function worker(o: { area?: KeyedArea; isOpen?: (id: number) => Promise<boolean>; timers?: (() => void)[] } = {}): {
  stores: Stores;
  deferred: DeferredCapture;
  changed: number[];
} {
  const late: { deferred?: DeferredCapture } = {};
  const stores = createStores(browser.storage.session, browser.storage.local, {
    minIntervalMs: 0,
    beforeAccess: (id) => late.deferred?.beforeAccess(id),
  });
  lives.push(stores);
  const changed: number[] = [];
  const ctx: CaptureContext = {
    stores,
    now: () => clock,
    tabChanged: (id) => changed.push(id),
    originChanged: () => {},
  };
  const timers = o.timers;
  const deferred = (late.deferred = new DeferredCapture({
    area: o.area ?? browser.storage.session,
    ctx,
    ...(o.isOpen ? { isOpen: o.isOpen } : {}),
    ...(timers ? { setTimeout: (fn: () => void) => timers.push(fn), clearTimeout: () => {} } : {}),
  }));
  return { stores, deferred, changed };
}

function keep(deferred: DeferredCapture, d: HeadersReceivedDetails): void {
  deferred.keep(d, pickReportingHeaders(d.responseHeaders));
}

async function pendingKeys(): Promise<string[]> {
  const all = await browser.storage.session.get(null);
  return Object.keys(all).filter((k) => k.startsWith(PENDING_PREFIX));
}

/** The stores of every worker a test started: their last writes land before the next test starts. */
const lives: Stores[] = [];
afterEach(async () => {
  for (const stores of lives.splice(0)) {
    await Promise.all([stores.tabs.flush(), stores.origins.flush()]);
    await Promise.all([stores.tabs.whenPersisted(), stores.origins.whenPersisted()]);
  }
  await new Promise((r) => setTimeout(r, 10));
});

let tests = 0;
beforeEach(() => {
  fakeBrowser.reset();
  // Each test's keys differ from the last one's: what a finished test's worker still does cannot touch them.
  clock = Date.UTC(2026, 11, 3, 12) + ++tests * 60_000;
});

describe('deferred capture', () => {
  it('keeps a document in storage.session at once and places it only when settled', async () => {
    const { stores, deferred, changed } = worker({ timers: [] });
    await deferred.ready();
    keep(deferred, details({ headers: { 'Reporting-Endpoints': `default="${ORIGIN}/r"` } }));
    expect(deferred.has(1)).toBe(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(await pendingKeys()).toHaveLength(1);
    // Nothing placed yet: the store holds no state for the tab (read past the gate, straight from storage).
    expect((await browser.storage.session.get(tabKey(1)))[tabKey(1)]).toBeUndefined();
    expect(changed).toEqual([]);

    await deferred.settle(1);
    expect(deferred.has(1)).toBe(false);
    expect(changed).toEqual([1]);
    const s = await stores.tabs.get(tabKey(1));
    expect(s?.documents['0']?.url).toBe(`${ORIGIN}/a`);
    expect(s?.documents['0']?.endpoints.map((e) => e.name)).toEqual(['default']);
    expect((await browser.storage.session.get(tabKey(1)))[tabKey(1)]).toBeDefined();
    expect(await pendingKeys()).toEqual([]);
  });

  it('a quiet settle places without announcing the change (the caller pushes the view itself)', async () => {
    const { stores, deferred, changed } = worker({ timers: [] });
    await deferred.ready();
    keep(deferred, details());
    await deferred.settle(1, { quiet: true });
    expect(changed).toEqual([]);
    expect((await stores.tabs.get(tabKey(1)))?.documents['0']?.url).toBe(`${ORIGIN}/a`);
  });

  it('dates the placed document by when its headers arrived, not by when it was placed', async () => {
    const { stores, deferred } = worker({ timers: [] });
    await deferred.ready();
    const arrived = clock;
    keep(deferred, details());
    clock += 900;
    await deferred.settle(1);
    expect((await stores.tabs.get(tabKey(1)))?.documents['0']?.receivedAt).toBe(arrived);
  });

  it('places what a tab has waiting before anything reads or changes its state, in the order it arrived', async () => {
    const { stores, deferred } = worker({ timers: [] });
    await deferred.ready();
    keep(deferred, details({ url: `${ORIGIN}/first` }));
    keep(deferred, details({ url: `${ORIGIN}/second` }));
    // A change that comes later (a relay's batch) sees the documents already in place.
    let seen: string | undefined;
    await stores.tabs.update(
      tabKey(1),
      () => {
        throw new Error('the tab should exist by now');
      },
      (s) => {
        seen = s.documents['0']?.url;
        return s;
      },
    );
    expect(seen).toBe(`${ORIGIN}/second`);
    const s = await stores.tabs.get(tabKey(1));
    expect(s?.history.map((h) => h.url)).toEqual([`${ORIGIN}/first`]);
    expect(deferred.has(1)).toBe(false);
  });

  it('places every tab before the origin cache is read', async () => {
    const { stores, deferred } = worker({ timers: [] });
    await deferred.ready();
    keep(deferred, details({ tabId: 4, headers: { 'Report-To': REPORT_TO } }));
    const cache = await stores.origins.get(ORIGIN_CACHE_KEY);
    expect(Object.keys(cache ?? {})).toEqual([ORIGIN]);
    expect(deferred.has(4)).toBe(false);
  });

  it('places a document at the latest when its timer fires (a load that never completes)', async () => {
    const timers: (() => void)[] = [];
    const { stores, deferred } = worker({ timers });
    await deferred.ready();
    keep(deferred, details());
    keep(deferred, details({ frameId: 3, parentFrameId: 0, type: 'sub_frame', url: `${ORIGIN}/frame` }));
    expect(timers).toHaveLength(1); // one per tab
    expect(SETTLE_MS).toBeLessThanOrEqual(1000);
    timers[0]?.();
    expect(deferred.has(1)).toBe(false);
    const s = await stores.tabs.get(tabKey(1));
    expect(Object.keys(s?.documents ?? {}).sort()).toEqual(['0', '3']);
  });

  it('a stopped worker loses nothing: the next one places what the last one kept', async () => {
    const first = worker({ timers: [] });
    await first.deferred.ready();
    keep(first.deferred, details({ url: `${ORIGIN}/kept`, headers: { 'Reporting-Endpoints': `a="${ORIGIN}/r"` } }));
    keep(first.deferred, details({ tabId: 2, url: `${ORIGIN}/other` }));
    await new Promise((r) => setTimeout(r, 0));
    expect(await pendingKeys()).toHaveLength(2);
    // The worker stops here: nothing was placed. A new one starts on the same storage.
    const second = worker({ timers: [], isOpen: async () => true });
    const s = await second.stores.tabs.get(tabKey(1));
    expect(s?.documents['0']?.url).toBe(`${ORIGIN}/kept`);
    expect(s?.documents['0']?.endpoints.map((e) => e.name)).toEqual(['a']);
    expect((await second.stores.tabs.get(tabKey(2)))?.documents['0']?.url).toBe(`${ORIGIN}/other`);
    await second.stores.tabs.flush();
    await new Promise((r) => setTimeout(r, 0));
    expect(await pendingKeys()).toEqual([]);
  });

  it('a new worker places the last one’s documents before its own, in the order they arrived', async () => {
    const first = worker({ timers: [] });
    await first.deferred.ready();
    keep(first.deferred, details({ url: `${ORIGIN}/older` }));
    await new Promise((r) => setTimeout(r, 0));
    clock += 10;
    const second = worker({ timers: [] });
    keep(second.deferred, details({ url: `${ORIGIN}/newer` }));
    const s = await second.stores.tabs.get(tabKey(1));
    expect(s?.documents['0']?.url).toBe(`${ORIGIN}/newer`);
    expect(s?.history.map((h) => h.url)).toEqual([`${ORIGIN}/older`]);
  });

  it('a worker stopped after placing and before forgetting: the next one places nothing twice', async () => {
    const first = worker({ timers: [] });
    await first.deferred.ready();
    keep(first.deferred, details({ url: `${ORIGIN}/one` }));
    clock += 5;
    keep(first.deferred, details({ url: `${ORIGIN}/two` }));
    clock += 5;
    keep(first.deferred, details({ frameId: 2, parentFrameId: 0, type: 'sub_frame', url: `${ORIGIN}/frame` }));
    await new Promise((r) => setTimeout(r, 0));
    const kept = await browser.storage.session.get(await pendingKeys());
    await first.deferred.settle(1);
    await first.stores.tabs.flush();
    // What the stop left behind: the placed state, and the kept documents still under their keys.
    await browser.storage.session.set(kept);
    const second = worker({ timers: [] });
    const s = await second.stores.tabs.get(tabKey(1));
    expect(s?.documents['0']?.url).toBe(`${ORIGIN}/two`);
    expect(s?.history.map((h) => h.url)).toEqual([`${ORIGIN}/one`]);
    expect(Object.keys(s?.documents ?? {}).sort()).toEqual(['0', '2']);
  });

  it('drops what was kept for tabs closed while no worker ran, and malformed entries', async () => {
    await browser.storage.session.set({
      [pendingKey(7, 1)]: { ...details({ tabId: 7 }), headers: [], at: clock },
      [pendingKey(8, 2)]: { tabId: 8, url: 42 },
      'pending:junk': 1,
    });
    const { stores, deferred } = worker({ timers: [], isOpen: async (id) => id !== 7 });
    await deferred.ready();
    await new Promise((r) => setTimeout(r, 0));
    expect(await stores.tabs.get(tabKey(7))).toBeUndefined();
    expect(await stores.tabs.get(tabKey(8))).toBeUndefined();
    expect(await pendingKeys()).toEqual([]); // malformed ones are removed too
  });

  it('a closed tab’s waiting documents are dropped, in memory and in storage', async () => {
    const { stores, deferred } = worker({ timers: [] });
    await deferred.ready();
    keep(deferred, details({ tabId: 5 }));
    await new Promise((r) => setTimeout(r, 0));
    deferred.tabRemoved(5);
    await new Promise((r) => setTimeout(r, 0));
    expect(deferred.has(5)).toBe(false);
    expect(await pendingKeys()).toEqual([]);
    expect(await stores.tabs.get(tabKey(5))).toBeUndefined();
  });

  it('lists kept keys with getKeys when the area has it', async () => {
    await browser.storage.session.set({ [pendingKey(1, 5)]: { ...details(), headers: [], at: clock } });
    const area = browser.storage.session;
    let listed = 0;
    const keyed: KeyedArea = {
      get: (k) => area.get(k),
      set: (i) => area.set(i),
      remove: (k) => area.remove(k),
      getKeys: async () => {
        listed++;
        return Object.keys(await area.get(null));
      },
    };
    const { stores } = worker({ area: keyed, timers: [] });
    expect((await stores.tabs.get(tabKey(1)))?.documents['0']?.url).toBe(`${ORIGIN}/a`);
    expect(listed).toBe(1);
  });
});

describe('reviveKept', () => {
  it('accepts what keep wrote and rejects anything else', () => {
    const good = { ...details(), headers: [{ name: 'report-to', value: REPORT_TO }], at: clock };
    expect(reviveKept(good)?.headers).toEqual([{ name: 'report-to', value: REPORT_TO }]);
    expect(reviveKept(null)).toBeNull();
    expect(reviveKept({ ...good, type: 'script' })).toBeNull();
    expect(reviveKept({ ...good, tabId: 1.5 })).toBeNull();
    expect(reviveKept({ ...good, headers: 'x' })).toBeNull();
    expect(reviveKept({ ...good, headers: [{ name: 1 }, { name: 'nel', value: '{}' }] })?.headers).toEqual([
      { name: 'nel', value: '{}' },
    ]);
  });
});
