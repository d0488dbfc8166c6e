import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_TYPES,
  SubresourceWatch,
  subresourceTypes,
  type HeadersEventLike,
} from '@/entrypoints/background/subresource-watch';
import { PanelPorts } from '@/entrypoints/background/panel-ports';
import { TabViews } from '@/entrypoints/background/tab-views';
import { createStores } from '@/entrypoints/background/tab-and-origin-stores';

type D = { tabId: number; url: string };

/** A fake `onHeadersReceived` that dispatches like Chromium: to each listener whose tab filter matches. */
function fakeEvent() {
  const listeners: {
    cb: (d: D) => void;
    filter: { urls: string[]; types?: string[]; tabId?: number };
    extra?: string[];
  }[] = [];
  const event: HeadersEventLike<D> = {
    addListener: (cb, filter, extra) => void listeners.push({ cb, filter, extra }),
    removeListener: (cb) => {
      const i = listeners.findIndex((l) => l.cb === cb);
      if (i >= 0) listeners.splice(i, 1);
    },
  };
  const fire = (d: D) =>
    listeners.filter((l) => l.filter.tabId === undefined || l.filter.tabId === d.tabId).forEach((l) => l.cb(d));
  return { event, listeners, fire };
}

describe('subresourceTypes', () => {
  it('takes every published type but the documents', () => {
    const published = {
      MAIN_FRAME: 'main_frame',
      SUB_FRAME: 'sub_frame',
      IMAGE: 'image',
      XMLHTTPREQUEST: 'xmlhttprequest',
      WEBTRANSPORT: 'webtransport',
    };
    expect(subresourceTypes(published)).toEqual(['image', 'xmlhttprequest', 'webtransport']);
  });

  it('falls back to the common list without the documents when the browser publishes none', () => {
    const types = subresourceTypes(undefined);
    expect(types).toContain('xmlhttprequest');
    expect(types).toContain('image');
    for (const t of DOCUMENT_TYPES) expect(types).not.toContain(t);
  });
});

describe('SubresourceWatch', () => {
  it('listens to a watched tab only, with its subresource types and the response headers', () => {
    const { event, listeners, fire } = fakeEvent();
    const seen: D[] = [];
    const watch = new SubresourceWatch(
      event,
      ['image', 'xmlhttprequest'],
      (d) => seen.push(d),
      () => 1000,
    );
    expect(watch.since(7)).toBeNull();
    watch.watch(7);
    watch.watch(7); // again: still one listener
    expect(listeners).toHaveLength(1);
    expect(listeners[0]!.filter).toEqual({ urls: ['<all_urls>'], types: ['image', 'xmlhttprequest'], tabId: 7 });
    expect(listeners[0]!.extra).toEqual(['responseHeaders']);
    expect(watch.since(7)).toBe(1000);
    fire({ tabId: 7, url: 'https://a.test/x.png' });
    fire({ tabId: 8, url: 'https://b.test/y.png' });
    expect(seen.map((d) => d.tabId)).toEqual([7]);
  });

  it('stops listening when a tab is unwatched, leaving the other tabs watched', () => {
    const { event, listeners, fire } = fakeEvent();
    const seen: number[] = [];
    const watch = new SubresourceWatch(event, ['image'], (d) => seen.push(d.tabId));
    watch.watch(1);
    watch.watch(2);
    watch.unwatch(1);
    watch.unwatch(1); // twice: harmless
    expect(listeners.map((l) => l.filter.tabId)).toEqual([2]);
    fire({ tabId: 1, url: 'https://a.test/' });
    fire({ tabId: 2, url: 'https://a.test/' });
    expect(seen).toEqual([2]);
    expect(watch.since(1)).toBeNull();
    expect(watch.since(2)).not.toBeNull();
  });

  it('refuses tab ids that are not tabs, and survives a browser that rejects the filter', () => {
    const { event, listeners } = fakeEvent();
    const watch = new SubresourceWatch(event, ['image'], () => {});
    watch.watch(-1);
    watch.watch(1.5);
    expect(listeners).toHaveLength(0);
    const throwing: HeadersEventLike<D> = {
      addListener: () => {
        throw new Error('Invalid value for argument 2');
      },
      removeListener: () => {},
    };
    const w2 = new SubresourceWatch(throwing, ['nonsense'], () => {});
    expect(() => w2.watch(3)).not.toThrow();
    expect(w2.since(3)).toBeNull();
  });

  it('follows the panels: watched while one is open, unwatched when the last closes; the view says since when', async () => {
    const { event, listeners } = fakeEvent();
    const watch = new SubresourceWatch(
      event,
      ['image'],
      () => {},
      () => 4000,
    );
    const views = new TabViews(
      createStores(),
      () => 5000,
      (id) => watch.since(id),
    );
    const panels = new PanelPorts({ opened: (id) => watch.watch(id), closed: (id) => watch.unwatch(id) });
    const port = () => {
      const disconnect: (() => void)[] = [];
      return {
        p: {
          name: 'panel:5',
          postMessage: () => {},
          onDisconnect: { addListener: (cb: () => void) => disconnect.push(cb) },
        } as never,
        close: () => disconnect.forEach((cb) => cb()),
      };
    };
    expect((await views.view(5)).subresourcesSince).toBeNull();
    const a = port();
    const b = port();
    panels.add(5, a.p);
    panels.add(5, b.p);
    expect(panels.has(5)).toBe(true);
    expect(listeners).toHaveLength(1);
    expect((await views.view(5)).subresourcesSince).toBe(4000);
    a.close();
    expect(listeners).toHaveLength(1);
    b.close();
    expect(listeners).toHaveLength(0);
    expect((await views.view(5)).subresourcesSince).toBeNull();
    expect(panels.has(5)).toBe(false);
  });
});
