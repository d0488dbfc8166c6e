// @vitest-environment happy-dom
// Load and bounds with the real handlers and store: 20 tabs, 2,000 navigations and 50,000 breadcrumbs go through
// `handleHeadersReceived`, `handleRequest('pageEvents')` (`applyPageEvents`) and the `PersistedMap` into a storage
// area with Chromium's `storage.session` quota. Storage stays bounded, the oldest entries go first and are counted,
// a full quota is handled by evicting other tabs (never the one being written), and closed tabs leave nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { h } from 'preact';
import { cleanup, render, screen } from '@testing-library/preact';
import { createStores, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { handleHeadersReceived, type CaptureContext } from '@/entrypoints/background/header-capture';
import type { StorageAreaLike } from '@/entrypoints/background/persisted-map';
import { tabLayout } from '@/entrypoints/background/tab-layout';
import { TabViews } from '@/entrypoints/background/tab-views';
import { handleRequest, type RequestDeps } from '@/entrypoints/background/requests';
import { request } from '@/utils/messaging/protocol';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { LIMITS, type TabState } from '@/utils/tab/types';
import { HistoryTab } from '@/components/panel/HistoryTab';
import { PanelStoreContext } from '@/entrypoints/devtools-panel/store';
import { fixtureStore } from '../components/helpers';
import { emptyTabState } from '@/utils/tab/types';

/** Chromium's `storage.session` quota (`chrome.storage.session.QUOTA_BYTES`). */
const SESSION_QUOTA = 10 * 1024 * 1024;
const MB = 1024 * 1024;
const ORIGIN = 'https://app.example';

/** A storage area that stores JSON and, like Chromium, refuses a write that would take it past its quota. */
class QuotaArea implements StorageAreaLike {
  readonly data = new Map<string, string>();
  failures = 0;
  constructor(private readonly quota: number) {}
  /** Bytes of everything, or of one tab's head and its parts (tab-layout.ts). */
  bytes(key?: string): number {
    let n = 0;
    for (const [k, v] of this.data)
      if (key === undefined || k === key || k.startsWith(`${key}:`)) n += k.length + v.length;
    return n;
  }
  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const k of keys ?? [...this.data.keys()]) if (this.data.has(k)) out[k] = JSON.parse(this.data.get(k)!);
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    const next = new Map(this.data);
    for (const [k, v] of Object.entries(items)) next.set(k, JSON.stringify(v));
    let n = 0;
    for (const [k, v] of next) n += k.length + v.length;
    if (n > this.quota) {
      this.failures++;
      throw new Error('Session storage quota bytes exceeded. Values were not stored. (QUOTA_BYTES)');
    }
    for (const [k, v] of next) this.data.set(k, v);
  }
  async remove(keys: string[]): Promise<void> {
    for (const k of keys) this.data.delete(k);
  }
  /** A tab's state as stored: its head joined with the parts it names. */
  stored(key: string): TabState | undefined {
    const v = this.data.get(key);
    if (v === undefined) return undefined;
    const head: unknown = JSON.parse(v);
    const parts: Record<string, unknown> = {};
    for (const p of tabLayout.parts(key, head)) if (this.data.has(p)) parts[p] = JSON.parse(this.data.get(p)!);
    return tabLayout.join(key, head, parts) ?? undefined;
  }
}

let clock = Date.UTC(2026, 10, 21, 12);
const now = () => clock;

