import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import browser from 'webextension-polyfill';
import { createStores, ORIGIN_CACHE_KEY, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import {
  handleHeadersReceived,
  type CaptureContext,
  type HeadersReceivedDetails,
} from '@/entrypoints/background/header-capture';
import { PersistedMap, type StorageAreaLike } from '@/entrypoints/background/persisted-map';
import { requestDeps, TEST_EXTENSION_ORIGIN } from './request-deps';
import { handleRequest, RequestError, type RequestDeps } from '@/entrypoints/background/requests';
import { addCrash, crashEntryFor, crashedRecently } from '@/entrypoints/background/crash-detection';
import { request } from '@/utils/messaging/protocol';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { emptyTabState, type TabState } from '@/utils/tab/types';

const ORIGIN = 'https://127.0.0.1:8443';
const SEED = `{"group":"default","max_age":1800,"endpoints":[{"url":"${ORIGIN}/reports/default"}],"include_subdomains":true}`;
let clock = Date.UTC(2026, 10, 21, 12);

function details(
  over: Partial<HeadersReceivedDetails> & { headers?: Record<string, string | string[]> },
): HeadersReceivedDetails {
  const responseHeaders: { name: string; value: string }[] = [];
  for (const [name, v] of Object.entries(over.headers ?? {}))
    for (const value of Array.isArray(v) ? v : [v]) responseHeaders.push({ name, value });
  return {
    tabId: 1,
    frameId: 0,
    parentFrameId: -1,
    url: `${ORIGIN}/good`,
    type: 'main_frame',
    statusCode: 200,
    responseHeaders,
    ...over,
  };
}

function context(stores: Stores) {
  const changed: number[] = [];
  const origins: string[] = [];
  const ctx: CaptureContext = {
    stores,
    now: () => clock,
    tabChanged: (id) => changed.push(id),
    originChanged: (o) => origins.push(o),
  };
  return { ctx, changed, origins };
}

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.UTC(2026, 10, 21, 12);
});

describe('header capture', () => {
  it('ignores responses without reporting headers at once, without touching storage', async () => {
    const stores = createStores();
    const { ctx } = context(stores);
    const spy = vi.spyOn(browser.storage.session, 'set');
    expect(handleHeadersReceived(details({ type: 'image', headers: { 'content-type': 'image/png' } }), ctx)).toBeNull();
    expect(handleHeadersReceived(details({ type: 'script', tabId: -1 }), ctx)).toBeNull();
    await stores.tabs.flush();
    expect(spy).not.toHaveBeenCalled();
  });

  it('records a document with its endpoints, routes and Report-To, and persists it to storage.session', async () => {
    const stores = createStores();
    const { ctx, changed, origins } = context(stores);
    await handleHeadersReceived(
      details({
        headers: {
          'Report-To': SEED,
          'Reporting-Endpoints': `default="${ORIGIN}/reports/default", csp="${ORIGIN}/reports/csp"`,
        },
      }),
      ctx,
    );
    await stores.tabs.flush();
    await stores.origins.flush();
    expect(changed).toEqual([1]);
    expect(origins).toEqual([ORIGIN]);
    // Stored as a head and parts (tab-layout.ts): the documents under a key of their own.
    const stored = (await browser.storage.session.get('tab:1:doc'))['tab:1:doc'] as TabState['documents'];
    expect(stored['0']!.endpoints.map((e) => e.name)).toEqual(['default', 'csp']);
    const cache = (await browser.storage.local.get(ORIGIN_CACHE_KEY))[ORIGIN_CACHE_KEY] as Record<
      string,
      { groups: unknown[] }
    >;
    expect(cache[ORIGIN]!.groups).toHaveLength(1);
  });

  it('updates the origin cache from a subresource without touching the document', async () => {
    const stores = createStores();
    const { ctx } = context(stores);
    await handleHeadersReceived(details({ url: `${ORIGIN}/subresource` }), ctx);
    await handleHeadersReceived(
      details({ url: `${ORIGIN}/assets/report-to.png`, type: 'image', headers: { 'report-to': SEED } }),
      ctx,
    );
    const state = await stores.tabs.get(tabKey(1));
    expect(state!.documents['0']!.url).toBe(`${ORIGIN}/subresource`);
    expect(state!.documents['0']!.reportTo).toBeNull();
    const cache = await stores.origins.get(ORIGIN_CACHE_KEY);
    expect(cache![ORIGIN]!.sourceUrl).toBe(`${ORIGIN}/assets/report-to.png`);
  });

  it('survives a worker restart: a new set of stores reads the state back', async () => {
    const first = createStores();
    await handleHeadersReceived(details({ headers: { 'Reporting-Endpoints': 'default="/r"' } }), context(first).ctx);
    await first.tabs.flush();
    const second = createStores(); // what a woken worker builds
    const state = await second.tabs.get(tabKey(1));
    expect(state!.documents['0']!.endpoints).toEqual([{ name: 'default', url: `${ORIGIN}/r` }]);
  });

  it('keeps bursts in order: every document of a burst lands in history', async () => {
    const stores = createStores();
    const { ctx } = context(stores);
    await Promise.all(
      Array.from(
        { length: 10 },
        (_, i) => handleHeadersReceived(details({ url: `${ORIGIN}/p${i}` }), ctx) ?? Promise.resolve(),
      ),
    );
    const s = await stores.tabs.get(tabKey(1));
    expect(s!.documents['0']!.url).toBe(`${ORIGIN}/p9`);
    expect(s!.history.map((d) => d.url)).toEqual([8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => `${ORIGIN}/p${i}`));
  });
});

