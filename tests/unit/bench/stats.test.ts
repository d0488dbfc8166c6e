// The paired bench's statistics and /proc readers: the CI must cover the true ratio of a known distribution, shrink
// with more rounds, tell a 2 % shift from none, and say "not resolved" when it spans the budget.
import { describe, expect, it } from 'vitest';
import {
  bootstrapMedian,
  formatCi,
  launchEffect,
  pairedRatios,
  pairedRounds,
  permutation,
  seededRandom,
  verdict,
} from '@/bench/stats.mjs';
import { chromiumTree, machineBusyMs, processCpuMs, roleOf } from '@/bench/procstat.mjs';
import { slowPage, subresourceDelays } from '@/bench/slow-server.mjs';

/** `n` paired rounds: a noisy machine's drift (shared by both sides of a round), jitter, and a true ratio `shift`. */
function rounds(n: number, shift: number, seed: number): { a: number[]; b: number[] } {
  const r = seededRandom(seed);
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const drift = 1 + 2 * r(); // the neighbours make a round 1–3× slower
    b.push(100 * drift * (1 + 0.02 * (r() - 0.5)));
    a.push(100 * shift * drift * (1 + 0.02 * (r() - 0.5)));
  }
  return { a, b };
}

describe('bench statistics', () => {
  it('seeded generator: same seed, same sequence; values in [0, 1)', () => {
    const x = seededRandom(7);
    const y = seededRandom(7);
    const xs = Array.from({ length: 1000 }, x);
    expect(xs).toEqual(Array.from({ length: 1000 }, y));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Array.from({ length: 5 }, seededRandom(8))).not.toEqual(xs.slice(0, 5));
  });

  it('the CI of a paired ratio covers the true ratio despite a 3× drift between rounds, and resolves 2 %', () => {
    const { a, b } = rounds(40, 1.02, 3);
    const ci = bootstrapMedian(pairedRatios(a, b));
    expect(ci.low).toBeLessThanOrEqual(1.02);
    expect(ci.high).toBeGreaterThanOrEqual(1.02);
    expect(ci.low).toBeGreaterThan(1); // a 2 % slowdown measures as slower
    expect(ci.high).toBeLessThan(1.03);
    // Unpaired (each side against another round's), the same data cannot tell: the drift swamps the 2 %.
    const unpaired = bootstrapMedian(pairedRatios(a, [...b].reverse()));
    expect(unpaired.low).toBeLessThan(1);
    expect(unpaired.high - unpaired.low).toBeGreaterThan(10 * (ci.high - ci.low));
  });

  it('no shift: the CI includes 1.0; more rounds narrow it; the same seed gives the same interval', () => {
    const few = bootstrapMedian(pairedRatios(...(Object.values(rounds(10, 1, 5)) as [number[], number[]])));
    const many = bootstrapMedian(pairedRatios(...(Object.values(rounds(200, 1, 5)) as [number[], number[]])));
    expect(many.low).toBeLessThanOrEqual(1);
    expect(many.high).toBeGreaterThanOrEqual(1);
    expect(many.high - many.low).toBeLessThan(few.high - few.low);
    const { a, b } = rounds(30, 1.01, 9);
    expect(bootstrapMedian(pairedRatios(a, b), { seed: 4 })).toEqual(bootstrapMedian(pairedRatios(a, b), { seed: 4 }));
  });

  it('blocks: an offset shared by the rounds of one launch widens the interval, and is not taken for a shift', () => {
    // 12 launches of 10 rounds; each launch's instance is off by up to ±3 % for its whole life, the true ratio 1.0.
    const r = seededRandom(11);
    const values: number[] = [];
    const blocks: number[] = [];
    for (let k = 0; k < 12; k++) {
      const offset = 1 + 0.06 * (r() - 0.5);
      for (let i = 0; i < 10; i++) {
        values.push(offset * (1 + 0.01 * (r() - 0.5)));
        blocks.push(k);
      }
    }
    const byRound = bootstrapMedian(values);
    const byBlock = bootstrapMedian(values, { blocks });
    expect(byBlock.blocks).toBe(12);
    expect(byBlock.median).toBe(byRound.median);
    expect(byBlock.high - byBlock.low).toBeGreaterThan(1.5 * (byRound.high - byRound.low));
    expect(byBlock.low).toBeLessThanOrEqual(1);
    expect(byBlock.high).toBeGreaterThanOrEqual(1);
    // One value per block is the plain bootstrap; a missing value is left out with its block label.
    const { a, b } = rounds(30, 1.01, 9);
    const one = bootstrapMedian(pairedRatios(a, b), { blocks: a.map((_, i) => i) });
    expect({ ...one, blocks: undefined }).toEqual({ ...bootstrapMedian(pairedRatios(a, b)), blocks: undefined });
    expect(bootstrapMedian([1, NaN, 3], { blocks: [0, 1, 1] })).toMatchObject({ n: 2, blocks: 2, median: 2 });
  });

  it('launch effect: a level shared by the rounds of a launch is measured as such, and none is found where there is none', () => {
    const r = seededRandom(21);
    const build = (spread: number) => {
      const values: number[] = [];
      const blocks: number[] = [];
      for (let k = 0; k < 12; k++) {
        // Each launch off by a normal-ish offset of sd `spread` (sum of 12 uniforms), its rounds by ±1 % jitter.
        const offset = Math.exp(spread * (Array.from({ length: 12 }, r).reduce((s, x) => s + x, 0) - 6));
        for (let i = 0; i < 10; i++) {
          values.push(offset * Math.exp(0.01 * (Array.from({ length: 12 }, r).reduce((s, x) => s + x, 0) - 6)));
          blocks.push(k);
        }
      }
      return launchEffect(values, blocks)!;
    };
    const shared = build(0.03);
    expect(shared.blocks).toBe(12);
    expect(shared.n).toBe(120);
    expect(shared.F).toBeGreaterThan(10);
    expect(shared.between).toBeGreaterThan(0.015);
    expect(shared.between).toBeLessThan(0.06);
    expect(shared.within).toBeGreaterThan(0.007);
    expect(shared.within).toBeLessThan(0.013);
    const none = build(0);
    expect(none.F).toBeLessThan(3);
    expect(none.between).toBeLessThan(0.005);
    // Unequal launches, a missing round left out with its label; one launch tells nothing.
    expect(launchEffect([1, 1.1, NaN, 1.2, 1.3], [0, 0, 0, 1, 1])).toMatchObject({ blocks: 2, n: 4 });
    expect(launchEffect([1, 1.1, 1.2], [0, 0, 0])).toBeNull();
  });

  it('verdict against a budget: within, over, or not resolved when the CI spans it', () => {
    expect(verdict({ median: 1.01, low: 1.0, high: 1.02, n: 30 }, 1.03)).toBe('within');
    expect(verdict({ median: 1.05, low: 1.04, high: 1.06, n: 30 }, 1.03)).toBe('over');
    expect(verdict({ median: 1.03, low: 1.01, high: 1.05, n: 30 }, 1.03)).toBe('not resolved');
    expect(verdict(bootstrapMedian([]), 1.03)).toBe('not resolved');
    expect(formatCi({ median: 1.0123, low: 1.004, high: 1.019, n: 3 })).toBe('×1.012 [1.004, 1.019]');
  });

  it('paired ratios skip rounds missing on either side; permutations cycle through every order', () => {
    expect(pairedRatios([2, NaN, 3, 4], [1, 1, 0, 2])).toEqual([2, 2]);
    expect(pairedRounds([2, NaN, 3, 4], [1, 1, 0, 2])).toEqual([0, 3]);
    const seen = new Set(Array.from({ length: 6 }, (_, i) => permutation(['a', 'b', 'c'], i).join('')));
    expect([...seen].sort()).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    expect(permutation(['a', 'b', 'c'], 6)).toEqual(permutation(['a', 'b', 'c'], 0));
  });
});

