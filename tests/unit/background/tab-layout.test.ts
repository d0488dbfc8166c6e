// The tab store's chunked layout (tab-layout.ts) through the real PersistedMap and `applyPageEvents`: a busy tab's
// write carries its newest chunk and its head, not its whole state; what a fresh worker reads back is exactly what
// was kept, whatever moment the previous worker stopped at; eviction and removal leave no chunk behind.
import { describe, expect, it, vi } from 'vitest';
import { createStores, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { PersistedMap, type StorageAreaLike } from '@/entrypoints/background/persisted-map';
import { CHUNK, isTabPart, tabLayout } from '@/entrypoints/background/tab-layout';
import { applyPageEvents } from '@/utils/tab/apply-page-events';
import { clearPart } from '@/utils/tab/clear';
import { placeDocument } from '@/utils/tab/documents';
import { emptyTabState, LIMITS, type TabState } from '@/utils/tab/types';
import { doc } from '../../fixtures/views';

/** A storage area holding JSON (as Chromium copies values), recording each write, with faults on demand. */
class Area implements StorageAreaLike {
  readonly data = new Map<string, string>();
  readonly sets: Record<string, unknown>[] = [];
  failSet = false;
  hang = false;
  failRemove = false;
  quota = Infinity;
  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const k of keys ?? [...this.data.keys()]) if (this.data.has(k)) out[k] = JSON.parse(this.data.get(k)!);
    return out;
  }
  async set(items: Record<string, unknown>): Promise<void> {
    if (this.hang) return new Promise<void>(() => {});
    if (this.failSet) throw new Error('IO error');
    const next = new Map(this.data);
    for (const [k, v] of Object.entries(items)) next.set(k, JSON.stringify(v));
    let n = 0;
    for (const [k, v] of next) n += k.length + v.length;
    if (n > this.quota) throw new Error('Session storage quota bytes exceeded. (QUOTA_BYTES)');
    this.sets.push(items);
    for (const [k, v] of next) this.data.set(k, v);
  }
  async remove(keys: string[]): Promise<void> {
    if (this.failRemove) throw new Error('worker stopped');
    for (const k of keys) this.data.delete(k);
  }
  chars(): number {
    let n = 0;
    for (const [k, v] of this.data) n += k.length + v.length;
    return n;
  }
}

const NOW = Date.UTC(2026, 11, 1, 12);
const noDelay = { minIntervalMs: 0 };

/** `count` network breadcrumbs, as the relay hands them over, applied the way the pageEvents handler does. */
async function crumbs(stores: Stores, tabId: number, from: number, count: number): Promise<TabState> {
  const events = Array.from({ length: count }, (_, i) => ({
    kind: 'breadcrumb' as const,
    crumb: {
      type: 'network' as const,
      timestamp: NOW + from + i,
      message: `GET https://app.example/api/item/${from + i} 200 ${'x'.repeat(150)}`,
    },
  }));
  const s = await stores.tabs.update(
    tabKey(tabId),
    () => emptyTabState(tabId, NOW),
    (s) => applyPageEvents(s, 0, events, NOW + from, { maxBreadcrumbs: LIMITS.breadcrumbs, crashedRecently: false }),
  );
  await stores.tabs.flush();
  return s;
}

/** What a worker started now reads back. */
async function reread(area: Area, tabId: number): Promise<TabState | undefined> {
  return createStores(area, new Area(), noDelay).tabs.get(tabKey(tabId));
}

/** Which crumbs a state holds: their numbers (`old` for the one stored before the layout). */
const messages = (s: TabState | undefined) =>
  s?.breadcrumbs.map((b) => /item\/(\d+)/.exec(b.message)?.[1] ?? b.message);

