/**
 * The page hook: runs in the page's own JavaScript world (MAIN) at document_start, records breadcrumbs
 * (clicks, navigation, network, console, uncaught errors), Reporting API reports seen by a
 * `ReportingObserver`, the CrashSense checkpoint and CrashSense uploads, and posts them in batches as
 * namespaced window messages. Nothing else: the relay (ISOLATED world) checks and forwards them. The relay is
 * injected once the page has loaded (or at once while a panel is open): until it says hello, events wait here,
 * bounded.
 *
 * Registered at runtime by the background (`page-hook-registration.ts`) so the settings can turn it off.
 *
 * Rules for every wrapper: the page's own call happens outside any try, with the same `this` and arguments,
 * and its result or exception reaches the page untouched; our recording runs inside try/catch and never
 * throws into the page. Everything is scrubbed of PII before it is posted. Kept small: it is loaded into every
 * frame of every page (budget 4 KB min+gzip).
 */
/* eslint-disable @typescript-eslint/unbound-method -- the page's own functions are kept unbound, before page scripts
   can replace them, and called with the page's `this` (`.call`, `.apply`) */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { scrubValue } from '@/utils/page/scrub';
import { cap, show } from '@/utils/page/hook-text';
import { describeElement, elementPath, type ElementLike } from '@/utils/page/describe-element';
import { CHECKPOINT_KEY, MAX_APP_BODY, mayBeCrashSenseBody } from '@/utils/page/crashsense';
import {
  PAGE_MESSAGE_KEY,
  PAGE_MESSAGE_VERSION,
  RELAY_HELLO,
  type HookEvent,
  type PageMessage,
} from '@/utils/page/events';
import type { AppCrashReport, Breadcrumb, BreadcrumbEntry } from '@/utils/page/types';

export default defineContentScript({
  matches: ['<all_urls>'],
  world: 'MAIN',
  runAt: 'document_start',
  allFrames: true,
  registration: 'runtime',
  main() {
    try {
      installPageHook(window);
    } catch {
      /* a half-installed recorder is better than an error in the page */
    }
  },
});

/** Marks a window whose hook is installed (non-enumerable). */
export const INSTALLED = Symbol.for('report-inspector.page-hook');
/** Events waiting for the next post, at most; older ones are dropped and counted. */
export const MAX_PENDING = 1000;
/** Events per message: at most ~2.5 KB each, so a message stays far below the relay's 256 KB. */
const CHUNK = 64;
const CLICKABLE = 'a,button,input,select,textarea,label,summary,[role=button],[role=link],[onclick]';

export interface HookOptions {
  /** Batch delay (ms). */
  flushMs?: number;
  /** Where batches go (tests); default `window.postMessage(message, '*')`. */
  post?: (message: unknown) => void;
}

export interface HookHandle {
  /** Post what is pending now. */
  flush(): void;
  nonce: string;
}

type Fn = (...args: unknown[]) => unknown;
type Win = Window & typeof globalThis;

