import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createStores, tabKey, type Stores } from '@/entrypoints/background/tab-and-origin-stores';
import { DeepCapture, ENABLE_COMMANDS, type Debuggee, type DebuggerApi } from '@/entrypoints/background/deep-capture';
import {
  applyDebuggerEvent,
  browserReportOf,
  compareEndpoints,
  detachReasonText,
  emptyDeepState,
} from '@/utils/delivery/deep-capture-state';
import { emptyTabState, LIMITS, type CrashEntry } from '@/utils/tab/types';
import { type DeepCaptureState } from '@/utils/delivery/types';
import type { DocumentAnalysis } from '@/utils/tab/routes';

const ORIGIN = 'https://127.0.0.1:8443';
let clock = Date.UTC(2026, 10, 21, 12);

/** A CDP `Network.ReportingApiReport`. */
function cdpReport(over: Record<string, unknown> = {}) {
  return {
    id: 'R1',
    initiatorUrl: `${ORIGIN}/good`,
    destination: 'csp',
    type: 'csp-violation',
    timestamp: clock / 1000,
    depth: 0,
    completedAttempts: 0,
    body: { blockedURL: 'https://127.0.0.1:1/x.png', effectiveDirective: 'img-src' },
    status: 'Queued',
    ...over,
  };
}

type Listener<F> = { addListener(cb: F): void; removeListener(cb: F): void; fire: F };
function event<F extends (...a: never[]) => void>(): Listener<F> {
  const cbs = new Set<F>();
  return {
    addListener: (cb) => cbs.add(cb),
    removeListener: (cb) => cbs.delete(cb),
    fire: ((...a: Parameters<F>) => cbs.forEach((cb) => cb(...a))) as F,
  };
}

/** A fake `chrome.debugger` that records what it is asked. */
function fakeDebugger(opts: { attachError?: string; commandError?: (method: string) => string | null } = {}) {
  const calls: [string, Debuggee, string?, unknown?][] = [];
  const onEvent = event<(source: Debuggee, method: string, params?: unknown) => void>();
  const onDetach = event<(source: Debuggee, reason: string) => void>();
  const api: DebuggerApi = {
    attach: async (target, version) => {
      calls.push(['attach', target, version]);
      if (opts.attachError) throw new Error(opts.attachError);
    },
    detach: async (target) => {
      calls.push(['detach', target]);
    },
    sendCommand: async (target, method, params) => {
      calls.push(['sendCommand', target, method, params]);
      const err = opts.commandError?.(method);
      if (err) throw new Error(err);
      if (method === 'Page.crash') return new Promise(() => {}); // never answers: the renderer is gone
      return {};
    },
    onEvent,
    onDetach,
  };
  return { api, calls, onEvent, onDetach };
}

function setup(api: DebuggerApi | null) {
  const stores = createStores();
  const changed: number[] = [];
  const crashes: [number, number, boolean, CrashEntry['detectedBy']][] = [];
  const deep = new DeepCapture({
    stores,
    now: () => clock,
    tabChanged: (id) => changed.push(id),
    recordCrash: async (id, at, visible, by) => void crashes.push([id, at, visible, by]),
    isTabVisible: async () => false,
    api: () => api,
  });
  return { stores, deep, changed, crashes };
}

const deepOf = async (stores: Stores, tabId = 5): Promise<DeepCaptureState | undefined> =>
  (await stores.tabs.get(tabKey(tabId)))?.deep;
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  fakeBrowser.reset();
  clock = Date.UTC(2026, 10, 21, 12);
});

