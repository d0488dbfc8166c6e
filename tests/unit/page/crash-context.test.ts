// @vitest-environment happy-dom
// The page hook's window.crashReport wrapper: the page's calls behave exactly as without it (same return values,
// the same promise object, the same exceptions, arguments converted once), hostile values are bounded and
// scrubbed, and what the calls did folds into the frame's crash context the way Chromium counts it.
/* eslint-disable @typescript-eslint/unbound-method -- spies and the page's originals are passed to expect() or called with an explicit `this` */
import { afterEach, describe, expect, test } from 'vitest';
import { Window as HappyWindow } from 'happy-dom';
import { installPageHook, type HookHandle } from '@/entrypoints/page-hook.content';
import { PAGE_MESSAGE_KEY, parsePageEvents, type HookEvent, type CrashContextCall } from '@/utils/page/events';
import { applyCrashContextCall, crashContextUsed, crashReportApi, emptyCrashContext } from '@/utils/page/crash-context';

type Win = Window & typeof globalThis & Record<string, unknown>;

/**
 * A stand-in for Chromium's CrashReportContext (crash_report_storage.cc): `initialize` resolves later and rejects
 * above 65,536 bytes; `set`/`delete` throw until it resolved; `set` throws when the JSON of all entries exceeds the
 * budget. It records what it received, so the tests can tell what the page's call reached.
 */
