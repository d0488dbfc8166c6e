// Where in a page load the extension's cost lands: the demo page loaded in turn by several Chromium profiles (the
// code-free webRequest floor, the build, and any other builds named on the command line), each load from
// `about:blank` with the same pauses before and after it as in paired.mjs (`measuredLoad`), in an order that cycles
// through all permutations.
// Prints the median of each navigation-timing phase (ms from navigation start) per profile, and the median of the
// per-load differences to the floor. A cost before `responseEnd` is the browser's (the request's way through the
// webRequest proxy); a cost after it is the document's commit, parse and load.
//
//   npx wxt build && node bench/phases.mjs                          floor and the build, 40 loads each
//   node bench/phases.mjs --loads 60 --variant a=/tmp/a --variant b=/tmp/b   also two patched copies of the build
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDemoServer } from '../tests/demo/server.mjs';
import { trustCa } from '../tests/support/certs.mjs';
import { EXTENSION_DIR, median, variantArgs } from './lib.mjs';
import { floorExtension, launchVariants, measuredLoad } from './paired.mjs';
import { permutation } from './stats.mjs';

/** The navigation-timing marks reported, in load order. */
export const PHASES = [
  'fetchStart',
  'requestStart',
  'responseStart',
  'responseEnd',
  'domInteractive',
  'domContentLoadedEventEnd',
  'domComplete',
  'loadEventEnd',
];

/**
 * Loads the demo page `loads` times in every variant (`{ name, dir }`; the first is the reference) and returns
 * each load's marks per variant.
 */
export async function phaseRun({ variants, loads = 40, log = () => {} }) {
  const demo = await startDemoServer({ quiet: true });
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-home-'));
  trustCa(home, demo.certs.caCert);
  const launched = [];
  try {
    await launchVariants(variants, home, launched, log);
    for (const v of launched) {
      v.page = await v.context.newPage();
      // Warm-up, as in paired.mjs: connections, caches, code.
      await v.page.goto(`${demo.origin}/`);
      await v.page.goto(`${demo.origin}/good`);
    }
    const marks = Object.fromEntries(variants.map((v) => [v.name, []]));
    for (let r = 0; r < loads; r++) {
      for (const name of permutation(
        variants.map((v) => v.name),
        r,
      )) {
        const { page } = launched.find((x) => x.name === name);
        marks[name][r] = await measuredLoad(page, `${demo.origin}/good?phases=${r}`, PHASES);
      }
      if (r % 10 === 9) log(`${r + 1}/${loads} loads`);
    }
    return marks;
  } finally {
    for (const v of launched) await v.close();
    await demo.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The table: per phase, each variant's median, then each variant's median per-load difference to the first. */
export function phaseTable(marks) {
  const names = Object.keys(marks);
  const [ref, ...others] = names;
  const lines = [
    `${'phase (ms)'.padEnd(26)}${names.map((n) => n.padStart(10)).join('')}   ${others.map((n) => `${n}−${ref}`.padStart(14)).join('')}`,
  ];
  for (const k of PHASES) {
    const own = names.map((n) => median(marks[n].filter(Boolean).map((t) => t[k])));
    const diffs = others.map((n) =>
      median(marks[n].map((t, i) => (t && marks[ref][i] ? t[k] - marks[ref][i][k] : NaN)).filter(Number.isFinite)),
    );
    lines.push(
      `${k.padEnd(26)}${own.map((x) => x.toFixed(2).padStart(10)).join('')}   ${diffs.map((x) => (x >= 0 ? `+${x.toFixed(2)}` : x.toFixed(2)).padStart(14)).join('')}`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const loadsAt = args.indexOf('--loads');
  const loads = loadsAt >= 0 ? Number(args[loadsAt + 1]) : 40;
  const extra = variantArgs(args, ['floor', 'with']);
  const floorDir = floorExtension();
  try {
    const marks = await phaseRun({
      variants: [{ name: 'floor', dir: floorDir }, { name: 'with', dir: EXTENSION_DIR }, ...extra],
      loads,
      log: (s) => console.error(`phases: ${s}`),
    });
    console.log(`Demo page load, ${loads} loads per profile; medians, and the median per-load difference to the floor`);
    console.log(phaseTable(marks));
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
  }
}
