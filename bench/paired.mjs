// The page-side cost of the extension, measured so that it resolves 2 % on a shared machine: several Chromium
// profiles side by side in one run (with the extension, with the code-free webRequest floor extension, without any),
// interleaved in many short rounds (each round runs every variant once per workload, in an order that cycles through
// all permutations), each ratio taken per round (paired: the two sides ran within about a second of each other) and
// reported as the median over rounds with a seeded bootstrap 95 % confidence interval. Next to wall time, the CPU time
// each variant's processes spent (renderer, extension process, browser, network service; from /proc) and what the
// rest of the machine spent meanwhile (the neighbours).
//
// Workloads: `fetches` (K sequential same-origin fetches on loopback), `loads` (L loads of a demo page with reporting
// headers), `slow-page` (a page with 50 subresources answered after 20–80 ms each), `parallel` (50 parallel fetches
// answered after 20–80 ms each).
//
//   npx wxt build && node bench/paired.mjs                        the three variants, every workload
//   node bench/paired.mjs --resolution-check                      adds a copy of the build made ~2 % slower
//   node bench/paired.mjs --rounds 60 --workloads fetches,loads   fewer workloads, more rounds
//   node bench/paired.mjs --fetches 50 --loads 2                  shorter units (fetches / loads per unit)
//   EXTENSION_DIR=/tmp/copy node bench/paired.mjs                 a private copy of the build
//   node bench/paired.mjs --before /tmp/old-build                 also an older build, in the same rounds
//   node bench/paired.mjs --variant nohook=/tmp/copy              also patched copies (repeatable), in the same rounds
//   node bench/paired.mjs --resolution-check --both --json out.json   both runs, figures kept as JSON
//   node bench/paired.mjs --resolution-check --both --rounds 120 --check-rounds 160   more rounds for the check
//   node bench/paired.mjs --resolution-check --workloads loads --rounds 600           the check on loads alone
//   node bench/paired.mjs --workloads fetches --fresh             each round's fetches on a newly loaded page
//   node bench/paired.mjs --workloads fetches --fresh --fetches-settle 2000   ... let settle 2 s before the first
//   node bench/paired.mjs --relaunch-every 20                    browsers launched anew every 20 rounds (10; 0: once)
import { chromium } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { chromiumArgs, findChromium } from '../tests/support/chromium.mjs';
import { EXTENSION_DIR, median, variantArgs } from './lib.mjs';
import { ROLES, browserPid, chromiumTree, diff, machineBusyMs } from './procstat.mjs';
import { startSlowServer, subresourceDelays } from './slow-server.mjs';
import { bootstrapMedian, formatCi, launchEffect, pairedRounds, permutation, verdict } from './stats.mjs';

/** The budget of Report Inspector's own share (with ÷ floor), on the upper end of the CI. */
export const OWN_BUDGET = 1.03;

/**
 * Chromium's own floor: an extension that holds the `webRequest` permission and runs no code. Chromium then routes
 * every request of every page through its webRequest proxy in the browser process, listener or not
 * (`WebRequestAPI::MaybeProxyURLLoaderFactory`, chrome/browser/extensions/api/web_request/web_request_api.cc), so no
 * extension that reads response headers can cost less than this. Written to a temporary directory.
 */
export function floorExtension() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-floor-'));
  fs.writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'webRequest floor',
      version: '1',
      permissions: ['webRequest'],
      host_permissions: ['<all_urls>'],
      background: { service_worker: 'sw.js' },
    }),
  );
  fs.writeFileSync(path.join(dir, 'sw.js'), '// holds the permission, runs nothing\n');
  return dir;
}

/**
 * A copy of the built extension made slower on purpose, to show that the bench resolves a slowdown of that size:
 * the page hook busy-waits `perLoadUs` in each top-level document's `load` event and `perFetchUs` in each `fetch()`
 * call of the page (a wrapper installed before the hook's own). The load's wait is in its `load` event, which the
 * measured time (navigation start → load event end) contains whole: a wait at the document's start was partly hidden
 * behind the document's own requests, and a 1 ms wait there measured ×0.999 [0.989, 1.022] on a 51 ms load.
 */
