/**
 * The page relay's logic, apart from the content script that wires it to `window` and `browser` (so tests
 * drive it with fakes). Everything it receives is untrusted: the hook's window messages can be forged by the
 * page, so the relay checks the shape, bounds sizes and rates, validates every event, batches, and forwards.
 *
 * Validated once, in full, by the background (`parsePageEvents`, the trust boundary). Here a breadcrumb already
 * in the exact shape the background keeps (what the hook posts: known type, finite timestamp, a message within
 * its cap, JSON-plain `data` within its cap) is forwarded as it came, without a bounded copy
 * ({@link plainBreadcrumb}); anything else goes through `expandHookEvent`/`parsePageEvent`, which bound it. The
 * message's size is summed from the same walk instead of a `JSON.stringify` of the whole message: the two were
 * most of the relay's time per event (bench/profile.mjs).
 */
import type { PageEvent } from './events';
import { expandHookEvent, isPageMessage, plainBreadcrumb } from './events';
import { jsonSize } from './untrusted';
import { isBatchReply } from '@/utils/messaging/protocol';

export { plainBreadcrumb, plainSize } from './events';

export const RELAY_LIMITS = {
  /** Messages whose JSON is larger are ignored whole. */
  maxMessageChars: 256 * 1024,
  /** Events in one message, at most (more: ignored whole). */
  maxEventsPerMessage: 1000,
  /** Token bucket: sustained events per second and burst. */
  ratePerSecond: 200,
  burst: 500,
  /**
   * Batch delay and size towards the background. The first event after a quiet spell waits `batchMs`; while a page
   * keeps sending, each next delay doubles up to `busyBatchMs` (a busy page sends a few batches a second, not ten).
   * Error-level and crash-relevant events never wait longer than `batchMs`. A batch counts as following the last
   * one when it comes less than `quietMs` after it.
   */
  batchMs: 100,
  busyBatchMs: 800,
  quietMs: 1000,
  maxBatch: 250,
  /** Events waiting (e.g. while the settings load), at most; older ones are dropped and counted. */
  maxQueue: 2000,
  /**
   * Delays before each retry: a worker stopped while a send is in flight can take over a second to be started
   * again, and one retry after 250 ms lost a batch now and then under repeated stops.
   */
  retryDelaysMs: [250, 1000, 3000],
} as const;

export interface RelayDeps {
  /**
   * Send one batch to the background (`runtime.sendMessage(request('pageEvents', { events, batch }))`); a retry
   * sends the same `batch` name, so the background applies it once.
   */
  send(events: PageEvent[], batch: string): Promise<unknown>;
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  /** The frame's URL, to resolve the destinations of uploads the page made with relative URLs. */
  baseUrl?(): string;
}

export interface RelayStats {
  accepted: number;
  /** Messages ignored: wrong source, not ours, another nonce, too large. */
  ignoredMessages: number;
  invalidEvents: number;
  rateDropped: number;
  queueDropped: number;
  /** Events lost because the background could not be reached twice in a row. */
  sendLost: number;
}

/** A token bucket: `take()` is true while the rate allows one more event. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface Relay {
  /** A window message: `fromOwnWindow` is `event.source === window`. Returns the events queued. */
  onMessage(data: unknown, fromOwnWindow: boolean): number;
  /** The settings' verdict for this document; `null` while unknown (events wait, bounded). */
  setEnabled(enabled: boolean | null): void;
  /**
   * Send what is queued now (page hide). A batch waiting to be retried is resent at once: the document is going
   * away, and its timers with it (the background applies a batch name once, so the resend is safe).
   */
  flush(): Promise<void>;
  readonly stats: Readonly<RelayStats>;
}

/**
 * Events that do not wait for a busy page's longer batch delay: errors, and what a crash report is made of (the
 * app's checkpoint and reports, crash context); a renderer crash loses what the relay still holds.
 */
function isUrgent(ev: PageEvent): boolean {
  if (ev.kind === 'breadcrumb') return ev.level === 'error';
  return ev.kind !== 'visibility';
}

/** A synthetic breadcrumb that tells the timeline what the relay had to drop. */
function notice(message: string, now: number): PageEvent {
  return { kind: 'breadcrumb', crumb: { type: 'custom', timestamp: now, message }, level: 'warn' };
}

