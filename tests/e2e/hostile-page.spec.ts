// A hostile page against the in-page capture, in real Chromium: forged window messages in the hook's own format
// (bad shapes, 1 MB payloads, markup and `javascript:` URLs in every field, a flood of 10,000 messages in about a
// second, and messages from a cross-origin iframe) change nothing but bounded, escaped entries. The tab's
// breadcrumbs stay within the buffer, each within its caps, the flood leaves a "dropped (rate limit)" note, the
// panel shows markup as inert text, and the extension keeps answering.
import type { Page } from '@playwright/test';
import { test, expect } from './fixtures';
import { tabView } from './helpers';
import { PAGE_MESSAGE_KEY as KEY, PAGE_MESSAGE_VERSION as V } from '@/utils/page/events';

const BUFFER = 500; // the default breadcrumb buffer
const XSS = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"><a href="javascript:window.__pwned=1">x</a>`;
const JS_URL = 'javascript:window.__pwned=1';

/** The hook's nonce for this load, as any page script can read it from the hook's next message. */
async function readNonce(page: Page): Promise<string> {
  return page.evaluate(
    (key) =>
      new Promise<string>((resolve) => {
        addEventListener('message', function listener(e) {
          const d = e.data as Record<string, unknown> | null;
          if (d && d[key] === 1 && typeof d.n === 'string') {
            removeEventListener('message', listener);
            resolve(d.n);
          }
        });
        console.log('nonce please');
      }),
    KEY,
  );
}