describe('chunked tab layout', () => {
  it('a busy tab writes its head and newest chunk only, and a fresh worker reads back the same state', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    await stores.tabs.update(
      tabKey(1),
      () => emptyTabState(1, NOW),
      (s) => ({ ...s, documents: { '0': doc({ url: 'https://app.example/', receivedAt: NOW }) } }),
    );
    for (let i = 0; i < 500; i += 25) await crumbs(stores, 1, i, 25);
    expect(area.data.has('tab:1:doc')).toBe(true);
    const whole = JSON.stringify((await stores.tabs.get(tabKey(1)))!).length;
    area.sets.length = 0;
    const s = await crumbs(stores, 1, 500, 5);
    expect(area.sets).toHaveLength(1);
    const keys = Object.keys(area.sets[0]!);
    // The head, and the chunk the five new entries went to (two when they straddle a chunk boundary).
    expect(keys[0]).toBe('tab:1');
    expect(keys.length).toBeLessThanOrEqual(3);
    for (const k of keys.slice(1)) expect(k).toMatch(/^tab:1:bc:\d+$/);
    const chars = JSON.stringify(area.sets[0]).length;
    expect(chars).toBeLessThan(whole / 5);
    // The ring buffer is full: the oldest five went, and a fresh worker sees exactly what this one keeps.
    expect(s.breadcrumbs).toHaveLength(500);
    expect(s.dropped.breadcrumbs).toBe(5);
    expect(await reread(area, 1)).toEqual(s);
  });

  it('chunks that fell off the front are removed, and storage stays near one copy of the state', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    for (let i = 0; i < 3000; i += 50) await crumbs(stores, 1, i, 50);
    const s = (await stores.tabs.get(tabKey(1)))!;
    expect(messages(s)).toEqual(Array.from({ length: 500 }, (_, i) => `${2500 + i}`));
    const chunks = [...area.data.keys()].filter(isTabPart);
    // 500 entries with consecutive `seq`s span at most ceil(500 / CHUNK) + 1 chunks.
    expect(chunks.length).toBeLessThanOrEqual(Math.ceil(500 / CHUNK) + 1);
    // At most one chunk's worth of hidden entries beyond the state itself.
    expect(area.chars()).toBeLessThan(JSON.stringify(s).length * (1 + 2 / (500 / CHUNK)));
    expect(await reread(area, 1)).toEqual(s);
  });

  it('a worker stopped after a write but before removing old chunks leaves a readable state; eviction removes them', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    for (let i = 0; i < 500; i += 50) await crumbs(stores, 1, i, 50);
    area.failRemove = true;
    const s = await crumbs(stores, 1, 500, 100);
    const orphans = () => {
      const named = new Set(tabLayout.parts('tab:1', JSON.parse(area.data.get('tab:1')!)));
      return [...area.data.keys()].filter((k) => isTabPart(k) && !named.has(k));
    };
    expect(orphans().length).toBeGreaterThan(0);
    expect(await reread(area, 1)).toEqual(s);
    // A later quota failure frees the orphans first (before trimming anyone's entries).
    area.failRemove = false;
    const fresh = createStores(area, new Area(), noDelay);
    const before = (await fresh.tabs.get(tabKey(1)))!;
    area.quota = area.chars() + 100;
    await crumbs(fresh, 1, 600, 2);
    expect(orphans()).toEqual([]);
    const after = (await reread(area, 1))!;
    expect(after.breadcrumbs).toHaveLength(500);
    expect(after.breadcrumbs.slice(0, 498)).toEqual(before.breadcrumbs.slice(2));
  });

  it('a worker stopped during a write keeps the state of the write before it, whole', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    for (let i = 0; i < 300; i += 50) await crumbs(stores, 1, i, 50);
    const kept = structuredClone((await stores.tabs.get(tabKey(1)))!);
    // The worker stops while its write is under way: the write never lands, nothing after it runs.
    area.hang = true;
    void crumbs(stores, 1, 300, 50);
    await new Promise((r) => setTimeout(r, 20));
    area.hang = false;
    expect(await reread(area, 1)).toEqual(kept);
    // The next worker: a write that fails (not for quota) loses nothing stored, and the next one carries every
    // chunk it missed.
    const next = createStores(area, new Area(), noDelay);
    area.failSet = true;
    await crumbs(next, 1, 300, 50);
    expect(await reread(area, 1)).toEqual(kept);
    area.failSet = false;
    const s = await crumbs(next, 1, 350, 1);
    expect(s.breadcrumbs).toHaveLength(351);
    expect(await reread(area, 1)).toEqual(s);
  });

  it('a changed entry in an old chunk rewrites that chunk; reports and history are stored apart too', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    await crumbs(stores, 1, 0, 100);
    area.sets.length = 0;
    await stores.tabs.update(
      tabKey(1),
      () => emptyTabState(1, NOW),
      (s) => ({
        ...s,
        breadcrumbs: s.breadcrumbs.map((b, i) => (i === 3 ? { ...b, message: 'edited' } : b)),
        reports: [
          { seq: s.nextSeq, frameId: 0, type: 'deprecation', url: 'https://app.example/', body: {}, observedAt: NOW },
        ],
        history: [doc({ url: 'https://app.example/old', receivedAt: NOW })],
        nextSeq: s.nextSeq + 1,
      }),
    );
    await stores.tabs.flush();
    expect(Object.keys(area.sets[0]!).sort()).toEqual(
      ['tab:1', `tab:1:bc:${Math.floor(4 / CHUNK)}`, 'tab:1:h:0', `tab:1:rp:${Math.floor(101 / CHUNK)}`].sort(),
    );
    const back = (await reread(area, 1))!;
    expect(back.breadcrumbs[3]!.message).toBe('edited');
    expect(back.reports.map((r) => r.type)).toEqual(['deprecation']);
    expect(back.history.map((d) => d.url)).toEqual(['https://app.example/old']);
    expect(back).toEqual(await stores.tabs.get(tabKey(1)));
  });

  it('a navigation writes the document it moved into the history, not the whole history; trimmed and cleared entries go', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    const navigate = async (i: number) => {
      const s = await stores.tabs.update(
        tabKey(1),
        () => emptyTabState(1, NOW),
        (s) => placeDocument(s, doc({ url: `https://app.example/p${i}`, receivedAt: NOW + i }), NOW + i),
      );
      await stores.tabs.flush();
      return s;
    };
    for (let i = 0; i <= LIMITS.history; i++) await navigate(i);
    const full = (await stores.tabs.get(tabKey(1)))!;
    expect(full.history).toHaveLength(LIMITS.history);
    const wholeHistory = JSON.stringify(full.history).length;
    area.sets.length = 0;
    const s = await navigate(LIMITS.history + 1);
    expect(s.dropped.history).toBe(1);
    // The head, the new current document, and the one entry that joined the history.
    expect(Object.keys(area.sets[0]!).sort()).toEqual(['tab:1', 'tab:1:doc', `tab:1:h:${LIMITS.history}`]);
    expect(JSON.stringify(area.sets[0]).length).toBeLessThan(wholeHistory / 4);
    // The entry that fell off the end is gone from storage; what a fresh worker reads is what this one keeps.
    expect(area.data.has('tab:1:h:0')).toBe(false);
    expect([...area.data.keys()].filter((k) => k.startsWith('tab:1:h:'))).toHaveLength(LIMITS.history);
    expect(await reread(area, 1)).toEqual(s);
    // Cleared: the entries go, and the next navigations number from 0 again without reading stale ones.
    await stores.tabs.update(
      tabKey(1),
      () => emptyTabState(1, NOW),
      (s) => clearPart(s, 'history'),
    );
    await stores.tabs.flush();
    expect([...area.data.keys()].filter((k) => k.startsWith('tab:1:h:'))).toEqual([]);
    const after = await navigate(100);
    expect(after.history.map((d) => d.url)).toEqual([`https://app.example/p${LIMITS.history + 1}`]);
    expect(await reread(area, 1)).toEqual(after);
  });

  it('parts no head names wait and go in one removal; one named again meanwhile stays', async () => {
    // Fake timers: the removal's delay and the writes' order are the test's, not the machine's load.
    vi.useFakeTimers();
    try {
      const area = new Area();
      let removals = 0;
      const remove = area.remove.bind(area);
      area.remove = async (keys) => {
        removals++;
        return remove(keys);
      };
      const tabs = new PersistedMap<TabState>({
        area,
        layout: tabLayout,
        minIntervalMs: 0,
        busyIntervalMs: 0,
        removalDelayMs: 40,
      });
      const write = async (fn: (s: TabState) => TabState) => {
        const s = await tabs.update(tabKey(1), () => emptyTabState(1, NOW), fn);
        await vi.advanceTimersByTimeAsync(1);
        return s;
      };
      const nav = (i: number) => (s: TabState) =>
        placeDocument(s, doc({ url: `https://app.example/p${i}`, receivedAt: NOW + i }), NOW + i);
      for (let i = 0; i <= LIMITS.history; i++) await write(nav(i));
      removals = 0;
      // Three navigations on a full history drop three entries: none is removed at once, all three in one call.
      for (let i = 1; i <= 3; i++) await write(nav(LIMITS.history + i));
      expect(removals).toBe(0);
      expect(area.data.has('tab:1:h:0')).toBe(true);
      await vi.advanceTimersByTimeAsync(80);
      expect(removals).toBe(1);
      expect(['tab:1:h:0', 'tab:1:h:1', 'tab:1:h:2'].filter((k) => area.data.has(k))).toEqual([]);
      // Cleared, then a navigation: `h:0` is unnamed, then named again before its removal, and is kept.
      await write((s) => clearPart(s, 'history'));
      const s = await write(nav(200));
      await vi.advanceTimersByTimeAsync(80);
      expect(area.data.has('tab:1:h:0')).toBe(true);
      expect(await reread(area, 1)).toEqual(s);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a history stored whole (the layout before entries were stored one by one) is read, then stored by entry', async () => {
    const area = new Area();
    const history = [
      doc({ url: 'https://app.example/b', receivedAt: NOW }),
      doc({ url: 'https://app.example/a', receivedAt: NOW }),
    ];
    const { history: _h, ...rest } = {
      ...emptyTabState(6, NOW),
      documents: { '0': doc({ url: 'https://app.example/c', receivedAt: NOW }) },
    };
    await area.set({
      'tab:6': { ...rest, documents: undefined, layout: { v: 1, lists: {}, apart: ['documents', 'history'] } },
      'tab:6:doc': { '0': doc({ url: 'https://app.example/c', receivedAt: NOW }) },
      'tab:6:hist': history,
    });
    const stores = createStores(area, new Area(), noDelay);
    expect((await stores.tabs.get(tabKey(6)))!.history.map((d) => d.url)).toEqual([
      'https://app.example/b',
      'https://app.example/a',
    ]);
    const s = await stores.tabs.update(
      tabKey(6),
      () => emptyTabState(6, NOW),
      (s) => placeDocument(s, doc({ url: 'https://app.example/d', receivedAt: NOW + 1 }), NOW + 1),
    );
    await stores.tabs.flush();
    expect(area.data.has('tab:6:hist')).toBe(false);
    expect([...area.data.keys()].filter((k) => k.startsWith('tab:6:h:')).sort()).toEqual([
      'tab:6:h:0',
      'tab:6:h:1',
      'tab:6:h:2',
    ]);
    expect((await reread(area, 6))!.history.map((d) => d.url)).toEqual(s.history.map((d) => d.url));
  });

  it('a state stored whole (before this layout) is read as is, and its next write leaves only the layout', async () => {
    const area = new Area();
    const old = {
      ...emptyTabState(4, NOW),
      breadcrumbs: [{ type: 'click', timestamp: NOW, message: 'old', seq: 1, frameId: 0, source: 'page' }],
      nextSeq: 2,
    };
    await area.set({ 'tab:4': old });
    const stores = createStores(area, new Area(), noDelay);
    expect(messages(await stores.tabs.get(tabKey(4)))).toEqual(['old']);
    await crumbs(stores, 4, 0, 3);
    const head = JSON.parse(area.data.get('tab:4')!) as Record<string, unknown>;
    expect(head.breadcrumbs).toBeUndefined();
    expect(messages(await reread(area, 4))).toEqual(['old', '0', '1', '2']);
  });

  it('hostile or damaged storage never crashes a read: a bad layout, a missing or foreign chunk', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    await crumbs(stores, 1, 0, 70);
    const chunkKeys = [...area.data.keys()].filter(isTabPart);
    area.data.delete(chunkKeys[0]!);
    area.data.set(chunkKeys[1]!, JSON.stringify([{ seq: 'x' }, null, 5, { seq: 99_999 }]));
    const back = (await reread(area, 1))!;
    // The entries of the two damaged chunks are gone, the others are there.
    expect(back.breadcrumbs.length).toBeGreaterThan(0);
    expect(back.breadcrumbs.length).toBeLessThan(70);
    for (const bad of [
      {
        ...emptyTabState(2, NOW),
        layout: { v: 1, lists: { breadcrumbs: { from: 0, chunks: [-1, 'a', 1.5] } }, apart: ['toString'] },
      },
      { ...emptyTabState(3, NOW), layout: { v: 1, lists: null, apart: 'history' } },
      { ...emptyTabState(7, NOW), history: undefined, layout: { v: 1, lists: {}, apart: [], history: [0, -1, 'x'] } },
      { ...emptyTabState(8, NOW), history: undefined, layout: { v: 1, lists: {}, apart: [], history: [0, 1, 2] } },
      {
        ...emptyTabState(5, NOW),
        breadcrumbs: undefined,
        layout: { v: 1, lists: { breadcrumbs: { from: 0, chunks: [0] } }, apart: [] },
      },
    ])
      await area.set({ [`tab:${bad.tabId}`]: bad });
    await area.set({
      'tab:8:h:1': 'not a document',
      'tab:8:h:2': doc({ url: 'https://app.example/kept', receivedAt: NOW }),
    });
    for (const id of [2, 3, 5, 7, 8]) expect((await reread(area, id))?.tabId).toBe(id);
    // A missing or damaged history entry is left out, the others are kept.
    expect((await reread(area, 8))!.history.map((d) => d.url)).toEqual(['https://app.example/kept']);
  });

  it('removing a closed tab removes its head and every chunk, also from a worker that never loaded it', async () => {
    const area = new Area();
    const stores = createStores(area, new Area(), noDelay);
    await crumbs(stores, 1, 0, 200);
    await crumbs(stores, 2, 0, 10);
    expect([...area.data.keys()].filter((k) => k.startsWith('tab:1:')).length).toBeGreaterThan(3);
    await createStores(area, new Area(), noDelay).tabs.remove(tabKey(1), { forever: true });
    expect([...area.data.keys()].filter((k) => k.startsWith('tab:1')).length).toBe(0);
    expect(messages(await reread(area, 2))).toHaveLength(10);
  });
});
