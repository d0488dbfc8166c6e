// `npm run bench`: every figure with its budget, one table, and bench/results.json.
//   npx wxt build && npm run bench
//   EXTENSION_DIR=/tmp/copy npm run bench       a private copy of the build (other runs may rebuild .output)
//   npm run bench -- --smoke                     few iterations, budgets not enforced (what the unit test runs)
//   npm run bench -- --no-browser                only the figures measured in Node
//   npm run bench -- --resolution-check          also show that the page-side figures resolve a 2 % slowdown
//   npm run bench -- --rounds 60                 more paired rounds (narrower intervals, longer run)
import fs from 'node:fs';
import path from 'node:path';
import { EXTENSION_DIR, ROOT, figure, importTs, table } from './lib.mjs';

/**
 * Runs the suite and returns its rows.
 * @param {{ smoke?: boolean; browser?: boolean; extensionDir?: string; log?: (s: string) => void }} [o]
 */
export async function runBench({
  smoke = false,
  browser = true,
  extensionDir = EXTENSION_DIR,
  rounds = 30,
  resolution = false,
  log = () => {},
} = {}) {
  const rows = [];
  const { pageHookFigures } = await import('./page-hook.mjs');
  log('page hook…');
  rows.push(...(await pageHookFigures({ extensionDir, rounds: smoke ? 3 : 50, perRound: smoke ? 200 : 2000 })));

  log('background handler…');
  const bg = await importTs('bench/node-figures.ts');
  const plain = [];
  for (let i = 0; i < (smoke ? 1 : 5); i++) plain.push(bg.plainResponsesPerSecond(smoke ? 50 : 600));
  plain.sort((a, b) => a - b);
  rows.push(
    figure('background: responses without reporting headers', plain[plain.length >> 1], '/s', {
      min: 100_000,
      budget: '≥ 100,000 /s',
      note: 'median of runs through handleHeadersReceived',
    }),
  );
  const rep = [];
  for (let i = 0; i < (smoke ? 1 : 3); i++) rep.push(await bg.reportingResponsesPerSecond(smoke ? 500 : 20_000, 4));
  rep.sort((a, b) => a.perSecond - b.perSecond);
  const mid = rep[rep.length >> 1];
  rows.push(
    figure('background: documents with both headers, parsed + stored', mid.perSecond, '/s', {
      min: 10_000,
      budget: '≥ 10,000 /s',
      note: `4 tabs, ${mid.seconds.toFixed(2)} s`,
    }),
  );
  rows.push(
    figure(
      'background: storage writes per tab while doing so',
      Math.max(...rep.map((r) => r.writesPerTabPerSecond)),
      '/s',
      { max: 10, budget: '≤ 10 /s per tab' },
    ),
  );

  log('a busy hour…');
  const seconds = smoke ? 120 : 3600;
  const { BREADCRUMB_BUFFER } = await importTs('utils/storage/settings.ts');
  const hour = await bg.busyTabBytes(seconds, BREADCRUMB_BUFFER.default);
  // Reports reach their bound after ~83 min at one per 10 s: compare two saturated states for "bounded".
  const two = await bg.busyTabBytes(2 * seconds, BREADCRUMB_BUFFER.default);
  const four = await bg.busyTabBytes(4 * seconds, BREADCRUMB_BUFFER.default);
  const hourMax = await bg.busyTabBytes(seconds, BREADCRUMB_BUFFER.max);
  const mb = 1024 * 1024;
  rows.push(
    figure('storage per tab after 1 h of a busy page', hour / mb, 'MB', {
      max: 1,
      budget: '≤ 1 MB',
      note: `default buffer (${BREADCRUMB_BUFFER.default} breadcrumbs); 2 h: ${(two / mb).toFixed(3)} MB, 4 h: ${(four / mb).toFixed(3)} MB`,
    }),
  );
  rows.push(
    figure('storage per tab: after 4 h ÷ after 2 h (bounded)', four / two, '×', {
      max: 1.01,
      budget: '≤ 1.01 (bounded)',
    }),
  );
  rows.push(
    figure('storage per tab after 1 h, largest breadcrumb buffer', hourMax / mb, 'MB', {
      max: 1,
      budget: '≤ 1 MB',
      note: `${BREADCRUMB_BUFFER.max} breadcrumbs, the options page's maximum (the buffer is also bounded in bytes)`,
    }),
  );

  if (browser) {
    log('browser…');
    const { browserFigures } = await import('./browser.mjs');
    rows.push(
      ...(await browserFigures(
        smoke
          ? { extensionDir, rounds: 2, fetches: 20, loads: 1, frames: 10, panelRuns: 1, popupRuns: 1, log }
          : { extensionDir, rounds, frames: 120, panelRuns: 7, popupRuns: 11, log },
      )),
    );
  }
  if (browser && resolution) {
    log('resolution check…');
    const { resolutionCheck } = await import('./paired.mjs');
    const { formatCi } = await import('./stats.mjs');
    const rc = await resolutionCheck({
      extensionDir,
      rounds: smoke ? 2 : rounds,
      ...(smoke ? { fetches: 20, loads: 1 } : {}),
      log,
    });
    for (const s of rc.summary) {
      const r = figure(
        `resolution check, ${s.label}: slowed ${(rc.share * 100).toFixed(0)} % ÷ build`,
        s.ci.median,
        '×',
        {
          budget: 'CI > 1.0',
          note: `${formatCi(s.ci)} over ${s.ci.n} rounds; busy-wait ${s.workload === 'fetches' ? `${rc.perFetchUs} µs per fetch` : `${rc.perLoadUs} µs per load`}`,
        },
      );
      r.pass = s.ci.low > 1;
      rows.push(r);
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const t0 = Date.now();
  const roundsAt = args.indexOf('--rounds');
  const rows = await runBench({
    smoke,
    browser: !args.includes('--no-browser'),
    resolution: args.includes('--resolution-check'),
    rounds: roundsAt >= 0 ? Number(args[roundsAt + 1]) : 30,
    log: (s) => console.error(`bench: ${s}`),
  });
  console.log(table(rows, { budgets: !smoke }));
  for (const r of rows) if (r.note) console.log(`  ${r.figure}: ${r.note}`);
  console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s, extension ${path.relative(ROOT, EXTENSION_DIR) || '.'})`);
  if (!smoke) {
    fs.writeFileSync(
      path.join(ROOT, 'bench/results.json'),
      JSON.stringify(
        rows.map(({ figure, value, unit, budget, pass }) => ({ figure, value, unit, budget, pass })),
        null,
        2,
      ) + '\n',
    );
    if (rows.some((r) => !r.pass)) process.exitCode = 1;
  }
}
