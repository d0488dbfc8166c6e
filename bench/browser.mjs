// Figures measured in real Chromium: the page-side cost of the extension (fetch loop, page load) with the extension
// and without it, side by side in one run (two persistent contexts, alternated, repeated; medians and their ratio),
// the panel's first render with 10,000 breadcrumbs and 1,000 reports and its scrolling, and the popup's first paint.
//   npx wxt build && node bench/browser.mjs        (EXTENSION_DIR=/tmp/copy to use a private copy of the build)
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { chromiumArgs, findChromium } from '../tests/support/chromium.mjs';
import { EXTENSION_DIR, figure, importTs, median, percentile } from './lib.mjs';

/**
 * Chromium's own floor: an extension that holds the `webRequest` permission and runs no code. Chromium then routes
 * every request of every page through its webRequest proxy in the browser process, listener or not, so no
 * extension that reads response headers can cost less than this. Written to a temporary directory.
 */
function floorExtension() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-floor-'));
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    manifest_version: 3, name: 'webRequest floor', version: '1',
    permissions: ['webRequest'], host_permissions: ['<all_urls>'], background: { service_worker: 'sw.js' },
  }));
  fs.writeFileSync(path.join(dir, 'sw.js'), '// holds the permission, runs nothing\n');
  return dir;
}

async function launch(extensionDir, home, withExtension) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-profile-'));
  let args = chromiumArgs({ extensionDir, headless: true });
  if (!withExtension) args = args.filter((a) => !a.startsWith('--load-extension=') && !a.startsWith('--disable-extensions-except='));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    args,
    env: { ...process.env, HOME: home },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    viewport: { width: 1280, height: 800 },
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  return { context, close };
}

async function extensionWorker(context) {
  const known = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return known ?? context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith('chrome-extension://'), timeout: 15_000 });
}

/** `count` sequential same-origin fetches in the page; ms. */
async function fetchLoop(page, origin, count) {
  await page.goto(`${origin}/`);
  return page.evaluate(async (n) => {
    for (let i = 0; i < 20; i++) await (await fetch(`/api/echo?warm=${i}`)).text();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await (await fetch(`/api/echo?i=${i}`)).text();
    return performance.now() - t0;
  }, count);
}

/** Navigation start → load event end of a demo page; ms. */
async function pageLoad(page, url) {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'load' });
  return page.evaluate(async () => {
    for (let i = 0; i < 100; i++) {
      const nav = performance.getEntriesByType('navigation')[0];
      if (nav && nav.loadEventEnd > 0) return nav.loadEventEnd - nav.startTime;
      await new Promise((r) => setTimeout(r, 10));
    }
    return NaN;
  });
}

/** Records, in the page, when the first element matching `selector` appears (ms since navigation start). */
function firstAppearance(selector) {
  return `(() => {
    const sel = ${JSON.stringify(selector)};
    const seen = () => { if (document.querySelector(sel)) { window.__firstSeen = performance.now(); return true; } return false; };
    const mo = new MutationObserver(() => { if (seen()) mo.disconnect(); });
    mo.observe(document, { childList: true, subtree: true });
  })();`;
}

async function timeToSelector(context, url, selector) {
  const page = await context.newPage();
  await page.addInitScript(firstAppearance(selector));
  await page.goto(url);
  await page.waitForSelector(selector, { timeout: 30_000 });
  const t = await page.evaluate(() => window.__firstSeen ?? performance.now());
  return { page, t };
}

