/* eslint-disable @typescript-eslint/unbound-method -- spies and the page's originals are passed to expect() or called with an explicit `this` */
import { describe, expect, test, vi } from 'vitest';
import { createRelay, PortBatches, RELAY_LIMITS, TokenBucket, type RelayDeps } from '@/utils/page/relay-core';
import { PAGE_MESSAGE_KEY, type PageEvent } from '@/utils/page/events';
import { crashReport } from '../../fixtures/crashsense';

const crumb = (i: number) => ({ kind: 'breadcrumb', crumb: { type: 'click', timestamp: i, message: `m${i}` } });
const msg = (events: unknown[], n = 'nonce1') => ({ [PAGE_MESSAGE_KEY]: 1, v: 1, n, events });

function harness(send: RelayDeps['send'] = async () => ({ accepted: 1 })) {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  const sent: PageEvent[][] = [];
  const deps: RelayDeps = {
    send: vi.fn(async (events: PageEvent[], batch: string) => {
      const r = await send(events, batch);
      sent.push(events);
      return r;
    }),
    now: () => now,
    setTimeout: (fn, ms) => timers.push({ at: now + ms, fn }),
    baseUrl: () => 'https://a.example/shop/',
  };
  const relay = createRelay(deps);
  /** Advance the fake clock, running due timers and letting promises settle. */
  const advance = async (ms: number) => {
    const end = now + ms;
    for (;;) {
      await new Promise((r) => setTimeout(r, 0));
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers.shift();
      now = next.at;
      next.fn();
    }
    now = end;
    await new Promise((r) => setTimeout(r, 0));
  };
  return { relay, deps, sent, advance, setNow: (t: number) => (now = t) };
}

