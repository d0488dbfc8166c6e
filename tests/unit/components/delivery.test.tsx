// @vitest-environment happy-dom
// The panel's delivery features: crash delivery lines, the collector inbox, endpoint checks and deep capture.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App, type PanelPlatform } from '@/entrypoints/devtools-panel/App';
import type { DeepAvailability } from '@/components/panel/delivery';
import type { TabName } from '@/components/panel/labels-and-filter';
import type { CrashEntry, TabView } from '@/utils/tab/types';
import type { DeepCaptureState } from '@/utils/delivery/types';
import type { EndpointCheckResult } from '@/utils/delivery/endpoint-check';
import type { InboxResult, RequestName, Transport } from '@/utils/messaging/protocol';
import { configuredAnalyses, configuredView, fixtureAnalyse, NOW, sampleCrash, view } from '../../fixtures/views';
import { flush, renderPanel } from './helpers';

afterEach(cleanup);

const INBOX = 'https://collector.test/reports';

/** A transport whose requests the test answers. */
function fakeTransport(answers: Partial<Record<RequestName, (payload: never) => unknown>> = {}) {
  let push: ((v: TabView) => void) | null = null;
  const sent: { name: string; payload: unknown }[] = [];
  const transport: Transport = {
    async send(name, payload) {
      sent.push({ name, payload });
      const answer = answers[name];
      if (answer) return (await answer(payload as never)) as never;
      if (name === 'getTabView') return new Promise<never>(() => {});
      return { ok: true } as never;
    },
    subscribe(_tabId, onView) {
      push = onView;
      return () => {};
    },
  };
  return { transport, sent, push: (v: TabView) => act(() => push?.(v)) };
}

function fakePlatform(availability: DeepAvailability, granted = true) {
  const order: string[] = [];
  const platform = {
    deepAvailability: async (): Promise<DeepAvailability> => availability,
    requestDebugger: vi.fn(async () => {
      order.push('request permission');
      return granted;
    }),
    loadInboxUrl: async () => INBOX,
    saveInboxUrl: vi.fn(async (_url: string) => {}),
  } satisfies PanelPlatform;
  return { platform, order };
}

/** The panel app on one of its tabs (Crashes unless told), over the fake transport `t`. */
function renderApp(
  t: ReturnType<typeof fakeTransport>,
  { tab = 'crashes', platform }: { tab?: TabName; platform?: PanelPlatform } = {},
) {
  return render(
    <App
      transport={t.transport}
      tabId={42}
      analyse={fixtureAnalyse}
      clock={() => NOW}
      initialTab={tab}
      platform={platform}
    />,
  );
}

const deliveredCrash: CrashEntry = {
  ...sampleCrash,
  delivery: {
    status: 'delivered',
    checkedAt: NOW,
    inboxUrl: INBOX,
    receivedAt: new Date(2025, 10, 21, 12, 0, 4, 120).getTime(),
    endpointPath: '/reports/default',
  },
};

const deep: DeepCaptureState = {
  attached: true,
  since: NOW - 60_000,
  reports: [
    {
      id: 'A',
      type: 'csp-violation',
      initiatorUrl: 'https://shop.acme.test/checkout',
      destination: 'csp',
      status: 'Success',
      completedAttempts: 1,
      timestamp: NOW - 5000,
      body: { blockedURL: 'https://evil.test/x.png' },
      updatedAt: NOW - 4000,
    },
    {
      id: 'B',
      type: 'deprecation',
      initiatorUrl: 'https://shop.acme.test/checkout',
      destination: 'default',
      status: 'Queued',
      completedAttempts: 0,
      timestamp: NOW - 1000,
      body: {},
      updatedAt: NOW - 1000,
    },
  ],
  endpoints: {
    'https://shop.acme.test': [
      { url: 'https://reports.acme.test/default', groupName: 'default' },
      { url: 'https://elsewhere.test/r', groupName: 'ghost' },
    ],
  },
};