/** Frame work while scrolling the breadcrumb list: per frame, scroll, let the list re-render, force layout. */
async function scrollFrames(page, frames) {
  return page.evaluate(async (n) => {
    const row = document.querySelector('[data-testid="breadcrumb-row"]');
    let el = row?.parentElement ?? null;
    while (el && !(el.scrollHeight > el.clientHeight + 10 && /(auto|scroll)/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
    if (!el) return { work: [], deltas: [], error: 'no scrollable list' };
    const work = [];
    const deltas = [];
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      await new Promise((resolve) =>
        requestAnimationFrame(async (ts) => {
          deltas.push(ts - last);
          last = ts;
          const t0 = performance.now();
          el.scrollTop = (el.scrollTop + 240) % Math.max(1, el.scrollHeight - el.clientHeight);
          el.dispatchEvent(new Event('scroll'));
          await Promise.resolve();
          await Promise.resolve();
          el.getBoundingClientRect();
          document.body.offsetHeight;
          work.push(performance.now() - t0);
          resolve();
        }),
      );
    }
    return { work, deltas: deltas.slice(1), rows: document.querySelectorAll('[data-testid="breadcrumb-row"]').length };
  }, frames);
}

/**
 * @param {{ extensionDir?: string; repeats?: number; loadsPerRepeat?: number; fetches?: number; frames?: number; panelRuns?: number; popupRuns?: number; log?: (s: string) => void }} [o]
 */
export async function browserFigures(o = {}) {
  const { extensionDir = EXTENSION_DIR, repeats = 7, loadsPerRepeat = 8, fetches = 2000, frames = 120, panelRuns = 5, popupRuns = 9, log = () => {} } = o;
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-home-'));
  trustCa(home, demo.certs.caCert);
  const floorDir = floorExtension();
  const withExt = await launch(extensionDir, home, true);
  const without = await launch(extensionDir, home, false);
  const floor = await launch(floorDir, home, true);
  try {
    const worker = await extensionWorker(withExt.context);
    const extId = new URL(worker.url()).host;
    const pages = { with: await withExt.context.newPage(), without: await without.context.newPage(), floor: await floor.context.newPage() };
    for (const p of Object.values(pages)) {
      await p.goto(`${demo.origin}/`);
      await p.goto(`${demo.origin}/good`);
    }

    // Page-side cost, alternated: each repeat rotates which browser goes first.
    const fetchMs = { with: [], without: [], floor: [] };
    const loadMs = { with: [], without: [], floor: [] };
    const kinds = ['without', 'with', 'floor'];
    const orderOf = (r) => [...kinds.slice(r % 3), ...kinds.slice(0, r % 3)];
    // Two phases, so that each figure is measured on its own: page loads first, on browsers that have done nothing
    // else yet (a fetch storm leaves the extension storing its breadcrumbs for a while), then the fetch loops.
    for (let r = 0; r < repeats; r++) {
      for (const k of orderOf(r)) for (let j = 0; j < loadsPerRepeat; j++) loadMs[k].push(await pageLoad(pages[k], `${demo.origin}/good?r=${r}-${j}`));
      log(`loads ${r + 1}/${repeats}: ${loadMs.with.at(-1).toFixed(1)} with / ${loadMs.without.at(-1).toFixed(1)} without / ${loadMs.floor.at(-1).toFixed(1)} floor ms`);
    }
    for (let r = 0; r < repeats; r++) {
      for (const k of orderOf(r)) fetchMs[k].push(await fetchLoop(pages[k], demo.origin, fetches));
      log(`fetches ${r + 1}/${repeats}: ${fetchMs.with.at(-1).toFixed(0)} with / ${fetchMs.without.at(-1).toFixed(0)} without / ${fetchMs.floor.at(-1).toFixed(0)} floor ms`);
    }
    const ratio = (m, a, b) => median(m[a]) / median(m[b]);
    const fetchRatio = ratio(fetchMs, 'with', 'without');
    const loadRatio = ratio(loadMs, 'with', 'without');

    // The panel with a seeded tab state: 10,000 breadcrumbs and 1,000 reports.
    const { seededTabState } = await importTs('bench/panel-state.ts');
    const target = await withExt.context.newPage();
    await target.goto('about:blank');
    const tabId = await worker.evaluate(async () => {
      const tabs = await chrome.tabs.query({ url: 'about:blank' });
      return tabs.at(-1)?.id;
    });
    const seeded = seededTabState(tabId, Date.now());
    await worker.evaluate(async ([key, value]) => chrome.storage.session.set({ [key]: value }), [`tab:${tabId}`, seeded]);
    const panelUrl = `chrome-extension://${extId}/devtools-panel.html?tabId=${tabId}&tab=breadcrumbs`;
    const firstRender = [];
    let scroll = { work: [], deltas: [] };
    for (let i = 0; i < panelRuns; i++) {
      const { page, t } = await timeToSelector(withExt.context, panelUrl, '[data-testid="breadcrumb-row"]');
      firstRender.push(t);
      if (i === panelRuns - 1) {
        const count = await page.locator('[data-testid="breadcrumb-count"]').textContent().catch(() => '');
        log(`panel: ${count?.trim()}`);
        scroll = await scrollFrames(page, frames);
        if (scroll.error) throw new Error(scroll.error);
      }
      await page.close();
    }

    // The popup for a tab showing a demo page.
    const popupMs = [];
    const demoTab = pages.with;
    await demoTab.bringToFront();
    const demoTabId = await worker.evaluate(async () => (await chrome.tabs.query({ url: '*://*/good*' })).at(-1)?.id);
    for (let i = 0; i < popupRuns; i++) {
      const { page, t } = await timeToSelector(withExt.context, `chrome-extension://${extId}/popup.html?tabId=${demoTabId}`, '[data-testid="popup-headline"]');
      popupMs.push(t);
      await page.close();
    }

    return [
      figure('2,000 sequential fetches, with ÷ without extension', fetchRatio, '×', {
        max: 1.03, note: `medians ${median(fetchMs.with).toFixed(0)} / ${median(fetchMs.without).toFixed(0)} ms over ${repeats} alternated runs`,
      }),
      figure('2,000 fetches: webRequest floor ÷ without (Chromium)', ratio(fetchMs, 'floor', 'without'), '×', {
        budget: 'info', note: `an extension holding only the webRequest permission, no code; medians ${median(fetchMs.floor).toFixed(0)} / ${median(fetchMs.without).toFixed(0)} ms`,
      }),
      figure('2,000 fetches: with ÷ webRequest floor (Report Inspector\'s own)', ratio(fetchMs, 'with', 'floor'), '×', {
        max: 1.03, note: `medians ${median(fetchMs.with).toFixed(0)} / ${median(fetchMs.floor).toFixed(0)} ms`,
      }),
      figure('demo page load (navigation start → load), with ÷ without', loadRatio, '×', {
        max: 1.05, note: `medians ${median(loadMs.with).toFixed(1)} / ${median(loadMs.without).toFixed(1)} ms over ${loadMs.with.length} loads each`,
      }),
      figure('page load: webRequest floor ÷ without (Chromium)', ratio(loadMs, 'floor', 'without'), '×', {
        budget: 'info', note: `medians ${median(loadMs.floor).toFixed(1)} / ${median(loadMs.without).toFixed(1)} ms`,
      }),
      figure('page load: with ÷ webRequest floor (Report Inspector\'s own)', ratio(loadMs, 'with', 'floor'), '×', {
        max: 1.05, note: `medians ${median(loadMs.with).toFixed(1)} / ${median(loadMs.floor).toFixed(1)} ms`,
      }),
      figure('panel first render, 10,000 breadcrumbs + 1,000 reports (median)', median(firstRender), 'ms', { max: 200, note: `${panelRuns} opens` }),
      figure('panel scrolling: frame work (max)', Math.max(...scroll.work), 'ms', {
        max: 16, note: `p95 ${percentile(scroll.work, 95).toFixed(2)} ms over ${scroll.work.length} frames; rAF interval p95 ${percentile(scroll.deltas, 95).toFixed(1)} ms`,
      }),
      figure('popup open → status visible (median)', median(popupMs), 'ms', { max: 100, note: `${popupRuns} opens` }),
    ];
  } finally {
    await withExt.close();
    await without.close();
    await floor.close();
    fs.rmSync(floorDir, { recursive: true, force: true });
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./lib.mjs');
  console.log(table(await browserFigures({ log: (s) => console.error(s) })));
}
