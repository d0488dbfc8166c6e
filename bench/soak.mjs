// Soak: drives Chromium with the extension for SOAK_MINUTES (default 30): three tabs keep loading demo pages with
// distinct reporting headers and clicking, the panel stays open on one of them, and the service worker is stopped
// now and then. Every minute it samples the JS heap of the service worker and of the panel (DevTools protocol
// `Runtime.getHeapUsage` after a garbage collection) and prints whether memory stays flat.
//   npx wxt build && npm run soak            (SOAK_MINUTES=2 for a short run; EXTENSION_DIR=/tmp/copy for a private build)
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { chromiumArgs, findChromium } from '../tests/support/chromium.mjs';
import { EXTENSION_DIR } from './lib.mjs';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SAMPLE_MS = Number(process.env.SOAK_SAMPLE_MS ?? 60_000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One DevTools protocol call on a target's own WebSocket. */
function cdpCall(wsUrl, calls) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
    const results = [];
    let id = 0;
    const timer = setTimeout(() => (ws.terminate(), reject(new Error('CDP timeout'))), 15_000);
    const next = () => {
      if (id === calls.length) {
        clearTimeout(timer);
        ws.close();
        resolve(results);
        return;
      }
      const [method, params] = calls[id];
      ws.send(JSON.stringify({ id: ++id, method, params: params ?? {} }));
    };
    ws.on('open', next);
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data));
      if (msg.id !== id) return;
      if (msg.error) return (clearTimeout(timer), ws.close(), reject(new Error(msg.error.message)));
      results.push(msg.result);
      next();
    });
    ws.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

async function targets(port) {
  const res = await fetch(`http://127.0.0.1:${port}/json/list`);
  return res.json();
}

/** Used JS heap of the first target matching `pick`, after a GC; null when there is none right now. */
async function heapOf(port, pick) {
  const t = (await targets(port)).find(pick);
  if (!t?.webSocketDebuggerUrl) return null;
  const [, usage] = await cdpCall(t.webSocketDebuggerUrl, [['HeapProfiler.collectGarbage'], ['Runtime.getHeapUsage']]);
  return usage.usedSize;
}

const mb = (n) => (n === null ? '   -  ' : (n / 1024 / 1024).toFixed(2).padStart(6));

async function main() {
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json')))
    throw new Error(`Build first: no extension in ${EXTENSION_DIR}`);
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-soak-home-'));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-soak-profile-'));
  trustCa(home, demo.certs.caCert);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    headless: true,
    args: [...chromiumArgs({ extensionDir: EXTENSION_DIR, headless: true }), '--remote-debugging-port=0'],
    env: { ...process.env, HOME: home },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    viewport: { width: 1280, height: 800 },
  });
  let stopping = false;
  try {
    const port = Number(fs.readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    const sw =
      context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
      (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const extOrigin = /^chrome-extension:\/\/[a-p]+/.exec(sw.url())[0]; // URL.origin is "null" for this scheme in Node
    const pages = [context.pages()[0] ?? (await context.newPage()), await context.newPage(), await context.newPage()];
    for (const [i, p] of pages.entries()) await p.goto(`${demo.origin}/?soak=${i}`);
    const tabId = await sw.evaluate(
      async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id,
      `${demo.origin}/?soak=0`,
    );
    const panel = await context.newPage();
    await panel.goto(`${extOrigin}/devtools-panel.html?tabId=${tabId}`);
    const control = await context.newCDPSession(panel);
    await control.send('ServiceWorker.enable');

    let navigations = 0;
    let stops = 0;
    let n = 0;
    const drive = (async () => {
      while (!stopping) {
        await Promise.all(
          pages.map(async (p, i) => {
            const h = {
              'Reporting-Endpoints': `default="${demo.origin}/reports/s${i}-${n}"`,
              'Content-Security-Policy-Report-Only': "img-src 'self'; report-to default",
            };
            await p.goto(`${demo.origin}/custom?h=${encodeURIComponent(JSON.stringify(h))}`).catch(() => undefined);
            await p.click('#violate', { timeout: 2000 }).catch(() => undefined);
            navigations++;
          }),
        );
        if (++n % 20 === 0) {
          await control.send('ServiceWorker.stopAllWorkers').catch(() => undefined);
          stops++;
        }
        await sleep(500);
      }
    })();

    const samples = [];
    const started = Date.now();
    const sample = async () => {
      const worker = await heapOf(port, (t) => t.type === 'service_worker' && t.url.startsWith(extOrigin)).catch(
        () => null,
      );
      const panelHeap = await heapOf(
        port,
        (t) => t.type === 'page' && t.url.startsWith(`${extOrigin}/devtools-panel.html`),
      ).catch(() => null);
      const s = { minute: (Date.now() - started) / 60_000, worker, panel: panelHeap, navigations, stops };
      samples.push(s);
      console.log(
        `${s.minute.toFixed(1).padStart(5)} min  worker ${mb(worker)} MB  panel ${mb(panelHeap)} MB  navigations ${navigations}  stops ${stops}`,
      );
    };
    await sleep(5_000);
    await sample();
    while (Date.now() - started < MINUTES * 60_000) {
      await sleep(Math.min(SAMPLE_MS, MINUTES * 60_000 - (Date.now() - started)));
      await sample();
    }
    stopping = true;
    await drive;

    // Two checks per heap. Bounded: the last third never exceeds the first sample by more than 50 % + 2 MB. Flat: the
    // last third's median is within 10 % + 0.25 MB of the middle third's (the tabs' bounded buffers fill up during
    // the first third, so growth there is expected; after it, memory must stop growing).
    const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const verdict = (key) => {
      const values = samples.map((s) => s[key]).filter((v) => v !== null);
      if (values.length < 3) return { key, flat: null, note: 'not enough samples' };
      const third = Math.floor(values.length / 3);
      const first = values[0];
      const middle = median(values.slice(third, 2 * third));
      const tail = values.slice(2 * third);
      const max = Math.max(...tail);
      const last = median(tail);
      const bounded = max <= first * 1.5 + 2 * 1024 * 1024;
      const flat = last <= middle * 1.1 + 0.25 * 1024 * 1024;
      return { key, first, middle, last, max, bounded, flat: bounded && flat };
    };
    const results = [verdict('worker'), verdict('panel')];
    for (const r of results) {
      console.log(
        r.flat === null
          ? `${r.key}: ${r.note}`
          : `${r.key}: first ${mb(r.first)} MB, middle-third median ${mb(r.middle)} MB, last-third median ${mb(r.last)} MB, max ${mb(r.max)} MB → ${r.flat ? 'flat' : 'GROWING'}`,
      );
    }
    console.log(`${MINUTES} min, ${navigations} navigations, ${stops} service worker stops`);
    process.exitCode = results.some((r) => r.flat === false) ? 1 : 0;
  } finally {
    stopping = true;
    await context.close().catch(() => {});
    await demo.close();
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
