/**
 * The real `Transport` of the panel and the popup, over an extension `runtime` passed in (so tests hand it a
 * fake). One-shot requests go through `sendMessage`; a tab's live view comes on the port `panel:<tabId>`.
 *
 * An MV3 service worker is stopped when idle and every port is then disconnected; the subscription reconnects
 * with backoff, which wakes the worker and re-subscribes (the background pushes the view again on connect).
 * React DevTools does the same for the same reason (main/index.js, "service worker dies").
 */
import type { PanelPush, PayloadOf, ReplyOf, RequestName, Transport } from './protocol';
import { panelPortName, request } from './protocol';
import type { TabView } from '@/utils/tab/types';

export interface EventLike<F> {
  addListener(cb: F): void;
  removeListener(cb: F): void;
}

/** The part of `runtime.Port` used here. */
export interface PortLike {
  onMessage: EventLike<(message: unknown) => void>;
  onDisconnect: EventLike<(port: unknown) => void>;
  disconnect(): void;
}

/** The part of `browser.runtime` used here. */
export interface RuntimeLike {
  sendMessage(message: unknown): Promise<unknown>;
  connect(info: { name: string }): PortLike;
}

export interface RuntimeTransportOptions {
  /** Delays before successive reconnection attempts; the last one repeats. */
  backoffMs?: readonly number[];
  /** How often a request is retried while the background is starting ("Receiving end does not exist"). */
  sendRetries?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

const DEFAULT_BACKOFF_MS: readonly number[] = [100, 250, 500, 1000, 2000, 5000];

const TRANSIENT = /receiving end does not exist|could not establish connection|message port closed|no reply/i;

function isPush(message: unknown): message is PanelPush {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  return m.type === 'view' && typeof m.view === 'object' && m.view !== null;
}

/** A reply of the form `{ error: "..." }` (optionally with `ok: false`): the background refused the request. */
function errorOf(reply: unknown): string | null {
  if (typeof reply !== 'object' || reply === null) return null;
  const r = reply as Record<string, unknown>;
  const keys = Object.keys(r).filter((k) => k !== 'ok');
  return keys.length === 1 && typeof r.error === 'string' ? r.error : null;
}

/** A `Transport` over `runtime.sendMessage` and `runtime.connect`. */
export function createRuntimeTransport(runtime: RuntimeLike, options: RuntimeTransportOptions = {}): Transport {
  const backoff = options.backoffMs?.length ? options.backoffMs : DEFAULT_BACKOFF_MS;
  const retries = options.sendRetries ?? 3;
  const setTimer = options.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const delayOf = (attempt: number): number => backoff[Math.min(attempt, backoff.length - 1)] ?? 1000;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimer(resolve, ms));

  async function send<K extends RequestName>(name: K, payload: PayloadOf<K>): Promise<ReplyOf<K>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const reply = await runtime.sendMessage(request(name, payload));
        if (reply === undefined) throw new Error(`No reply to ${name} from the background`);
        const error = errorOf(reply);
        if (error !== null) throw new Error(error);
        // The background answers a request with its handler's reply or `{ error }` (refused above): the handler map
        // types that reply, the one place where the wire's `unknown` becomes it.
        return reply as ReplyOf<K>;
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (attempt < retries && TRANSIENT.test(message)) {
          await sleep(delayOf(attempt));
          continue;
        }
        throw e instanceof Error ? e : new Error(message);
      }
    }
  }

  function subscribe(
    tabId: number,
    onView: (view: TabView) => void,
    onStatus?: (status: 'connected' | 'reconnecting') => void,
  ): () => void {
    let port: PortLike | null = null;
    let timer: unknown = null;
    let attempt = 0;
    let closed = false;
    let status: 'connected' | 'reconnecting' | null = null;

    const setStatus = (s: 'connected' | 'reconnecting') => {
      if (status === s) return;
      status = s;
      onStatus?.(s);
    };

    const onMessage = (message: unknown) => {
      if (closed || !isPush(message)) return;
      attempt = 0; // a push proves the connection works: the next drop starts the backoff afresh
      setStatus('connected');
      onView(message.view);
    };

    const onDisconnect = () => {
      detach();
      if (closed) return;
      setStatus('reconnecting');
      schedule();
    };

    function detach() {
      if (!port) return;
      port.onMessage.removeListener(onMessage);
      port.onDisconnect.removeListener(onDisconnect);
      port = null;
    }

    function schedule() {
      if (closed || timer !== null) return;
      const ms = delayOf(attempt++);
      timer = setTimer(() => {
        timer = null;
        connect();
      }, ms);
    }

    function connect() {
      if (closed) return;
      try {
        const p = runtime.connect({ name: panelPortName(tabId) });
        port = p;
        p.onMessage.addListener(onMessage);
        p.onDisconnect.addListener(onDisconnect);
      } catch {
        // "Extension context invalidated" after an update, or the runtime is not ready yet: try again later.
        detach();
        setStatus('reconnecting');
        schedule();
      }
    }

    connect();
    return () => {
      closed = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      const p = port;
      detach();
      try {
        p?.disconnect();
      } catch {
        /* already gone */
      }
    };
  }

  return { send, subscribe };
}
