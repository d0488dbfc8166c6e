// In-page capture in real Chromium: what the page hook records on the demo's activity pages reaches the tab's
// state and the panel (Breadcrumbs and Reports tabs), in order and with its fields; secrets are scrubbed
// everywhere; live Reporting API reports carry their route; a CrashSense app's checkpoint and backend reports are
// recognised; and the settings can turn the hook off for a site.
import type { Page, Worker } from '@playwright/test';
import { test, expect, type DemoServer } from './fixtures';
import { tabView } from './helpers';
import type { BreadcrumbEntry } from '@/utils/page/types';

/** Loads `path` twice: the hook is registered at runtime, so the first load after the worker starts may miss it. */
async function loadWarm(page: Page, demo: DemoServer, path: string): Promise<void> {
  await page.goto(`${demo.origin}${path}`);
  await page.reload();
  await expect.poll(() => page.evaluate(() => Symbol.for('report-inspector.page-hook') in window)).toBe(true);
}

type Expected = {
  type: BreadcrumbEntry['type'];
  message: RegExp | string;
  data?: Record<string, unknown>;
  level?: string;
};

/** Each expected entry, in order, among `crumbs` (others may come between); returns the matches or the first miss. */
function inOrder(crumbs: BreadcrumbEntry[], expected: Expected[]): { found: BreadcrumbEntry[]; missing?: Expected } {
  const found: BreadcrumbEntry[] = [];
  let i = 0;
  for (const want of expected) {
    const matches = (b: BreadcrumbEntry) =>
      b.type === want.type &&
      (typeof want.message === 'string' ? b.message === want.message : want.message.test(b.message)) &&
      (!want.level || b.level === want.level) &&
      Object.entries(want.data ?? {}).every(([k, v]) => b.data?.[k] === v);
    while (i < crumbs.length && !matches(crumbs[i]!)) i++;
    if (i === crumbs.length) return { found, missing: want };
    found.push(crumbs[i++]!);
  }
  return { found };
}

