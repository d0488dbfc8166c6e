// The page sees no difference with the hook installed: one script exercises fetch, XMLHttpRequest, console,
// history, error events and the wrapped functions' own properties, once with the hook and once on the same page
// with the hook turned off for the site (settings, then a reload); both runs must give the same results.
import type { Page, Worker } from '@playwright/test';
import { test, expect } from './fixtures';

const HOOK = 'report-inspector.page-hook';

/** Runs in the page; returns what a page could observe, as JSON-able values (no timings). */
async function observe(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async () => {
    const out: Record<string, unknown> = {};
    const errorOf = (e: unknown) =>
      e instanceof Error ? { ctor: e.constructor.name, name: e.name, message: e.message } : { value: String(e) };
    const settle = async (f: () => unknown) => {
      let sync = true;
      try {
        const p = f();
        sync = false;
        return { ok: await p };
      } catch (e) {
        return { sync, error: errorOf(e) };
      }
    };

    // --- fetch ---------------------------------------------------------------------------------------------
    const r = await fetch('/api/echo?a=1');
    out.fetch = {
      status: r.status,
      ok: r.ok,
      type: r.type,
      url: r.url,
      body: (await r.json()) as unknown,
      isResponse: r instanceof Response,
    };
    const s = await fetch(new Request('/api/echo?stream=1', { method: 'GET' }));
    const reader = s.body!.getReader();
    const chunks: number[] = [];
    let text = '';
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value.byteLength);
      text += dec.decode(value, { stream: true });
    }
    out.stream = { text, total: chunks.reduce((a, b) => a + b, 0), readable: chunks.length > 0 };
    const c1 = new AbortController();
    const aborted = fetch('/api/slow?ms=2000', { signal: c1.signal });
    c1.abort();
    out.abort = await settle(() => aborted);
    const reason = { why: 'mine' };
    const c2 = new AbortController();
    const aborted2 = fetch('/api/slow?ms=2000', { signal: c2.signal });
    c2.abort(reason);
    out.abortReasonIdentity = await aborted2.then(
      () => 'resolved',
      (e: unknown) => e === reason,
    );
    out.netError = await settle(() => fetch('https://127.0.0.1:1/nothing'));
    out.status500 = (await fetch('/api/status/500')).status;
    // `this`: unbound and window work, anything else is refused the same way.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called unbound on purpose: the recorder's fetch wrapper must keep native fetch's `this` rules
    const f = window.fetch;
    out.fetchUnbound = (await f('/api/echo?u=1')).status;
    out.fetchWindow = (await f.call(window, '/api/echo?w=1')).status;
    out.fetchWrongThis = await settle(() => f.call({}, '/api/echo'));
    out.fetchNoArgs = await settle(() => (f as () => Promise<Response>)());
    out.fetchProps = {
      toString: fetch.toString(),
      name: fetch.name,
      length: fetch.length,
      prototype: 'prototype' in fetch,
      keys: Object.getOwnPropertyNames(fetch).sort(),
      same: window.fetch === fetch,
      viaPrototype: Function.prototype.toString.call(fetch),
      fnToString: [
        Function.prototype.toString.toString(),
        Function.prototype.toString.name,
        Function.prototype.toString.length,
      ],
      wrongToString: (() => {
        try {
          return Function.prototype.toString.call({});
        } catch (e) {
          return errorOf(e);
        }
      })(),
      logSource: console.log.toString(),
      pushSource: history.pushState.toString(),
    };

    // --- XMLHttpRequest --------------------------------------------------------------------------------------
    const xhrRun = (url: string, abort = false) =>
      new Promise<string[]>((resolve) => {
        const x = new XMLHttpRequest();
        const log: string[] = [];
        for (const t of ['readystatechange', 'loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend']) {
          x.addEventListener(t, () => {
            log.push(`${t}:${x.readyState}:${x.status}`);
            if (t === 'loadend') resolve(log);
          });
        }
        x.onload = () => log.push(`onload:${x.responseText.length}`);
        x.open('GET', url);
        log.push(`send:${String(x.send())}`);
        if (abort) x.abort();
      });
    out.xhr = await xhrRun('/api/echo?x=1');
    out.xhrAbort = await xhrRun('/api/slow?ms=2000', true);
    out.xhrWrongThis = await settle(() => XMLHttpRequest.prototype.send.call({}));
    out.xhrProps = {
      open: XMLHttpRequest.prototype.open.name,
      send: XMLHttpRequest.prototype.send.name,
      length: XMLHttpRequest.prototype.open.length,
    };

    // --- console ---------------------------------------------------------------------------------------------
    const weird = {
      get boom() {
        throw new Error('getter ran');
      },
    };
    out.console = ['log', 'info', 'warn', 'error', 'debug'].map((l) => {
      const fn = (console as unknown as Record<string, (...a: unknown[]) => unknown>)[l]!;
      try {
        return {
          ret: fn.call(console, 'x', weird, Symbol('s'), null, 1n),
          unbound: fn('y'),
          name: fn.name,
          length: fn.length,
        };
      } catch (e) {
        return { threw: errorOf(e) };
      }
    });

    // --- history ---------------------------------------------------------------------------------------------
    const start = location.href;
    out.history = {
      push: history.pushState({ step: 1, nested: { a: [1] } }, '', '?step=1'),
      stateAfterPush: history.state as unknown,
      hrefAfterPush: location.href.replace(start.split('?')[0]!, ''),
      replace: history.replaceState({ step: 2 }, '', '?step=2'),
      stateAfterReplace: history.state as unknown,
      hrefAfterReplace: location.href.replace(start.split('?')[0]!, ''),
      length: history.length > 0,
      wrongThis: (() => {
        try {
          History.prototype.pushState.call({}, null, '');
          return 'no error';
        } catch (e) {
          return errorOf(e);
        }
      })(),
      names: [history.pushState.name, history.replaceState.name, history.pushState.length],
      unclonable: (() => {
        try {
          history.pushState({ f: () => 1 }, '');
          return 'no error';
        } catch (e) {
          return errorOf(e);
        }
      })(),
    };
    history.replaceState(null, '', start);

    // --- errors ----------------------------------------------------------------------------------------------
    const thrown = new RangeError('from a timer');
    out.onerror = await new Promise((resolve) => {
      const prev = window.onerror;
      window.onerror = (message, source, lineno, colno, error) => {
        window.onerror = prev;
        resolve({ message, source, lineno: typeof lineno, colno: typeof colno, identity: error === thrown });
        return true; // handled: the console stays quiet
      };
      setTimeout(() => {
        throw thrown;
      });
    });
    const why = { reason: 'mine' };
    out.unhandled = await new Promise((resolve) => {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a page may reject with any value; the recorder must pass a non-Error reason through untouched
      const p = Promise.reject(why);
      addEventListener(
        'unhandledrejection',
        (e) => {
          e.preventDefault();
          resolve({ reason: e.reason === why, promise: e.promise === p, cancelable: e.cancelable });
        },
        { once: true },
      );
    });
    out.errorListenerCount = typeof window.onerror;
    return out;
  });
}