describe('page relay', () => {
  test('forwards valid events in batches after 100 ms', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    expect(relay.onMessage(msg([crumb(1), crumb(2)]), true)).toBe(2);
    relay.onMessage(msg([crumb(3)]), true);
    await advance(99);
    expect(sent).toHaveLength(0);
    await advance(1);
    expect(sent).toEqual([[crumb(1), crumb(2), crumb(3)]]);
  });

  test('accepts only its own window and the namespace', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    expect(relay.onMessage(msg([crumb(1)]), false)).toBe(0);
    expect(relay.onMessage({ ...msg([crumb(1)]), [PAGE_MESSAGE_KEY]: 0 }, true)).toBe(0);
    expect(relay.onMessage({ type: 'wxt:content-script-started' }, true)).toBe(0);
    expect(relay.onMessage('string', true)).toBe(0);
    await advance(200);
    expect(sent).toHaveLength(0);
  });

  test('learns the first nonce and ignores others', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)], 'hook'), true);
    expect(relay.onMessage(msg([crumb(2)], 'forged'), true)).toBe(0);
    expect(relay.stats.ignoredMessages).toBe(1);
    await advance(100);
    expect(sent.flat()).toEqual([crumb(1)]);
  });

  test('validates every event and expands CrashSense uploads', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    const upload = {
      kind: 'app-upload',
      id: 'nonce1.1',
      at: 1,
      transport: 'fetch',
      destination: 'https://a.example/c',
      body: JSON.stringify(crashReport),
    };
    expect(
      relay.onMessage(
        msg([
          crumb(1),
          { kind: 'eval', code: 'x' },
          upload,
          { kind: 'breadcrumb', crumb: { type: 'click', timestamp: NaN, message: '' } },
        ]),
        true,
      ),
    ).toBe(2);
    expect(relay.stats.invalidEvents).toBe(2);
    await advance(100);
    expect(sent[0]!.map((e) => e.kind)).toEqual(['breadcrumb', 'app-report']);
    // The hook sends an upload's URL as the page wrote it; the relay resolves it against the frame's URL.
    relay.onMessage(msg([{ ...upload, id: 'nonce1.2', destination: '../api/crashes' }]), true);
    await advance(100);
    expect(sent[1]).toMatchObject([{ kind: 'app-report', report: { destination: 'https://a.example/api/crashes' } }]);
  });

  test('ignores oversized messages whole', () => {
    const { relay } = harness();
    relay.setEnabled(true);
    expect(relay.onMessage(msg([{ ...crumb(1), pad: 'x'.repeat(RELAY_LIMITS.maxMessageChars) }]), true)).toBe(0);
    expect(
      relay.onMessage(msg(Array.from({ length: RELAY_LIMITS.maxEventsPerMessage + 1 }, (_, i) => crumb(i))), true),
    ).toBe(0);
    expect(relay.stats.ignoredMessages).toBe(2);
  });

  test('rate limit: burst of 500, then 200/s; excess reported as one breadcrumb', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    for (let i = 0; i < 7; i++) relay.onMessage(msg(Array.from({ length: 100 }, (_, j) => crumb(i * 100 + j))), true);
    expect(relay.stats.accepted).toBe(500);
    expect(relay.stats.rateDropped).toBe(200);
    await advance(100);
    const all = sent.flat();
    const notice = all.find((e) => e.kind === 'breadcrumb' && e.crumb.message.includes('rate limit'));
    expect(notice).toMatchObject({
      kind: 'breadcrumb',
      level: 'warn',
      crumb: { type: 'custom', message: '200 events dropped (rate limit)' },
    });
    expect(all.filter((e) => e.kind === 'breadcrumb' && e.crumb.type === 'click')).toHaveLength(500);
    // 1.1 s after the burst the bucket holds 220 tokens.
    await advance(1000);
    expect(relay.onMessage(msg(Array.from({ length: 250 }, (_, j) => crumb(j))), true)).toBe(220);
  });

  test('batches are at most maxBatch events and keep their order', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    relay.onMessage(msg(Array.from({ length: 400 }, (_, j) => crumb(j))), true);
    await advance(100);
    expect(sent.map((b) => b.length)).toEqual([RELAY_LIMITS.maxBatch, 400 - RELAY_LIMITS.maxBatch]);
    expect(sent.flat().map((e) => e.kind === 'breadcrumb' && e.crumb.timestamp)).toEqual(
      Array.from({ length: 400 }, (_, j) => j),
    );
  });

  test('retries once when the background is unreachable, then drops with a count', async () => {
    let fail = 1 + RELAY_LIMITS.retryDelaysMs.length;
    const { relay, deps, sent, advance } = harness(async () => {
      if (fail-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { accepted: 1 };
    });
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1), crumb(2)]), true);
    await advance(100 + RELAY_LIMITS.retryDelaysMs.reduce((a, b) => a + b, 0));
    expect(deps.send).toHaveBeenCalledTimes(1 + RELAY_LIMITS.retryDelaysMs.length);
    expect(relay.stats.sendLost).toBe(2);
    relay.onMessage(msg([crumb(3)]), true);
    await advance(100);
    expect(sent).toHaveLength(1);
    expect(sent[0]![0]).toMatchObject({ crumb: { message: '2 events lost (extension unreachable)' } });
    expect(sent[0]![1]).toEqual(crumb(3));
  });

  test('every retry of a batch carries the same batch name, and the next batch a new one', async () => {
    let fail = 2;
    const { relay, deps, advance } = harness(async () => {
      if (fail-- > 0) throw new Error('worker stopping');
      return { accepted: 1 };
    });
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)]), true);
    await advance(100 + RELAY_LIMITS.retryDelaysMs[0] + RELAY_LIMITS.retryDelaysMs[1]);
    relay.onMessage(msg([crumb(2)]), true);
    await advance(100);
    const names = vi.mocked(deps.send).mock.calls.map((c) => c[1]);
    expect(names).toHaveLength(4);
    expect(new Set(names.slice(0, 3)).size).toBe(1);
    expect(names[3]).not.toBe(names[0]);
  });

  test('a page hide resends a batch waiting for its retry at once, under the same name', async () => {
    let fail = 1;
    const { relay, deps, sent, advance } = harness(async () => {
      if (fail-- > 0) throw new Error('worker stopping');
      return { accepted: 1 };
    });
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)]), true);
    await advance(100); // first try failed; the retry waits 250 ms
    expect(deps.send).toHaveBeenCalledTimes(1);
    void relay.flush(); // pagehide
    await advance(0);
    expect(deps.send).toHaveBeenCalledTimes(2);
    expect(sent).toEqual([[crumb(1)]]);
    const names = vi.mocked(deps.send).mock.calls.map((c) => c[1]);
    expect(names[1]).toBe(names[0]);
  });

  test('no reply (the worker stopped while handling it) counts as a failure and is retried', async () => {
    let silent = 1;
    const { relay, deps, advance } = harness(async () => (silent-- > 0 ? undefined : { accepted: 1 }));
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)]), true);
    await advance(100 + RELAY_LIMITS.retryDelaysMs[0]);
    expect(deps.send).toHaveBeenCalledTimes(2);
    expect(relay.stats.sendLost).toBe(0);
  });

  test('a failed first try succeeds on the retry', async () => {
    let fail = 1;
    const { relay, sent, advance } = harness(async () => {
      if (fail-- > 0) throw new Error('worker stopping');
      return { accepted: 1 };
    });
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)]), true);
    await advance(100 + RELAY_LIMITS.retryDelaysMs[0]);
    expect(sent).toEqual([[crumb(1)]]);
    expect(relay.stats.sendLost).toBe(0);
  });

  test('waits for the settings, bounded; forwards nothing when off for the site', async () => {
    const { relay, sent, advance } = harness();
    relay.onMessage(msg([crumb(1)]), true);
    await advance(500);
    expect(sent).toHaveLength(0);
    relay.setEnabled(true);
    await advance(100);
    expect(sent).toEqual([[crumb(1)]]);
    relay.setEnabled(false);
    expect(relay.onMessage(msg([crumb(2)]), true)).toBe(0);
    await advance(500);
    expect(sent).toHaveLength(1);
  });

  test('while a page keeps sending, the delay doubles up to busyBatchMs; after a quiet spell it is 100 ms again', async () => {
    const { relay, advance, deps } = harness();
    relay.setEnabled(true);
    const sentAt: number[] = [];
    vi.mocked(deps.send).mockImplementation(async () => {
      sentAt.push(deps.now());
      return { accepted: 1 };
    });
    const start = deps.now();
    // An event every 10 ms for 3 s.
    for (let i = 0; i < 300; i++) {
      relay.onMessage(msg([crumb(i)]), true);
      await advance(10);
    }
    const gaps = sentAt.map((t, i) => t - (i ? sentAt[i - 1]! : start));
    expect(gaps.slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(RELAY_LIMITS.busyBatchMs + 10);
    await advance(2000);
    const before = sentAt.length;
    const quietEnd = deps.now();
    relay.onMessage(msg([crumb(1000)]), true);
    await advance(100);
    expect(sentAt.slice(before)).toEqual([quietEnd + 100]);
  });

  test('an error or a crash-relevant event is not held by the busy delay', async () => {
    const { relay, sent, advance } = harness();
    relay.setEnabled(true);
    relay.onMessage(msg([crumb(1)]), true);
    await advance(100);
    relay.onMessage(msg([crumb(2)]), true); // busy now: this batch would wait 200 ms
    await advance(50);
    const error = { kind: 'breadcrumb', crumb: { type: 'console', timestamp: 3, message: 'boom' }, level: 'error' };
    relay.onMessage(msg([error]), true);
    await advance(99);
    expect(sent).toHaveLength(1);
    await advance(1);
    expect(sent[1]).toEqual([crumb(2), error]);
    // A warning and a visibility change are not urgent: they wait the doubled delay (200 ms)...
    relay.onMessage(msg([{ ...error, level: 'warn' }]), true);
    await advance(20);
    relay.onMessage(msg([{ kind: 'visibility', state: 'hidden' }]), true);
    await advance(30);
    expect(sent).toHaveLength(2);
    // ...unless a crash-relevant event (the app's checkpoint) comes meanwhile: 100 ms from then.
    relay.onMessage(msg([{ kind: 'checkpoint', raw: null, atLoad: false }]), true);
    await advance(99);
    expect(sent).toHaveLength(2);
    await advance(1);
    expect(sent).toHaveLength(3);
    expect(sent[2]!.map((e) => e.kind)).toEqual(['breadcrumb', 'visibility', 'checkpoint']);
  });

  test('turned off while events wait: they are dropped', async () => {
    const { relay, sent, advance } = harness();
    relay.onMessage(msg([crumb(1)]), true);
    relay.setEnabled(false);
    relay.setEnabled(true);
    await advance(200);
    expect(sent).toHaveLength(0);
  });
});