export function createRelay(deps: RelayDeps): Relay {
  const stats: RelayStats = {
    accepted: 0,
    ignoredMessages: 0,
    invalidEvents: 0,
    rateDropped: 0,
    queueDropped: 0,
    sendLost: 0,
  };
  const bucket = new TokenBucket(RELAY_LIMITS.ratePerSecond, RELAY_LIMITS.burst, deps.now());
  let enabled: boolean | null = null;
  let nonce: string | null = null;
  let queue: PageEvent[] = [];
  let sending = false;
  // Counts not yet told to the background.
  let untoldRate = 0;
  let untoldLost = 0;
  let untoldQueue = 0;

  /** When the pending batch timer fires (Infinity: none), and the delay it was set with. */
  let dueAt = Infinity;
  let lastDelay: number = RELAY_LIMITS.batchMs;
  let lastSentAt = -Infinity;
  /** Sets the batch timer; `urgent` (an error, a crash-relevant event) brings a later one forward to `batchMs`. */
  const schedule = (urgent = false): void => {
    if (enabled !== true) return;
    const now = deps.now();
    const busy = now - lastSentAt < RELAY_LIMITS.quietMs;
    const delay = urgent || !busy ? RELAY_LIMITS.batchMs : Math.min(RELAY_LIMITS.busyBatchMs, lastDelay * 2);
    if (now + delay >= dueAt) return;
    const at = (dueAt = now + delay);
    lastDelay = delay;
    // A timer that was brought forward still fires later: it finds `dueAt` changed and does nothing.
    deps.setTimeout(() => {
      if (dueAt !== at) return;
      dueAt = Infinity;
      void flush();
    }, delay);
  };

  const batchPrefix = Math.random().toString(36).slice(2, 12);
  let batchCount = 0;
  /** Ends the wait before the next retry, when one is pending. */
  let retryNow: (() => void) | null = null;
  /** The batch being sent and not yet acknowledged. */
  let inflight: { events: PageEvent[]; batch: string } | null = null;
  const sendWithRetry = async (events: PageEvent[]): Promise<boolean> => {
    const batch = `${batchPrefix}.${++batchCount}`;
    for (let attempt = 0; ; attempt++) {
      try {
        inflight = { events, batch };
        // Only `{ accepted }` is success. No reply is not: webextension-polyfill resolves with undefined when "the
        // message port closed before a response was received", which is what a worker stopped mid-request looks
        // like; nor is `{ error }` (e.g. storage failing while the worker stops).
        const reply = (await deps.send(events, batch)) as { accepted?: unknown } | undefined;
        if (typeof reply?.accepted !== 'number') throw new Error('not accepted');
        inflight = null;
        return true;
      } catch {
        inflight = null;
        const delay = RELAY_LIMITS.retryDelaysMs[attempt];
        if (delay === undefined) return false;
        await new Promise<void>((resolve) => {
          retryNow = resolve;
          deps.setTimeout(resolve, delay);
        });
        retryNow = null;
      }
    }
  };

  const flush = async (): Promise<void> => {
    // Page hide while a batch is on its way: a worker stopping now would drop it, and nothing of this document
    // would be left to retry it. Send it again at once under the same name (the background applies it once).
    if (sending && retryNow) retryNow();
    else if (sending && inflight) void deps.send(inflight.events, inflight.batch).catch(() => undefined);
    if (sending || enabled !== true) return;
    sending = true;
    try {
      while (enabled === true) {
        const now = deps.now();
        const notes: PageEvent[] = [];
        if (untoldRate) notes.push(notice(`${untoldRate} events dropped (rate limit)`, now));
        if (untoldQueue) notes.push(notice(`${untoldQueue} events dropped (relay queue full)`, now));
        if (untoldLost) notes.push(notice(`${untoldLost} events lost (extension unreachable)`, now));
        if (!queue.length && !notes.length) break;
        const batch = notes.concat(queue.splice(0, RELAY_LIMITS.maxBatch - notes.length));
        lastSentAt = now;
        const told = [untoldRate, untoldQueue, untoldLost] as const;
        untoldRate = untoldQueue = untoldLost = 0;
        if (!(await sendWithRetry(batch))) {
          // Dropped with a count; the notices themselves are counted again rather than lost.
          untoldRate += told[0];
          untoldQueue += told[1];
          untoldLost += told[2] + batch.length - notes.length;
          stats.sendLost += batch.length - notes.length;
          break;
        }
      }
    } finally {
      sending = false;
    }
    if (queue.length) schedule();
  };

  return {
    stats,
    onMessage(data, fromOwnWindow) {
      if (!fromOwnWindow || !isPageMessage(data)) return 0;
      // The hook answers the relay's hello at once, from a listener it added before any page script ran: the
      // first nonce seen is normally the hook's. It only tells loads apart (the page can read it and post first);
      // it authenticates nothing.
      if (nonce === null) nonce = data.n;
      if (enabled === false) return 0;
      if (data.n !== nonce || data.events.length > RELAY_LIMITS.maxEventsPerMessage) {
        stats.ignoredMessages++;
        return 0;
      }
      // The message's size, from one walk that also tells which events are breadcrumbs in final shape (-1: the
      // others, parsed below). One `jsonSize` per event that is not: its JSON size, Infinity for a cycle.
      const plain = new Array<number>(data.events.length);
      let size = 40;
      for (let i = 0; i < data.events.length && size <= RELAY_LIMITS.maxMessageChars; i++) {
        const n = plainBreadcrumb(data.events[i]);
        plain[i] = n;
        size += (n >= 0 ? n : jsonSize(data.events[i])) + 1;
      }
      if (size > RELAY_LIMITS.maxMessageChars) {
        stats.ignoredMessages++;
        return 0;
      }
      let queued = 0;
      let urgent = false;
      const now = deps.now();
      let base: string | undefined | null = null;
      for (let i = 0; i < data.events.length; i++) {
        if (!bucket.take(now)) {
          stats.rateDropped++;
          untoldRate++;
          continue;
        }
        const raw = data.events[i];
        if (plain[i]! >= 0) {
          queue.push(raw as PageEvent);
          queued++;
          if ((raw as { level?: unknown }).level === 'error') urgent = true;
          continue;
        }
        // The frame's URL, read once per message and only when an event needs it (an upload's destination).
        if (base === null) base = deps.baseUrl?.();
        const events = expandHookEvent(raw, base);
        if (!events.length) stats.invalidEvents++;
        for (const ev of events) {
          queue.push(ev);
          queued++;
          if (isUrgent(ev)) urgent = true;
        }
      }
      if (queue.length > RELAY_LIMITS.maxQueue) {
        const extra = queue.length - RELAY_LIMITS.maxQueue;
        queue.splice(0, extra);
        stats.queueDropped += extra;
        untoldQueue += extra;
      }
      stats.accepted += queued;
      if (queued || untoldRate) schedule(urgent);
      return queued;
    },
    setEnabled(value) {
      enabled = value;
      if (value === false) {
        queue = [];
        untoldRate = untoldQueue = untoldLost = 0;
      } else if (value === true && (queue.length || untoldRate)) {
        schedule();
      }
    },
    flush,
  };
}