async function setSites(worker: Worker, sites: string[]): Promise<void> {
  await worker.evaluate(
    (s) =>
      (
        globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }
      ).chrome.storage.local.set({
        settings: { hookEnabled: true, disabledSites: s, breadcrumbBuffer: 500 },
      }),
    sites,
  );
  await expect
    .poll(() =>
      worker.evaluate(async () => {
        const api = (
          globalThis as unknown as {
            chrome: { scripting: { getRegisteredContentScripts(): Promise<{ excludeMatches?: string[] }[]> } };
          }
        ).chrome;
        const [r] = await api.scripting.getRegisteredContentScripts();
        return r ? (r.excludeMatches ?? []).length : -1;
      }),
    )
    .toBe(sites.length * 2 - sites.filter((h) => /^[\d.]+$/.test(h)).length);
}

test('the page behaves the same with and without the hook', async ({ page, demo, serviceWorker }) => {
  const url = `${demo.origin}/breadcrumbs`;
  await page.goto(url);
  await page.reload();
  await expect.poll(() => page.evaluate((k) => Symbol.for(k) in window, HOOK)).toBe(true);
  const hooked = await observe(page);

  await setSites(serviceWorker, [new URL(demo.origin).hostname]);
  try {
    await page.reload();
    expect(await page.evaluate((k) => Symbol.for(k) in window, HOOK)).toBe(false);
    const plain = await observe(page);
    expect(hooked).toEqual(plain);
    // Spot checks that the comparison compared something.
    expect(plain.abort).toEqual({
      sync: false,
      error: { ctor: 'DOMException', name: 'AbortError', message: expect.any(String) },
    });
    expect(plain.abortReasonIdentity).toBe(true);
    expect((plain.xhr as string[]).at(-1)).toMatch(/^loadend:4:200$/);
    expect(plain.onerror).toMatchObject({ identity: true });
    expect(plain.unhandled).toEqual({ reason: true, promise: true, cancelable: true });
    expect(plain.fetchProps).toMatchObject({
      toString: 'function fetch() { [native code] }',
      name: 'fetch',
      length: 1,
      prototype: false,
    });
  } finally {
    await setSites(serviceWorker, []);
  }
});