export function slowedCopy(extensionDir, { perFetchUs, perLoadUs }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-slowed-'));
  fs.cpSync(extensionDir, dir, { recursive: true });
  const hook = path.join(dir, 'content-scripts/page-hook.js');
  const spin = `const spin=(us)=>{const e=performance.now()+us/1000;while(performance.now()<e);};`;
  const prefix =
    `(()=>{try{${spin}if(window.top===window)window.addEventListener('load',()=>spin(${perLoadUs}));const f=window.fetch;` +
    `window.fetch=function(){spin(${perFetchUs});return f.apply(this,arguments);};}catch{}})();\n`;
  fs.writeFileSync(hook, prefix + fs.readFileSync(hook, 'utf8'));
  return dir;
}

/** A persistent Chromium profile with `extensionDir` loaded (none when null), and its process tree. */
export async function launchVariant(extensionDir, home, extraArgs = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-profile-'));
  let args = [...chromiumArgs({ extensionDir: extensionDir ?? EXTENSION_DIR, headless: true }), ...extraArgs];
  if (!extensionDir)
    args = args.filter((a) => !a.startsWith('--load-extension=') && !a.startsWith('--disable-extensions-except='));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    headless: true,
    args,
    env: { ...process.env, HOME: home },
    ignoreDefaultArgs: ['--disable-extensions', '--disable-component-extensions-with-background-pages'],
    viewport: { width: 1280, height: 800 },
  });
  const tree = chromiumTree(browserPid(dir));
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  return { context, tree, close, profileDir: dir };
}

/**
 * Launches each variant's profile in turn (sharing `home`, which trusts the demo CA) and waits for its extension's
 * worker (none for no extension or the code-free floor). Pushes each onto `launched` as it starts, so that the
 * caller's `finally` closes what did start when a later launch fails.
 */
export async function launchVariants(variants, home, launched, log = () => {}) {
  for (const v of variants) {
    const l = await launchVariant(v.dir, home);
    launched.push({ ...v, ...l });
    if (v.dir && v.name !== 'floor') await extensionWorker(l.context);
    log(`launched ${v.name}`);
  }
  return launched;
}

export async function extensionWorker(context) {
  const known = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
  return (
    known ??
    context.waitForEvent('serviceworker', {
      predicate: (w) => w.url().startsWith('chrome-extension://'),
      timeout: 15_000,
    })
  );
}

/**
 * The navigation-timing marks `keys` of the page now loaded, in ms from navigation start, once its load event has
 * ended; null when it does not end within a second.
 */
export function navigationMarks(page, keys) {
  return page.evaluate(async (names) => {
    for (let i = 0; i < 200; i++) {
      const nav = performance.getEntriesByType('navigation')[0];
      if (nav && nav.loadEventEnd > 0) return Object.fromEntries(names.map((k) => [k, nav[k] - nav.startTime]));
      await new Promise((r) => setTimeout(r, 5));
    }
    return null;
  }, keys);
}

/**
 * One measured load of `url`: from {@link BETWEEN} after {@link LEAVE_MS}, then {@link SETTLE_MS} after its load.
 * Returns its marks `keys` (see {@link navigationMarks}).
 */
export async function measuredLoad(page, url, keys, { leaveMs = LEAVE_MS, settleMs = SETTLE_MS } = {}) {
  await page.goto(BETWEEN);
  await page.waitForTimeout(leaveMs);
  await page.goto(url, { waitUntil: 'load' });
  const marks = await navigationMarks(page, keys);
  await page.waitForTimeout(settleMs);
  return marks;
}

/** Navigation start → load event end of one measured load of `url`; ms (NaN when its load did not end). */
async function loadTime(page, url, pauses) {
  return (await measuredLoad(page, url, ['loadEventEnd'], pauses))?.loadEventEnd ?? NaN;
}

/**
 * Pause after each measured page load: the extension puts its relay into a page once it has loaded, and a person
 * does not leave a page 50 ms after its load, so the next load should not carry that work. Every variant pauses the
 * same; the CPU columns still count what was done meanwhile.
 */
export const SETTLE_MS = 300;

/**
 * Where each measured load starts from, so that it is a fresh navigation: `about:blank`, which no variant does any
 * work for (no response, no document to capture, no relay). An https page in between made each measured load
 * overlap the extension's after-load work for that page (its relay, injected once it had loaded), which a person
 * does not cause by leaving a page the moment it has loaded (see {@link SETTLE_MS}).
 */
export const BETWEEN = 'about:blank';

/**
 * Pause on {@link BETWEEN} before each measured load. The page left to get there sends its last events as it
 * unloads (the relay flushes on `pagehide`), and the background stores them: that is the cost of leaving a busy
 * page (the `fetches` page, for the first load of a round), not of loading the next one, so it is let pass first.
 */
