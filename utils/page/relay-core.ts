/**
 * The page relay's logic, apart from the content script that wires it to `window` and `browser` (so tests
 * drive it with fakes). Everything it receives is untrusted: the hook's window messages can be forged by the
 * page, so the relay checks the shape, bounds sizes and rates, validates every event with
 * `expandHookEvent`/`parsePageEvent`, batches, and forwards. The background validates again.
 */
import type { PageEvent } from './events';
import { expandHookEvent, isPageMessage } from './events';
import { jsonSize } from './untrusted';

export const RELAY_LIMITS = {
  /** Messages whose JSON is larger are ignored whole. */
  maxMessageChars: 256 * 1024,
  /** Events in one message, at most (more: ignored whole). */
  maxEventsPerMessage: 1000,
  /** Token bucket: sustained events per second and burst. */
  ratePerSecond: 200,
  burst: 500,
  /** Batch delay and size towards the background. */
  batchMs: 100,
  maxBatch: 250,
  /** Events waiting (e.g. while the settings load), at most; older ones are dropped and counted. */
  maxQueue: 2000,
  /** Delay before the first retry of a failed send (the service worker may be stopping). */
  retryMs: 250,
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

/** A synthetic breadcrumb that tells the timeline what the relay had to drop. */
function notice(message: string, now: number): PageEvent {
  return { kind: 'breadcrumb', crumb: { type: 'custom', timestamp: now, message }, level: 'warn' };
}

export function createRelay(deps: RelayDeps): Relay {
  const stats: RelayStats = { accepted: 0, ignoredMessages: 0, invalidEvents: 0, rateDropped: 0, queueDropped: 0, sendLost: 0 };
  const bucket = new TokenBucket(RELAY_LIMITS.ratePerSecond, RELAY_LIMITS.burst, deps.now());
  let enabled: boolean | null = null;
  let nonce: string | null = null;
  let queue: PageEvent[] = [];
  let timer = false;
  let sending = false;
  // Counts not yet told to the background.
  let untoldRate = 0;
  let untoldLost = 0;
  let untoldQueue = 0;

  const schedule = (): void => {
    if (timer || enabled !== true) return;
    timer = true;
    deps.setTimeout(() => {
      timer = false;
      void flush();
    }, RELAY_LIMITS.batchMs);
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
      if (
        data.n !== nonce ||
        data.events.length > RELAY_LIMITS.maxEventsPerMessage ||
        jsonSize(data) > RELAY_LIMITS.maxMessageChars
      ) {
        stats.ignoredMessages++;
        return 0;
      }
      let queued = 0;
      const now = deps.now();
      const base = deps.baseUrl?.();
      for (const raw of data.events) {
        if (!bucket.take(now)) {
          stats.rateDropped++;
          untoldRate++;
          continue;
        }
        const events = expandHookEvent(raw, base);
        if (!events.length) stats.invalidEvents++;
        for (const ev of events) {
          queue.push(ev);
          queued++;
        }
      }
      if (queue.length > RELAY_LIMITS.maxQueue) {
        const extra = queue.length - RELAY_LIMITS.maxQueue;
        queue.splice(0, extra);
        stats.queueDropped += extra;
        untoldQueue += extra;
      }
      stats.accepted += queued;
      if (queued || untoldRate) schedule();
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
