// Popup and panel timed the way a person sees them: navigation start → first meaningful element (the popup's
// headline, the panel's Overview headline), side by side in one run with a blank extension page of the same build
// (the build copied with one extra blank.html) opened the same way. Prints figures; not a test.
// Usage: npx wxt build && node bench/ui-timing.mjs [runs] [--breakdown]   (EXTENSION_DIR to use another build)
// --breakdown adds, per page, the medians of navigation timing's domInteractive and DOMContentLoaded, and for the
// panel when it opened its port and when the first message arrived on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { chromiumArgs, findChromium } from '../tests/support/chromium.mjs';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 15);
const breakdown = args.includes('--breakdown');
const source = path.resolve(process.env.EXTENSION_DIR ?? '.output/chrome-mv3');
const extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-ui-timing-ext-'));
fs.cpSync(source, extDir, { recursive: true });
fs.writeFileSync(
  path.join(extDir, 'blank.html'),
  '<!doctype html><meta charset="utf-8"><div id="app"><div data-testid="blank">blank</div></div>\n',
);

// With --breakdown, the panel's port: when it is opened and when its first message arrives.
const PORT_TIMES = `
  try {
    const connect = chrome.runtime.connect.bind(chrome.runtime);
    chrome.runtime.connect = (...a) => {
      const port = connect(...a);
      window.__portOpened ??= performance.now();
      port.onMessage.addListener(() => (window.__firstPush ??= performance.now()));
      return port;
    };
  } catch {}
`;

// Records, in every page, when the awaited element first exists (performance.now() is ms since navigation start).
const INIT = `(() => {
  const sel = '[data-testid="popup-headline"], [data-testid="overview-headline"], [data-testid="blank"]';
  const live = '[data-testid="popup-line-crash"], [data-testid="popup-kind-message"], [data-testid="tabpanel-overview"], [data-testid="blank"]';
  const check = () => {
    if (window.__firstMeaningful === undefined && document.querySelector(sel)) window.__firstMeaningful = performance.now();
    if (window.__appLive === undefined && document.querySelector(live)) window.__appLive = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', check);
${breakdown ? PORT_TIMES : ''}
})();`;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const demo = await startDemoServer({ quiet: true });
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-ui-timing-home-'));
trustCa(home, demo.certs.caCert);
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-ui-timing-profile-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: findChromium(),
  headless: true,
  args: chromiumArgs({ extensionDir: extDir, headless: true }),
  env: { ...process.env, HOME: home },
  ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
});
try {
  await context.addInitScript(INIT);
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const id = new URL(worker.url()).host;
  const tab = await context.newPage();
  await tab.goto(`${demo.origin}/`);
  await tab.goto(`${demo.origin}/good`);
  const tabId = await worker.evaluate(
    async () => (await chrome.tabs.query({})).find((t) => t.url?.includes('/good'))?.id,
  );
  const targets = {
    blank: `chrome-extension://${id}/blank.html`,
    popup: `chrome-extension://${id}/popup.html?tabId=${tabId}`,
    panel: `chrome-extension://${id}/devtools-panel.html?tabId=${tabId}&tab=overview`,
  };
  const times = { blank: [], popup: [], panel: [] };
  const phases = { blank: [], popup: [], panel: [] };
  const open = async (url, name) => {
    const p = await context.newPage();
    await p.goto(url);
    await p.waitForFunction(() => window.__firstMeaningful !== undefined && window.__appLive !== undefined, null, {
      timeout: 10_000,
    });
    const t = await p.evaluate(() => window.__firstMeaningful);
    if (name)
      phases[name].push(
        await p.evaluate(() => {
          const n = performance.getEntriesByType('navigation')[0];
          return {
            di: n.domInteractive,
            dcl: n.domContentLoadedEventEnd,
            port: window.__portOpened,
            push: window.__firstPush,
            live: window.__appLive,
          };
        }),
      );
    await p.close();
    return t;
  };
  for (const url of Object.values(targets)) await open(url); // warm-up
  for (let i = 0; i < runs; i++) {
    // Rotate the order each round so no page always goes first.
    const order = Object.keys(targets);
    for (let k = 0; k < i % order.length; k++) order.push(order.shift());
    for (const name of order) times[name].push(await open(targets[name], name));
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const row = (name, budgetRatio, budgetMs) =>
    `${name.padEnd(6)} ${m[name].toFixed(1).padStart(7)} ms  (${Math.min(...times[name]).toFixed(1)}–${Math.max(...times[name]).toFixed(1)})  ×${(m[name] / m.blank).toFixed(2)} of blank` +
    (budgetRatio
      ? `  budget ×${budgetRatio}, ${budgetMs} ms: ${m[name] / m.blank <= budgetRatio && m[name] <= budgetMs ? 'PASS' : 'FAIL'}`
      : '');
  console.log(`navigation start → first meaningful element, median of ${runs} (min–max), ${os.cpus().length} CPUs`);
  console.log(row('blank'));
  console.log(row('popup', 1.5, 100));
  console.log(row('panel', 2, 200));
  if (breakdown) {
    const med = (name, k) => {
      const xs = phases[name].map((x) => x[k]).filter((x) => x !== undefined);
      return xs.length ? `${median(xs).toFixed(1)} ms` : '-';
    };
    console.log('medians: domInteractive, DOMContentLoaded, port opened, first port message, app rendered its own');
    for (const name of Object.keys(phases))
      console.log(
        `${name.padEnd(6)} ${['di', 'dcl', 'port', 'push', 'live'].map((k) => med(name, k).padStart(9)).join(' ')}`,
      );
  }
} finally {
  await context.close().catch(() => {});
  await demo.close?.();
  for (const d of [extDir, home, profile]) fs.rmSync(d, { recursive: true, force: true, maxRetries: 3 });
}