describe('PortBatches', () => {
  const port = () => ({
    posted: [] as unknown[],
    postMessage(m: unknown) {
      this.posted.push(m);
    },
  });
  const reply = (batch: string, accepted = 1) => ({ ns: 'report-inspector', batch, reply: { accepted } });

  test('without a port it sends nothing: the caller uses sendMessage', () => {
    expect(new PortBatches().send({}, 'a.1')).toBeNull();
  });

  test('posts the batch and resolves with the reply that names it; other replies are not taken', async () => {
    const batches = new PortBatches();
    const p = port();
    batches.attach(p);
    const one = batches.send({ n: 1 }, 'a.1');
    const two = batches.send({ n: 2 }, 'a.2');
    expect(p.posted).toEqual([{ n: 1 }, { n: 2 }]);
    expect(batches.onMessage(reply('a.9'))).toBe(false);
    expect(batches.onMessage({ ns: 'other', batch: 'a.2', reply: {} })).toBe(false);
    expect(batches.onMessage({ ns: 'report-inspector', enabled: true })).toBe(false);
    expect(batches.onMessage(reply('a.2', 2))).toBe(true);
    expect(batches.onMessage(reply('a.1'))).toBe(true);
    await expect(one).resolves.toEqual({ accepted: 1 });
    await expect(two).resolves.toEqual({ accepted: 2 });
    // Answered once: a second reply to the same name finds nothing waiting.
    expect(batches.onMessage(reply('a.1'))).toBe(false);
  });

  test('the same batch sent twice (a page hide) resolves both with the first reply', async () => {
    const batches = new PortBatches();
    batches.attach(port());
    const first = batches.send({}, 'a.1');
    const again = batches.send({}, 'a.1');
    batches.onMessage(reply('a.1'));
    await expect(Promise.all([first, again])).resolves.toEqual([{ accepted: 1 }, { accepted: 1 }]);
  });

  test('a port that drops fails what waits on it, and a port that throws fails the batch', async () => {
    const batches = new PortBatches();
    batches.attach(port());
    const waiting = batches.send({}, 'a.1');
    batches.detach();
    await expect(waiting).rejects.toThrow('port closed');
    expect(batches.send({}, 'a.2')).toBeNull();
    batches.attach({
      postMessage() {
        throw new Error('Attempting to use a disconnected port object');
      },
    });
    await expect(batches.send({}, 'a.3')).rejects.toThrow('disconnected');
    expect(batches.onMessage(reply('a.3'))).toBe(false);
  });

  test('a relay on a port that drops mid-batch retries under the same name, applied once', async () => {
    const batches = new PortBatches();
    const applied = new Map<string, PageEvent[]>();
    const names: string[] = [];
    // The background: applies a name once and answers on the port (or, without one, as sendMessage would).
    const background = (events: PageEvent[], batch: string) => {
      names.push(batch);
      const fresh = !applied.has(batch);
      if (fresh) applied.set(batch, events);
      return { accepted: fresh ? events.length : 0 };
    };
    let p = port();
    batches.attach(p);
    const h = harness(async (events, batch) => batches.send({ events, batch }, batch) ?? background(events, batch));
    h.relay.setEnabled(true);
    h.relay.onMessage(msg([crumb(1)]), true);
    await h.advance(100);
    // The worker stored the batch and stopped before its reply went out: the port drops.
    const [first] = p.posted as { events: PageEvent[]; batch: string }[];
    background(first!.events, first!.batch);
    batches.detach();
    await h.advance(RELAY_LIMITS.retryDelaysMs[0]);
    // The retry went by sendMessage (no port), under the same name, and was not applied again.
    expect(names).toEqual([first!.batch, first!.batch]);
    expect([...applied.values()]).toEqual([[crumb(1)]]);
    expect(h.relay.stats.sendLost).toBe(0);
    // The port is back: the next batch goes on it.
    p = port();
    batches.attach(p);
    h.relay.onMessage(msg([crumb(2)]), true);
    await h.advance(RELAY_LIMITS.busyBatchMs);
    const [second] = p.posted as { batch: string }[];
    expect(second).toMatchObject({ events: [crumb(2)] });
    expect(second!.batch).not.toBe(first!.batch);
    batches.onMessage(reply(second!.batch));
    await h.advance(0);
    expect(h.relay.stats.sendLost).toBe(0);
  });
});

describe('TokenBucket', () => {
  test('refills at the rate up to the burst', () => {
    const b = new TokenBucket(10, 3, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
    expect([b.take(10_000), b.take(10_000), b.take(10_000), b.take(10_000)]).toEqual([true, true, true, false]);
  });
});
