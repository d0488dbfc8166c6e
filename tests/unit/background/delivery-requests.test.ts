// The delivery requests through the background's request handler: who may make them (extension pages only), and
// what the inbox and the endpoint check do with their answers.
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { Runtime } from 'webextension-polyfill';
import { createStores, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { requestDeps, TEST_EXTENSION_ORIGIN } from './request-deps';
import { handleRequest, RequestError, type RequestDeps } from '@/entrypoints/background/requests';
import { handlers } from '@/entrypoints/background/request-handlers';
import { inboxUrlOf } from '@/entrypoints/background/inbox-fetch';
import { DeepCapture, type DebuggerApi } from '@/entrypoints/background/deep-capture';
import { addCrash, crashEntryFor } from '@/entrypoints/background/crash-detection';
import { isRequestEnvelope, request, type PayloadOf, type RequestName } from '@/utils/messaging/protocol';
import { emptyTabState, type TabState } from '@/utils/tab/types';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import type { InboxResult } from '@/utils/messaging/protocol';

const EXT = TEST_EXTENSION_ORIGIN;
const ORIGIN = 'https://127.0.0.1:8443';
let clock = Date.UTC(2026, 10, 21, 12);

const panel: Runtime.MessageSender = { id: 'abc', url: `${EXT}devtools-panel.html?tabId=1` };
const contentScript: Runtime.MessageSender = { id: 'abc', url: `${ORIGIN}/good`, tab: { id: 1 } as never, frameId: 0 };
const otherExtension: Runtime.MessageSender = { id: 'evil', url: 'chrome-extension://evil/page.html' };

function fakeDebugger(): DebuggerApi & { calls: string[] } {
  const calls: string[] = [];
  const ev = { addListener() {}, removeListener() {} };
  return {
    calls,
    attach: async () => void calls.push('attach'),
    detach: async () => void calls.push('detach'),
    sendCommand: async (_t, m) => void calls.push(m),
    onEvent: ev,
    onDetach: ev,
  };
}

function deps(stores: Stores, fetch: RequestDeps['fetch'], dbg: DebuggerApi | null = fakeDebugger()): RequestDeps {
  return {
    ...requestDeps(stores, () => clock, `${ORIGIN}/good`),
    deep: new DeepCapture({
      stores,
      now: () => clock,
      tabChanged: () => {},
      recordCrash: async () => {},
      isTabVisible: async () => true,
      api: () => dbg,
    }),
    fetch,
    userAgent: 'UA',
    monotonic: () => clock,
  };
}

const PAYLOADS: { [K in RequestName]?: PayloadOf<K> } = {
  setDeepCapture: { tabId: 1, on: true },
  crashTab: { tabId: 1 },
  checkEndpoint: { url: `${ORIGIN}/reports/default`, pageUrl: `${ORIGIN}/good` },
  readInbox: { url: `${ORIGIN}/reports`, tabId: 1 },
};

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.UTC(2026, 10, 21, 12);
});

describe('delivery requests: privilege', () => {
  it('are known requests and all for extension pages only; page events are the only request from page relays', () => {
    for (const name of Object.keys(PAYLOADS) as RequestName[]) {
      expect(handlers[name].from).toBe('extension-page');
      expect(isRequestEnvelope(request(name, PAYLOADS[name] as never))).toBe(true);
    }
    const fromRelays = Object.entries(handlers)
      .filter(([, h]) => h.from !== 'extension-page')
      .map(([name]) => name);
    expect(fromRelays).toEqual(['pageEvents']);
  });

  it.each(Object.keys(PAYLOADS) as RequestName[])(
    '%s is refused to content scripts and other extensions, and nothing happens',
    async (name) => {
      const stores = createStores();
      const requests: string[] = [];
      const dbg = fakeDebugger();
      const d = deps(
        stores,
        async (url) => {
          requests.push(url);
          return new Response('[]');
        },
        dbg,
      );
      for (const sender of [contentScript, otherExtension, { ...contentScript, url: `${EXT}x.html`, id: 'evil' }]) {
        await expect(handleRequest(request(name, PAYLOADS[name] as never), sender, d)).rejects.toThrow(
          `${name} is only for the extension's own pages`,
        );
      }
      expect(requests).toEqual([]);
      expect(dbg.calls).toEqual([]);
    },
  );
});