function harness(session: QuotaArea) {
  // No coalescing delay: the reply to a page batch waits for its write, and 2,000 waits of 100 ms add nothing here.
  const stores: Stores = createStores(session, new QuotaArea(5 * MB), { minIntervalMs: 0 });
  const ctx: CaptureContext = { stores, now, tabChanged: () => {}, originChanged: () => {} };
  const deps: RequestDeps = {
    stores,
    views: new TabViews(stores, now),
    tabChanged: () => {},
    extensionId: 'ext',
    extensionOrigin: 'chrome-extension://ext/',
    now,
    getTabUrl: async () => undefined,
    settings: async () => DEFAULT_SETTINGS,
  };
  const navigate = (tabId: number, n: number, extraHeaders: Record<string, string> = {}) =>
    handleHeadersReceived(
      {
        tabId,
        frameId: 0,
        parentFrameId: -1,
        url: `${ORIGIN}/t${tabId}/page${n}`,
        type: 'main_frame',
        statusCode: 200,
        timeStamp: clock,
        responseHeaders: [
          { name: 'Reporting-Endpoints', value: `default="${ORIGIN}/r/t${tabId}-n${n}", csp="${ORIGIN}/r/csp"` },
          { name: 'Content-Security-Policy', value: "default-src 'self'; report-to csp" },
          ...Object.entries(extraHeaders).map(([name, value]) => ({ name, value })),
        ],
      },
      ctx,
    );
  let batch = 0;
  /** Sends breadcrumbs as the page relay does: from a content script of the tab, in batches. */
  const crumbs = (tabId: number, from: number, count: number, messageChars = 120) =>
    handleRequest(
      request('pageEvents', {
        events: Array.from({ length: count }, (_, i) => ({
          kind: 'breadcrumb' as const,
          crumb: {
            type: 'click' as const,
            timestamp: clock + i,
            message: `#${from + i} ${'x'.repeat(messageChars)}`,
            data: { selector: `button#b${from + i}` },
          },
        })),
        batch: `b${++batch}`,
      }),
      { id: 'ext', tab: { id: tabId } as never, frameId: 0, url: `${ORIGIN}/t${tabId}` },
      deps,
    ) as Promise<{ accepted: number }>;
  const reports = (tabId: number, count: number) =>
    handleRequest(
      request('pageEvents', {
        events: Array.from({ length: count }, (_, i) => ({
          kind: 'report' as const,
          report: {
            type: 'csp-violation',
            url: `${ORIGIN}/t${tabId}`,
            body: { blockedURL: `https://cdn.example/${i}`, effectiveDirective: 'img-src', sample: 'y'.repeat(200) },
          },
        })),
        batch: `b${++batch}`,
      }),
      { id: 'ext', tab: { id: tabId } as never, frameId: 0, url: `${ORIGIN}/t${tabId}` },
      deps,
    );
  return { stores, navigate, crumbs, reports, deps };
}

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.UTC(2026, 10, 21, 12);
});

