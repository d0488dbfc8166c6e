// A quick run of the browser bench (few rounds, budgets not enforced): the paired rounds over three Chromium profiles
// (with the extension, without, and with a code-free extension holding only `webRequest`) on every workload, the
// panel with a seeded tab state, the popup; and the resolution check's slowed copy. Keeps bench/ from rotting.
import { test, expect } from '@playwright/test';
import { EXTENSION_DIR } from './fixtures';
import { browserFigures } from '@/bench/browser.mjs';
import fs from 'node:fs';
import { floorExtension, ownShare, resolutionCheck } from '@/bench/paired.mjs';
import os from 'node:os';
import path from 'node:path';
import { PHASES, phaseRun, phaseTable } from '@/bench/phases.mjs';
import { apiCalls, apiCost } from '@/bench/api-calls.mjs';

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

test('a patched copy given as a variant runs in the same rounds and gets its own ratios; browsers relaunch per block', async () => {
  test.setTimeout(180_000);
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-bench-variant-'));
  fs.cpSync(EXTENSION_DIR, copy, { recursive: true });
  const logged: string[] = [];
  try {
    const { run, summary } = (await ownShare({
      extensionDir: EXTENSION_DIR,
      rounds: 2,
      only: ['loads'],
      loads: 1,
      warmup: false,
      relaunchEvery: 1,
      variants: [{ name: 'copy', dir: copy }],
      log: (s: string) => logged.push(s),
    })) as {
      run: { results: Record<string, { wall: Record<string, number[]> }>; blocks: number[] };
      summary: { workload: string; a: string; b: string; what: string; ci: { n: number; blocks?: number } }[];
    };
    expect(Object.keys(run.results)).toEqual(['loads']);
    expect(run.results.loads?.wall.copy).toHaveLength(2);
    for (const v of ['none', 'floor', 'with', 'copy'])
      expect(
        run.results.loads?.wall[v]?.every((x) => x > 0),
        v,
      ).toBe(true);
    expect(summary.map((s) => `${s.what}: ${s.a} ÷ ${s.b}`)).toEqual(
      expect.arrayContaining(['own copy: copy ÷ floor', 'with ÷ copy: with ÷ copy']),
    );
    // One launch of every variant per round here (`relaunchEvery: 1`): two blocks, resampled as such.
    expect(run.blocks).toEqual([0, 1]);
    expect(logged.filter((s) => s === 'launched with')).toHaveLength(2);
    for (const s of summary) expect(s.ci, s.what).toMatchObject({ n: 2, blocks: 2 });
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
});

test('the phase bench loads the demo page in the floor and the build and times every phase of each load', async () => {
  test.setTimeout(120_000);
  const floorDir = floorExtension();
  try {
    const marks = (await phaseRun({
      variants: [
        { name: 'floor', dir: floorDir },
        { name: 'with', dir: EXTENSION_DIR },
      ],
      loads: 2,
    })) as Record<string, Record<string, number>[]>;
    expect(Object.keys(marks)).toEqual(['floor', 'with']);
    for (const [name, loads] of Object.entries(marks)) {
      expect(loads, name).toHaveLength(2);
      for (const t of loads) {
        // Each load's marks in load order, from a real navigation (a response, then a document that loaded).
        const values = PHASES.map((k) => t[k]!);
        for (const v of values) expect(Number.isFinite(v), name).toBe(true);
        expect(
          [...values].sort((a, b) => a - b),
          name,
        ).toEqual(values);
        expect(t.loadEventEnd, name).toBeGreaterThan(t.responseEnd!);
      }
    }
    expect(phaseTable(marks).split('\n')).toHaveLength(PHASES.length + 1);
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
  }
});

test("the API-call count sees the worker's storage writes and badge of each page load", async () => {
  test.setTimeout(120_000);
  const calls = (await apiCalls(EXTENSION_DIR, { loads: 2, warmup: 1 })) as Record<
    string,
    { perLoad: number; kBPerCall: number }
  >;
  // Each load of the demo page stores its document and shows its badge.
  expect(calls['storage.session.set']?.perLoad).toBeGreaterThan(0);
  expect(calls['storage.session.set']?.kBPerCall).toBeGreaterThan(0.1);
  expect(calls['action.setBadgeText']?.perLoad).toBeGreaterThan(0);
  expect(calls['scripting.executeScript']?.perLoad).toBeGreaterThan(0);
});

test('the API-call cost bench times each kind of call twice, with the CPU each process spent', async () => {
  test.setTimeout(120_000);
  const cost = (await apiCost(EXTENSION_DIR, { calls: 20 })) as Record<
    string,
    { wallUs: number; browserUs: number; extensionUs: number }[]
  >;
  expect(Object.keys(cost).sort()).toEqual(['action.setBadgeText', 'storage.session.remove', 'storage.session.set']);
  for (const runs of Object.values(cost)) {
    expect(runs).toHaveLength(2);
    for (const r of runs) {
      // A call is a trip to the browser process and back: more than a microtask, less than a second.
      expect(r.wallUs).toBeGreaterThan(5);
      expect(r.wallUs).toBeLessThan(1_000_000);
      expect(r.browserUs).toBeGreaterThanOrEqual(0);
      expect(r.extensionUs).toBeGreaterThanOrEqual(0);
    }
  }
});