test.describe('in-page capture', () => {
  test('breadcrumbs: clicks, requests, console, navigation and errors, in order with their fields', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await loadWarm(page, demo, '/breadcrumbs');
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    const since = (await tabView(panel, tabId)).state.nextSeq;

    const result = page.locator('#result');
    const click = async (id: string, status?: RegExp) => {
      await page.locator(`#${id}`).click();
      if (status) await expect(result).toHaveText(status);
    };
    await click('buy', /\/api\/echo\?n=1 → 200/);
    await click('xhr', /\/api\/echo\?n=2 → 200/);
    await click('console', /Wrote one message/);
    await click('push', /pushState → \/breadcrumbs\?step=2/);
    await click('hash', /location.hash → #section-/);
    await click('throw', /Threw an error/);
    await click('reject', /Rejected a promise/);
    await click('fail', /\/api\/status\/500 → 500/);
    await click('abort', /AbortError/);

    const o = demo.origin;
    const expected: Expected[] = [
      { type: 'click', message: 'button#buy.primary "Add to cart"' },
      {
        type: 'network',
        message: /^GET \/api\/echo\?n=1 → 200 \(\d+ ms\)$/,
        data: { method: 'GET', url: '/api/echo?n=1', status: 200 },
      },
      { type: 'click', message: 'button#xhr "Load with XMLHttpRequest"' },
      {
        type: 'network',
        message: /^GET \/api\/echo\?n=2 → 200 \(\d+ ms\)$/,
        data: { method: 'GET', url: '/api/echo?n=2', status: 200 },
      },
      { type: 'click', message: 'button#console "Write to the console"' },
      { type: 'console', message: 'cart: 1 item', level: 'log' },
      { type: 'console', message: 'shipping options loaded', level: 'info' },
      { type: 'console', message: 'coupon expired', level: 'warn' },
      { type: 'console', message: 'payment widget failed to load', level: 'error' },
      { type: 'console', message: 'render took 12 ms', level: 'debug' },
      { type: 'click', message: 'button#push "history.pushState"' },
      { type: 'navigation', message: `pushState ${o}/breadcrumbs?step=2`, data: { url: `${o}/breadcrumbs?step=2` } },
      { type: 'click', message: 'button#hash "Change location.hash"' },
      { type: 'navigation', message: new RegExp(`^hashchange ${o}/breadcrumbs\\?step=2#section-\\d+$`) },
      { type: 'click', message: 'button#throw.danger "Throw an error"' },
      { type: 'console', message: /Cart total could not be computed/, level: 'error', data: { kind: 'error' } },
      { type: 'click', message: 'button#reject.danger "Reject a promise"' },
      {
        type: 'console',
        message: 'Unhandled rejection: Error: Inventory service unavailable',
        level: 'error',
        data: { kind: 'unhandledrejection' },
      },
      { type: 'click', message: 'button#fail "Request that fails (500)"' },
      { type: 'network', message: /^GET \/api\/status\/500 → 500 \(\d+ ms\)$/, level: 'error', data: { status: 500 } },
      { type: 'click', message: 'button#abort "Aborted request"' },
      {
        type: 'network',
        message: /^GET \/api\/slow\?ms=2000 → aborted \(\d+ ms\)$/,
        level: 'error',
        data: { status: 0, failed: true, aborted: true, error: 'AbortError' },
      },
    ];
    let crumbs: BreadcrumbEntry[] = [];
    await expect
      .poll(
        async () => {
          crumbs = (await tabView(panel, tabId)).state.breadcrumbs.filter((b) => b.seq >= since && b.source === 'page');
          return inOrder(crumbs, expected).missing ?? null;
        },
        { message: 'every expected breadcrumb, in order' },
      )
      .toBeNull();
    const { found } = inOrder(crumbs, expected);
    for (const b of found) expect(b.timestamp).toBeGreaterThan(Date.now() - 120_000);
    // Network entries carry a duration; the XHR's too; the aborted one is marked failed and aborted.
    for (const b of found.filter((x) => x.type === 'network')) expect(typeof b.data?.duration).toBe('number');
    expect(found.at(-1)!.data!.duration as number).toBeLessThan(2000);
    // Timestamps do not go backwards along the trail.
    for (let i = 1; i < found.length; i++) expect(found[i]!.timestamp).toBeGreaterThanOrEqual(found[i - 1]!.timestamp);

    // The panel shows them: the list counts them, and the rows read in the same order.
    const list = panel.getByTestId('breadcrumb-list');
    await expect
      .poll(async () => Number(await list.getAttribute('data-count')))
      .toBeGreaterThanOrEqual(expected.length);
    await panel.getByTestId('breadcrumb-search').fill('Add to cart');
    const buy = panel
      .locator('[data-testid="breadcrumb-row"][data-type="click"][data-source="page"]')
      .filter({ hasText: 'button#buy.primary "Add to cart"' });
    await expect(buy.first()).toBeVisible();
    await panel.getByTestId('breadcrumb-search').fill('/api/status/500');
    const failed = panel.locator('[data-testid="breadcrumb-row"][data-type="network"]').filter({ hasText: '→ 500' });
    await expect(failed.first()).toBeVisible();
    await failed.first().click();
    const detail = panel.getByTestId('breadcrumb-detail');
    await expect(detail).toBeVisible();
    await expect(panel.getByTestId('breadcrumb-data')).toContainText('"status": 500');
    await expect(panel.getByTestId('breadcrumb-data')).toContainText('"method": "GET"');
    await panel.getByTestId('breadcrumb-search').fill('aborted');
    await expect(
      panel
        .locator('[data-testid="breadcrumb-row"][data-type="network"]')
        .filter({ hasText: '/api/slow?ms=2000 → aborted' })
        .first(),
    ).toBeVisible();
    await panel.getByTestId('breadcrumb-search').fill('');
    // Order in the panel: the rows' seq attributes follow the recorded order.
    const seqs = await panel
      .locator('[data-testid="breadcrumb-row"][data-source="page"]')
      .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-seq'))));
    expect(seqs.length).toBeGreaterThan(0);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  test('personal data is scrubbed from everything the extension keeps and shows', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await loadWarm(page, demo, '/pii');
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    const since = (await tabView(panel, tabId)).state.nextSeq;
    for (const id of ['email', 'ip', 'bearer', 'card', 'secrets']) {
      await page.locator(`#${id}`).click();
      await expect(page.locator('#result')).not.toHaveText('');
      if (id === 'bearer' || id === 'secrets') await expect(page.locator('#result')).toContainText('→ 200');
    }
    await expect(page).toHaveURL(/\/pii\?token=/);

    const secrets = [
      'jane.doe@example.com',
      '203.0.113.42',
      'abc.def.ghi',
      '4111 1111 1111 1111',
      'tok_live_8f2a',
      'AKIA1234SECRET',
      'hunter2',
    ];
    let json = '';
    await expect
      .poll(async () => {
        const view = await tabView(panel, tabId);
        json = JSON.stringify(view);
        const mine = view.state.breadcrumbs.filter((b) => b.seq >= since);
        // The last thing the page does is the pushState to the URL with secrets.
        return mine.some((b) => b.type === 'navigation' && b.message.startsWith('pushState'));
      })
      .toBe(true);
    // What replaced them stays readable: the kind of value, and that it was redacted.
    for (const s of [
      /\[email\]/i,
      /\[ip\]/i,
      /Bearer \[token\]/i,
      /\[card\]/i,
      /token=\[redacted\]&key=\[redacted\]&password=\[redacted\]/,
    ]) {
      expect(json).toMatch(s);
    }
    for (const s of secrets) expect(json, `"${s}" in the tab view`).not.toContain(s);

    // Nor does the panel show them anywhere (text or attributes).
    await expect(panel.getByTestId('breadcrumb-list')).toBeVisible();
    await expect(
      panel
        .locator('[data-testid="breadcrumb-row"]')
        .filter({ hasText: /\[email\]/i })
        .first(),
    ).toBeVisible();
    const html = await panel.content();
    for (const s of secrets) expect(html, `"${s}" in the panel`).not.toContain(s);
  });

  test('live reports: a CSP violation and a deprecation appear with their routes', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await loadWarm(page, demo, '/csp-violation');
    await expect(page.locator('#load-status')).toContainText('Done');
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=reports`);
    const csp = panel.locator('[data-testid="report-row"][data-type="csp-violation"]').first();
    const dep = panel.locator('[data-testid="report-row"][data-type="deprecation"]').first();
    await expect(csp).toBeVisible();
    await expect(dep).toBeVisible();
    await expect(csp).toContainText(`${demo.origin}/csp-violation`);
    await expect(csp.getByTestId('report-route')).toContainText('csp');
    await expect(csp.getByTestId('report-route')).toContainText(`${demo.origin}/reports/csp`);
    await expect(dep.getByTestId('report-route')).toContainText('default');
    await expect(dep.getByTestId('report-route')).toContainText(`${demo.origin}/reports/default`);
    const view = await tabView(panel, tabId);
    const body = view.state.reports.find((r) => r.type === 'deprecation')?.body;
    expect(body?.id).toBe('UnloadHandler');
    const cspBody = view.state.reports.find((r) => r.type === 'csp-violation')?.body;
    expect(cspBody?.effectiveDirective).toBe('img-src');
  });

  test('CrashSense: the checkpoint card and the backend report with its status', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await loadWarm(page, demo, '/crashsense');
    await page.locator('#add-tea').click();
    await page.locator('#pressure').click();
    await page.locator('#throw').click();
    await expect(page.locator('#sent')).not.toHaveText('');
    const sessionId = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem('__crashsense_checkpoint') ?? '{}') as { sessionId?: string }).sessionId,
    );
    expect(sessionId).toBeTruthy();
    const tabId = await tabIdOf(page);

    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    const card = panel.getByTestId('checkpoint-card');
    await expect(card).toContainText('demo-shop');
    await expect(card).toContainText(sessionId!);
    await expect(card.getByTestId('precrash-warning').first()).toBeVisible();
    await expect(panel.getByTestId('abnormal-end')).toHaveCount(0);

    const reports = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=reports`);
    const row = reports.getByTestId('app-report-row').filter({ hasText: 'runtime_error' }).first();
    await expect(row).toBeVisible();
    await expect(row).toContainText(`${demo.origin}/api/crashes`);
    await expect(row.getByTestId('app-report-status')).toHaveText(/^HTTP 20[04]$/);
    await expect(row).toContainText('typeerror');
    const view = await tabView(reports, tabId);
    const app = view.state.appReports.find((r) => r.category === 'runtime_error')!;
    expect(app.destination).toBe(`${demo.origin}/api/crashes`);
    expect([200, 204]).toContain(app.status);
    expect(app.severity).toBeTruthy();
    expect(app.fingerprint).toBeTruthy();
    expect(app.contributingFactors.length).toBeGreaterThan(0);
    // The detail: fingerprint and contributing factors, as text.
    await row.click();
    await expect(reports.getByText(app.fingerprint, { exact: false }).first()).toBeVisible();
    await expect(reports.getByText(app.contributingFactors[0]!.factor, { exact: true }).first()).toBeVisible();
  });

  test('turned off for the site, the hook records nothing after a reload', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    await loadWarm(page, demo, '/breadcrumbs');
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    await withSiteOff(serviceWorker, new URL(demo.origin).hostname, async () => {
      await page.reload();
      const since = (await tabView(panel, tabId)).state.nextSeq;
      expect(await page.evaluate(() => Symbol.for('report-inspector.page-hook') in window)).toBe(false);
      await page.locator('#buy').click();
      await expect(page.locator('#result')).toContainText('→ 200');
      await page.locator('#console').click();
      await page.waitForTimeout(600); // longer than the hook's and the relay's batch delays
      const after = (await tabView(panel, tabId)).state.breadcrumbs.filter((b) => b.seq >= since);
      expect(after).toEqual([]);
    });
  });

  test('turned off for the site while its page is open, what the page does next is not recorded', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
    serviceWorker,
  }) => {
    await loadWarm(page, demo, '/breadcrumbs');
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
    const clicks = async () =>
      (await tabView(panel, tabId)).state.breadcrumbs.filter((b) => b.type === 'click' && b.message.includes('buy'))
        .length;
    await page.locator('#buy').click();
    await expect.poll(clicks, { message: 'recorded while on' }).toBe(1);
    await withSiteOff(serviceWorker, new URL(demo.origin).hostname, async () => {
      // The page keeps its hook and relay until it reloads; the background refuses what they send.
      expect(await page.evaluate(() => Symbol.for('report-inspector.page-hook') in window)).toBe(true);
      await page.locator('#buy').click();
      await expect(page.locator('#result')).toContainText('→ 200');
      await page.waitForTimeout(600); // longer than the hook's and the relay's batch delays
      expect(await clicks()).toBe(1);
    });
    await page.locator('#buy').click();
    await expect.poll(clicks, { message: 'recorded again once back on' }).toBe(2);
  });
});