describe('crash delivery', () => {
  it('says delivered, not seen yet, or will not be sent, per crash', () => {
    const notSeen: CrashEntry = {
      ...sampleCrash,
      id: 'c2',
      at: sampleCrash.at - 60_000,
      delivery: { status: 'not-seen', checkedAt: NOW, inboxUrl: INBOX },
    };
    const unsent: CrashEntry = {
      ...sampleCrash,
      id: 'c3',
      at: sampleCrash.at - 120_000,
      predicted: {
        ...sampleCrash.predicted,
        route: {
          ...sampleCrash.predicted.route,
          willDeliver: false,
          url: null,
          reason: 'no "crash-reporting" or "default" endpoint',
        },
      },
    };
    renderPanel(view(42, { ...configuredView.state, crashes: [deliveredCrash, notSeen, unsent] }), configuredAnalyses, {
      tab: 'crashes',
    });
    const lines = screen.getAllByTestId('crash-delivery');
    expect(lines.map((l) => l.dataset.status)).toEqual(['delivered', 'not-seen', 'will-not-be-sent']);
    expect(lines[0]!.textContent).toBe('delivered (received 12:00:04.120 at /reports/default)');
    expect(lines[1]!.textContent).toBe('not seen yet (inbox read at 12:03:04)');
    expect(lines[2]!.textContent).toBe('will not be sent: no "crash-reporting" or "default" endpoint');
  });

  it('shows the inbox and deep capture even before any crash', () => {
    renderPanel(view(42, { ...configuredView.state, crashes: [] }), configuredAnalyses, {
      tab: 'crashes',
      delivery: {
        checks: {},
        inboxUrl: INBOX,
        inbox: null,
        onReadInbox: () => {},
        deepAvailability: 'granted',
        deepPending: false,
        deepError: null,
        onDeepCapture: () => {},
      },
    });
    expect(screen.getByTestId('empty-crashes')).toBeTruthy();
    expect(screen.getByTestId('read-inbox').textContent).toBe('Read collector inbox');
    expect(screen.getByTestId('inbox').textContent).toContain('makes one GET request to this address');
    expect(screen.getByTestId('deep-capture-button').textContent).toBe('Deep capture');
    expect(screen.getByTestId('deep-explanation').textContent).toContain('started debugging this browser');
  });
});

describe('collector inbox', () => {
  it('reads the inbox address the user gave, remembers it, and shows what matched', async () => {
    const result: InboxResult = {
      url: INBOX,
      fetchedAt: NOW,
      status: 200,
      ignored: 1,
      match: {
        uploads: 3,
        reports: 4,
        crashReports: 1,
        crashes: [
          { crashId: sampleCrash.id, status: 'delivered', receivedAt: NOW - 1000, endpointPath: '/reports/default' },
        ],
        live: [
          {
            seq: 1,
            type: 'csp-violation',
            url: 'https://shop.acme.test/checkout',
            status: 'delivered',
            receivedAt: NOW - 900,
            endpointPath: '/reports/csp',
          },
        ],
      },
    };
    const t = fakeTransport({ readInbox: () => result });
    const { platform } = fakePlatform('granted');
    renderApp(t, { platform });
    await t.push(configuredView);
    await flush();
    const input = screen.getByTestId<HTMLInputElement>('inbox-url');
    expect(input.value).toBe(INBOX);
    fireEvent.input(input, { target: { value: 'https://other.test/inbox' } });
    fireEvent.click(screen.getByTestId('read-inbox'));
    await flush();
    expect(t.sent.filter((s) => s.name === 'readInbox')).toEqual([
      { name: 'readInbox', payload: { url: 'https://other.test/inbox', tabId: 42 } },
    ]);
    expect(platform.saveInboxUrl).toHaveBeenCalledWith('https://other.test/inbox');
    expect(screen.getByTestId('inbox-result').textContent).toContain('3 uploads with 4 reports (1 crash report)');
    expect(screen.getByTestId('inbox-result').textContent).toContain('1 entry not understood');
    expect(screen.getByTestId('inbox-live-row').dataset.status).toBe('delivered');
  });

  it('shows why the inbox could not be read', async () => {
    const t = fakeTransport({ readInbox: () => Promise.reject(new Error('The inbox answered HTTP 404.')) });
    renderApp(t);
    await t.push(configuredView);
    fireEvent.click(screen.getByTestId('read-inbox'));
    await flush();
    expect(screen.getByTestId('inbox-error').textContent).toBe('The inbox answered HTTP 404.');
  });
});

