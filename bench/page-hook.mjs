// What the page hook costs: the built script's size (min+gzip, budget 4 KB) and the time to record one breadcrumb
// (a click, a console call) in real Chromium. The time is measured on the hook's own source, installed into a
// stand-in window whose console is a no-op and whose listeners the bench calls directly, so neither the browser's
// console nor the DevTools protocol Playwright attaches (which makes every console call in a real page cost
// ~100 µs) blurs the figure.
//   npx wxt build && node bench/page-hook.mjs
import { build } from 'esbuild';
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { findChromium } from '../tests/support/chromium.mjs';
import { EXTENSION_DIR, ROOT, figure } from './lib.mjs';

/** Size of the built hook in bytes, minified and gzipped; null when the extension is not built. */
export function hookSize(extensionDir = EXTENSION_DIR) {
  const built = path.join(extensionDir, 'content-scripts/page-hook.js');
  if (!fs.existsSync(built)) return null;
  const js = fs.readFileSync(built);
  return { minified: js.length, gzip: zlib.gzipSync(js, { level: 9 }).length };
}

async function hookBundle() {
  const bundle = await build({
    stdin: {
      contents: `import { installPageHook } from './entrypoints/page-hook.content'; window.__installPageHook = installPageHook;`,
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    alias: { '@': ROOT },
    plugins: [
      {
        name: 'stub-wxt',
        setup(b) {
          b.onResolve({ filter: /^wxt\/utils\/define-content-script$/ }, () => ({ path: 'wxt', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
            contents: 'export const defineContentScript = (d) => d;',
          }));
        },
      },
    ],
  });
  return bundle.outputFiles[0].text;
}

/**
 * Median µs to record one breadcrumb: console calls (flushed in batches of 50, as the 50 ms flushes do), console
 * calls with the pending queue full, and clicks on a real button.
 * @param {{ rounds?: number; perRound?: number }} [options]
 */
export async function breadcrumbCost({ rounds = 50, perRound = 2000 } = {}) {
  const code = await hookBundle();
  const server = http.createServer((_, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><main><section class="cart"><button id="add" class="btn primary">Add to cart</button></section></main>',
    );
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: findChromium(), args: ['--no-sandbox', '--headless=new'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.addScriptTag({ content: code });
    return await page.evaluate(
      ({ rounds, perRound }) => {
        const median = (fn) => {
          const samples = [];
          for (let r = 0; r < rounds; r++) {
            const t0 = performance.now();
            for (let i = 0; i < perRound; i++) fn(i);
            samples.push(((performance.now() - t0) * 1000) / perRound);
          }
          samples.sort((a, b) => a - b);
          return samples[samples.length >> 1];
        };
        // The stand-in's listeners are kept so the bench can call the hook's click handler directly.
        const listeners = new Map();
        class StandInTarget {}
        StandInTarget.prototype.addEventListener = function (type, fn) {
          if (!listeners.has(type)) listeners.set(type, fn);
        };
        const win = Object.assign(new StandInTarget(), {
          console: { debug() {}, log() {} },
          EventTarget: StandInTarget,
          Function,
          Object,
          URL,
          TextEncoder,
          Request,
          location,
          document,
          performance,
          setTimeout: setTimeout.bind(window),
          postMessage() {},
        });
        const hook = window.__installPageHook(win, { post: () => {} });
        // The relay's hello: from then on the hook posts its batches (before it, events only queue).
        listeners.get('message')({ source: win, data: { __reportInspector: 'hello' } });
        const flushEvery = (fn, n) => (i) => {
          fn(i);
          if (i % n === n - 1) hook.flush();
        };
        const button = document.getElementById('add');
        const click = listeners.get('click');
        const clickEvent = { composedPath: () => [button], target: button };
        return {
          console: median(
            flushEvery((i) => win.console.debug('cart updated', i, { items: 3, user: 'jane@example.com' }), 50),
          ),
          consoleQueueFull: median((i) => win.console.log('line', i)),
          click: median(flushEvery(() => click(clickEvent), 50)),
        };
      },
      { rounds, perRound },
    );
  } finally {
    await browser.close();
    server.close();
  }
}

/** The page hook's rows of the table. */
export async function pageHookFigures({ extensionDir = EXTENSION_DIR, rounds, perRound } = {}) {
  const size = hookSize(extensionDir);
  const cost = await breadcrumbCost({ rounds, perRound });
  return [
    figure('page hook size (minified + gzip)', size ? size.gzip / 1024 : NaN, 'KB', {
      max: 4,
      budget: '≤ 4 KB',
      note: size ? `${size.minified} B minified, ${size.gzip} B gzip` : 'not built',
    }),
    figure('breadcrumb: click (median)', cost.click, 'µs', { max: 5, budget: '≤ 5 µs' }),
    figure('breadcrumb: console call (median)', cost.console, 'µs', { max: 5, budget: '≤ 5 µs' }),
    figure('breadcrumb: console call, queue full (median)', cost.consoleQueueFull, 'µs', { max: 5, budget: '≤ 5 µs' }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { table } = await import('./lib.mjs');
  console.log(table(await pageHookFigures()));
}
