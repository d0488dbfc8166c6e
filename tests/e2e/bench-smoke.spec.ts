// A quick run of the browser bench (few rounds, budgets not enforced): the paired rounds over three Chromium profiles
// (with the extension, without, and with a code-free extension holding only `webRequest`) on every workload, the
// panel with a seeded tab state, the popup; and the resolution check's slowed copy. Keeps bench/ from rotting.
import { test, expect } from '@playwright/test';
import { EXTENSION_DIR } from './fixtures';
import { browserFigures } from '@/bench/browser.mjs';
import { resolutionCheck } from '@/bench/paired.mjs';

type Row = { figure: string; value: number; unit: string; budget: string; pass: boolean; note?: string };

test('the browser bench runs and yields every figure, each ratio with its interval', async () => {
  test.setTimeout(300_000);
  const rows = (await browserFigures({
    extensionDir: EXTENSION_DIR,
    rounds: 2,
    fetches: 10,
    loads: 1,
    subresources: 6,
    parallel: 6,
    warmup: false,
    frames: 10,
    panelRuns: 1,
    popupRuns: 1,
    log: (s: string) => console.log(s),
  })) as Row[];
  const names = rows.map((r) => r.figure);
  for (const workload of ['sequential fetches', 'demo page load', 'subresources', 'parallel fetches']) {
    for (const ratio of ["with ÷ webRequest floor (Report Inspector's own)", 'with ÷ none', 'floor ÷ none']) {
      expect(
        names.filter((n) => n.includes(workload) && n.includes(ratio)),
        `${workload}: ${ratio}`,
      ).toHaveLength(1);
    }
  }
  for (const want of ['panel first render', 'panel scrolling', 'popup open'])
    expect(
      names.some((n) => n.includes(want)),
      want,
    ).toBe(true);
  for (const r of rows) expect(Number.isFinite(r.value) && r.value > 0, r.figure).toBe(true);
  // Every ratio says its interval and whether it resolves against the budget.
  for (const r of rows.filter((x) => x.unit === '×'))
    expect(r.note, r.figure).toMatch(
      /×\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] over 2 paired rounds, (within|over|not resolved) ×1\.03/,
    );
});

test('the resolution check makes a slowed copy of the build and measures it against the build', async () => {
  test.setTimeout(240_000);
  const rc = await resolutionCheck({
    extensionDir: EXTENSION_DIR,
    rounds: 2,
    fetches: 10,
    loads: 1,
    warmup: false,
    log: (s: string) => console.log(s),
  });
  expect(rc.perFetchUs).toBeGreaterThan(0);
  expect(rc.perLoadUs).toBeGreaterThan(0);
  expect(rc.summary.map((s) => `${s.workload}: ${s.a} ÷ ${s.b}`)).toEqual([
    'fetches: slowed ÷ with',
    'loads: slowed ÷ with',
  ]);
  for (const s of rc.summary) expect(s.ci.n).toBe(2);
});
