// The header pipeline in real Chromium: what the background captures for each demo page, the origin cache's
// expiry and removal, iframes kept apart, state kept across service-worker stops, and cleared on tab close.
import { test, expect, type DemoServer } from './fixtures';
import type { Route } from '@playwright/test';
import type { TabSummary, TabView } from '@/utils/tab/types';
import { asker as extensionAsker, sleep, viewOf, type Ask } from './helpers';

/** The protocol request function of a fresh extension page. */
const asker = async (open: Parameters<typeof extensionAsker>[0]): Promise<Ask> => (await extensionAsker(open)).ask;

const custom = (demo: DemoServer, headers: Record<string, string | string[]>) =>
  `${demo.origin}/custom?h=${encodeURIComponent(JSON.stringify(headers))}`;
/** `chrome.storage.session` as the service worker sees it (read through `serviceWorker.evaluate`). */
type ChromeSession = {
  chrome: { storage: { session: { get(key: string | null): Promise<Record<string, unknown>> } } };
};
const codes = (v: TabView) => (v.state.documents['0']?.diagnostics ?? []).map((d) => d.code);

test.describe('header capture', () => {
  test('captures the good configuration: endpoints, Report-To group and routes', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    const view = await viewOf(
      ask,
      tabId,
      (v) => v.state.documents['0']?.url === `${demo.origin}/good`,
      'the /good document',
    );
    const top = view.state.documents['0']!;
    expect(top.endpoints).toEqual([
      { name: 'default', url: `${demo.origin}/reports/default` },
      { name: 'csp', url: `${demo.origin}/reports/csp` },
    ]);
    expect(top.reportTo?.groups).toEqual([
      {
        name: 'default',
        maxAge: 1800,
        includeSubdomains: true,
        endpoints: [{ url: `${demo.origin}/reports/default`, priority: 1, weight: 1 }],
      },
    ]);
    expect(top.references).toContainEqual(
      expect.objectContaining({ reportType: 'csp-violation', endpointName: 'csp' }),
    );
    const origin = view.origins.find((o) => o.origin === demo.origin)!;
    expect(origin.groups[0]).toMatchObject({ name: 'default', maxAge: 1800 });
    expect(origin.groups[0]!.expiresAt - origin.groups[0]!.receivedAt).toBe(1800_000);

    const summary = await ask('getTabSummary', { tabId });
    expect(summary.kind).toBe('configured');
    expect(summary.crash).toMatchObject({
      willDeliver: true,
      endpointName: 'default',
      url: `${demo.origin}/reports/default`,
    });
  });

  // `/good` leaves a Report-To group "default" on the origin for 30 minutes, which Chromium also uses for crash
  // reports; cases that need a clean origin visit `/max-age-zero` first.
  const cases: { path: string; clean?: boolean; expect: (v: TabView, s: TabSummary, demo: DemoServer) => void }[] = [
    {
      path: '/insecure-endpoint',
      expect: (v) => {
        expect(v.state.documents['0']!.endpoints).toEqual([]);
        expect(codes(v)).toContain('reporting-endpoints-insecure-endpoint');
      },
    },
    { path: '/invalid-json', expect: (v) => expect(codes(v)).toContain('report-to-invalid-json') },
    {
      path: '/uppercase-csp',
      expect: (_v, s) => {
        expect(s.lines.find((l) => l.key === 'routes')!.level).toBe('error');
        expect(s.problems.errors).toBeGreaterThan(0);
      },
    },
    {
      path: '/no-default',
      clean: true,
      expect: (_v, s) => {
        expect(s.crash.willDeliver).toBe(false);
        expect(s.crash.reason).toContain('no "crash-reporting" or "default" endpoint');
        expect(s.badge.color).toBe('#e37400');
      },
    },
    {
      path: '/nel-mismatch',
      expect: (_v, s) => expect(s.lines.find((l) => l.key === 'routes')!.verdict).toContain('network-error → nel'),
    },
    {
      path: '/cloudflare',
      expect: (v, _s, demo) => {
        expect(v.state.documents['0']!.reportTo!.groups[0]).toMatchObject({
          name: 'cf-nel',
          endpoints: [{ url: `${demo.origin}/reports/default` }],
        });
        expect(v.state.documents['0']!.references).toContainEqual(
          expect.objectContaining({ reportType: 'network-error', endpointName: 'cf-nel' }),
        );
      },
    },
    {
      path: '/repeated',
      expect: (v) => {
        const re = v.state.documents['0']!.headers.find((h) => h.name === 'reporting-endpoints')!;
        expect(re.value).toContain(', ');
        expect(v.state.documents['0']!.endpoints.length).toBeGreaterThanOrEqual(2);
      },
    },
  ];
  for (const c of cases) {
    test(`captures ${c.path}`, async ({ page, demo, tabIdOf, openExtensionPage }) => {
      if (c.clean) await page.goto(`${demo.origin}/max-age-zero`);
      await page.goto(`${demo.origin}${c.path}`);
      const tabId = await tabIdOf(page);
      const ask = await asker(openExtensionPage);
      const view = await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === `${demo.origin}${c.path}`, c.path);
      c.expect(view, await ask('getTabSummary', { tabId }), demo);
    });
  }

  test('Report-To on a subresource configures the origin for crash reports (recorded while a panel is open)', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/max-age-zero`); // start from a clean origin
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    // No panel for the tab: its document is recorded, its subresources are not.
    await page.goto(`${demo.origin}/subresource`);
    const unwatched = await viewOf(
      ask,
      tabId,
      (v) => v.state.documents['0']?.url === `${demo.origin}/subresource`,
      'the /subresource document',
    );
    expect(unwatched.subresourcesSince).toBeNull();
    await sleep(500);
    const stillNone = await ask('getTabView', { tabId });
    expect(stillNone.origins.find((o) => o.origin === demo.origin)?.sourceUrl ?? '').not.toContain('/assets/');

    // A panel for the tab: subresource responses are recorded from now on.
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=endpoints`);
    await expect(panel.getByTestId('tabpanel-endpoints')).toBeVisible();
    await page.reload();
    const view = await viewOf(
      ask,
      tabId,
      (v) => (v.origins.find((o) => o.origin === demo.origin)?.sourceUrl ?? '').includes('/assets/'),
      'the subresource Report-To',
    );
    expect(view.subresourcesSince).toEqual(expect.any(Number));
    expect(view.state.documents['0']!.reportTo).toBeNull();
    const summary = await ask('getTabSummary', { tabId });
    expect(summary.crash).toMatchObject({ willDeliver: true, via: 'report-to', endpointName: 'default' });

    // The panel closed: back to documents only.
    await panel.close();
    await expect
      .poll(async () => (await ask('getTabView', { tabId })).subresourcesSince, { timeout: 10_000 })
      .toBeNull();
  });

  test('a group expires after max_age, and max_age 0 removes it', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    const rt = `{"group":"short","max_age":2,"endpoints":[{"url":"/reports/short"}]}`;
    await page.goto(custom(demo, { 'Report-To': rt }));
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    const first = await viewOf(
      ask,
      tabId,
      (v) => v.origins.some((o) => o.groups.some((g) => g.name === 'short')),
      'group "short"',
    );
    const g = first.origins.find((o) => o.origin === demo.origin)!.groups.find((x) => x.name === 'short')!;
    expect(g.expiresAt - g.receivedAt).toBe(2000);
    expect((await ask('getTabSummary', { tabId })).groups).toBe(1);
    await expect.poll(async () => (await ask('getTabSummary', { tabId })).groups, { timeout: 8_000 }).toBe(0);
    expect((await ask('getTabSummary', { tabId })).lines.find((l) => l.key === 'report-to')!.verdict).toContain(
      'expired',
    );

    await page.goto(custom(demo, { 'Report-To': `{"group":"short","max_age":0}` }));
    const removed = await viewOf(
      ask,
      tabId,
      (v) =>
        (v.origins.find((o) => o.origin === demo.origin)?.removedGroups ?? []).some(
          (r) => r.name === 'short' && r.why === 'max_age 0',
        ),
      'removal by max_age 0',
    );
    expect(removed.origins.find((o) => o.origin === demo.origin)!.groups.some((x) => x.name === 'short')).toBe(false);
  });

  test('keeps iframe documents apart from the top document', async ({ page, demo, tabIdOf, openExtensionPage }) => {
    await page.goto(`${demo.origin}/iframe`);
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    const view = await viewOf(ask, tabId, (v) => Object.keys(v.state.documents).length >= 2, 'two documents');
    const docs = Object.values(view.state.documents);
    const top = docs.find((d) => d.frameId === 0)!;
    const child = docs.find((d) => d.frameId !== 0)!;
    expect(top.url).toBe(`${demo.origin}/iframe`);
    expect(child.url).toBe(`${demo.origin}/iframe/child`);
    expect(child.type).toBe('sub_frame');
    expect(top.endpoints.map((e) => e.name)).not.toContain('child');
    expect(child.endpoints.map((e) => e.name)).toContain('child');
  });

  test('keeps history of previous documents, newest first', async ({ page, demo, tabIdOf, openExtensionPage }) => {
    await page.goto(`${demo.origin}/good`);
    await page.goto(`${demo.origin}/no-default`);
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    const view = await viewOf(
      ask,
      tabId,
      (v) => v.state.documents['0']?.url === `${demo.origin}/no-default`,
      '/no-default',
    );
    expect(view.state.history[0]!.url).toBe(`${demo.origin}/good`);
  });

  test('state survives the service worker being stopped, and capture resumes after', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    stopServiceWorker,
    serviceWorker,
  }) => {
    test.setTimeout(90_000);
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    const ask = await asker(openExtensionPage);
    await viewOf(ask, tabId, (v) => v.state.documents['0']?.url === `${demo.origin}/good`, '/good before the stop');
    await expect
      .poll(() =>
        serviceWorker.evaluate(
          async (k) => Boolean((await (globalThis as unknown as ChromeSession).chrome.storage.session.get(k))[k]),
          `tab:${tabId}`,
        ),
      )
      .toBe(true);

    // Each stop is followed by a request from the extension page, which wakes the worker again.
    for (let i = 0; i < 3; i++) {
      await stopServiceWorker({ wake: false });
      expect((await ask('getTabView', { tabId })).state.documents['0']?.url).toBe(`${demo.origin}/good`);
    }
    const after = await ask('getTabView', { tabId });
    expect(after.state.documents['0']!.url).toBe(`${demo.origin}/good`);
    expect(after.state.documents['0']!.endpoints).toHaveLength(2);

    // A stopped worker is woken by the next response and captures it.
    await stopServiceWorker({ wake: false });
    await page.goto(`${demo.origin}/no-default`);
    await viewOf(
      ask,
      tabId,
      (v) =>
        v.state.documents['0']?.url === `${demo.origin}/no-default` &&
        v.state.history[0]?.url === `${demo.origin}/good`,
      'capture after a stop',
    );
  });

  test('a document is kept until its page has loaded, and a worker stopped before then loses nothing', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    stopServiceWorker,
    serviceWorker,
  }) => {
    test.setTimeout(90_000);
    const tabId = await tabIdOf(page);
    const url = `${demo.origin}/good?kept=${Date.now()}`;
    // The page's stylesheets and scripts are held, so its load cannot complete until they are let go.
    const held: Route[] = [];
    await page.route('**/assets/**', (route) => void held.push(route));
    await page.goto(url, { waitUntil: 'commit' });
    const stored = () =>
      serviceWorker.evaluate(async (id) => {
        const all = await (globalThis as unknown as ChromeSession).chrome.storage.session.get(null);
        const keys = Object.keys(all);
        return {
          kept: keys.filter((k) => k.startsWith(`pending:${id}:`)),
          tab: JSON.stringify(keys.filter((k) => k === `tab:${id}` || k.startsWith(`tab:${id}:`)).map((k) => all[k])),
        };
      }, tabId);
    // One read of storage: kept as it came, and not placed yet (nothing stored for the tab names the document).
    // It is read within ms of the commit, well inside the 1 s after which a kept document is placed anyway.
    let snapshot = await stored();
    await expect.poll(async () => (snapshot = await stored()).kept, { intervals: [50] }).toHaveLength(1);
    expect(snapshot.tab).not.toContain(url);
    await expect.poll(() => held.length).toBeGreaterThan(0);

    await stopServiceWorker({ wake: false });
    for (const route of held.splice(0)) await route.continue();
    await page.unroute('**/assets/**');
    await page.waitForLoadState('load');

    // The next worker reads it back and places it, before it answers anything about the tab.
    const ask = await asker(openExtensionPage);
    const view = await ask('getTabView', { tabId });
    expect(view.state.documents['0']?.url).toBe(url);
    expect(view.state.documents['0']?.endpoints).toHaveLength(2);
    await expect.poll(async () => (await stored()).kept).toEqual([]);
    await expect.poll(async () => (await stored()).tab).toContain(url);
  });

  test('closing a tab removes its state', async ({ context, demo, tabIdOf, serviceWorker }) => {
    const page = await context.newPage();
    await page.goto(`${demo.origin}/good`);
    const tabId = await tabIdOf(page);
    const stored = (k: string) =>
      serviceWorker.evaluate(
        async (key) => Boolean((await (globalThis as unknown as ChromeSession).chrome.storage.session.get(key))[key]),
        k,
      );
    await expect.poll(() => stored(`tab:${tabId}`)).toBe(true);
    await page.close();
    await expect.poll(() => stored(`tab:${tabId}`)).toBe(false);
  });
});
