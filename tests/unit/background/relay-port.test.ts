// The top frame's relay port in the background: the settings' verdict as it opens, batches answered on it by name,
// and no view derived for breadcrumbs while no panel is open.
import { describe, expect, it, vi } from 'vitest';
import type { Runtime } from 'webextension-polyfill';
import { createStores, tabKey } from '@/entrypoints/background/tab-and-origin-stores';
import { handleRequest, serveRelayPort } from '@/entrypoints/background/requests';
import { request, type RequestEnvelope } from '@/utils/messaging/protocol';
import { requestDeps, TEST_EXTENSION_ID } from './request-deps';

const URL_ = 'https://a.example/page';
const sender = { id: TEST_EXTENSION_ID, url: URL_, tab: { id: 3 }, frameId: 0 } as Runtime.MessageSender;

function fakePort() {
  const listeners: ((m: unknown) => void)[] = [];
  const posted: unknown[] = [];
  const port = {
    name: 'relay',
    sender,
    postMessage: (m: unknown) => posted.push(m),
    onMessage: { addListener: (fn: (m: unknown) => void) => listeners.push(fn) },
  } as unknown as Runtime.Port;
  return { port, posted, receive: (m: unknown) => listeners.forEach((fn) => fn(m)) };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const crumb = { kind: 'breadcrumb', crumb: { type: 'custom', timestamp: 1, message: 'x' } } as const;

describe('relay port', () => {
  it('posts the verdict for the sender’s page as it opens', async () => {
    const { port, posted } = fakePort();
    const recorded = vi.fn(async (url: string) => url !== URL_);
    serveRelayPort(port, async () => ({}), recorded);
    await settle();
    expect(recorded).toHaveBeenCalledWith(URL_);
    expect(posted).toEqual([{ ns: 'report-inspector', enabled: false }]);
  });

  it('answers pageEvents batches with their name, ignores anything else', async () => {
    const { port, posted, receive } = fakePort();
    const answer = vi.fn(async (m: RequestEnvelope, s: Runtime.MessageSender) => ({ accepted: 1, from: s.url, m }));
    serveRelayPort(port, answer, async () => true);
    await settle();
    posted.length = 0;
    const batch = request('pageEvents', { events: [crumb], batch: 'p.1' });
    receive(batch);
    receive(request('getTabView', { tabId: 3 })); // not served on the port
    receive(request('pageEvents', { events: [crumb] })); // no name: no reply could be matched
    receive(request('pageEvents', { events: [crumb], batch: 'x'.repeat(65) }));
    receive({ hello: 1 });
    await settle();
    expect(answer).toHaveBeenCalledTimes(1);
    expect(answer).toHaveBeenCalledWith(batch, sender);
    expect(posted).toEqual([{ ns: 'report-inspector', batch: 'p.1', reply: { accepted: 1, from: URL_, m: batch } }]);
  });

  it('a verdict that cannot be read posts nothing, and a closed port does not throw', async () => {
    const { port, posted, receive } = fakePort();
    (port as { postMessage: unknown }).postMessage = () => {
      throw new Error('Attempting to use a disconnected port object');
    };
    serveRelayPort(
      port,
      async () => ({ accepted: 1 }),
      () => Promise.reject(new Error('storage')),
    );
    receive(request('pageEvents', { events: [crumb], batch: 'p.1' }));
    await settle();
    expect(posted).toEqual([]);
  });
});

describe('pageEvents and the panel', () => {
  it('breadcrumbs with no panel open change nothing but the state; other events, or a panel, update the tab', async () => {
    const stores = createStores();
    const tabChanged = vi.fn();
    let panel = false;
    const deps = { ...requestDeps(stores, () => 1000, URL_), tabChanged, hasPanel: () => panel };
    const send = (events: unknown[], batch: string) =>
      handleRequest(request('pageEvents', { events: events as never[], batch }), sender, deps);
    expect(await send([crumb, { kind: 'visibility', state: 'hidden' }], 'p.1')).toEqual({ accepted: 2 });
    expect(tabChanged).not.toHaveBeenCalled();
    expect(await send([crumb, { kind: 'checkpoint', raw: null, atLoad: false }], 'p.2')).toEqual({ accepted: 2 });
    expect(tabChanged).toHaveBeenCalledTimes(1);
    panel = true;
    expect(await send([crumb], 'p.3')).toEqual({ accepted: 1 });
    expect(tabChanged).toHaveBeenCalledTimes(2);
    expect((await stores.tabs.get(tabKey(3)))?.breadcrumbs).toHaveLength(3);
  });
});