describe('bench /proc readers', () => {
  it('roles from Chromium command lines', () => {
    expect(roleOf(['/usr/lib/chromium/chromium', '--user-data-dir=/tmp/p'])).toBe('browser');
    expect(roleOf(['chromium', '--type=renderer', '--renderer-client-id=5'])).toBe('renderer');
    expect(roleOf(['chromium', '--type=renderer', '--extension-process'])).toBe('extension');
    expect(roleOf(['chromium', '--type=utility', '--utility-sub-type=network.mojom.NetworkService'])).toBe('network');
    expect(roleOf(['chromium', '--type=gpu-process'])).toBe('other');
  });

  it.runIf(process.platform === 'linux')(
    'reads this process’s CPU time and the machine’s; a tree of one process',
    () => {
      // Spend 150 ms of CPU (by this process's own count, so a busy machine only makes it take longer).
      const cpu = () => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
      const before = processCpuMs(process.pid)!;
      const c0 = cpu();
      while (cpu() - c0 < 150);
      const spent = cpu() - c0;
      // /proc counts in ticks of 10 ms and includes the other threads of this process.
      expect(processCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(spent - 20);
      expect(processCpuMs(2 ** 30)).toBeNull();
      expect(machineBusyMs()).toBeGreaterThan(0);
      const tree = chromiumTree(process.pid);
      expect(tree.pids()).toContain(process.pid);
      expect(tree.sample().browser).toBeGreaterThan(0);
    },
  );
});

describe('bench slow page', () => {
  it('50 subresources with delays of 20–80 ms, the same for the same seed', () => {
    const d = subresourceDelays(50, 3);
    expect(d).toHaveLength(50);
    expect(Math.min(...d)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...d)).toBeLessThanOrEqual(80);
    expect(subresourceDelays(50, 3)).toEqual(d);
    const html = slowPage(50, 3);
    expect(html.match(/\/delay\?ms=/g)).toHaveLength(50);
    expect(html).toContain(`/delay?ms=${d[0]}&i=0&s=3&as=css`);
  });
});