describe('load and bounds', () => {
  it('20 tabs, 2,000 navigations, 50,000 breadcrumbs: each tab ≤ 1 MB, oldest evicted first and counted', async () => {
    const session = new QuotaArea(SESSION_QUOTA);
    const { stores, navigate, crumbs, reports } = harness(session);
    const TABS = 20;
    const NAVS = 2000;
    const CRUMBS = 50_000;
    const perTabNavs = NAVS / TABS;
    const perTabCrumbs = CRUMBS / TABS;
    let sentCrumbs = 0;
    for (let round = 0; round < perTabNavs; round++) {
      clock += 1000;
      await Promise.all(Array.from({ length: TABS }, (_, t) => navigate(t + 1, round) ?? Promise.resolve()));
      // 25 breadcrumbs per tab and navigation, in one batch; a few reports now and then.
      const per = perTabCrumbs / perTabNavs;
      await Promise.all(Array.from({ length: TABS }, (_, t) => crumbs(t + 1, round * per, per)));
      sentCrumbs += per * TABS;
      if (round % 10 === 0) await Promise.all(Array.from({ length: TABS }, (_, t) => reports(t + 1, 60)));
    }
    await stores.tabs.flush();
    expect(sentCrumbs).toBe(CRUMBS);

    let maxBytes = 0;
    for (let t = 1; t <= TABS; t++) {
      const s = session.stored(tabKey(t))!;
      maxBytes = Math.max(maxBytes, session.bytes(tabKey(t)));
      expect(session.bytes(tabKey(t)), `tab ${t} bytes`).toBeLessThanOrEqual(1 * MB);
      // History: the newest 20 previous documents, newest first; the other 79 counted.
      expect(s.documents['0']!.url).toBe(`${ORIGIN}/t${t}/page${perTabNavs - 1}`);
      expect(s.history).toHaveLength(LIMITS.history);
      expect(s.history.map((d) => d.url)).toEqual(
        Array.from({ length: LIMITS.history }, (_, i) => `${ORIGIN}/t${t}/page${perTabNavs - 2 - i}`),
      );
      expect(s.dropped.history).toBe(perTabNavs - 1 - LIMITS.history);
      // Breadcrumbs: the newest 500 of 2,500, in order; the 2,000 older counted.
      const kept = DEFAULT_SETTINGS.breadcrumbBuffer;
      expect(s.breadcrumbs).toHaveLength(kept);
      expect(s.breadcrumbs.map((b) => Number(/^#(\d+)/.exec(b.message)![1]))).toEqual(
        Array.from({ length: kept }, (_, i) => perTabCrumbs - kept + i),
      );
      expect(s.dropped.breadcrumbs).toBe(perTabCrumbs - kept);
      // Reports: 600 sent, the newest 500 kept.
      expect(s.reports).toHaveLength(LIMITS.reports);
      expect(s.dropped.reports).toBe(600 - LIMITS.reports);
      const seqs = [...s.breadcrumbs, ...s.reports].map((e) => e.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      // Batch names remembered for de-duplication stay bounded too.
      expect(s.batches!.length).toBeLessThanOrEqual(LIMITS.batchIds);
    }
    expect(session.bytes()).toBeLessThanOrEqual(SESSION_QUOTA);
    console.info(
      `bounds: ${TABS} tabs, ${NAVS} navigations, ${CRUMBS} breadcrumbs; largest tab ${maxBytes} bytes, total ${session.bytes()} bytes, ${session.failures} quota errors`,
    );
  }, 120_000);

  it('a tab stays ≤ 1 MB even with the largest headers kept in every document of its history', async () => {
    const session = new QuotaArea(SESSION_QUOTA);
    const { stores, navigate, crumbs } = harness(session);
    const big = 'a'.repeat(200 * 1024); // cut to LIMITS.headerValueChars when stored
    const headers = Object.fromEntries(
      [
        'Permissions-Policy',
        'Document-Policy',
        'NEL',
        'Cross-Origin-Opener-Policy',
        'Integrity-Policy',
        'Content-Security-Policy-Report-Only',
      ].map((n) => [n, big]),
    );
    for (let n = 0; n < 40; n++) {
      clock += 1000;
      await navigate(7, n, headers);
    }
    await crumbs(7, 0, 500, 1000);
    await stores.tabs.flush();
    expect(session.bytes(tabKey(7))).toBeLessThanOrEqual(1 * MB);
    const s = session.stored(tabKey(7))!;
    expect(s.documents['0']!.url).toBe(`${ORIGIN}/t7/page39`);
    expect(s.dropped.history).toBeGreaterThan(0);
  }, 60_000);

  it('a full storage.session quota is handled by trimming other tabs, oldest first; the tab being written keeps everything', async () => {
    // A small quota, so three busy tabs fill it.
    const session = new QuotaArea(600 * 1024);
    const { stores, navigate, crumbs } = harness(session);
    for (const t of [1, 2, 3]) {
      clock += 1000;
      await navigate(t, 0);
      for (let i = 0; i < 4; i++) await crumbs(t, i * 125, 125, 600);
    }
    await stores.tabs.flush();
    expect(session.failures).toBeGreaterThan(0);
    const s1 = session.stored(tabKey(1))!;
    const s3 = session.stored(tabKey(3))!;
    // Tab 3 was being written when the quota was hit: nothing of it was lost.
    expect(s3.breadcrumbs).toHaveLength(500);
    expect(s3.dropped.breadcrumbs).toBe(0);
    // Tab 1 (least recently updated) was trimmed to its newest entries, with the count.
    expect(s1.breadcrumbs.length).toBeLessThan(500);
    expect(s1.breadcrumbs.length + s1.dropped.breadcrumbs).toBe(500);
    expect(s1.breadcrumbs.at(-1)!.message).toMatch(/^#499 /);
    expect(s1.documents['0']!.url).toBe(`${ORIGIN}/t1/page0`);
    expect(session.bytes()).toBeLessThanOrEqual(600 * 1024);
    // What the worker would read back after a restart is what was kept.
    const fresh = createStores(session, new QuotaArea(MB));
    expect((await fresh.tabs.get(tabKey(3)))!.breadcrumbs).toHaveLength(500);
  });

  it('a lone tab larger than the quota keeps its newest half rather than failing to store anything', async () => {
    const session = new QuotaArea(200 * 1024);
    const { stores, navigate, crumbs } = harness(session);
    await navigate(1, 0);
    for (let i = 0; i < 4; i++) await crumbs(1, i * 125, 125, 600);
    await stores.tabs.flush();
    const s = session.stored(tabKey(1))!;
    expect(s.documents['0']!.url).toBe(`${ORIGIN}/t1/page0`);
    expect(s.breadcrumbs.length).toBeGreaterThan(0);
    expect(s.breadcrumbs.length + s.dropped.breadcrumbs).toBe(500);
    expect(s.breadcrumbs.at(-1)!.message).toMatch(/^#499 /);
  });

  it('closed tabs leave nothing behind, even when an event arrives after the close', async () => {
    const session = new QuotaArea(SESSION_QUOTA);
    const { stores, navigate, crumbs } = harness(session);
    for (let t = 1; t <= 20; t++) {
      await navigate(t, 0);
      await crumbs(t, 0, 10);
    }
    await stores.tabs.flush();
    expect([...session.data.keys()].filter((k) => /^tab:\d+$/.test(k))).toHaveLength(20);
    // The background's tabs.onRemoved does this for each closed tab.
    for (let t = 1; t <= 20; t++) await stores.tabs.remove(tabKey(t), { forever: true });
    // A late header event and a late page batch of a closed tab.
    await navigate(5, 1);
    await crumbs(5, 10, 10);
    await stores.tabs.flush();
    expect([...session.data.keys()]).toEqual([]);
    expect(stores.tabs.cachedKeys()).toEqual([]);
  });

  it('a resent page-event batch (the reply was lost with a stopped worker) is applied once', async () => {
    const session = new QuotaArea(SESSION_QUOTA);
    const { stores, deps } = harness(session);
    const msg = request('pageEvents', {
      events: [{ kind: 'breadcrumb', crumb: { type: 'click', timestamp: 1, message: 'once' } }],
      batch: 'abc.1',
    });
    const sender = { id: 'ext', tab: { id: 3 } as never, frameId: 0, url: `${ORIGIN}/` };
    expect(await handleRequest(msg, sender, deps)).toEqual({ accepted: 1 });
    // The reply waits for storage: the entry is already stored when the relay hears back.
    expect(session.stored(tabKey(3))!.breadcrumbs).toHaveLength(1);
    expect(await handleRequest(msg, sender, deps)).toEqual({ accepted: 0 });
    // Another frame may use the same name: names are per frame.
    expect(await handleRequest(msg, { ...sender, frameId: 2 }, deps)).toEqual({ accepted: 1 });
    await stores.tabs.flush();
    expect(session.stored(tabKey(3))!.breadcrumbs.map((b) => b.frameId)).toEqual([0, 2]);
  });

  it('the panel says how many older entries were dropped', () => {
    const state = { ...emptyTabState(1, clock), dropped: { ...emptyTabState(1, clock).dropped, history: 79 } };
    const store = fixtureStore({ tabId: 1, state, origins: [], generatedAt: clock }, [], { now: clock });
    render(h(PanelStoreContext.Provider, { value: store }, h(HistoryTab, {})));
    expect(screen.getByTestId('history-dropped').textContent).toBe('79 older entries dropped');
    cleanup();
  });
});