export const LEAVE_MS = 100;

/**
 * Gets a page ready for a unit: unless it is on `url` or on a page of the unit's own (`own`, a URL prefix), a
 * navigation to `url` (away from the previous workload's page), then `settleMs`, as after every measured load. A unit
 * measures its own operations, not the after-load work of the page it was set up on: without the pause, the first
 * slice of a `fetches` unit came right after its page was opened (the previous workload, `parallel`, runs on the
 * other server). The pause did not change what fetches measure beside the other workloads (README "Last run").
 */
async function setUp(page, url, settleMs, own = url) {
  const at = page.url();
  if (at.startsWith(url) || at.startsWith(own)) return;
  await page.goto(url);
  await page.waitForTimeout(settleMs);
}

/**
 * Pause on {@link BETWEEN} after leaving the previous workload's page, before a `loads` unit. That page was busy (100
 * fetches, each a breadcrumb), so its tab's state is written at most once a second (a busy key's writes are spaced
 * `busyIntervalMs`, 1 s): the last write of what it sent as it unloaded can come up to a second later, and it is the
 * cost of leaving that page, not of the loads that follow.
 */
export const LEAVE_BUSY_MS = 1000;

/** Slices of a fetches unit: about 20 fetches each. */
const fetchSlices = (fetches) => Math.max(1, Math.round(fetches / 20));

/** The workloads: each runs one unit on a page and returns its wall time (ms) and how many operations it did. */
export function workloads({
  demo,
  slow,
  fetches = 100,
  loads = 3,
  subresources = 50,
  parallel = 50,
  settleMs = SETTLE_MS,
  leaveMs = LEAVE_MS,
  fresh = false,
  fetchesSettleMs,
}) {
  return {
    fetches: {
      label: `${fetches} sequential fetches (loopback)`,
      per: 'fetch',
      count: fetches,
      slices: fetchSlices(fetches),
      // `fresh`: the unit's first slice starts on a newly loaded page, as it does after the other workloads.
      prepare: async (page, slice = 0) => {
        if (fresh && slice === 0) await page.goto(BETWEEN);
        await setUp(page, `${demo.origin}/`, fetchesSettleMs ?? settleMs);
      },
      run: (page, round, slice = 0, slices = 1) =>
        page.evaluate(
          async ([from, to]) => {
            const t0 = performance.now();
            for (let i = from; i < to; i++) await (await fetch(`/api/echo?i=${i}`)).text();
            const ms = performance.now() - t0;
            return { ms, parts: [ms] };
          },
          [Math.round((slice * fetches) / slices), Math.round(((slice + 1) * fetches) / slices)],
        ),
    },
    loads: {
      label: 'demo page load (reporting headers), navigation start → load',
      per: 'load',
      count: loads,
      slices: loads,
      // The previous workload's page (the `fetches` page, for the first load of a round) is left here, before the
      // unit, and what it sends as it unloads is let pass ({@link LEAVE_BUSY_MS}); the loads of the unit then leave
      // their own page.
      prepare: (page) => setUp(page, BETWEEN, LEAVE_BUSY_MS, `${demo.origin}/good?`),
      // One slice is one load (the unit is `loads` of them, interleaved with the other variants' loads).
      async run(page, round, slice = -1, slices = 1) {
        const parts = [];
        for (let j = slice < 0 ? 0 : slice; j < (slice < 0 ? loads : slice + 1); j++)
          parts.push(await loadTime(page, `${demo.origin}/good?r=${round}-${j}`, { leaveMs, settleMs }));
        void slices;
        return { ms: parts.reduce((a, b) => a + b, 0), parts };
      },
    },
    'slow-page': {
      label: `page with ${subresources} subresources, 20–80 ms each`,
      per: 'load',
      count: 1,
      prepare: (page) => setUp(page, BETWEEN, settleMs, `${slow.origin}/page?`),
      run: (page, round) =>
        loadTime(page, `${slow.origin}/page?n=${subresources}&seed=${round + 1}`, { leaveMs, settleMs }),
    },
    parallel: {
      label: `${parallel} parallel fetches, 20–80 ms each`,
      per: 'batch',
      count: 1,
      prepare: (page) => setUp(page, `${slow.origin}/parallel`, settleMs),
      run: (page, round) =>
        page.evaluate(
          async (delays) => {
            const t0 = performance.now();
            await Promise.all(delays.map(async (ms, i) => (await fetch(`/delay?ms=${ms}&i=${i}`)).text()));
            return performance.now() - t0;
          },
          subresourceDelays(parallel, round + 1),
        ),
    },
  };
}