describe('endpoint check', () => {
  it("checks an endpoint on click only, for the page it serves, and shows the result in the row's details", async () => {
    const result: EndpointCheckResult = {
      url: 'https://reports.acme.test/default',
      requestedUrl: 'https://reports.acme.test/default',
      pageOrigin: 'https://shop.acme.test',
      checkedAt: NOW,
      sameOrigin: false,
      preflight: { status: 204, latencyMs: 12, error: null, allowOrigin: null, allowMethods: null, allowHeaders: null },
      upload: { status: 204, latencyMs: 20, error: null },
      verdict: 'fail',
      summary: 'Reports will not arrive: Access-Control-Allow-Origin is missing',
      findings: [
        {
          severity: 'error',
          code: 'cors-missing-allow-origin',
          message: 'Access-Control-Allow-Origin is missing from the preflight answer.',
        },
      ],
    };
    const t = fakeTransport({ checkEndpoint: () => result });
    renderApp(t, { tab: 'endpoints' });
    await t.push(configuredView);
    expect(t.sent.filter((s) => s.name === 'checkEndpoint')).toEqual([]);
    const row = screen.getAllByTestId('endpoint-row').find((r) => r.dataset.name === 'default')!;
    // What the check does is said once, above the grids, not on every row.
    expect(screen.getAllByTestId('endpoint-check-help')).toHaveLength(1);
    expect(screen.getByTestId('endpoint-check-help').textContent).toContain(
      'sends a CORS preflight and one test report',
    );
    expect(within(row).getByTestId('check-endpoint-button').getAttribute('title')).toContain('CORS preflight');
    fireEvent.click(within(row).getByTestId('check-endpoint-button'));
    await flush();
    expect(t.sent.filter((s) => s.name === 'checkEndpoint')).toEqual([
      {
        name: 'checkEndpoint',
        payload: { url: 'https://reports.acme.test/default', pageUrl: 'https://shop.acme.test/checkout' },
      },
    ]);
    // The click selected the row and opened its details, where the result shows.
    const details = within(row.closest('[role=grid]') as HTMLElement).getByTestId('endpoints-grid-details');
    const shown = within(details).getByTestId('endpoint-check-result');
    expect(shown.dataset.verdict).toBe('fail');
    expect(within(details).getByTestId('endpoint-check-finding').dataset.code).toBe('cors-missing-allow-origin');
    expect(within(row).getByTestId('check-endpoint-button').textContent).toBe('Check again');
    expect(within(row).getByTestId('endpoint-check-verdict').textContent).toContain('✕');
  });
});

