// The phase bench's table: each variant's median per phase, and the median of its per-load differences to the
// first variant, so a cost that lands after the response shows there and not before.
import { describe, expect, it } from 'vitest';
import { PHASES, phaseTable } from '@/bench/phases.mjs';

/** A load's marks: 1 ms apart up to `responseEnd`, then `after` ms more for each later phase. */
function load(base: number, after: number): Record<string, number> {
  const end = PHASES.indexOf('responseEnd');
  return Object.fromEntries(PHASES.map((k, i) => [k, base + i + (i > end ? after : 0)]));
}

/** The cells of the table's row for `phase`, after its name. */
const cells = (rows: string[], phase: string) =>
  rows
    .find((r) => r.startsWith(phase))!
    .trim()
    .split(/\s+/)
    .slice(1);

describe('phase table', () => {
  it('shows a cost after the response in the later phases only, per load and paired', () => {
    // The floor's loads vary by 0–20 ms; the build's are the same loads with 3 ms more after the response.
    const floor = [0, 10, 20, 5, 15].map((b) => load(b, 40));
    const build = [0, 10, 20, 5, 15].map((b) => load(b, 43));
    const rows = phaseTable({ floor, with: build }).split('\n');
    expect(rows).toHaveLength(PHASES.length + 1);
    expect(rows[0]).toContain('with−floor');
    const diff = (phase: string) => Number(cells(rows, phase).at(-1));
    expect(diff('fetchStart')).toBe(0);
    expect(diff('responseEnd')).toBe(0);
    expect(diff('domInteractive')).toBe(3);
    expect(diff('loadEventEnd')).toBe(3);
    // The medians per variant: the floor's median load starts at 10.
    expect(cells(rows, 'fetchStart').slice(0, 2)).toEqual(['10.00', '10.00']);
  });

  it('skips a load that has no marks instead of failing the table', () => {
    const rows = phaseTable({ floor: [load(0, 40), load(0, 40)], with: [load(0, 41), null] }).split('\n');
    expect(Number(cells(rows, 'loadEventEnd').at(-1))).toBe(1);
  });
});