function fakeApi(win: Win) {
  const received: unknown[][] = [];
  const promises: Promise<void>[] = [];
  class CrashReportContext {
    #ready = false;
    #length = 0;
    #map = new Map<string, string>();
    initialize(length: unknown): Promise<void> {
      received.push(['initialize', length]);
      const n = Number(length);
      const p =
        n > 65_536
          ? Promise.reject(new win.DOMException('The requested size is too large.', 'NotAllowedError'))
          : new Promise<void>((resolve) => setTimeout(() => ((this.#ready = true), (this.#length = n), resolve()), 0));
      promises.push(p);
      return p;
    }
    set(key: unknown, value: unknown): void {
      const k = String(key);
      const v = String(value);
      received.push(['set', k, v]);
      if (!this.#ready) throw new win.DOMException('CrashReportContext is not initialized.', 'InvalidStateError');
      const next = new Map(this.#map).set(k, v);
      if (new TextEncoder().encode(JSON.stringify(Object.fromEntries(next))).length > this.#length) {
        throw new win.DOMException(
          'The crash report data is too large to be stored in the requested buffer.',
          'NotAllowedError',
        );
      }
      this.#map = next;
    }
    delete(key: unknown): void {
      received.push(['delete', String(key)]);
      if (!this.#ready) throw new win.DOMException('CrashReportContext is not initialized.', 'InvalidStateError');
      this.#map.delete(String(key));
    }
    entries() {
      return Object.fromEntries(this.#map);
    }
  }
  const originals = {
    initialize: CrashReportContext.prototype.initialize,
    set: CrashReportContext.prototype.set,
    delete: CrashReportContext.prototype.delete,
  };
  Object.defineProperty(win, 'CrashReportContext', { value: CrashReportContext, configurable: true, writable: true });
  const api = new CrashReportContext();
  Object.defineProperty(win, 'crashReport', { value: api, configurable: true });
  return { api, received, promises, originals };
}

const windows: HappyWindow[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function setup(withApi = true) {
  const win = new HappyWindow({ url: 'https://shop.example/cart' }) as unknown as Win;
  windows.push(win as unknown as HappyWindow);
  const fake = withApi ? fakeApi(win) : null;
  const posted: { events: HookEvent[] }[] = [];
  const handle = installPageHook(win, {
    post: (m) => posted.push(m as { events: HookEvent[] }),
    flushMs: 10_000,
  }) as HookHandle;
  win.dispatchEvent(
    new win.MessageEvent('message', { data: { [PAGE_MESSAGE_KEY]: 'hello' }, source: win as unknown as Window }),
  );
  const calls = (): CrashContextCall[] => {
    handle.flush();
    return parsePageEvents(posted.flatMap((p) => p.events)).flatMap((e) => (e.kind === 'crash-context' ? [e] : []));
  };
  return { win, fake: fake!, calls };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('the window.crashReport wrapper', () => {
  test('records nothing and adds nothing where the API is absent', () => {
    const { win, calls } = setup(false);
    expect('crashReport' in win).toBe(false);
    expect('CrashReportContext' in win).toBe(false);
    expect(calls()).toEqual([]);
  });

  test("looks like the browser's methods: same name, length and source text", () => {
    const { win, fake } = setup();
    const P = Object.getPrototypeOf(fake.api) as Record<string, (...a: unknown[]) => unknown>;
    for (const op of ['initialize', 'set', 'delete'] as const) {
      expect(P[op]).not.toBe(fake.originals[op]);
      expect(P[op]!.name).toBe(fake.originals[op].name);
      expect(P[op]!.length).toBe(fake.originals[op].length);
      expect(win.Function.prototype.toString.call(P[op])).toBe(
        win.Function.prototype.toString.call(fake.originals[op]),
      );
    }
  });

  test("returns the browser's own promise (no handler attached), the same values and the same exceptions", async () => {
    const { fake, calls } = setup();
    const { api } = fake;
    // Before initialize resolved: the very exception object the browser threw reaches the page.
    let thrown: unknown;
    try {
      api.set('early', '1');
    } catch (e) {
      thrown = e;
    }
    expect((thrown as DOMException).name).toBe('InvalidStateError');

    const p = api.initialize(64);
    expect(p).toBe(fake.promises[0]); // the same object: its timing and rejection handling stay the page's
    await p;
    expect(api.set('route', '/checkout')).toBeUndefined();
    expect(() => api.set('big', 'x'.repeat(100))).toThrow(/too large/);
    expect(api.delete('route')).toBeUndefined();
    // Every call reached the browser once, with the page's arguments.
    expect(fake.received).toEqual([
      ['set', 'early', '1'],
      ['initialize', 64],
      ['set', 'route', '/checkout'],
      ['set', 'big', 'x'.repeat(100)],
      ['delete', 'route'],
    ]);
    expect(api.entries()).toEqual({});

    expect(calls()).toEqual([
      expect.objectContaining({
        op: 'set',
        key: 'early',
        value: '1',
        error: 'InvalidStateError: CrashReportContext is not initialized.',
      }),
      expect.objectContaining({ op: 'initialize', bytes: 64 }),
      expect.objectContaining({ op: 'set', key: 'route', value: '/checkout', size: 19, exact: true }),
      expect.objectContaining({
        op: 'set',
        key: 'big',
        error: expect.stringMatching(/^NotAllowedError: The crash report data is too large/) as unknown,
      }),
      expect.objectContaining({ op: 'delete', key: 'route' }),
    ]);
    for (const c of calls()) expect(c.at).toEqual(expect.any(Number));
  });

  test("a rejected initialize stays the page's to handle: the wrapper adds no handler to it", async () => {
    const { fake, calls } = setup();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const p = fake.api.initialize(70_000);
      expect(p).toBe(fake.promises[0]);
      await tick();
      await tick();
      // Nobody handled it, so the runtime reports it unhandled, as it would without the hook.
      expect(unhandled).toHaveLength(1);
      await p.catch(() => undefined);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(calls()).toEqual([expect.objectContaining({ op: 'initialize', bytes: 70_000 })]);
  });

  test("never converts the page's objects itself: a toString runs once, in the browser's conversion", async () => {
    const { fake, calls } = setup();
    await fake.api.initialize(1000);
    let n = 0;
    const key = { toString: () => (n++, 'k') };
    fake.api.set(key, 'v');
    expect(n).toBe(1);
    let m = 0;
    void fake.api.initialize({ valueOf: () => (m++, 5) });
    expect(m).toBe(1);
    expect(calls().slice(1)).toEqual([
      expect.not.objectContaining({ key: expect.anything() as unknown }),
      expect.objectContaining({ op: 'initialize', bytes: null }),
    ]);
  });

  test("bounds and scrubs hostile values, and measures them on the page's real strings", async () => {
    const { fake, calls } = setup();
    await fake.api.initialize(65_536);
    const huge = 'é'.repeat(20_000);
    fake.api.set('user', 'ann@example.com');
    fake.api.set('k'.repeat(1000), huge);
    const [, user, long] = calls();
    expect(user).toMatchObject({
      key: 'user',
      value: '[email]',
      exact: false,
      size: new TextEncoder().encode('"user":"ann@example.com"').length,
    });
    expect(long!.key!.length).toBeLessThanOrEqual(200);
    expect(long!.value!.length).toBeLessThanOrEqual(500);
    expect(long).toMatchObject({ exact: false, size: 1000 + 2 + 1 + 40_000 + 2 });
  });

  test("a page that replaces the prototype's methods or the API later does not break the hook", async () => {
    const { win, fake, calls } = setup();
    (Object.getPrototypeOf(fake.api) as Record<string, unknown>).set = () => 'page';
    expect(fake.api.set('a', 'b')).toBe('page');
    Object.defineProperty(win, 'crashReport', { value: null });
    expect(calls()).toEqual([]);
  });
});

describe('the crash context as Chromium counts it', () => {
  test('used bytes are the UTF-8 JSON of all entries; a refused set changes nothing; delete removes', () => {
    const at = 1;
    let s = emptyCrashContext(at);
    const set = (key: string, value: string): CrashContextCall => ({
      kind: 'crash-context',
      op: 'set',
      key,
      value,
      exact: true,
      size:
        new TextEncoder().encode(JSON.stringify(key)).length +
        1 +
        new TextEncoder().encode(JSON.stringify(value)).length,
    });
    s = applyCrashContextCall(s, { kind: 'crash-context', op: 'initialize', bytes: 100 }, at);
    expect(s).toMatchObject({ requested: 100, status: 'requested' });
    s = applyCrashContextCall(s, set('route', '/checkout'), at);
    s = applyCrashContextCall(s, set('drink', 'café ☕'), at);
    const map = { route: '/checkout', drink: 'café ☕' };
    expect(crashContextUsed(s.entries)).toBe(new TextEncoder().encode(JSON.stringify(map)).length);
    expect(s.status).toBe('initialized');
    const refused = applyCrashContextCall(s, { ...set('big', 'x'), error: 'NotAllowedError: too large' }, at);
    expect(refused.entries).toEqual(s.entries);
    expect(refused.lastError).toMatchObject({ op: 'set', key: 'big' });
    s = applyCrashContextCall(s, { kind: 'crash-context', op: 'delete', key: 'route' }, at);
    expect(crashReportApi(s.entries)).toEqual({ drink: 'café ☕' });
    // A second initialize keeps the first budget (the browser refuses it); more than 65,536 is rejected.
    expect(applyCrashContextCall(s, { kind: 'crash-context', op: 'initialize', bytes: 5 }, at).requested).toBe(100);
    expect(
      applyCrashContextCall(emptyCrashContext(at), { kind: 'crash-context', op: 'initialize', bytes: 65_537 }, at)
        .status,
    ).toBe('rejected');
  });

  test('crash_report_api lists keys sorted, as the delivered report does, and a hostile key cannot pollute it', () => {
    const entries = [
      { key: 'route', value: '/a' },
      { key: '__proto__', value: 'x' },
      { key: 'cart', value: '1' },
    ];
    const api = crashReportApi(entries);
    expect(Object.keys(api)).toEqual(['__proto__', 'cart', 'route']);
    expect(JSON.stringify(api)).toBe('{"__proto__":"x","cart":"1","route":"/a"}');
    expect(Object.getPrototypeOf(api)).toBe(Object.prototype);
  });

  test("the relay's validation drops malformed calls and bounds the rest", () => {
    const events = parsePageEvents([
      { kind: 'crash-context', op: 'eval', key: 'a' },
      { kind: 'crash-context', op: 'set', key: 5, value: 'x' },
      { kind: 'crash-context', op: 'set', key: 'a'.repeat(10_000), value: 'b'.repeat(10_000), size: -1, exact: true },
      { kind: 'crash-context', op: 'initialize', bytes: 'lots' },
      { kind: 'crash-context', op: 'delete', key: 'x', at: Infinity },
      { kind: 'visibility', state: 'prerender' },
      { kind: 'visibility', state: 'hidden' },
    ]);
    expect(events).toHaveLength(5);
    // A key that is not a string is kept out; the call itself is kept.
    expect(events[0]).toEqual({ kind: 'crash-context', op: 'set' });
    events.shift();
    const long = events[0] as CrashContextCall;
    expect(long.key!.length).toBeLessThanOrEqual(200);
    expect(long.value!.length).toBeLessThanOrEqual(500);
    expect(long.exact).toBe(false);
    expect(long.size).toBeGreaterThan(0);
    expect(events[1]).toEqual({ kind: 'crash-context', op: 'initialize', bytes: null });
    expect(events[2]).toEqual({ kind: 'crash-context', op: 'delete', key: 'x' });
    expect(events[3]).toEqual({ kind: 'visibility', state: 'hidden' });
  });
});
