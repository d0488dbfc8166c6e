import { describe, expect, it, vi } from 'vitest';
import { createRuntimeTransport } from '@/utils/messaging/runtime-transport';
import type { PortLike, RuntimeLike } from '@/utils/messaging/runtime-transport';
import { NAMESPACE, tabIdParam } from '@/utils/messaging/protocol';
import { configuredView, emptyView } from '../../fixtures/views';

class FakeEvent<F extends (...a: never[]) => void> {
  listeners = new Set<F>();
  addListener(f: F) {
    this.listeners.add(f);
  }
  removeListener(f: F) {
    this.listeners.delete(f);
  }
  emit(...args: Parameters<F>) {
    for (const f of [...this.listeners]) f(...args);
  }
}

class FakePort implements PortLike {
  onMessage = new FakeEvent<(m: unknown) => void>();
  onDisconnect = new FakeEvent<(p: unknown) => void>();
  disconnected = false;
  constructor(public name: string) {}
  disconnect() {
    this.disconnected = true;
  }
}

/** A runtime whose ports can be dropped (the service worker stopped) and whose connects can fail. */
class FakeRuntime implements RuntimeLike {
  ports: FakePort[] = [];
  failConnects = 0;
  replies: unknown[] = [];
  sent: unknown[] = [];
  async sendMessage(message: unknown) {
    this.sent.push(message);
    const r = this.replies.shift();
    if (r instanceof Error) throw r;
    return r;
  }
  connect({ name }: { name: string }) {
    if (this.failConnects > 0) {
      this.failConnects--;
      throw new Error('Extension context invalidated.');
    }
    const p = new FakePort(name);
    this.ports.push(p);
    return p;
  }
  get last() {
    return this.ports[this.ports.length - 1]!;
  }
}

/** Timers run only when the test says so, so the backoff is observable. */
function fakeTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  return {
    pending,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      pending.push(t);
      return t;
    },
    clearTimer: (h: unknown) => {
      const i = pending.indexOf(h as (typeof pending)[number]);
      if (i >= 0) pending.splice(i, 1);
    },
    runNext() {
      const t = pending.shift();
      t?.fn();
      return t?.ms;
    },
  };
}

describe('runtime transport', () => {
  it('subscribes on the panel port of the tab and delivers pushed views', () => {
    const rt = new FakeRuntime();
    const timers = fakeTimers();
    const t = createRuntimeTransport(rt, timers);
    const onView = vi.fn();
    const onStatus = vi.fn();
    t.subscribe(42, onView, onStatus);
    expect(rt.last.name).toBe('panel:42');
    rt.last.onMessage.emit({ type: 'view', view: configuredView });
    rt.last.onMessage.emit({ type: 'something-else' });
    expect(onView).toHaveBeenCalledTimes(1);
    expect(onView).toHaveBeenCalledWith(configuredView);
    expect(onStatus).toHaveBeenLastCalledWith('connected');
  });

  it('reconnects with backoff when the port drops, and re-subscribes', () => {
    const rt = new FakeRuntime();
    const timers = fakeTimers();
    const t = createRuntimeTransport(rt, { ...timers, backoffMs: [10, 20, 40] });
    const onView = vi.fn();
    const statuses: string[] = [];
    t.subscribe(7, onView, (s) => statuses.push(s));
    rt.last.onMessage.emit({ type: 'view', view: emptyView });

    // The service worker stops: the port disconnects.
    rt.last.onDisconnect.emit(rt.last);
    expect(statuses).toEqual(['connected', 'reconnecting']);
    expect(timers.pending.map((p) => p.ms)).toEqual([10]);

    // The first reconnect fails outright, the second gets a port that drops before any push.
    rt.failConnects = 1;
    expect(timers.runNext()).toBe(10);
    expect(timers.pending.map((p) => p.ms)).toEqual([20]);
    expect(timers.runNext()).toBe(20);
    expect(rt.ports).toHaveLength(2);
    rt.last.onDisconnect.emit(rt.last);
    expect(timers.pending.map((p) => p.ms)).toEqual([40]);
    timers.runNext();
    expect(rt.ports).toHaveLength(3);
    expect(rt.last.name).toBe('panel:7');

    // The background pushes the view again on connect: connected, and the backoff starts afresh.
    rt.last.onMessage.emit({ type: 'view', view: configuredView });
    expect(statuses).toEqual(['connected', 'reconnecting', 'connected']);
    expect(onView).toHaveBeenLastCalledWith(configuredView);
    rt.last.onDisconnect.emit(rt.last);
    expect(timers.pending.map((p) => p.ms)).toEqual([10]);
  });

  it('stops reconnecting and disconnects after unsubscribe', () => {
    const rt = new FakeRuntime();
    const timers = fakeTimers();
    const t = createRuntimeTransport(rt, timers);
    const onView = vi.fn();
    const off = t.subscribe(1, onView);
    const port = rt.last;
    off();
    expect(port.disconnected).toBe(true);
    port.onMessage.emit({ type: 'view', view: emptyView });
    expect(onView).not.toHaveBeenCalled();

    const off2 = t.subscribe(1, onView);
    rt.last.onDisconnect.emit(rt.last);
    expect(timers.pending).toHaveLength(1);
    off2();
    expect(timers.pending).toHaveLength(0);
  });

  it('sends namespaced requests and returns replies', async () => {
    const rt = new FakeRuntime();
    rt.replies.push({ ok: true });
    const t = createRuntimeTransport(rt, fakeTimers());
    await expect(t.send('clearTabData', { tabId: 3, what: 'breadcrumbs' })).resolves.toEqual({ ok: true });
    expect(rt.sent[0]).toEqual({ ns: NAMESPACE, name: 'clearTabData', payload: { tabId: 3, what: 'breadcrumbs' } });
  });

  it('retries while the background is starting, then gives up with the error', async () => {
    const rt = new FakeRuntime();
    rt.replies.push(new Error('Could not establish connection. Receiving end does not exist.'), configuredView);
    const t = createRuntimeTransport(rt, { backoffMs: [1], sendRetries: 2 });
    await expect(t.send('getTabView', { tabId: 42 })).resolves.toBe(configuredView);

    rt.replies.push(new Error('boom'));
    await expect(t.send('getTabView', { tabId: 42 })).rejects.toThrow('boom');

    rt.replies.push({ error: 'unknown tab' });
    await expect(t.send('getTabView', { tabId: 42 })).rejects.toThrow('unknown tab');

    rt.replies.push(undefined, undefined, undefined);
    await expect(t.send('getTabView', { tabId: 42 })).rejects.toThrow(/No reply/);
  });
});

describe('the tab a page is opened for (?tabId=N)', () => {
  it('is a run of digits within the safe integers, else none', () => {
    expect(tabIdParam('42')).toBe(42);
    expect(tabIdParam('0')).toBe(0);
    for (const raw of [null, '', '-1', '1e3', '4.2', ' 42', '0x2a', '99999999999999999999'])
      expect(tabIdParam(raw), String(raw)).toBeNull();
  });
});