/** What the relay posts on, and is answered through: the top frame's port to the background (`RELAY_PORT`). */
export interface BatchPort {
  postMessage(message: unknown): void;
}

/**
 * Batches over the top frame's port, which is open anyway (crash detection): one post each way, where a
 * `runtime.sendMessage` opens and closes a message channel in the browser process for every batch. The background
 * answers each batch on the port with its name and the reply `sendMessage` would have given. A port that drops
 * fails every batch waiting on it: the relay retries under the same name (over `sendMessage` while no port is
 * open), and the background applies a batch once.
 */
export class PortBatches {
  private port: BatchPort | null = null;
  private readonly waiting = new Map<string, { resolve(reply: unknown): void; reject(e: Error): void }[]>();

  /** The port opened. */
  attach(port: BatchPort): void {
    this.port = port;
  }

  /** The port dropped: what waits on it fails. */
  detach(): void {
    this.port = null;
    const waiting = [...this.waiting.values()].flat();
    this.waiting.clear();
    for (const w of waiting) w.reject(new Error('port closed'));
  }

  /** Posts `message` (the batch named `batch`) and resolves to its reply; null while no port is open. */
  send(message: unknown, batch: string): Promise<unknown> | null {
    const port = this.port;
    if (!port) return null;
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(batch) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(batch, list);
      try {
        port.postMessage(message);
      } catch (e) {
        // Posting on a port the background already closed throws; its disconnect event follows.
        this.waiting.delete(batch);
        for (const w of list) w.reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** A message from the background on the port: true when it answered a batch waiting here. */
  onMessage(message: unknown): boolean {
    if (!isBatchReply(message)) return false;
    const list = this.waiting.get(message.batch);
    if (!list) return false;
    this.waiting.delete(message.batch);
    for (const w of list) w.resolve(message.reply);
    return true;
  }
}