describe('keyed store', () => {
  function memoryArea() {
    const data: Record<string, unknown> = {};
    const area: StorageAreaLike & { sets: number } = {
      sets: 0,
      async get(keys) {
        return Object.fromEntries(keys.filter((k) => k in data).map((k) => [k, structuredClone(data[k])]));
      },
      async set(items) {
        area.sets++;
        Object.assign(data, structuredClone(items));
      },
      async remove(keys) {
        for (const k of keys) delete data[k];
      },
    };
    return { area, data };
  }

  it('coalesces a burst of updates into few writes and keeps the last value', async () => {
    vi.useFakeTimers();
    try {
      const { area, data } = memoryArea();
      const store = new PersistedMap<number>({ area, minIntervalMs: 100 });
      for (let i = 0; i < 1000; i++)
        await store.update(
          'k',
          () => 0,
          (n) => n + 1,
        );
      await vi.advanceTimersByTimeAsync(1000);
      await store.flush();
      expect(data.k).toBe(1000);
      expect(area.sets).toBeLessThanOrEqual(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('writes a key that keeps changing about once a second, and a quiet key at once even then', async () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const { area, data } = memoryArea();
      const writes: { at: number; keys: string[] }[] = [];
      const set = area.set.bind(area);
      area.set = async (items) => {
        writes.push({ at: Date.now(), keys: Object.keys(items) });
        return set(items);
      };
      const store = new PersistedMap<number>({
        area,
        minIntervalMs: 100,
        busyIntervalMs: 1000,
        busyWrites: 3,
        busyWindowMs: 3000,
      });
      // A change every 50 ms for 5 s: the first writes 100 ms apart, then busy, about one a second.
      for (let t = 0; t < 5000; t += 50) {
        await store.update(
          'busy',
          () => 0,
          (n) => n + 1,
        );
        await vi.advanceTimersByTimeAsync(50);
      }
      const busyWrites = writes.filter((w) => w.keys.includes('busy'));
      expect(busyWrites.length).toBeGreaterThanOrEqual(6);
      expect(busyWrites.length).toBeLessThanOrEqual(9);
      const gaps = busyWrites.slice(1).map((w, i) => w.at - busyWrites[i]!.at);
      expect(gaps.slice(0, 2).every((g) => g <= 150)).toBe(true);
      expect(gaps.slice(3).every((g) => g >= 950)).toBe(true);
      // Meanwhile a quiet key changes: written within the fast interval, not after the busy key's second.
      const before = Date.now();
      await store.update(
        'quiet',
        () => 0,
        () => 7,
      );
      const persisted = store.whenPersisted();
      await vi.advanceTimersByTimeAsync(150);
      expect(await persisted).toBe(true);
      expect(writes.find((w) => w.keys.includes('quiet'))!.at - before).toBeLessThanOrEqual(100);
      // Quiet for longer than the window: the busy key is fast again.
      await vi.advanceTimersByTimeAsync(4000);
      const n = writes.length;
      await store.update(
        'busy',
        () => 0,
        (x) => x + 1,
      );
      await vi.advanceTimersByTimeAsync(0);
      expect(writes.length).toBe(n + 1);
      expect(data.busy).toBe(101);
    } finally {
      vi.useRealTimers();
    }
  });

  it('serialises concurrent read-modify-writes', async () => {
    const { area } = memoryArea();
    const store = new PersistedMap<number>({ area });
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.update(
          'k',
          () => 0,
          (n) => n + 1,
        ),
      ),
    );
    expect(await store.get('k')).toBe(50);
  });

  it('retries once after the write-error handler frees space', async () => {
    const { area, data } = memoryArea();
    let fail = true;
    const set = area.set.bind(area);
    area.set = async (items) => {
      if (fail) {
        fail = false;
        throw new Error('QUOTA_BYTES quota exceeded');
      }
      return set(items);
    };
    const onWriteError = vi.fn(async () => true);
    const store = new PersistedMap<string>({ area, onWriteError });
    await store.update(
      'k',
      () => '',
      () => 'value',
    );
    await store.flush();
    expect(onWriteError).toHaveBeenCalledOnce();
    expect(data.k).toBe('value');
  });

  it('removes keys from storage', async () => {
    const { area, data } = memoryArea();
    const store = new PersistedMap<string>({ area });
    await store.update(
      'k',
      () => '',
      () => 'v',
    );
    await store.flush();
    await store.remove('k');
    expect('k' in data).toBe(false);
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('requests', () => {
  const EXT = TEST_EXTENSION_ORIGIN;
  const deps = (stores: Stores): RequestDeps => requestDeps(stores, () => clock, `${ORIGIN}/good`);
  const panel = { id: 'abc', url: `${EXT}devtools-panel.html` };
  const page = { id: 'abc', url: `${ORIGIN}/good`, tab: { id: 1 } as never, frameId: 0 };

  it('answers getTabSummary and getTabView for extension pages only', async () => {
    const stores = createStores();
    await handleHeadersReceived(details({ headers: { 'Reporting-Endpoints': 'default="/r"' } }), context(stores).ctx);
    const d = deps(stores);
    const summary = await handleRequest(request('getTabSummary', { tabId: 1 }), panel, d);
    expect(summary).toMatchObject({ kind: 'configured', endpoints: 1 });
    await expect(handleRequest(request('getTabView', { tabId: 1 }), page, d)).rejects.toBeInstanceOf(RequestError);
    await expect(
      handleRequest(request('getTabView', { tabId: 1 }), { id: 'other-extension', url: `${EXT}x.html` }, d),
    ).rejects.toBeInstanceOf(RequestError);
    await expect(handleRequest(request('getTabView', { tabId: -4 }), panel, d)).rejects.toBeInstanceOf(RequestError);
  });

  it('takes the tab of page events from the sender, validates events, and refuses them from extension pages', async () => {
    const stores = createStores();
    const d = deps(stores);
    // Hostile input: typed as the protocol says, but not what it holds.
    const events: never[] = [
      { kind: 'breadcrumb', crumb: { type: 'click', timestamp: clock, message: 'button#buy "Add to cart"' } },
      { kind: 'bogus' },
      { kind: 'breadcrumb', crumb: { type: 'console', timestamp: 'yesterday', message: 3 } },
    ] as never[];
    const reply = await handleRequest(
      request('pageEvents', { events, tabId: 99 } as never),
      { ...page, tab: { id: 4 } as never },
      d,
    );
    expect(reply).toEqual({ accepted: 1 });
    expect((await stores.tabs.get(tabKey(4)))!.breadcrumbs.map((b) => b.message)).toEqual(['button#buy "Add to cart"']);
    expect(await stores.tabs.get(tabKey(99))).toBeUndefined();
    await expect(handleRequest(request('pageEvents', { events }), panel, d)).rejects.toBeInstanceOf(RequestError);
  });

  it('drops page events from a site the settings have turned off since the page loaded', async () => {
    const stores = createStores();
    let settings = DEFAULT_SETTINGS;
    const d = { ...deps(stores), settings: async () => settings };
    const crumb = (message: string) =>
      [{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: clock, message } }] as never[];
    expect(await handleRequest(request('pageEvents', { events: crumb('before') }), page, d)).toEqual({ accepted: 1 });
    settings = { ...DEFAULT_SETTINGS, disabledSites: [new URL(ORIGIN).hostname] };
    // Answered as handled (the relay must not retry) and not stored.
    expect(await handleRequest(request('pageEvents', { events: crumb('after') }), page, d)).toEqual({ accepted: 0 });
    const other = { ...page, url: 'https://other.example/' };
    expect(await handleRequest(request('pageEvents', { events: crumb('elsewhere') }), other, d)).toEqual({
      accepted: 1,
    });
    settings = { ...DEFAULT_SETTINGS, hookEnabled: false };
    expect(await handleRequest(request('pageEvents', { events: crumb('all off') }), other, d)).toEqual({ accepted: 0 });
    expect((await stores.tabs.get(tabKey(1)))!.breadcrumbs.map((b) => b.message)).toEqual(['before', 'elsewhere']);
  });

  it('clears recorded entries on request', async () => {
    const stores = createStores();
    const d = deps(stores);
    await handleRequest(
      request('pageEvents', {
        events: [{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: clock, message: 'x' } }],
      }),
      page,
      d,
    );
    await handleRequest(request('clearTabData', { tabId: 1, what: 'breadcrumbs' }), panel, d);
    expect((await stores.tabs.get(tabKey(1)))!.breadcrumbs).toEqual([]);
  });
});

describe('crash entries', () => {
  it('predicts the crash report and its route from the top document', async () => {
    const stores = createStores();
    await handleHeadersReceived(
      details({ headers: { 'Reporting-Endpoints': 'default="/reports/default"' } }),
      context(stores).ctx,
    );
    const s = (await stores.tabs.get(tabKey(1)))!;
    const entry = crashEntryFor(s, {}, clock + 5, { visible: true, detectedBy: 'port-disconnect' });
    expect(entry.predicted.body).toEqual({ crash_report_api: {}, is_top_level: true, visibility_state: 'visible' });
    expect(entry.predicted.report).toMatchObject({ age: 0, type: 'crash', url: `${ORIGIN}/good` });
    expect(entry.predicted.route).toMatchObject({
      willDeliver: true,
      endpointName: 'default',
      url: `${ORIGIN}/reports/default`,
    });
  });

  it('keeps one entry per crash and knows the first document after it', () => {
    let s: TabState = emptyTabState(1, clock);
    const e = crashEntryFor(s, {}, clock, { visible: true, detectedBy: 'port-disconnect' });
    s = addCrash(s, e);
    s = addCrash(s, { ...e, at: clock + 100, detectedBy: 'debugger', reason: 'oom' });
    expect(s.crashes).toHaveLength(1);
    expect(s.crashes[0]).toMatchObject({ detectedBy: 'debugger', reason: 'oom' });
    s = { ...s, documents: { '0': { receivedAt: clock + 2000 } as never } };
    expect(crashedRecently(s)).toBe(true);
    s = { ...s, history: [{ receivedAt: clock + 1500 } as never] };
    expect(crashedRecently(s)).toBe(false);
  });
});