describe("deep capture: the browser's events", () => {
  it('adds a queued report and updates it by id through Pending to Success, with attempts', () => {
    let d = emptyDeepState(clock);
    d = applyDebuggerEvent(d, 'Network.reportingApiReportAdded', { report: cdpReport() }, clock);
    expect(d.reports).toEqual([
      {
        id: 'R1',
        type: 'csp-violation',
        initiatorUrl: `${ORIGIN}/good`,
        destination: 'csp',
        status: 'Queued',
        completedAttempts: 0,
        timestamp: clock,
        body: { blockedURL: 'https://127.0.0.1:1/x.png', effectiveDirective: 'img-src' },
        updatedAt: clock,
      },
    ]);
    d = applyDebuggerEvent(
      d,
      'Network.reportingApiReportUpdated',
      { report: cdpReport({ status: 'Pending' }) },
      clock + 5,
    );
    d = applyDebuggerEvent(
      d,
      'Network.reportingApiReportUpdated',
      { report: cdpReport({ status: 'Success', completedAttempts: 1 }) },
      clock + 9,
    );
    expect(d.reports).toHaveLength(1);
    expect(d.reports[0]).toMatchObject({ status: 'Success', completedAttempts: 1, updatedAt: clock + 9 });
    d = applyDebuggerEvent(
      d,
      'Network.reportingApiReportUpdated',
      { report: cdpReport({ id: 'R2', status: 'MarkedForRemoval', completedAttempts: 5 }) },
      clock,
    );
    expect(d.reports.map((r) => [r.id, r.status])).toEqual([
      ['R1', 'Success'],
      ['R2', 'MarkedForRemoval'],
    ]);
  });

  it('keeps at most LIMITS.browserReports reports, the newest, and bounds bodies', () => {
    let d = emptyDeepState(clock);
    for (let i = 0; i < LIMITS.browserReports + 7; i++)
      d = applyDebuggerEvent(d, 'Network.reportingApiReportAdded', { report: cdpReport({ id: `R${i}` }) }, clock);
    expect(d.reports).toHaveLength(LIMITS.browserReports);
    expect(d.reports[0]!.id).toBe('R7');
    const big = browserReportOf(cdpReport({ body: { sample: 'x'.repeat(100_000) } }), clock)!;
    expect(JSON.stringify(big.body).length).toBeLessThan(5 * 1024);
    expect(big.body.truncated).toBe(true);
    expect(browserReportOf({ id: 5 }, clock)).toBeNull();
    expect(applyDebuggerEvent(d, 'Network.reportingApiReportAdded', { report: 'nonsense' }, clock)).toBe(d);
    expect(applyDebuggerEvent(d, 'Network.requestWillBeSent', {}, clock)).toBe(d);
  });

  it('keeps the endpoints the browser registered per origin, replacing them on change', () => {
    let d = emptyDeepState(clock);
    d = applyDebuggerEvent(
      d,
      'Network.reportingApiEndpointsChangedForOrigin',
      {
        origin: ORIGIN,
        endpoints: [
          { url: `${ORIGIN}/reports/csp`, groupName: 'csp' },
          { url: `${ORIGIN}/reports/default`, groupName: 'default' },
        ],
      },
      clock,
    );
    expect(d.endpoints[ORIGIN]).toHaveLength(2);
    d = applyDebuggerEvent(
      d,
      'Network.reportingApiEndpointsChangedForOrigin',
      { origin: ORIGIN, endpoints: [] },
      clock,
    );
    expect(d.endpoints).toEqual({});
  });

  it("compares the browser's endpoints with the parsed ones: same, only in the browser, only parsed", () => {
    const doc = { url: `${ORIGIN}/good` } as DocumentAnalysis['document'];
    const analysis: Pick<DocumentAnalysis, 'document' | 'endpoints' | 'groups'> = {
      document: doc,
      endpoints: [
        { name: 'default', url: `${ORIGIN}/reports/default` },
        { name: 'csp', url: `${ORIGIN}/reports/csp` },
      ],
      groups: [
        {
          origin: ORIGIN,
          viaSubdomains: false,
          expired: false,
          group: {
            name: 'nel',
            maxAge: 60,
            includeSubdomains: false,
            receivedAt: 0,
            expiresAt: 1,
            endpoints: [{ url: `${ORIGIN}/reports/nel`, priority: 1, weight: 1 }],
          },
        },
      ],
    };
    const rows = compareEndpoints(
      {
        [ORIGIN]: [
          { url: `${ORIGIN}/reports/default`, groupName: 'default' },
          { url: `${ORIGIN}/reports/other`, groupName: 'other' },
        ],
      },
      [analysis],
    );
    expect(rows.map((r) => [r.name, r.status, r.parsedFrom])).toEqual([
      ['default', 'same', 'Reporting-Endpoints'],
      ['other', 'browser-only', undefined],
      ['csp', 'parsed-only', 'Reporting-Endpoints'],
      ['nel', 'parsed-only', 'Report-To'],
    ]);
    expect(compareEndpoints({}, [analysis])).toEqual([]);
    // Another document of the origin named `default` differently: the browser lists that URL for the name.
    const differs = compareEndpoints(
      { [ORIGIN]: [{ url: 'https://localhost:8443/reports/default', groupName: 'default' }] },
      [analysis],
    );
    expect(differs.filter((r) => r.name === 'default').map((r) => [r.status, r.urlDiffers])).toEqual([
      ['browser-only', true],
      ['parsed-only', true],
    ]);
    expect(differs.find((r) => r.name === 'csp')!.urlDiffers).toBeUndefined();
  });
});