/** Install the hook into `win`; null when it is already installed there. */
export function installPageHook(win: Win, opts: HookOptions = {}): HookHandle | null {
  if ((win as unknown as Record<symbol, unknown>)[INSTALLED]) return null;
  Object.defineProperty(win, INSTALLED, { value: true });

  // Captured now, before page scripts can replace them (and so zone.js-style wrappers never see our timers).
  const now = Date.now;
  const perf = win.performance;
  const setT = win.setTimeout.bind(win);
  const listen = win.EventTarget.prototype.addEventListener;
  const post = opts.post ?? ((m: unknown) => win.postMessage(m, '*'));
  const flushMs = opts.flushMs ?? 50;
  const nonce = Math.random().toString(36).slice(2, 12);
  const href = (): string => cap(win.location.href, 2048);

  let queue: HookEvent[] = [];
  let lost = 0;
  let timer = false;
  // Nothing is posted before the relay says it listens: it is injected once the page has loaded.
  let ready = false;
  let checkpoint: HookEvent | null = null;
  let uploads = 0;

  const postEvents = (events: HookEvent[]): void => {
    try {
      post({ [PAGE_MESSAGE_KEY]: 1, v: PAGE_MESSAGE_VERSION, n: nonce, events } satisfies PageMessage);
    } catch {
      /* nothing the page should notice */
    }
  };
  // Messages stay well under the relay's 256 KB bound: breadcrumbs in chunks, a checkpoint or an upload alone.
  const flush = (): void => {
    timer = false;
    if (!ready) return;
    if (lost) {
      queue.push(crumbEvent('custom', `${lost} events dropped (page queue full)`, undefined, 'warn'));
      lost = 0;
    }
    const events = queue;
    queue = [];
    for (let i = 0; i < events.length; i += CHUNK) postEvents(events.slice(i, i + CHUNK));
    if (checkpoint) postEvents([checkpoint]);
    checkpoint = null;
  };
  const schedule = (): void => {
    if (timer) return;
    timer = true;
    setT(flush, flushMs);
  };
  const emit = (ev: HookEvent): void => {
    if (queue.length >= MAX_PENDING) {
      queue.shift();
      lost++;
    }
    queue.push(ev);
    schedule();
  };
  const crumbEvent = (
    type: Breadcrumb['type'],
    message: string,
    data?: Record<string, unknown>,
    level?: BreadcrumbEntry['level'],
  ): HookEvent => {
    const crumb: Breadcrumb = {
      type,
      timestamp: now(),
      message: message.length > 1000 ? message.slice(0, 999) + '…' : message,
    };
    if (data) crumb.data = data;
    return { kind: 'breadcrumb', crumb, level };
  };
  const crumb = (...a: Parameters<typeof crumbEvent>): void => emit(crumbEvent(...a));

  // Wrappers look like the originals to the page: same name and length, no `prototype` (method shorthand), and
  // `Function.prototype.toString` shows the original's source ("[native code]").
  const FP = win.Function.prototype;
  const fts = FP.toString;
  const masks = new WeakMap<object, Fn>();
  const mask = <F extends object>(f: F, orig: Fn): F => {
    masks.set(f, orig);
    for (const k of ['name', 'length'] as const) Object.defineProperty(f, k, { value: orig[k], configurable: true });
    return f;
  };
  FP.toString = mask(
    {
      w(this: unknown) {
        return fts.call(masks.get(this as object) ?? this);
      },
    }.w,
    fts,
  );

  /**
   * Wrap `obj[name]`: `before` runs (guarded) before the original, `after` (guarded) once it returned; the
   * original's result is returned.
   */
  const wrap = (
    obj: object | undefined,
    name: string,
    after: (self: unknown, args: IArguments, result: unknown) => void,
    before?: (self: unknown, args: IArguments) => void,
  ): void => {
    const o = obj as Record<string, unknown> | undefined;
    const orig = o?.[name] as Fn | undefined;
    if (typeof orig !== 'function') return;
    o![name] = mask(
      {
        w(this: unknown) {
          try {
            // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
            before?.(this, arguments);
          } catch {
            /* never reaches the page */
          }
          // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
          const result = orig.apply(this, arguments as unknown as unknown[]);
          try {
            // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
            after(this, arguments, result);
          } catch {
            /* never reaches the page */
          }
          return result;
        },
      }.w,
      orig,
    );
  };

  /** A window listener whose body never throws into the page. */
  const on = (type: string, fn: (e: Event) => void, options?: boolean | AddEventListenerOptions): void =>
    listen.call(
      win,
      type,
      (e: Event) => {
        try {
          fn(e);
        } catch {
          /* ignore */
        }
      },
      options,
    );

  // --- navigation -------------------------------------------------------------------------------------------
  try {
    crumb('navigation', `load ${href()}`, { url: href(), referrer: cap(win.document?.referrer ?? '', 2048) });
  } catch {
    /* ignore */
  }
  for (const m of ['pushState', 'replaceState'])
    wrap(win.History?.prototype, m, () => crumb('navigation', `${m} ${href()}`, { url: href() }));
  for (const t of ['popstate', 'hashchange']) on(t, () => crumb('navigation', `${t} ${href()}`, { url: href() }));

  // --- clicks -------------------------------------------------------------------------------------------------
  on(
    'click',
    (e) => {
      const t = (e.composedPath()[0] ?? e.target) as Element | null;
      if (t?.nodeType !== 1) return;
      const el = (t.closest?.(CLICKABLE) ?? t) as unknown as ElementLike;
      crumb('click', cap(describeElement(el), 1000), { selector: cap(elementPath(el), 1000) });
    },
    { capture: true, passive: true },
  );

  // --- network and CrashSense uploads -------------------------------------------------------------------------
  /** Starts recording a request; returns what to call when it ends (status, or 0 and the error). */
  const request = (transport: AppCrashReport['transport'], method: string, url: string, body: unknown) => {
    const t0 = perf.now();
    const shown = cap(url, 2048);
    let upload: string | undefined;
    // Two `includes` at most per request; the relay parses and recognises (keeps this script small).
    if (typeof body === 'string' && mayBeCrashSenseBody(body)) {
      upload = `${nonce}.${++uploads}`;
      flush();
      // As written: the relay resolves it against the page's URL (keeps this script small).
      emit({ kind: 'app-upload', id: upload, at: now(), transport, destination: shown, body });
      flush(); // alone in its message, and now: it may be the page's last words
    }
    return (status: number, error?: unknown): void => {
      const ms = Math.round(perf.now() - t0);
      const data: Record<string, unknown> = { method, url: shown, status, duration: ms };
      let outcome = `${status}`;
      if (error !== undefined || status === 0) {
        const name = (error as Error | undefined)?.name ?? 'NetworkError';
        const shownError = cap(String(name), 100);
        data.failed = true;
        data.error = shownError;
        if (name === 'AbortError') {
          data.aborted = true;
          outcome = 'aborted';
        } else outcome = `failed (${shownError})`;
      }
      crumb(
        'network',
        `${method} ${shown} → ${outcome} (${ms} ms)`,
        data,
        status >= 400 || data.failed ? 'error' : undefined,
      );
      if (upload) emit({ kind: 'app-report-status', id: upload, status });
    };
  };
  const urlOf = (u: unknown): string =>
    typeof u === 'string' ? u : u instanceof win.URL ? u.href : u instanceof win.Request ? u.url : '';

  const fetch = win.fetch as Fn | undefined;
  if (typeof fetch === 'function') {
    win.fetch = mask(
      {
        w(this: unknown, input: unknown, init?: RequestInit) {
          let end: ReturnType<typeof request> | undefined;
          try {
            const m = init?.method ?? (input instanceof win.Request ? input.method : 'GET');
            end = request('fetch', typeof m === 'string' ? m.toUpperCase() : 'GET', urlOf(input), init?.body);
          } catch {
            /* ignore */
          }
          // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
          const p = fetch.apply(this, arguments as unknown as unknown[]) as Promise<Response>;
          if (!end) return p;
          // A promise that settles exactly like the page's: same Response, same error object. Returning a derived
          // promise (rather than `p` with a handler attached) keeps an unhandled fetch failure unhandled.
          try {
            return p.then(
              (res) => {
                try {
                  end(res.status);
                } catch {
                  /* ignore */
                }
                return res;
              },
              (err: unknown) => {
                try {
                  end(0, err);
                } catch {
                  /* ignore */
                }
                throw err;
              },
            );
          } catch {
            return p;
          }
        },
      }.w,
      fetch,
    );
  }

  const xhrs = new WeakMap<object, [string, string]>();
  const XP = win.XMLHttpRequest?.prototype;
  wrap(XP, 'open', (x, a) =>
    xhrs.set(x as object, [typeof a[0] === 'string' ? a[0].toUpperCase() : 'GET', urlOf(a[1])]),
  );
  const send = XP?.send as Fn | undefined;
  if (send) {
    XP.send = mask(
      {
        w(this: XMLHttpRequest) {
          try {
            const m = xhrs.get(this);
            if (m) {
              // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
              const end = request('xhr', m[0], m[1], arguments[0]);
              const done = (e: Event): void => {
                try {
                  end(
                    this.status,
                    e.type === 'load' ? undefined : { name: e.type === 'abort' ? 'AbortError' : e.type },
                  );
                } catch {
                  /* ignore */
                }
              };
              // Added now, after the page's own listeners: their order is untouched. Exactly one of these fires.
              for (const t of ['load', 'error', 'abort', 'timeout']) listen.call(this, t, done);
            }
          } catch {
            /* ignore */
          }
          // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
          return send.apply(this, arguments as unknown as unknown[]);
        },
      }.w,
      send,
    );
  }

  wrap(win.Navigator?.prototype, 'sendBeacon', (_, a, queued) => {
    const url = urlOf(a[0]);
    // A Blob or FormData body would need an asynchronous read: only string bodies are looked at.
    request('beacon', 'POST', url, a[1]);
    crumb('network', `beacon ${cap(url, 2048)} ${queued ? 'queued' : 'refused'}`, {
      method: 'POST',
      url: cap(url, 2048),
      queued,
    });
  });

  // --- console and uncaught errors ---------------------------------------------------------------------------
  const con = win.console as unknown as Record<string, unknown>;
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const orig = con[level] as Fn | undefined;
    if (typeof orig !== 'function') continue;
    con[level] = mask(
      {
        w(this: unknown) {
          try {
            let text = '';

            for (let i = 0; i < arguments.length && text.length < 1000; i++)
              // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
              text += (i ? ' ' : '') + show(arguments[i]);
            crumb('console', cap(text, 1000), undefined, level);
          } catch {
            /* ignore */
          }
          // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
          return orig.apply(this, arguments as unknown as unknown[]);
        },
      }.w,
      orig,
    );
  }
  on(
    'error',
    (e) => {
      if (!(e instanceof win.ErrorEvent)) return; // resource load errors reach capture listeners too
      crumb(
        'console',
        cap(e.message || 'Script error.', 1000),
        {
          kind: 'error',
          filename: cap(e.filename ?? '', 2048),
          lineno: e.lineno,
          colno: e.colno,
        },
        'error',
      );
    },
    true,
  );
  on('unhandledrejection', (e) =>
    crumb(
      'console',
      cap(`Unhandled rejection: ${show((e as PromiseRejectionEvent).reason)}`, 1000),
      { kind: 'unhandledrejection' },
      'error',
    ),
  );

  // --- Reporting API ------------------------------------------------------------------------------------------
  const RO = (
    win as unknown as { ReportingObserver?: new (cb: (r: Report[]) => void, o: object) => { observe(): void } }
  ).ReportingObserver;
  try {
    new RO!(
      (reports) => {
        try {
          for (const r of reports) {
            const body = (r.body as { toJSON?: () => unknown } | null)?.toJSON?.() ?? {};
            emit({
              kind: 'report',
              report: {
                type: cap(r.type, 100),
                url: cap(r.url, 2048),
                body: scrubValue(body) as Record<string, unknown>,
              },
            });
          }
        } catch {
          /* ignore */
        }
      },
      { buffered: true },
    ).observe();
  } catch {
    /* no ReportingObserver here */
  }

  // --- window.crashReport (CrashReportContext, Chrome 145+) -------------------------------------------------
  // Each call goes to the browser's own method with the same `this` and arguments; its return value (the
  // `initialize` promise itself, untouched: no handler is attached, so its timing and an unhandled rejection stay
  // the page's) or its exception reaches the page as is. What it did is recorded afterwards. Arguments that are
  // objects are not converted here (that would run page code a second time). Sizes count the UTF-8 bytes of
  // the JSON member, as Chromium does (third_party/blink/renderer/core/frame/crash_report_storage.cc
  // CheckSizeAndWriteKey).
  const CRP = (win as unknown as { CrashReportContext?: { prototype: Record<string, unknown> } }).CrashReportContext
    ?.prototype;
  const te = new win.TextEncoder();
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects and functions are left out first
  const prim = (v: unknown): string | null => (typeof v === 'object' || typeof v === 'function' ? null : String(v));
  const size = (s: string): number => te.encode(JSON.stringify(s)).length;
  for (const op of ['initialize', 'set', 'delete'] as const) {
    const orig = CRP?.[op] as Fn | undefined;
    if (typeof orig !== 'function') continue;
    CRP![op] = mask(
      {
        w(this: unknown) {
          // eslint-disable-next-line prefer-rest-params -- passes the page's call on exactly, argument count included (natives check it)
          const a = arguments;
          let error: string | undefined;
          try {
            return orig.apply(this, a as unknown as unknown[]);
          } catch (e) {
            error = e instanceof win.DOMException ? cap(`${e.name}: ${e.message}`, 300) : 'error';
            throw e;
          } finally {
            try {
              const k = prim(a[0]);
              const v = prim(a[1]);
              const ev = { kind: 'crash-context', op, error, at: now() } as HookEvent & Record<string, unknown>;
              if (op === 'initialize') ev.bytes = typeof a[0] === 'number' ? a[0] : null;
              else if (k !== null) {
                ev.key = cap(k, 200);
                if (op === 'set' && v !== null) {
                  ev.value = cap(v, 500);
                  ev.size = size(k) + 1 + size(v);
                  ev.exact = ev.key === k && ev.value === v;
                }
              }
              emit(ev);
            } catch {
              /* never reaches the page */
            }
          }
        },
      }.w,
      orig,
    );
  }

  // --- CrashSense checkpoint ----------------------------------------------------------------------------------
  // The first touch of sessionStorage makes the page wait for the browser (a trace of a page load showed ~1 ms and
  // more), which a page that never uses it should not pay for: the checkpoint the previous page left is read after
  // `load`, or earlier, right before the page first writes the key (the value it replaces is the one from load).
  const SP = win.Storage?.prototype;
  if (SP) {
    const get = SP.getItem;
    let store: Storage | null | undefined;
    const ours = (self: unknown): boolean => {
      if (store === undefined) {
        try {
          store = win.sessionStorage; // throws in sandboxed frames
        } catch {
          store = null;
        }
      }
      return !!store && self === store;
    };
    const saw = (raw: string | null, atLoad: boolean): void => {
      // Longer ones are not sent (CrashSense writes a few KB; the relay bounds messages): the upload bound serves.
      if (raw && raw.length > MAX_APP_BODY) return;
      const ev: HookEvent = { kind: 'checkpoint', raw, atLoad };
      // Only the last pending update matters: CrashSense rewrites the whole checkpoint every few seconds.
      if (atLoad) emit(ev);
      else {
        checkpoint = ev;
        schedule();
      }
    };
    let loaded = false;
    const atLoad = (): void => {
      if (loaded) return;
      loaded = true;
      ours(null); // looks the store up
      if (!store) return;
      const raw = get.call(store, CHECKPOINT_KEY);
      if (raw !== null) saw(raw, true);
    };
    on('load', () =>
      setT(() => {
        try {
          atLoad();
        } catch {
          /* ignore */
        }
      }, 0),
    );
    const first = (self: unknown, a: IArguments): void => void (a[0] === CHECKPOINT_KEY && ours(self) && atLoad());
    wrap(
      SP,
      'setItem',
      (self, a) => a[0] === CHECKPOINT_KEY && ours(self) && saw(get.call(store!, CHECKPOINT_KEY), false),
      first,
    );
    wrap(SP, 'removeItem', (self, a) => a[0] === CHECKPOINT_KEY && ours(self) && saw(null, false), first);
  }

  // The page's visibility, which a crash report carries as `visibility_state` (until it changes, the background
  // takes the tab's).
  on('visibilitychange', () =>
    emit({ kind: 'visibility', state: win.document.visibilityState === 'visible' ? 'visible' : 'hidden' }),
  );
  on('pagehide', flush, true);
  // The relay's hello: what waited goes out, led by a message that carries the nonce (the relay learns it from
  // the first message after its hello; this listener was registered before any page script could add one).
  on(
    'message',
    (e) => {
      if (
        (e as MessageEvent).source === win &&
        (e as MessageEvent<Record<string, unknown> | null>).data?.[PAGE_MESSAGE_KEY] === RELAY_HELLO
      ) {
        ready = true;
        postEvents([]);
        flush();
      }
    },
    true,
  );
  return { flush, nonce };
}
