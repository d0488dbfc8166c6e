/* eslint-disable @typescript-eslint/unbound-method -- spies and the page's originals are passed to expect() or called with an explicit `this` */
import { describe, expect, test, vi } from 'vitest';
import { createRelay, RELAY_LIMITS, TokenBucket, type RelayDeps } from '@/utils/page/relay-core';
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

  test('turned off while events wait: they are dropped', async () => {
    const { relay, sent, advance } = harness();
    relay.onMessage(msg([crumb(1)]), true);
    relay.setEnabled(false);
    relay.setEnabled(true);
    await advance(200);
    expect(sent).toHaveLength(0);
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
