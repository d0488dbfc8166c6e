// Reliability in real Chromium: the service worker is stopped over and over while several tabs load pages, send
// reporting headers and record clicks and reports; nothing captured may be lost or duplicated, and the panel
// reconnects after every stop.
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { test, expect, type DemoServer } from './fixtures';
import type { TabView } from '@/utils/tab/types';
import { asker, sleep, viewOf } from './helpers';

/** A `/custom` page with its own Reporting-Endpoints (unique per navigation) and a report-only CSP that the click violates. */
function customUrl(demo: DemoServer, tab: number, round: number): string {
  const h = {
    'Reporting-Endpoints': `default="${demo.origin}/reports/t${tab}-r${round}"`,
    'Content-Security-Policy-Report-Only': "img-src 'self'; report-to default",
  };
  // Chromium escapes ' in a query; so does this, for exact comparisons.
  return `${demo.origin}/custom?h=${encodeURIComponent(JSON.stringify(h)).replaceAll("'", '%27')}&t=${tab}&r=${round}`;
}

/** A DevTools protocol session (on a page of its own) that can stop the profile's service workers. */
async function workerControl(context: BrowserContext): Promise<CDPSession> {
  const cdp = await context.newCDPSession(await context.newPage());
  await cdp.send('ServiceWorker.enable');
  return cdp;
}

/** Stops every service worker without waiting for anything: the stop lands while pages load. */
function stopAll(cdp: CDPSession): Promise<unknown> {
  return cdp.send('ServiceWorker.stopAllWorkers');
}

