import { describe, expect, it, vi } from 'vitest';
import { withEarlySubscription } from '@/utils/messaging/early-subscription';
import type { Transport } from '@/utils/messaging/protocol';
import type { TabView } from '@/utils/tab/types';
import { configuredView, emptyView } from '../../fixtures/views';

/** A transport whose one subscription the test drives. */
function fake() {
  const subs: { tabId: number; onView: (v: TabView) => void; onStatus?: (s: 'connected' | 'reconnecting') => void }[] =
    [];
  const unsubscribe = vi.fn();
  const send = vi.fn(async () => emptyView as never);
  const transport: Transport = {
    send,
    subscribe(tabId, onView, onStatus) {
      subs.push({ tabId, onView, onStatus });
      return unsubscribe;
    },
  };
  return { transport, subs, unsubscribe, send };
}

describe('early subscription', () => {
  it('subscribes at once and hands what arrived to the first subscriber of that tab', () => {
    const f = fake();
    const t = withEarlySubscription(f.transport, 42);
    expect(f.subs.map((s) => s.tabId)).toEqual([42]);
    expect(f.send).not.toHaveBeenCalled();
    f.subs[0]!.onStatus?.('reconnecting');
    f.subs[0]!.onView(emptyView);
    f.subs[0]!.onView(configuredView);
    const views: TabView[] = [];
    const statuses: string[] = [];
    const stop = t.subscribe(
      42,
      (v) => views.push(v),
      (s) => statuses.push(s),
    );
    // The newest view and status, not every one that came before.
    expect(views).toEqual([configuredView]);
    expect(statuses).toEqual(['reconnecting']);
    f.subs[0]!.onView(emptyView);
    expect(views).toEqual([configuredView, emptyView]);
    expect(f.subs).toHaveLength(1);
    stop();
    expect(f.unsubscribe).toHaveBeenCalledTimes(1);
    f.subs[0]!.onView(configuredView);
    expect(views).toHaveLength(2);
  });

  it('lets later subscriptions and requests go to the transport', async () => {
    const f = fake();
    const t = withEarlySubscription(f.transport, 42);
    t.subscribe(42, () => undefined)();
    t.subscribe(42, () => undefined);
    t.subscribe(7, () => undefined);
    expect(f.subs.map((s) => s.tabId)).toEqual([42, 42, 7]);
    await t.send('getTabView', { tabId: 42 });
    expect(f.send).toHaveBeenCalledWith('getTabView', { tabId: 42 });
  });

  it('leaves a failing subscription to the app, which meets the error itself', () => {
    const transport: Transport = {
      send: vi.fn(),
      subscribe: vi.fn(() => {
        throw new Error('Extension context invalidated.');
      }),
    };
    const t = withEarlySubscription(transport, 42);
    expect(() => t.subscribe(42, () => undefined)).toThrow('Extension context invalidated.');
  });
});