describe('delivery requests: what they do', () => {
  it('setDeepCapture attaches and crashTab crashes, from the panel', async () => {
    const stores = createStores();
    const dbg = fakeDebugger();
    const d = deps(stores, undefined, dbg);
    const reply = await handleRequest(request('setDeepCapture', { tabId: 1, on: true }), panel, d);
    expect(reply).toMatchObject({ ok: true, deep: { attached: true } });
    expect(await handleRequest(request('crashTab', { tabId: 1 }), panel, d)).toEqual({ ok: true });
    expect(dbg.calls).toEqual([
      'attach',
      'Network.enable',
      'Network.enableReportingApi',
      'Inspector.enable',
      'Page.crash',
    ]);
    await expect(
      handleRequest(request('setDeepCapture', { tabId: 1, on: 'yes' as never }), panel, d),
    ).rejects.toBeInstanceOf(RequestError);
    const noDebugger = deps(stores, undefined, null);
    await expect(handleRequest(request('setDeepCapture', { tabId: 2, on: true }), panel, noDebugger)).rejects.toThrow(
      /needs the debugger/,
    );
  });

  it('checkEndpoint runs the check and refuses non-https endpoints before any request', async () => {
    const stores = createStores();
    const seen: [string, string | undefined][] = [];
    const d = deps(stores, async (url, init) => {
      seen.push([url, init.method]);
      return new Response(null, {
        status: 204,
        headers:
          init.method === 'OPTIONS'
            ? { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type' }
            : {},
      });
    });
    const r = (await handleRequest(
      request('checkEndpoint', { url: 'https://localhost:8443/reports/x', pageUrl: `${ORIGIN}/good` }),
      panel,
      d,
    )) as EndpointCheckResult;
    expect(r.verdict).toBe('ok');
    expect(seen).toEqual([
      ['https://localhost:8443/reports/x', 'OPTIONS'],
      ['https://localhost:8443/reports/x', 'POST'],
    ]);
    await expect(
      handleRequest(
        request('checkEndpoint', { url: 'http://localhost:8080/reports/x', pageUrl: `${ORIGIN}/good` }),
        panel,
        d,
      ),
    ).rejects.toThrow(/Only https/);
    expect(seen).toHaveLength(2);
  });

  it("readInbox matches the tab's crashes and keeps the delivery on them", async () => {
    const stores = createStores();
    const base = emptyTabState(1, clock);
    const doc = {
      id: '0@1',
      frameId: 0,
      parentFrameId: -1,
      url: `${ORIGIN}/good`,
      type: 'main_frame' as const,
      statusCode: 200,
      receivedAt: clock - 5000,
      headers: [],
      endpoints: [{ name: 'default', url: `${ORIGIN}/reports/default` }],
      reportTo: null,
      references: [],
      reportUris: [],
      diagnostics: [],
    };
    const withDoc: TabState = { ...base, documents: { '0': doc } };
    const crashed = addCrash(
      withDoc,
      crashEntryFor(withDoc, {}, clock, { visible: true, detectedBy: 'port-disconnect' }),
    );
    await stores.tabs.update(
      tabKey(1),
      () => crashed,
      () => crashed,
    );
    const inbox = [
      {
        receivedAt: clock + 40,
        endpoint: 'default',
        path: '/reports/default',
        contentType: 'application/reports+json',
        userAgent: 'UA',
        reports: [{ type: 'crash', url: `${ORIGIN}/good`, age: 25, body: { is_top_level: true } }],
      },
    ];
    const asked: [string, RequestInit][] = [];
    const d = deps(stores, async (url, init) => {
      asked.push([url, init]);
      return new Response(JSON.stringify(inbox));
    });
    clock += 2000;
    const r = (await handleRequest(
      request('readInbox', { url: `${ORIGIN}/reports`, tabId: 1 }),
      panel,
      d,
    )) as InboxResult;
    expect(asked).toHaveLength(1);
    expect(asked[0]![1]).toMatchObject({ method: 'GET', credentials: 'omit' });
    expect(r).toMatchObject({ url: `${ORIGIN}/reports`, fetchedAt: clock, status: 200, ignored: 0 });
    expect(r.match.crashes).toEqual([
      {
        crashId: crashed.crashes[0]!.id,
        status: 'delivered',
        receivedAt: clock - 2000 + 40,
        endpointPath: '/reports/default',
        report: expect.objectContaining({ type: 'crash', age: 25 }) as unknown,
      },
    ]);
    const state = (await stores.tabs.get(tabKey(1)))!;
    expect(state.crashes[0]!.delivery).toEqual({
      status: 'delivered',
      checkedAt: clock,
      inboxUrl: `${ORIGIN}/reports`,
      receivedAt: clock - 2000 + 40,
      endpointPath: '/reports/default',
      report: expect.objectContaining({ type: 'crash', age: 25 }) as unknown,
    });
    // Already in storage when it answers: a worker stopped right after the reply (a fresh set of stores over the
    // same storage) still has the delivery the panel shows.
    const restarted = (await createStores().tabs.get(tabKey(1)))!;
    expect(restarted.crashes[0]!.delivery?.status).toBe('delivered');
  });

  it('readInbox explains what went wrong', async () => {
    const stores = createStores();
    const cases: [RequestDeps['fetch'], RegExp][] = [
      [async () => new Response('nope', { status: 500 }), /answered HTTP 500/],
      [async () => new Response('<html>'), /did not answer with JSON/],
      [async () => new Response('{"reports":[]}'), /JSON array of uploads/],
      [
        async () => {
          throw new TypeError('Failed to fetch');
        },
        /Could not reach the inbox/,
      ],
    ];
    for (const [fetch, message] of cases) {
      await expect(
        handleRequest(request('readInbox', { url: `${ORIGIN}/reports`, tabId: 1 }), panel, deps(stores, fetch)),
      ).rejects.toThrow(message);
    }
  });

  it('reads inboxes over https, or http on this machine only', () => {
    expect(inboxUrlOf(' https://collector.example/reports ')).toBe('https://collector.example/reports');
    expect(inboxUrlOf('http://127.0.0.1:8080/reports')).toBe('http://127.0.0.1:8080/reports');
    expect(() => inboxUrlOf('http://collector.example/reports')).toThrow(RequestError);
    expect(() => inboxUrlOf('file:///etc/passwd')).toThrow(RequestError);
    expect(() => inboxUrlOf('https://user:pw@collector.example/')).toThrow(RequestError);
  });
});