describe('deep capture', () => {
  it('asks the browser for the permission first thing in the click, then turns deep capture on', async () => {
    const t = fakeTransport();
    const { platform, order } = fakePlatform('requestable');
    const send = t.transport.send.bind(t.transport);
    t.transport.send = (name, payload) => {
      order.push(name);
      return send(name, payload);
    };
    renderApp(t, { platform });
    await t.push(configuredView);
    await flush();
    expect(screen.getByTestId('deep-explanation').textContent).toContain(
      'The browser first asks you to allow access to the page debugger.',
    );
    order.length = 0;
    fireEvent.click(screen.getByTestId('deep-capture-button'));
    // Synchronously in the click handler, before any await: the user's gesture is still there.
    expect(platform.requestDebugger).toHaveBeenCalledTimes(1);
    await flush();
    expect(order).toEqual(['request permission', 'setDeepCapture']);
    expect(t.sent.at(-1)).toEqual({ name: 'setDeepCapture', payload: { tabId: 42, on: true } });
  });

  it('stays off when the permission is refused, and says so', async () => {
    const t = fakeTransport();
    const { platform } = fakePlatform('requestable', false);
    renderApp(t, { platform });
    await t.push(configuredView);
    await flush();
    fireEvent.click(screen.getByTestId('deep-capture-button'));
    await flush();
    expect(t.sent.some((s) => s.name === 'setDeepCapture')).toBe(false);
    expect(screen.getByTestId('deep-error').textContent).toContain('did not grant access to the page debugger');
  });

  it('has no button where the browser has no debugger (Firefox)', async () => {
    const t = fakeTransport();
    const { platform } = fakePlatform('unavailable');
    renderApp(t, { platform });
    await t.push(configuredView);
    await flush();
    expect(screen.queryByTestId('deep-capture-button')).toBeNull();
    expect(screen.queryByTestId('delivery-section')).toBeNull();
  });

  it("shows the browser's queue and endpoints beside the parsed ones, crashes the tab, and turns off when the panel goes away", async () => {
    const t = fakeTransport();
    const { platform } = fakePlatform('granted');
    renderApp(t, { platform });
    await t.push(view(42, { ...configuredView.state, deep }, configuredView.origins));
    await flush();
    fireEvent.click(screen.getByTestId('deep-capture-button')); // on from this panel (the view says on already)
    await flush();
    expect(platform.requestDebugger).not.toHaveBeenCalled();
    expect(t.sent.at(-1)).toEqual({ name: 'setDeepCapture', payload: { tabId: 42, on: false } });
    await t.push(
      view(
        42,
        { ...configuredView.state, deep: { ...deep, attached: false, detachReason: 'turned_off' } },
        configuredView.origins,
      ),
    );
    expect(screen.getByTestId('deep-status').textContent).toBe('Off (stopped).');
    fireEvent.click(screen.getByTestId('deep-capture-button'));
    await flush();
    expect(t.sent.at(-1)).toEqual({ name: 'setDeepCapture', payload: { tabId: 42, on: true } });
    await t.push(view(42, { ...configuredView.state, deep }, configuredView.origins));
    expect(screen.getByTestId('deep-status').textContent).toBe('On since 1 min ago.');

    const rows = screen.getAllByTestId('browser-report');
    expect(rows.map((r) => [r.dataset.id, r.dataset.status])).toEqual([
      ['B', 'Queued'],
      ['A', 'Success'],
    ]);
    expect(within(rows[1]!).getByTestId('browser-report-status').textContent).toBe('delivered');
    expect(within(rows[1]!).getByTestId('browser-report-attempts').textContent).toBe('1 attempt');
    const comparison = screen.getAllByTestId('endpoint-comparison-row').map((r) => [r.dataset.name, r.dataset.status]);
    expect(comparison).toContainEqual(['default', 'same']);
    expect(comparison).toContainEqual(['ghost', 'browser-only']);
    expect(comparison).toContainEqual(['csp', 'parsed-only']);

    fireEvent.click(screen.getByTestId('crash-tab-button'));
    await flush();
    expect(t.sent.at(-1)).toEqual({ name: 'crashTab', payload: { tabId: 42 } });

    await act(() => {
      dispatchEvent(new Event('pagehide'));
    });
    await flush();
    expect(t.sent.at(-1)).toEqual({ name: 'setDeepCapture', payload: { tabId: 42, on: false, panelClosed: true } });
  });

  it('shows why deep capture stopped', () => {
    renderPanel(
      view(42, { ...configuredView.state, deep: { ...deep, attached: false, detachReason: 'canceled_by_user' } }),
      configuredAnalyses,
      {
        tab: 'crashes',
        delivery: {
          checks: {},
          inboxUrl: INBOX,
          inbox: null,
          deepAvailability: 'granted',
          deepPending: false,
          deepError: null,
          onDeepCapture: () => {},
        },
      },
    );
    expect(screen.getByTestId('deep-status').textContent).toBe('Off (stopped: the debugging bar was cancelled).');
    expect(screen.queryByTestId('crash-tab-button')).toBeNull();
  });
});