test('a hostile page gets only bounded, escaped entries and cannot stall the extension', async ({
  page,
  demo,
  tabIdOf,
  openExtensionPage,
}) => {
  test.setTimeout(60_000);
  await page.goto(`${demo.origin}/breadcrumbs`);
  await page.reload();
  await expect.poll(() => page.evaluate(() => Symbol.for('report-inspector.page-hook') in window)).toBe(true);
  const tabId = await tabIdOf(page);
  const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`);
  await expect(panel.getByTestId('breadcrumb-list')).toBeVisible();
  const injected = () =>
    panel.evaluate(() => document.querySelectorAll('script,img[onerror],iframe,object,embed').length);
  const before = await injected();
  const n = await readNonce(page);

  // --- bad shapes, oversized payloads, markup everywhere ---------------------------------------------------------
  await page.evaluate(
    ({ key, v, n, xss, js }) => {
      const post = (m: unknown) => window.postMessage(m, '*');
      const msg = (events: unknown) => ({ [key]: 1, v, n, events });
      const big = 'A'.repeat(1024 * 1024);
      // Bad shapes: none of these may be kept or break the relay.
      for (const events of [
        null,
        'x',
        42,
        {},
        [null],
        [1, 'x', []],
        [{ kind: 'nope' }],
        [{ kind: 'breadcrumb' }],
        [{ kind: 'breadcrumb', crumb: { type: 'evil', timestamp: 1, message: 'bad type' } }],
        [{ kind: 'breadcrumb', crumb: { type: 'click', timestamp: 'soon', message: 5 } }],
        [{ kind: 'report', report: null }],
        [{ kind: 'checkpoint', raw: '{not json', atLoad: true }],
        [{ kind: 'app-upload', id: 7, body: {} }],
        [{ kind: 'app-report-status', id: 'x', status: 'ok' }],
      ]) {
        post(msg(events));
      }
      post({ [key]: 1, v: v + 1, n, events: [] });
      post({
        [key]: 1,
        v,
        n: 'forged-nonce',
        events: [{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: Date.now(), message: 'OTHER-NONCE' } }],
      });
      post(
        msg(
          Array.from({ length: 1001 }, () => ({
            kind: 'breadcrumb',
            crumb: { type: 'custom', timestamp: Date.now(), message: 'TOO-MANY' },
          })),
        ),
      );
      // 1 MB: the whole message is refused.
      post(msg([{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: Date.now(), message: `HUGE-1MB ${big}` } }]));
      // 100 KB in two fields of a message under the relay's size bound: kept, cut to the caps.
      post(
        msg([
          {
            kind: 'breadcrumb',
            crumb: {
              type: 'custom',
              timestamp: Date.now(),
              message: `LONG-FIELD ${big.slice(0, 100_000)}`,
              data: { blob: big.slice(0, 100_000) },
            },
          },
        ]),
      );
      // Markup and javascript: URLs in every field of every kind.
      post(
        msg([
          {
            kind: 'breadcrumb',
            crumb: {
              type: 'click',
              timestamp: Date.now(),
              message: `XSS-CLICK ${xss}`,
              data: { [xss]: xss, url: js, selector: xss },
            },
            level: 'error',
          },
          {
            kind: 'breadcrumb',
            crumb: {
              type: 'network',
              timestamp: Date.now(),
              message: `XSS-NET ${xss}`,
              data: { method: xss, url: js, status: 200 },
            },
          },
          {
            kind: 'breadcrumb',
            crumb: { type: 'navigation', timestamp: Date.now(), message: `XSS-NAV ${js}`, data: { url: js } },
          },
          {
            kind: 'report',
            report: { type: `xss-report ${xss}`, url: js, body: { [xss]: xss, sourceFile: js, blockedURL: js } },
          },
        ]),
      );
      // A forged checkpoint with markup in its fields.
      post(
        msg([
          {
            kind: 'checkpoint',
            atLoad: false,
            raw: JSON.stringify({
              version: 1,
              timestamp: Date.now(),
              sessionId: `XSS-SESSION ${xss}`,
              appId: `XSS-APP ${xss}`,
              url: js,
              breadcrumbs: [{ type: 'click', timestamp: Date.now(), message: `XSS-CP ${xss}` }],
              systemState: { [xss]: xss },
              device: {},
              preCrashWarnings: [{ level: 'critical', reason: `XSS-WARN ${xss}`, timestamp: Date.now() }],
              memoryTrend: null,
              checkpointCount: 1,
            }),
          },
        ]),
      );
    },
    { key: KEY, v: V, n, xss: XSS, js: JS_URL },
  );

  // --- messages from a cross-origin iframe, in the parent's format with the parent's nonce --------------------
  await page.evaluate((src) => {
    const f = document.createElement('iframe');
    f.src = src;
    document.body.append(f);
  }, `${demo.altOrigin}/breadcrumbs`);
  const frame = await expect
    .poll(() => page.frames().find((f) => f.url().startsWith(demo.altOrigin)) ?? null)
    .not.toBeNull()
    .then(() => page.frames().find((f) => f.url().startsWith(demo.altOrigin))!);
  await frame.waitForLoadState();
  await frame.evaluate(
    ({ key, v, n }) => {
      for (let i = 0; i < 20; i++) {
        parent.postMessage(
          {
            [key]: 1,
            v,
            n,
            events: [{ kind: 'breadcrumb', crumb: { type: 'custom', timestamp: Date.now(), message: 'FROM-IFRAME' } }],
          },
          '*',
        );
      }
    },
    { key: KEY, v: V, n },
  );

  // What was kept is bounded and escaped; what was malformed or oversized is gone.
  let view = await tabView(panel, tabId);
  await expect
    .poll(async () => {
      view = await tabView(panel, tabId);
      return (
        view.state.breadcrumbs.some((b) => b.message.startsWith('XSS-NAV')) &&
        view.state.reports.some((r) => r.type.startsWith('xss-report'))
      );
    })
    .toBe(true);
  await page.waitForTimeout(300); // the iframe's messages had time to arrive, had they been accepted
  view = await tabView(panel, tabId);
  const json = JSON.stringify(view);
  for (const marker of ['OTHER-NONCE', 'TOO-MANY', 'HUGE-1MB', 'bad type', 'FROM-IFRAME'])
    expect(json, marker).not.toContain(marker);
  const long = view.state.breadcrumbs.find((b) => b.message.startsWith('LONG-FIELD'))!;
  expect(long.message.length).toBeLessThanOrEqual(1000);
  expect(JSON.stringify(long.data ?? {}).length).toBeLessThanOrEqual(4 * 1024 + 64);
  expect(json.length).toBeLessThan(512 * 1024);

  // The panel shows the markup as text: nothing injected, nothing run, no javascript: link.
  await panel.getByTestId('breadcrumb-search').fill('XSS-CLICK');
  const row = panel.locator('[data-testid="breadcrumb-row"]').filter({ hasText: 'XSS-CLICK' }).first();
  await expect(row).toBeVisible();
  await expect(row).toContainText('<script>window.__pwned=1</script><img src=x onerror=');
  await row.click();
  await expect(panel.getByTestId('breadcrumb-data')).toContainText('javascript:window.__pwned=1');
  await panel.getByTestId('breadcrumb-search').fill('XSS-NAV');
  await expect(panel.locator('[data-testid="breadcrumb-row"]').filter({ hasText: JS_URL }).first()).toBeVisible();
  await expect(panel.getByTestId('checkpoint-card')).toContainText('XSS-APP <script>');
  const reports = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=reports`);
  const report = reports.locator('[data-testid="report-row"]').filter({ hasText: 'xss-report' }).first();
  await expect(report).toBeVisible();
  await expect(report).toContainText(JS_URL);
  await report.click();
  await expect(reports.getByTestId('report-body')).toContainText('<img src=x onerror=');
  for (const p of [panel, reports]) {
    expect(await p.evaluate(() => document.querySelectorAll('a[href^="javascript:" i]').length)).toBe(0);
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  }
  expect(await injected()).toBe(before);
  expect(
    await reports.evaluate(() => document.querySelectorAll('script,img[onerror],iframe,object,embed').length),
  ).toBe(before);
  await panel.getByTestId('breadcrumb-search').fill('');

  // --- a flood: 10,000 messages in about a second -------------------------------------------------------------
  await page.evaluate(
    ({ key, v, n }) =>
      new Promise<void>((resolve) => {
        let sent = 0;
        const tick = () => {
          for (let i = 0; i < 100; i++, sent++) {
            window.postMessage(
              {
                [key]: 1,
                v,
                n,
                events: [
                  { kind: 'breadcrumb', crumb: { type: 'custom', timestamp: Date.now(), message: `FLOOD ${sent}` } },
                ],
              },
              '*',
            );
          }
          if (sent < 10_000) setTimeout(tick, 10);
          else resolve();
        };
        tick();
      }),
    { key: KEY, v: V, n },
  );
  await expect
    .poll(async () =>
      (await tabView(panel, tabId)).state.breadcrumbs.some((b) =>
        /^\d+ events dropped \(rate limit\)$/.test(b.message),
      ),
    )
    .toBe(true);
  const t0 = Date.now();
  view = await tabView(panel, tabId);
  expect(Date.now() - t0, 'getTabView answers within a second').toBeLessThan(1000);
  const flood = view.state.breadcrumbs.filter((b) => b.message.startsWith('FLOOD'));
  expect(flood.length).toBeGreaterThan(0);
  expect(flood.length).toBeLessThan(2000); // rate-limited: most of the 10,000 never got in
  expect(view.state.breadcrumbs.length).toBeLessThanOrEqual(BUFFER);
  for (const b of view.state.breadcrumbs) {
    expect(b.message.length).toBeLessThanOrEqual(1000);
    expect(JSON.stringify(b.data ?? {}).length).toBeLessThanOrEqual(4 * 1024 + 64);
  }
  // The panel keeps up: it shows the bounded list and the rate-limit note.
  await expect
    .poll(async () => Number(await panel.getByTestId('breadcrumb-list').getAttribute('data-count')))
    .toBeLessThanOrEqual(BUFFER);
  await panel.getByTestId('breadcrumb-search').fill('dropped (rate limit)');
  await expect(
    panel
      .locator('[data-testid="breadcrumb-row"]')
      .filter({ hasText: /events dropped \(rate limit\)/ })
      .first(),
  ).toBeVisible();
  expect(await injected()).toBe(before);

  // And the real recorder still works once the page calms down.
  await page.waitForTimeout(1000);
  await page.locator('#buy').click();
  await expect
    .poll(async () =>
      (await tabView(panel, tabId)).state.breadcrumbs.some((b) => b.message === 'button#buy.primary "Add to cart"'),
    )
    .toBe(true);
});
