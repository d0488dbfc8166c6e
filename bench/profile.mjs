// Where the extension's time goes: CPU profiles (DevTools protocol `Profiler`) of the page's renderer (the page, the
// MAIN-world hook and the isolated-world relay share its main thread) and of the extension's service worker while
// the page runs N sequential fetches, with the CPU time of each process from /proc. Prints the self time per script
// and the heaviest functions.
// With `--loads N`, the same during N loads of the demo page (each after a blank page, then 300 ms, as in
// bench/paired.mjs's `loads`) instead of the fetches.
//   npx wxt build && node bench/profile.mjs [--fetches 2000 | --loads 50] [--top 25]
// Native time (extension API bindings, `URL`) is also listed by its nearest scripted caller; for readable caller
// names, profile a build without minification (`vite: { build: { minify: false } }` in wxt.config.ts, then
// EXTENSION_DIR=<that build>).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { EXTENSION_DIR, numberOption } from './lib.mjs';
import { diff } from './procstat.mjs';
import { extensionWorker, launchVariant } from './paired.mjs';

/** A DevTools protocol connection to one target's WebSocket. */
async function connect(wsUrl) {
  const ws = new WebSocket(wsUrl, { perMessageDeflate: false, maxPayload: 512 * 1024 * 1024 });
  await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
  let id = 0;
  const waiting = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.error) w.reject(new Error(msg.error.message));
    else w.resolve(msg.result);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        waiting.set(++id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

/** Self time (ms) per script and per function of a `Profiler.Profile`. */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const scripts = new Map();
  const functions = new Map();
  for (const [id, ms] of self) {
    const cf = byId.get(id).callFrame;
    const file = cf.url
      ? cf.url.replace(/^chrome-extension:\/\/[a-p]+\//, 'ext:/').replace(/^https:\/\/[^/]+/, '')
      : cf.functionName || '(native)';
    scripts.set(file, (scripts.get(file) ?? 0) + ms);
    const fn = `${cf.functionName || '(anonymous)'} ${file}:${cf.lineNumber + 1}:${cf.columnNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  return { scripts: sorted(scripts), functions: sorted(functions) };
}

/**
 * For a function without a script of its own (an extension API binding, `URL`, the garbage collector): its self
 * time (ms) by the nearest caller that has a script, so that native time is charged to the code that asked for it.
 */
export function nativeCallers(profile, name) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const out = new Map();
  for (const [id, ms] of self) {
    if (byId.get(id).callFrame.functionName !== name || byId.get(id).callFrame.url) continue;
    let at = parent.get(id);
    while (at !== undefined && !byId.get(at).callFrame.url) at = parent.get(at);
    const cf = at === undefined ? null : byId.get(at).callFrame;
    const who = cf
      ? `${cf.functionName || '(anonymous)'} ${cf.url.replace(/^chrome-extension:\/\/[a-p]+\//, 'ext:/')}:${cf.lineNumber + 1}`
      : '(no script)';
    out.set(who, (out.get(who) ?? 0) + ms);
  }
  return [...out].sort((a, b) => b[1] - a[1]);
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (n, d) => numberOption(args, n) ?? d;
  const loads = opt('--loads', 0);
  const fetches = loads || opt('--fetches', 2000);
  const what = loads ? 'load' : 'fetch';
  const top = opt('--top', 25);
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-profile-home-'));
  trustCa(home, demo.certs.caCert);
  const v = await launchVariant(EXTENSION_DIR, home, ['--remote-debugging-port=0']);
  try {
    const worker = await extensionWorker(v.context);
    const page = await v.context.newPage();
    await page.goto(`${demo.origin}/good`);
    await page.goto(`${demo.origin}/`);
    await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) await (await fetch(`/api/echo?w=${i}`)).text();
    });
    await page.waitForTimeout(1500);
    const port = Number(fs.readFileSync(path.join(v.profileDir, 'DevToolsActivePort'), 'utf8').split('\n')[0]);
    const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
    const pageTarget = list.find((t) => t.type === 'page' && t.url.startsWith(demo.origin));
    const swTarget = list.find((t) => t.type === 'service_worker' && t.url === worker.url());
    const sessions = {
      page: await connect(pageTarget.webSocketDebuggerUrl),
      worker: await connect(swTarget.webSocketDebuggerUrl),
    };
    for (const s of Object.values(sessions)) {
      await s.send('Profiler.enable');
      await s.send('Profiler.setSamplingInterval', { interval: 100 });
      await s.send('Profiler.start');
    }
    const cpu0 = v.tree.sample({ rescan: true });
    const t0 = performance.now();
    for (let i = 0; i < loads; i++) {
      await page.goto(`${demo.origin}/`);
      await page.goto(`${demo.origin}/good?r=${i}`, { waitUntil: 'load' });
      await page.waitForTimeout(300);
    }
    const ms = loads
      ? performance.now() - t0
      : await page.evaluate(async (n) => {
          const t0 = performance.now();
          for (let i = 0; i < n; i++) await (await fetch(`/api/echo?i=${i}`)).text();
          return performance.now() - t0;
        }, fetches);
    // The stores coalesce writes for up to a second: let the tail land inside the profile.
    await page.waitForTimeout(1500);
    const cpu = diff(v.tree.sample(), cpu0);
    console.log(
      `${fetches} ${what}s in ${ms.toFixed(0)} ms (${((ms * 1000) / fetches).toFixed(0)} µs per ${what}); CPU per ${what} (µs, /proc, incl. 1.5 s after): ` +
        Object.entries(cpu)
          .map(([r, c]) => `${r} ${((c * 1000) / fetches).toFixed(0)}`)
          .join(', '),
    );
    for (const [name, s] of Object.entries(sessions)) {
      const { profile } = await s.send('Profiler.stop');
      const t = selfTimes(profile);
      console.log(`\n${name}: self time per script (µs per ${what})`);
      for (const [f, m] of t.scripts.slice(0, 12))
        console.log(`  ${((m * 1000) / fetches).toFixed(1).padStart(8)}  ${f}`);
      console.log(`${name}: heaviest functions (µs per ${what})`);
      for (const [f, m] of t.functions.slice(0, top))
        console.log(`  ${((m * 1000) / fetches).toFixed(1).padStart(8)}  ${f}`);
      // The heaviest natives, by who called them (an unminified build names the callers: see the top of this file).
      const natives = t.functions
        .filter(([f]) => / \(native\)|^(?!\(idle|\(program|\(garbage)\S+ \S+:0:0$/.test(f))
        .slice(0, 4);
      for (const [f] of natives) {
        const fn = f.split(' ')[0];
        console.log(`${name}: ${fn} by caller (µs per ${what})`);
        for (const [who, m] of nativeCallers(profile, fn).slice(0, 6))
          console.log(`  ${((m * 1000) / fetches).toFixed(1).padStart(8)}  ${who}`);
      }
      s.close();
    }
  } finally {
    await v.close();
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
