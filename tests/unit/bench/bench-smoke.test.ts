// A quick run of the bench scripts (few iterations, budgets not enforced), so they cannot rot. The figures that
// need the built extension in Chromium are smoke-run by tests/e2e/bench-smoke.spec.ts.
import { describe, expect, it } from 'vitest';
import { runBench } from '@/bench/run.mjs';
import { table } from '@/bench/lib.mjs';

type Row = { figure: string; value: number; unit: string; budget: string; pass: boolean };

describe('bench (smoke)', () => {
  it('measures every Node-side figure and prints the table', { timeout: 60_000 }, async () => {
    const rows = (await runBench({ smoke: true, browser: false })) as Row[];
    const names = rows.map((r) => r.figure);
    for (const want of [
      'page hook size',
      'breadcrumb: click',
      'breadcrumb: console call',
      'background: responses without',
      'background: documents with both',
      'storage writes per tab',
      'storage per tab after 1 h',
    ]) {
      expect(
        names.some((n) => n.includes(want)),
        want,
      ).toBe(true);
    }
    for (const r of rows) {
      expect(typeof r.budget).toBe('string');
      expect(typeof r.pass).toBe('boolean');
      // The hook size needs a build; everything else is measured from source.
      if (!r.figure.startsWith('page hook size')) expect(Number.isFinite(r.value) && r.value > 0, r.figure).toBe(true);
    }
    expect(table(rows)).toContain('| figure');
  });
});