/**
 * Rounds per launch of the browsers. One build measured ×1.020 to ×1.061 against the floor in runs on one day, each
 * run's interval narrower than that spread: what one launch of a browser keeps for its life is in every round of a
 * run alike, and a bootstrap over rounds cannot see it. So every variant is launched anew, in a new profile, every
 * this many rounds, and the intervals resample these blocks (`bootstrapMedian`'s `blocks`): a run's figure then
 * stands on many instances of each variant. In an A/A run (the build beside a copy of it, 8 launches of 5 rounds,
 * 4 December 2026) a launch's own level moved by ±1 % on fetches and ±4 % on loads, against ±8 % and ±11–17 % for a
 * round within its launch (`launchEffect`), and the intervals were no wider than with one launch.
 */
export const RELAUNCH_EVERY = 10;

/**
 * Runs the paired rounds. `variants` are `{ name, dir }` (dir null: no extension). Returns, per workload and variant,
 * the wall time of each round's unit and the CPU its processes spent, the neighbours' CPU, and for each round its
 * block (which launch of the browsers it ran in; `relaunchEvery` rounds each, 0 for one launch).
 * @param {{ variants: { name: string; dir: string | null }[]; rounds?: number; only?: string[]; fetches?: number;
 *   loads?: number; subresources?: number; parallel?: number; warmup?: boolean; relaunchEvery?: number;
 *   log?: (s: string) => void }} o
 */
