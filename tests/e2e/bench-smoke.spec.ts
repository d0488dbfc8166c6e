// A quick run of the browser bench (few iterations, budgets not enforced): three Chromium profiles (with the
// extension, without, and with a code-free extension holding only `webRequest`), the panel with a seeded tab
// state, the popup. Keeps bench/browser.mjs from rotting.
import { test, expect } from '@playwright/test';
import { EXTENSION_DIR } from './fixtures';
import { browserFigures } from '@/bench/browser.mjs';

type Row = { figure: string; value: number; unit: string; budget: string; pass: boolean };

test('the browser bench runs and yields every figure', async () => {
  test.setTimeout(90_000);
  const rows = (await browserFigures({ extensionDir: EXTENSION_DIR, repeats: 2, fetches: 30, frames: 10, panelRuns: 1, popupRuns: 1 })) as Row[];
  expect(rows.map((r) => r.figure)).toEqual([
    expect.stringContaining('sequential fetches'),
    expect.stringContaining('fetches: webRequest floor ÷ without'),
    expect.stringContaining('fetches: with ÷ webRequest floor'),
    expect.stringContaining('demo page load'),
    expect.stringContaining('page load: webRequest floor ÷ without'),
    expect.stringContaining('page load: with ÷ webRequest floor'),
    expect.stringContaining('panel first render'),
    expect.stringContaining('panel scrolling'),
    expect.stringContaining('popup open'),
  ]);
  for (const r of rows) expect(Number.isFinite(r.value) && r.value > 0, r.figure).toBe(true);
});