test.describe('service worker faults', () => {
  test('42 stops while 3 tabs navigate, click and observe reports: no document, breadcrumb or report lost or duplicated', async ({
    page,
    context,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    test.setTimeout(300_000);
    const TABS = 3;
    const ROUNDS = 21; // one navigation per tab and round: 21 documents = the current one + a full history of 20
    const pages: Page[] = [page];
    for (let i = 1; i < TABS; i++) pages.push(await context.newPage());
    const tabIds: number[] = [];
    for (const [i, p] of pages.entries()) {
      await p.goto(`${demo.origin}/?warm=${i}`);
      tabIds.push(await tabIdOf(p));
    }
    const { ask } = await asker(openExtensionPage);
    // Forget what the warm-up recorded, so the comparison below is exact.
    for (const id of tabIds)
      for (const what of ['breadcrumbs', 'reports', 'history'] as const) await ask('clearTabData', { tabId: id, what });

    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabIds[0]}`);
    const status = panel.getByTestId('connection-status');
    await expect(status).toHaveAttribute('data-status', 'connected');

    const cdp = await workerControl(context);
    // Chromium 150 drops some `onHeadersReceived` events dispatched while the worker stops: a listener that stores
    // each main-frame URL as its first statement never sees them (README, Reliability). Chromium 156 delivers all.
    // (A persistent context has no `browser()` to ask: the protocol says which Chromium this is.)
    const { product } = await cdp.send('Browser.getVersion');
    const major = Number(/\/(\d+)\./.exec(product)?.[1]);
    expect(major, product).toBeGreaterThan(0);
    const deliversAll = major >= 156;
    let undelivered = 0;
    const navigated = new Map<number, string[]>(tabIds.map((id) => [id, []]));
    const clicks = new Map<number, number>(tabIds.map((id) => [id, 0]));
    let stops = 0;
    let reconnectsSeen = 0;

    for (let round = 0; round < ROUNDS; round++) {
      // Stop while the navigations are in flight: the headers arrive at a stopped or stopping worker.
      const stopping = stopAll(cdp);
      await Promise.all(
        pages.map(async (p, i) => {
          const url = customUrl(demo, i, round);
          await p.goto(url);
          navigated.get(tabIds[i]!)!.push(url);
          await p.click('#violate');
          clicks.set(tabIds[i]!, clicks.get(tabIds[i]!)! + 1);
        }),
      );
      await stopping;
      stops++;
      // And once more right after the clicks, inside the relay's batching and the store's coalescing windows.
      await sleep(30 + ((round * 37) % 120));
      await stopAll(cdp);
      stops++;
      const sawDrop = await status.getAttribute('data-status').then((s) => s !== 'connected');
      if (sawDrop) reconnectsSeen++;
      await expect(status).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
      // The next round navigates away: give the relay time to deliver (or retry) this page's batch first. A batch
      // sent from a document that unloads at the very moment the worker is killed cannot be retried by anyone
      // (see the README's "Reliability and privacy").
      await sleep(500);
    }

    // Everything navigated is there exactly once, in order; every click became one breadcrumb and one report.
    for (const [i, tabId] of tabIds.entries()) {
      const expectedUrls = navigated.get(tabId)!;
      let view: TabView | null = null;
      try {
        await expect
          .poll(
            async () => {
              view = await ask('getTabView', { tabId });
              const clicksSeen = view.state.breadcrumbs.filter((b) => b.type === 'click').length;
              const reportsSeen = view.state.reports.filter((r) => r.type === 'csp-violation').length;
              return {
                ...(deliversAll ? { top: view.state.documents['0']?.url, history: view.state.history.length } : {}),
                clicksSeen,
                reportsSeen,
              };
            },
            { message: `tab ${i}`, timeout: 20_000 },
          )
          .toEqual({
            ...(deliversAll ? { top: expectedUrls.at(-1), history: ROUNDS - 1 } : {}),
            clicksSeen: clicks.get(tabId),
            reportsSeen: clicks.get(tabId),
          });
      } catch (e) {
        const s = (view as TabView | null)?.state;
        console.log(
          `tab ${i}: report rounds`,
          s?.reports.map((r) => /[?&]r=(\d+)/.exec(r.url)?.[1]).join(','),
          'other crumbs',
          JSON.stringify(s?.breadcrumbs.filter((b) => b.type !== 'click').map((b) => b.message)),
          'history rounds',
          s?.history.map((d) => /[?&]r=(\d+)/.exec(d.url)?.[1] ?? d.url).join(','),
          'dropped',
          JSON.stringify(s?.dropped),
        );
        throw e;
      }
      const v = view as unknown as TabView;
      const all = [v.state.documents['0']!, ...v.state.history].reverse();
      const kept = all.filter((d) => expectedUrls.includes(d.url));
      const docs = kept.map((d) => d.url);
      if (deliversAll) {
        expect(
          all.map((d) => d.url),
          `tab ${i}: documents`,
        ).toEqual(expectedUrls);
        // Only the warm-up page fell out of the bounded history (20): 21 pages of ours came after it.
        expect(v.state.dropped.history).toBe(1);
      } else {
        // What Chromium delivered is there once each, in the order loaded (a subsequence of what was navigated);
        // with fewer than 20 of ours in history the warm-up page is still there, oldest, and nothing else is.
        expect(docs, `tab ${i}: documents in order, none twice`).toEqual(expectedUrls.filter((u) => docs.includes(u)));
        const others = all.length - kept.length;
        expect(
          all.slice(0, others).map((d) => d.url),
          `tab ${i}: only the warm-up page besides ours`,
        ).toEqual(others ? [`${demo.origin}/?warm=${i}`] : []);
        undelivered += expectedUrls.length - docs.length;
      }
      // Each document kept the endpoint its own response named.
      for (const d of kept) {
        const round = expectedUrls.indexOf(d.url);
        expect(d.headers.find((h) => h.name === 'reporting-endpoints')?.value).toContain(`/reports/t${i}-r${round}`);
      }
      // Reports: one per page, each from its own document.
      const reportUrls = v.state.reports.filter((r) => r.type === 'csp-violation').map((r) => r.url);
      expect(new Set(reportUrls)).toEqual(new Set(expectedUrls));
      const seqs = [...v.state.breadcrumbs.map((b) => b.seq), ...v.state.reports.map((r) => r.seq)];
      expect(new Set(seqs).size, `tab ${i}: seq unique`).toBe(seqs.length);
    }
    expect(stops).toBeGreaterThanOrEqual(40);
    test.info().annotations.push({
      type: 'figures',
      description: `${stops} stops, ${TABS * ROUNDS} navigations, ${reconnectsSeen} panel drops seen, ${undelivered} documents Chromium did not deliver`,
    });
    await cdp.detach();
  });
});

test.describe('service worker faults: crashes', () => {
  test('15 crashes in 15 tabs with the worker stopped before, during and after each: every crash recorded once', async ({
    context,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    test.setTimeout(300_000);
    const TABS = 3;
    const ROUNDS = 5;
    const { ask } = await asker(openExtensionPage);
    const cdp = await workerControl(context);
    // Playwright gives up on a page once it crashed: every round crashes three fresh tabs.
    const crashed: { tabId: number; url: string }[] = [];
    let stops = 0;
    const stop = async () => {
      await stopAll(cdp);
      stops++;
    };

    for (let round = 0; round < ROUNDS; round++) {
      const pages: Page[] = [];
      for (let i = 0; i < TABS; i++) pages.push(await context.newPage());
      const urls = pages.map((_, i) => customUrl(demo, i, round));
      await Promise.all(pages.map((p, i) => p.goto(urls[i]!)));
      const ids = await Promise.all(pages.map((p) => tabIdOf(p)));
      for (const [i, id] of ids.entries()) {
        await expect
          .poll(async () => (await ask('getTabView', { tabId: id })).state.documents['0']?.url, { timeout: 15_000 })
          .toBe(urls[i]);
      }
      // The worker is stopped just before the crash (variant 0), during the detector's checks after it (1), or both (2).
      const variant = (i: number) => (i + round) % 3;
      await Promise.all(
        pages.map(async (p, i) => {
          const v = variant(i);
          if (v === 0 || v === 2) await stop();
          await p.goto('chrome://crash').catch(() => undefined);
          crashed.push({ tabId: ids[i]!, url: urls[i]! });
          if (v === 1 || v === 2) {
            await sleep(60 + ((round * 53 + i * 17) % 200));
            await stop();
          }
        }),
      );
      await sleep(300);
      await stop();
    }

    for (const { tabId, url } of crashed) {
      await expect
        .poll(async () => (await ask('getTabView', { tabId })).state.crashes.map((c) => c.url), {
          message: `tab ${tabId}: crashes`,
          timeout: 20_000,
        })
        .toEqual([url]);
    }
    // Nothing recorded twice, even after more wakes of the worker.
    await stop();
    await sleep(2000);
    for (const { tabId, url } of crashed) {
      expect(
        (await ask('getTabView', { tabId })).state.crashes.map((c) => c.url),
        `tab ${tabId}: after more stops`,
      ).toEqual([url]);
    }
    expect(stops).toBeGreaterThanOrEqual(20);
    test.info().annotations.push({ type: 'figures', description: `${stops} stops, ${crashed.length} crashes` });
    await cdp.detach();
  });
});

test.describe('hostile header values', () => {
  test('HTML, script, javascript: and data: URLs, bidi and zero-width characters and huge values render as inert text', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    test.setTimeout(120_000);
    // Header bytes are Latin-1 to Node: U+202E (RIGHT-TO-LEFT OVERRIDE) and U+200B (ZERO WIDTH SPACE) are sent as
    // their UTF-8 bytes, which Chromium decodes back.
    const utf8 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
    const bidi = utf8('\u202Egnp.exe\u200B\u200D');
    const markup = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><a href="javascript:window.__pwned=3">x</a>`;
    // The demo server reads at most 16 KB of request line and headers; the largest value /custom can carry is ~10 KB
    // (Chromium would take 256 KB of response headers; the extension stores at most 16 KB of each value).
    const huge = `${'W'.repeat(9000)}${bidi}`;
    const headers = {
      'Reporting-Endpoints': `default="${demo.origin}/reports/ok", js="javascript:window.__pwned=4", data="data:text/html,${markup.replace(/"/g, "'")}", odd="https://127.0.0.1/${encodeURIComponent(markup)}"`,
      'Report-To': JSON.stringify({
        group: `<svg onload=window.__pwned=5>${bidi}`,
        max_age: 60,
        endpoints: [{ url: 'javascript:window.__pwned=6' }, { url: `${demo.origin}/reports/rt` }],
      }),
      'Content-Security-Policy-Report-Only': `img-src 'self'; report-to ${markup.replace(/[;,]/g, '')}; report-uri javascript:window.__pwned=7 data:text/html,x`,
      NEL: `{"report_to":"${markup.replace(/"/g, "'")}${bidi}","max_age":60}`,
      'Permissions-Policy': `geolocation=(); report-to="${bidi}<b>bold</b>"`,
      'Document-Policy': huge,
      'Cross-Origin-Opener-Policy-Report-Only': `same-origin; report-to="${'x'.repeat(3000)}"`,
    };
    await page.goto(`${demo.origin}/custom?h=${encodeURIComponent(JSON.stringify(headers))}`);
    const tabId = await tabIdOf(page);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}`);
    const dialogs: string[] = [];
    panel.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await panel.setViewportSize({ width: 1000, height: 800 });
    await expect(panel.getByTestId('connection-status')).toHaveAttribute('data-status', 'connected');
    const tabs = panel.locator('[role=tab]');
    const n = await tabs.count();
    expect(n).toBeGreaterThan(3);
    const scriptsBefore = await panel.locator('script').count();
    const sawMarkup: string[] = [];
    const sawBidi: string[] = [];
    for (let i = 0; i < n; i++) {
      await tabs.nth(i).click();
      // Open every expandable row, so what is folded is rendered too.
      for (const b of (await panel.locator('button[aria-expanded=false]:visible').all()).slice(0, 40))
        await b.click({ timeout: 1000 }).catch(() => undefined);
      const name = (await tabs.nth(i).textContent())?.trim();
      const check = await panel.evaluate(() => {
        const bad: string[] = [];
        for (const el of document.querySelectorAll('*')) {
          for (const a of el.getAttributeNames()) {
            if (/^on/i.test(a)) bad.push(`${el.tagName} ${a}`);
            const v = el.getAttribute(a) ?? '';
            if (a === 'href' || a === 'src' || a === 'action' || a === 'formaction') {
              if (
                !/^(https:|chrome-extension:|#|\/|blob:chrome-extension:)/i.test(v) &&
                !(el.tagName === 'LINK' || el.tagName === 'SCRIPT')
              )
                bad.push(`${el.tagName} ${a}=${v.slice(0, 60)}`);
            }
          }
        }
        // The product bolds its own labels; a <b> made from the Permissions-Policy value would hold "bold".
        const foreign = [...document.querySelectorAll('img, iframe, object, embed, svg, b')]
          .filter((e) => e.tagName !== 'B' || e.textContent === 'bold')
          .map((e) => e.outerHTML.slice(0, 80));
        return {
          bad,
          foreign,
          pwned: (window as unknown as { __pwned?: number }).__pwned ?? null,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          text: document.body.innerText,
        };
      });
      expect(check.bad, `tab ${name}: attributes`).toEqual([]);
      expect(check.foreign, `tab ${name}: elements from header values`).toEqual([]);
      expect(check.pwned, `tab ${name}`).toBeNull();
      expect(check.overflow, `tab ${name}: horizontal overflow`).toBeLessThanOrEqual(1);
      if (check.text.includes('<script>window.__pwned=1</script>')) sawMarkup.push(name ?? '');
      if (check.text.includes('\u202Egnp.exe')) sawBidi.push(name ?? '');
    }
    // The markup and the bidi text were rendered, as text.
    expect(sawMarkup.length, 'tabs showing the header markup as text').toBeGreaterThan(0);
    expect(sawBidi.length, 'tabs showing the bidi text').toBeGreaterThan(0);
    test.info().annotations.push({
      type: 'shown as text in',
      description: `${sawMarkup.join(', ')} / bidi: ${sawBidi.join(', ')}`,
    });
    expect(await panel.locator('script').count()).toBe(scriptsBefore);
    expect(dialogs).toEqual([]);
    // Endpoint links only for https: the javascript: and data: endpoints are text, not links.
    const hrefs = await panel.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const h of hrefs) expect(h).not.toMatch(/^(javascript|data|http):/i);
  });

  test('headers near the 256 KB Chromium accepts: diagnosed, stored cut at 16 KiB, shown without breaking the layout', async ({
    page,
    demo,
    tabIdOf,
    openExtensionPage,
  }) => {
    await page.goto(`${demo.origin}/huge-headers?kb=200`);
    const tabId = await tabIdOf(page);
    const { ask } = await asker(openExtensionPage);
    const view = await viewOf(
      ask,
      tabId,
      (v) => v.state.documents['0']?.url.includes('/huge-headers') ?? false,
      '/huge-headers',
    );
    const top = view.state.documents['0']!;
    // What Chromium would do: the 20 KB Report-To is ignored whole; Reporting-Endpoints still works.
    expect(top.diagnostics.map((d) => d.code)).toContain('report-to-too-large');
    expect(top.endpoints.map((e) => e.name)).toEqual(['default']);
    const policy = top.headers.find((h) => h.name === 'document-policy')!;
    expect(policy.truncated).toBe(true);
    expect(policy.value.length).toBeLessThanOrEqual(16 * 1024);
    expect(JSON.stringify(view.state).length).toBeLessThan(200 * 1024);
    const panel = await openExtensionPage(`devtools-panel.html?tabId=${tabId}&tab=headers`);
    await panel.setViewportSize({ width: 900, height: 700 });
    await expect(panel.getByTestId('tabpanel-headers')).toContainText('stored value cut at 16 KiB');
    for (const tab of ['headers', 'problems', 'overview', 'endpoints']) {
      await panel.getByTestId(`tab-${tab}`).click();
      const overflow = await panel.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${tab}: horizontal overflow`).toBeLessThanOrEqual(1);
    }
  });
});
