// The extension API calls the worker makes per page load, and their size: each build named on the command line loads
// the demo page `--loads` times (20 by default; from about:blank, with the pauses of paired.mjs's `measuredLoad`)
// while its worker counts its calls of `storage`, `action`, `tabs` and `scripting` (bytes: the JSON of the first
// argument).
//   npx wxt build && node bench/api-calls.mjs [--loads 20] .output/chrome-mv3 [/tmp/older-build ...]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { EXTENSION_DIR } from './lib.mjs';
import { extensionWorker, launchVariant, measuredLoad } from './paired.mjs';

/** The API calls the worker counted, per name: `{ perLoad, kBPerCall }`. */
export async function apiCalls(extensionDir, { loads = 20, warmup = 2 } = {}) {
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-calls-'));
  trustCa(home, demo.certs.caCert);
  const v = await launchVariant(extensionDir, home);
  try {
    const w = await extensionWorker(v.context);
    const page = await v.context.newPage();
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
  } finally {
    await v.close();
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--loads');
  const loads = at === -1 ? 20 : Number(args[at + 1]);
  const dirs = args.filter((_, i) => at === -1 || (i !== at && i !== at + 1));
  for (const dir of dirs.length ? dirs : [EXTENSION_DIR]) {
    console.log(dir);
    for (const [k, e] of Object.entries(await apiCalls(dir, { loads })))
      console.log(`  ${k.padEnd(34)} ${e.perLoad.toFixed(2)} per load, ${e.kBPerCall.toFixed(2)} kB per call`);
  }
}