describe('deep capture: the controller', () => {
  it('attaches to the tab, enables the Reporting API and the crash event, and records the state', async () => {
    const dbg = fakeDebugger();
    const { deep, stores, changed } = setup(dbg.api);
    const state = await deep.set(5, true);
    expect(dbg.calls.map((c) => (c[0] === 'attach' ? ['attach', c[1], c[2]] : [c[0], c[1], c[2], c[3]]))).toEqual([
      ['attach', { tabId: 5 }, '1.3'],
      ...ENABLE_COMMANDS.map(([m, p]) => ['sendCommand', { tabId: 5 }, m, p]),
    ]);
    expect(dbg.calls.map((c) => c[2]).filter(Boolean)).toEqual([
      '1.3',
      'Network.enable',
      'Network.enableReportingApi',
      'Inspector.enable',
    ]);
    expect(state).toEqual({ attached: true, since: clock, reports: [], endpoints: {} });
    expect(await deepOf(stores)).toEqual(state);
    expect(changed).toEqual([5]);
  });

  it('records added and updated reports and endpoint changes from the events, per tab', async () => {
    const dbg = fakeDebugger();
    const { deep, stores } = setup(dbg.api);
    expect(deep.listen()).toBe(true);
    await deep.set(5, true);
    dbg.onEvent.fire({ tabId: 5 }, 'Network.reportingApiReportAdded', { report: cdpReport() });
    dbg.onEvent.fire({ tabId: 5 }, 'Network.reportingApiReportUpdated', {
      report: cdpReport({ status: 'Success', completedAttempts: 1 }),
    });
    dbg.onEvent.fire({ tabId: 5 }, 'Network.reportingApiEndpointsChangedForOrigin', {
      origin: ORIGIN,
      endpoints: [{ url: `${ORIGIN}/reports/csp`, groupName: 'csp' }],
    });
    dbg.onEvent.fire({ tabId: 5 }, 'Network.requestWillBeSent', { requestId: '1' });
    dbg.onEvent.fire({ targetId: 'x' }, 'Network.reportingApiReportAdded', { report: cdpReport({ id: 'elsewhere' }) });
    await settle();
    await stores.tabs.flush();
    const d = await deepOf(stores);
    expect(d!.reports.map((r) => [r.id, r.status, r.completedAttempts])).toEqual([['R1', 'Success', 1]]);
    expect(d!.endpoints[ORIGIN]).toEqual([{ url: `${ORIGIN}/reports/csp`, groupName: 'csp' }]);
    // Persisted: a woken worker reads it back.
    const stored = (await fakeBrowser.storage.session.get('tab:5'))['tab:5'] as { deep: DeepCaptureState };
    expect(stored.deep.reports[0]!.status).toBe('Success');
  });

  it("records Inspector.targetCrashed as a crash detected by the debugger, with the tab's visibility", async () => {
    const dbg = fakeDebugger();
    const { deep, crashes } = setup(dbg.api);
    deep.listen();
    await deep.set(5, true);
    clock += 1000;
    dbg.onEvent.fire({ tabId: 5 }, 'Inspector.targetCrashed', {});
    await settle();
    expect(crashes).toEqual([[5, clock, false, 'debugger']]);
  });

  it('marks the session detached when the user cancels the bar or the tab goes away, without recreating a closed tab', async () => {
    const dbg = fakeDebugger();
    const { deep, stores } = setup(dbg.api);
    deep.listen();
    await deep.set(5, true);
    dbg.onDetach.fire({ tabId: 5 }, 'canceled_by_user');
    await settle();
    await settle();
    expect(await deepOf(stores)).toMatchObject({ attached: false, detachReason: 'canceled_by_user' });
    expect(detachReasonText('canceled_by_user')).toBe('stopped: the debugging bar was cancelled');

    await stores.tabs.remove(tabKey(9));
    await deep.handleDetach({ tabId: 9 }, 'target_closed');
    expect(await stores.tabs.get(tabKey(9))).toBeUndefined();
    expect(detachReasonText('target_closed')).toContain('tab was closed');
  });

  it('detaches when turned off or when the last panel closes, and does nothing when it was not on', async () => {
    const dbg = fakeDebugger();
    const { deep, stores } = setup(dbg.api);
    expect(await deep.set(5, false)).toBeNull();
    expect(dbg.calls).toEqual([]);
    await deep.set(5, true);
    deep.panelsClosed(5);
    await settle();
    await settle();
    expect(dbg.calls.at(-1)).toEqual(['detach', { tabId: 5 }]);
    expect(await deepOf(stores)).toMatchObject({ attached: false, detachReason: 'panel_closed' });
  });

  it('crashes the tab with Page.crash without waiting for an answer, only while attached', async () => {
    const dbg = fakeDebugger();
    const { deep } = setup(dbg.api);
    await expect(deep.crash(5)).rejects.toThrow(/Turn on deep capture first/);
    await deep.set(5, true);
    await deep.crash(5); // resolves although Page.crash never answers
    expect(dbg.calls.at(-1)).toEqual(['sendCommand', { tabId: 5 }, 'Page.crash', undefined]);
  });

  it('explains attach failures, and treats "already attached" as its own session when commands still work', async () => {
    const chromePage = setup(fakeDebugger({ attachError: 'Cannot access a chrome:// URL' }).api);
    await expect(chromePage.deep.set(5, true)).rejects.toThrow(
      'Could not attach the debugger: Cannot access a chrome:// URL',
    );

    const ours = fakeDebugger({ attachError: 'Another debugger is already attached to the tab with id: 5.' });
    const s1 = setup(ours.api);
    expect(await s1.deep.set(5, true)).toMatchObject({ attached: true });

    const theirs = fakeDebugger({
      attachError: 'Another debugger is already attached to the tab with id: 5.',
      commandError: () => 'Debugger is not attached',
    });
    await expect(setup(theirs.api).deep.set(5, true)).rejects.toThrow(/Another debugger is attached/);

    const refused = fakeDebugger({
      commandError: (m) => (m === 'Network.enableReportingApi' ? "'Network.enableReportingApi' wasn't found" : null),
    });
    await expect(setup(refused.api).deep.set(5, true)).rejects.toThrow(/refused Network.enableReportingApi/);
    expect(refused.calls.at(-1)).toEqual(['detach', { tabId: 5 }]);
  });

  it('is unavailable without the debugger API (Firefox, or before the permission), and registers listeners once it appears', async () => {
    let api: DebuggerApi | null = null;
    const stores = createStores();
    const deep = new DeepCapture({
      stores,
      now: () => clock,
      tabChanged: () => {},
      recordCrash: async () => {},
      isTabVisible: async () => true,
      api: () => api,
    });
    expect(deep.available()).toBe(false);
    expect(deep.listen()).toBe(false);
    await expect(deep.set(5, true)).rejects.toThrow(/needs the debugger/);
    const dbg = fakeDebugger();
    api = dbg.api;
    const added: unknown[] = [];
    const orig = dbg.onEvent.addListener.bind(dbg.onEvent);
    dbg.onEvent.addListener = (cb) => {
      added.push(cb);
      orig(cb);
    };
    expect(deep.listen()).toBe(true);
    expect(deep.listen()).toBe(true);
    expect(added).toHaveLength(1);
  });

  it('ignores events for a tab it has no state for', async () => {
    const dbg = fakeDebugger();
    const { deep, stores } = setup(dbg.api);
    await deep.handleEvent({ tabId: 77 }, 'Network.reportingApiReportAdded', { report: cdpReport() });
    expect(await stores.tabs.get(tabKey(77))).toBeUndefined();
    await stores.tabs.update(
      tabKey(78),
      () => emptyTabState(78, clock),
      (s) => s,
    );
    await deep.handleEvent({ tabId: 78 }, 'Network.reportingApiReportAdded', { report: cdpReport() });
    expect((await deepOf(stores, 78))!.reports).toHaveLength(1);
  });
});