export async function pairedRun(o) {
  const {
    variants,
    rounds = 40,
    only,
    warmup = true,
    interleave = true,
    relaunchEvery = RELAUNCH_EVERY,
    log = () => {},
  } = o;
  const demo = await startDemoServer({ quiet: true });
  const slow = await startSlowServer(demo.certs);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-home-'));
  trustCa(home, demo.certs.caCert);
  /** The variants' browsers of the current block, each with its page. */
  let launched = [];
  const pages = new Map();
  const all = workloads({
    demo,
    slow,
    fetches: o.fetches,
    loads: o.loads,
    subresources: o.subresources,
    parallel: o.parallel,
    fresh: o.fresh,
    fetchesSettleMs: o.fetchesSettleMs,
  });
  const names = (only ?? Object.keys(all)).filter((n) => all[n]);
  const closeAll = async () => {
    for (const v of launched) await v.close();
    launched = [];
    pages.clear();
  };
  // Every variant in a new profile, in an order that changes with the block, each with its page warmed up.
  const launchAll = async (block) => {
    await launchVariants(permutation(variants, block), home, launched, log);
    for (const v of launched) {
      const page = await v.context.newPage();
      pages.set(v.name, page);
      // Warm-up: the first navigation right after the worker starts can be missed; connections, caches, code.
      await page.goto(`${demo.origin}/`);
      await page.goto(`${demo.origin}/good`);
      if (warmup) {
        for (const n of names) {
          await all[n].prepare(page);
          await all[n].run(page, -1);
        }
      }
    }
  };
  try {
    const results = Object.fromEntries(
      names.map((n) => [
        n,
        {
          label: all[n].label,
          per: all[n].per,
          count: all[n].count,
          wall: Object.fromEntries(variants.map((v) => [v.name, []])),
          cpu: Object.fromEntries(variants.map((v) => [v.name, []])),
          neighbours: [],
          parts: {},
        },
      ]),
    );
    const ourCpu = () => launched.reduce((s, v) => s + Object.values(v.tree.sample()).reduce((a, b) => a + b, 0), 0);
    const nodeCpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const blocks = [];
    const t0 = Date.now();
    for (let r = 0; r < rounds; r++) {
      const block = relaunchEvery > 0 ? Math.floor(r / relaunchEvery) : 0;
      if (r === 0 || block !== blocks[r - 1]) {
        await closeAll();
        await launchAll(block);
      }
      blocks.push(block);
      for (const [wi, n] of names.entries()) {
        const w = all[n];
        // A unit is run in slices, interleaved across the variants (each slice in another order): a slow spell of
        // the machine, which lasts about as long as a unit (sequential loopback fetches vary ×2 between units
        // here), then falls on every variant of the round alike instead of on one.
        const slices = interleave ? (w.slices ?? 1) : 1;
        for (let j = 0; j < slices; j++) {
          for (const name of permutation(
            variants.map((v) => v.name),
            r + wi + j,
          )) {
            const v = launched.find((x) => x.name === name);
            const page = pages.get(name);
            await w.prepare(page, j);
            const cpu0 = v.tree.sample({ rescan: true });
            const m0 = machineBusyMs();
            const us0 = ourCpu() + nodeCpu();
            const t1 = performance.now();
            const out = await (slices > 1 ? w.run(page, r, j, slices) : w.run(page, r));
            const ms = typeof out === 'number' ? out : out.ms;
            if (typeof out !== 'number')
              (results[n].parts[name] ??= [])[r] = [...(results[n].parts[name][r] ?? []), ...out.parts];
            const elapsed = performance.now() - t1;
            const cpu = diff(v.tree.sample(), cpu0);
            const machine = machineBusyMs() - m0;
            const ours = ourCpu() + nodeCpu() - us0;
            results[n].wall[name][r] = (j ? results[n].wall[name][r] : 0) + ms;
            const before = j ? results[n].cpu[name][r] : null;
            results[n].cpu[name][r] = before
              ? Object.fromEntries(Object.keys(cpu).map((k) => [k, cpu[k] + (before[k] ?? 0)]))
              : cpu;
            (results[n].neighbours[r] ??= []).push({ wall: elapsed, others: Math.max(0, machine - ours) });
          }
        }
      }
      if (r % 5 === 4 || r === rounds - 1) {
        const s = ((Date.now() - t0) / 1000).toFixed(0);
        log(
          `round ${r + 1}/${rounds} (${s} s): ` +
            names
              .map((n) => `${n} ${variants.map((v) => results[n].wall[v.name][r].toFixed(0)).join('/')}`)
              .join(', ') +
            ` ms (${variants.map((v) => v.name).join('/')})`,
        );
      }
    }
    return { results, variants: variants.map((v) => v.name), rounds, blocks, seconds: (Date.now() - t0) / 1000 };
  } finally {
    await closeAll();
    await slow.close();
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The ratios a run yields, each with its CI: `[a, b]` pairs of variant names. */
export function summarise(run, pairs, { seed = 1 } = {}) {
  const out = [];
  for (const [n, w] of Object.entries(run.results)) {
    for (const [a, b, what] of pairs) {
      if (!w.wall[a] || !w.wall[b]) continue;
      const at = pairedRounds(w.wall[a], w.wall[b]);
      const ratios = at.map((i) => w.wall[a][i] / w.wall[b][i]);
      const blocks = run.blocks ? at.map((i) => run.blocks[i]) : undefined;
      const ci = bootstrapMedian(ratios, { seed, ...(blocks ? { blocks } : {}) });
      const launch = blocks ? launchEffect(ratios, blocks) : null;
      out.push({ workload: n, label: w.label, a, b, what, ci, ...(launch ? { launch } : {}) });
    }
  }
  return out;
}

/** Median CPU ms per operation, by role, of each variant in a workload. */
export function cpuPerOp(w) {
  const out = {};
  for (const [name, list] of Object.entries(w.cpu)) {
    out[name] = Object.fromEntries(
      ROLES.map((role) => [role, median(list.filter(Boolean).map((c) => c[role] / w.count))]),
    );
    out[name].wall = median(w.wall[name].map((x) => x / w.count));
  }
  return out;
}

/**
 * The neighbours' CPU: the machine's busy time (/proc/stat, all cores) that none of our processes spent, in cores
 * (CPU ms per ms of the unit's elapsed time; this machine has `os.cpus().length`), per workload: median and max.
 */
export function neighbourLoad(w) {
  const share = w.neighbours.flat().map((x) => x.others / x.wall);
  return { median: median(share), max: Math.max(...share) };
}

/** The CPU table of a run as text. */
export function cpuTable(run) {
  const lines = [];
  for (const w of Object.values(run.results)) {
    const per = cpuPerOp(w);
    const nb = neighbourLoad(w);
    lines.push(
      `${w.label}: per ${w.per}, medians over ${run.rounds} rounds; neighbours used ${nb.median.toFixed(2)} cores meanwhile (max ${nb.max.toFixed(2)})`,
    );
    lines.push(
      `  ${'variant'.padEnd(8)} ${'wall'.padStart(9)} ${ROLES.map((r) => r.padStart(10)).join('')}   (CPU ms)`,
    );
    for (const [name, c] of Object.entries(per)) {
      lines.push(
        `  ${name.padEnd(8)} ${c.wall.toFixed(3).padStart(9)} ${ROLES.map((r) => c[r].toFixed(3).padStart(10)).join('')}`,
      );
    }
  }
  return lines.join('\n');
}

/** One line per ratio: `fetches  with ÷ floor  ×1.012 [1.004, 1.019]  within ×1.03`. */
export function ratioLines(summary, budget = OWN_BUDGET) {
  return summary
    .map((s) => {
      const v = s.what === 'own' ? `  ${verdict(s.ci, budget)} ×${budget}` : '';
      const pct = (x) => `${(x * 100).toFixed(1)} %`;
      const launch = s.launch
        ? `; launches ±${pct(s.launch.between)}, rounds ±${pct(s.launch.within)}, F ${s.launch.F.toFixed(2)}`
        : '';
      return `${s.workload.padEnd(10)} ${`${s.a} ÷ ${s.b}`.padEnd(15)} ${formatCi(s.ci).padEnd(26)}${v}  (${s.what}, ${s.ci.n} rounds${s.ci.blocks ? ` in ${s.ci.blocks} launches` : ''}${launch})`;
    })
    .join('\n');
}

/**
 * The resolution check: a copy of the build made slower by `share` (2 %) of what a fetch and a page load take with
 * the extension (measured first, in calibration rounds) must measure as slower than the build, with a CI that
 * excludes 1.0.
 * @param {{ extensionDir?: string; rounds?: number; share?: number; fetches?: number; loads?: number; warmup?: boolean;
 *   only?: string[]; relaunchEvery?: number; log?: (s: string) => void }} [o]
 */
export async function resolutionCheck({
  extensionDir = EXTENSION_DIR,
  rounds = 40,
  share = 0.02,
  fetches,
  loads,
  warmup,
  only = ['fetches', 'loads'],
  relaunchEvery,
  log = () => {},
} = {}) {
  // Calibration: what a fetch and a load take with the extension, on this machine, now.
  const cal = await pairedRun({
    variants: [{ name: 'with', dir: extensionDir }],
    rounds: Math.min(5, rounds),
    only: ['fetches', 'loads'],
    fetches,
    loads,
    warmup,
    log,
  });
  const perFetchMs = median(cal.results.fetches.wall.with) / cal.results.fetches.count;
  const perLoadMs = median(cal.results.loads.wall.with) / cal.results.loads.count;
  const perFetchUs = Math.round(perFetchMs * 1000 * share);
  const perLoadUs = Math.round(perLoadMs * 1000 * share);
  log(
    `calibration: ${perFetchMs.toFixed(3)} ms per fetch, ${perLoadMs.toFixed(1)} ms per load → busy-wait ${perFetchUs} µs per fetch, ${perLoadUs} µs per load`,
  );
  const slowed = slowedCopy(extensionDir, { perFetchUs, perLoadUs });
  try {
    const run = await pairedRun({
      variants: [
        { name: 'with', dir: extensionDir },
        { name: 'slowed', dir: slowed },
      ],
      rounds,
      only: only.filter((n) => n === 'fetches' || n === 'loads'),
      fetches,
      loads,
      warmup,
      relaunchEvery,
      log,
    });
    const summary = summarise(run, [['slowed', 'with', 'injected']]);
    const passed = summary.every((s) => s.ci.low > 1);
    return { run, summary, passed, perFetchUs, perLoadUs, share };
  } finally {
    fs.rmSync(slowed, { recursive: true, force: true });
  }
}

/**
 * The ratios of an {@link ownShare} run, `[a, b, what]`: the own share, the total and the floor; with `before`, its
 * own share and what the change bought; for each patched copy, its own share and the build against it; and, with
 * two copies or more, each copy against each later one (what one part costs beside another, e.g. an empty relay
 * against no relay, paired in the same rounds).
 * @param {boolean} before
 * @param {string[]} copies
 * @returns {[string, string, string][]}
 */
export function ownSharePairs(before, copies) {
  /** @type {[string, string, string][]} */
  const pairs = [
    ['with', 'floor', 'own'],
    ['with', 'none', 'total'],
    ['floor', 'none', 'floor'],
  ];
  if (before) pairs.push(['before', 'floor', 'own before'], ['with', 'before', 'change']);
  for (const name of copies) pairs.push([name, 'floor', `own ${name}`], ['with', name, `with ÷ ${name}`]);
  for (let i = 0; i < copies.length; i++)
    for (const later of copies.slice(i + 1)) pairs.push([copies[i], later, `${copies[i]} ÷ ${later}`]);
  return pairs;
}

/**
 * The three-variant run (one more with `before`, and one per patched copy in `variants`) and its ratios.
 * @param {{ extensionDir?: string; rounds?: number; only?: string[]; fetches?: number; loads?: number; before?: string;
 *   variants?: { name: string; dir: string }[];
 *   subresources?: number; parallel?: number; warmup?: boolean; fresh?: boolean; fetchesSettleMs?: number;
 *   relaunchEvery?: number; log?: (s: string) => void }} [o]
 */
export async function ownShare({
  extensionDir = EXTENSION_DIR,
  rounds = 40,
  only,
  fetches,
  loads,
  before,
  variants = [],
  subresources,
  parallel,
  warmup,
  fresh,
  fetchesSettleMs,
  relaunchEvery,
  log = () => {},
} = {}) {
  const floorDir = floorExtension();
  try {
    // `before`: another build (the one before a change) measured in the same rounds, to say what the change bought.
    // `variants`: patched copies (leave-one-out), each also measured in the same rounds.
    const extra = [...(before ? [{ name: 'before', dir: before }] : []), ...variants];
    const run = await pairedRun({
      variants: [
        { name: 'none', dir: null },
        { name: 'floor', dir: floorDir },
        { name: 'with', dir: extensionDir },
        ...extra,
      ],
      rounds,
      only,
      fetches,
      loads,
      subresources,
      parallel,
      warmup,
      fresh,
      fetchesSettleMs,
      relaunchEvery,
      log,
    });
    const summary = summarise(
      run,
      ownSharePairs(
        !!before,
        variants.map((v) => v.name),
      ),
    );
    return { run, summary };
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const num = (name) => (opt(name) ? Number(opt(name)) : undefined);
  const rounds = num('--rounds') ?? 40;
  const only = opt('--workloads')?.split(',');
  const fetches = num('--fetches');
  const loads = num('--loads');
  const relaunchEvery = num('--relaunch-every');
  const log = (s) => console.error(`paired: ${s}`);
  const out = opt('--json');
  const record = {};
  if (!args.includes('--resolution-check') || args.includes('--both')) {
    const variants = variantArgs(args);
    const { run, summary } = await ownShare({
      rounds,
      only,
      fetches,
      loads,
      log,
      before: opt('--before'),
      variants,
      fresh: args.includes('--fresh'),
      fetchesSettleMs: num('--fetches-settle'),
      relaunchEvery,
    });
    console.log(
      `Own share and total, ${rounds} paired rounds (${run.seconds.toFixed(0)} s); median of per-round ratios [95 % bootstrap CI]`,
    );
    console.log(ratioLines(summary));
    console.log(cpuTable(run));
    Object.assign(record, { ownShare: { summary, results: run.results, blocks: run.blocks, seconds: run.seconds } });
  }
  if (args.includes('--resolution-check')) {
    const rc = await resolutionCheck({
      rounds: num('--check-rounds') ?? rounds,
      fetches,
      loads,
      relaunchEvery,
      log,
      ...(only ? { only } : {}),
    });
    console.log(
      `Resolution check: a copy slowed by ${(rc.share * 100).toFixed(0)} % (${rc.perFetchUs} µs per fetch, ${rc.perLoadUs} µs per load), ${rc.run.rounds} paired rounds`,
    );
    console.log(ratioLines(rc.summary));
    console.log(cpuTable(rc.run));
    console.log(
      rc.passed ? 'resolution check: PASS (every CI excludes 1.0)' : 'resolution check: FAIL (a CI includes 1.0)',
    );
    Object.assign(record, {
      resolution: {
        summary: rc.summary,
        passed: rc.passed,
        perFetchUs: rc.perFetchUs,
        perLoadUs: rc.perLoadUs,
        results: rc.run.results,
        blocks: rc.run.blocks,
      },
    });
    if (!rc.passed) process.exitCode = 1;
  }
  if (out) fs.writeFileSync(out, JSON.stringify(record, null, 1) + '\n');
}