/** Runs `body` with in-page recording turned off for `host` (once the hook's registration excludes it), then back on. */
async function withSiteOff(worker: Worker, host: string, body: () => Promise<void>): Promise<void> {
  await setSettings(worker, { hookEnabled: true, disabledSites: [host], breadcrumbBuffer: 500 });
  try {
    await expect
      .poll(() => excludeMatches(worker), { message: 'the registration excludes the site' })
      .toContain(`*://${host}/*`);
    await body();
  } finally {
    await setSettings(worker, { hookEnabled: true, disabledSites: [], breadcrumbBuffer: 500 });
    await expect.poll(() => excludeMatches(worker)).toEqual([]);
  }
}

async function setSettings(worker: Worker, settings: unknown): Promise<void> {
  await worker.evaluate(
    (s) =>
      (
        globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } }
      ).chrome.storage.local.set({ settings: s }),
    settings,
  );
}

async function excludeMatches(worker: Worker): Promise<string[]> {
  return worker.evaluate(async () => {
    const api = (
      globalThis as unknown as {
        chrome: { scripting: { getRegisteredContentScripts(): Promise<{ excludeMatches?: string[] }[]> } };
      }
    ).chrome;
    const [s] = await api.scripting.getRegisteredContentScripts();
    return s ? (s.excludeMatches ?? []) : ['(not registered)'];
  });
}
