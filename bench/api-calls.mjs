// The extension API calls the worker makes per page load, and their size: each build named on the command line loads
// the demo page `--loads` times (20 by default; from about:blank, with the pauses of paired.mjs's `measuredLoad`)
// while its worker counts its calls of `storage`, `action`, `tabs` and `scripting` (bytes: the JSON of the first
// argument). With `--cost N`, also what one call costs on this machine: the worker makes N calls of each kind in a
// row, and the bench reads the wall time per call and the CPU per call of the browser and extension processes (/proc).
//   npx wxt build && node bench/api-calls.mjs [--loads 20] [--cost 2000] .output/chrome-mv3 [/tmp/older-build ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { EXTENSION_DIR, numberOption } from './lib.mjs';
import { extensionWorker, launchVariant, measuredLoad } from './paired.mjs';

/**
 * Runs `fn({ demo, variant, worker, page })` in a new profile of `extensionDir` beside a demo server, and closes
 * both after it.
 */
async function withDemoBrowser(extensionDir, fn) {
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-calls-'));
  let variant;
  try {
    trustCa(home, demo.certs.caCert);
    variant = await launchVariant(extensionDir, home);
    const worker = await extensionWorker(variant.context);
    return await fn({ demo, variant, worker, page: await variant.context.newPage() });
  } finally {
    await variant?.close();
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The API calls the worker counted, per name: `{ perLoad, kBPerCall }`. */
export function apiCalls(extensionDir, { loads = 20, warmup = 2 } = {}) {
  return withDemoBrowser(extensionDir, async ({ demo, worker: w, page }) => {
    for (let i = 0; i < warmup; i++) await measuredLoad(page, `${demo.origin}/good?w=${i}`, ['loadEventEnd']);
    await w.evaluate(() => {
      const c = (globalThis.__calls = {});
      const wrap = (obj, name, label) => {
        const f = obj[name].bind(obj);
        obj[name] = (...a) => {
          const e = (c[label] ??= { n: 0, bytes: 0 });
          e.n++;
          try {
            e.bytes += JSON.stringify(a[0] ?? null).length;
          } catch {
            // Not JSON: counted, not sized.
          }
          return f(...a);
        };
      };
      wrap(chrome.storage.session, 'set', 'storage.session.set');
      wrap(chrome.storage.session, 'remove', 'storage.session.remove');
      wrap(chrome.storage.local, 'set', 'storage.local.set');
      wrap(chrome.action, 'setBadgeText', 'action.setBadgeText');
      wrap(chrome.action, 'setBadgeBackgroundColor', 'action.setBadgeBackgroundColor');
      wrap(chrome.tabs, 'get', 'tabs.get');
      wrap(chrome.tabs, 'query', 'tabs.query');
      wrap(chrome.scripting, 'executeScript', 'scripting.executeScript');
    });
    for (let i = 0; i < loads; i++) await measuredLoad(page, `${demo.origin}/good?m=${i}`, ['loadEventEnd']);
    // The stores' and the badge's last calls of the last load.
    await page.waitForTimeout(2500);
    const calls = await w.evaluate(() => globalThis.__calls);
    return Object.fromEntries(
      Object.entries(calls).map(([k, e]) => [
        k,
        { perLoad: e.n / loads, kBPerCall: e.bytes / Math.max(1, e.n) / 1000 },
      ]),
    );
  });
}

/** The calls `apiCost` times, as the worker makes them for a load (a kept document, its removal, the badge). */
const COSTED = ['storage.session.set', 'storage.session.remove', 'action.setBadgeText'];

/**
 * What one extension API call costs: `calls` calls of each kind in {@link COSTED}, one after another in the worker
 * (a document as the worker keeps it for `set`, the tab of a page for the badge), each kind twice. Per call: the
 * wall time in the worker, and the CPU the browser and extension processes spent (µs, /proc's 10 ms ticks).
 */
export function apiCost(extensionDir, { calls = 2000 } = {}) {
  return withDemoBrowser(extensionDir, async ({ demo, variant: v, worker: w, page }) => {
    await measuredLoad(page, `${demo.origin}/good?cost`, ['loadEventEnd']);
    const tabId = await w.evaluate(async (url) => (await chrome.tabs.query({ url }))[0]?.id ?? -1, page.url());
    const doc = {
      tabId,
      frameId: 0,
      parentFrameId: -1,
      url: page.url(),
      type: 'main_frame',
      statusCode: 200,
      headers: [
        { name: 'reporting-endpoints', value: `default="${demo.origin}/reports/default"` },
        { name: 'content-security-policy', value: "default-src 'self'; report-to default" },
      ],
      at: Date.now(),
    };
    const out = {};
    for (const name of [...COSTED, ...COSTED]) {
      const before = v.tree.sample({ rescan: true });
      const ms = await w.evaluate(
        async ([what, n, d]) => {
          const call = {
            'storage.session.set': (i) => chrome.storage.session.set({ [`bench:cost:${i}`]: d }),
            'storage.session.remove': (i) => chrome.storage.session.remove([`bench:cost:${i}`]),
            'action.setBadgeText': (i) => chrome.action.setBadgeText({ tabId: d.tabId, text: String(i % 7) }),
          }[what];
          const t0 = performance.now();
          for (let i = 0; i < n; i++) await call(i);
          return performance.now() - t0;
        },
        [name, calls, doc],
      );
      const after = v.tree.sample({ rescan: true });
      const per = (role) => ((after[role] - before[role]) * 1000) / calls;
      (out[name] ??= []).push({
        wallUs: (ms * 1000) / calls,
        browserUs: per('browser'),
        extensionUs: per('extension'),
      });
    }
    return out;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const loads = numberOption(args, '--loads') ?? 20;
  const cost = numberOption(args, '--cost');
  const dirs = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  for (const dir of dirs.length ? dirs : [EXTENSION_DIR]) {
    console.log(dir);
    for (const [k, e] of Object.entries(await apiCalls(dir, { loads })))
      console.log(`  ${k.padEnd(34)} ${e.perLoad.toFixed(2)} per load, ${e.kBPerCall.toFixed(2)} kB per call`);
    if (cost === undefined) continue;
    for (const [k, runs] of Object.entries(await apiCost(dir, { calls: cost })))
      for (const r of runs)
        console.log(
          `  ${k.padEnd(34)} ${r.wallUs.toFixed(0)} µs per call; CPU per call: browser ${r.browserUs.toFixed(0)} µs, extension ${r.extensionUs.toFixed(0)} µs`,
        );
  }
}
