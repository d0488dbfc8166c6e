// Statistics of the paired bench: a seeded random generator, the median of per-round ratios with a bootstrap 95 %
// confidence interval (resampling rounds, or the blocks of rounds each launch of the browsers ran), and the verdict of
// a CI against a budget. Pure.
import { median } from './lib.mjs';

/** A seeded uniform [0, 1) generator (mulberry32): the same seed gives the same intervals. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The median of `values` with a percentile bootstrap confidence interval: `resamples` times, draw `values.length`
 * values with replacement and take their median; the interval is the (1 − level)/2 and (1 + level)/2 quantiles of
 * those medians.
 *
 * `blocks` (one label per value, e.g. which launch of the browsers a round ran in) makes it a cluster bootstrap:
 * each resample draws as many blocks as there are, with replacement, and takes the median of all their values. What
 * the rounds of one block share (a browser instance that happens to run a few % slower than its twin for its whole
 * life) then widens the interval, instead of passing for a difference between the variants.
 * @param {number[]} values one per round (a round's ratio)
 * @param {{ resamples?: number; level?: number; seed?: number; blocks?: number[] }} [o]
 * @returns {{ median: number; low: number; high: number; n: number; blocks?: number }}
 */
export function bootstrapMedian(values, { resamples = 4000, level = 0.95, seed = 1, blocks } = {}) {
  const keep = values.map((x, i) => i).filter((i) => Number.isFinite(values[i]));
  const v = keep.map((i) => values[i]);
  const n = v.length;
  if (n === 0) return { median: NaN, low: NaN, high: NaN, n };
  const rand = seededRandom(seed);
  const meds = new Float64Array(resamples);
  /** The values of each block (one block per value without `blocks`). */
  const groups = blocks ? [...groupBy(keep, (i) => blocks[i]).values()].map((g) => g.map((i) => values[i])) : null;
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    let sample = draw;
    if (groups) {
      const picked = [];
      for (let k = 0; k < groups.length; k++) picked.push(...groups[Math.floor(rand() * groups.length)]);
      sample = Float64Array.from(picked);
    } else for (let i = 0; i < n; i++) draw[i] = v[Math.floor(rand() * n)];
    sample.sort();
    const m = sample.length >> 1;
    meds[r] = sample.length % 2 ? sample[m] : (sample[m - 1] + sample[m]) / 2;
  }
  meds.sort();
  const q = (p) => meds[Math.min(resamples - 1, Math.max(0, Math.round(p * (resamples - 1))))];
  const out = { median: median(v), low: q((1 - level) / 2), high: q((1 + level) / 2), n };
  return groups ? { ...out, blocks: groups.length } : out;
}

/**
 * How much the rounds of one launch of the browsers share: a one-way analysis of variance of `log(values)` by
 * block. `between` is the standard deviation of a launch's own level (0 when the launches differ no more than their
 * rounds predict), `within` that of a round about its launch's mean, both as log ratios (0.03 ≈ 3 %), and `F` the
 * ratio of the two mean squares: about 1 when the launch does not matter. Null with fewer than two blocks.
 * @param {number[]} values one per round (a round's ratio, > 0)
 * @param {number[]} blocks one label per value
 * @returns {{ F: number; between: number; within: number; blocks: number; n: number } | null}
 */
export function launchEffect(values, blocks) {
  const keep = values.map((x, i) => i).filter((i) => Number.isFinite(values[i]) && values[i] > 0);
  const groups = [...groupBy(keep, (i) => blocks[i]).values()].map((g) => g.map((i) => Math.log(values[i])));
  const k = groups.length;
  const n = keep.length;
  if (k < 2 || n - k < 1) return null;
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const grand = mean(groups.flat());
  const means = groups.map(mean);
  const ssb = groups.reduce((s, g, j) => s + g.length * (means[j] - grand) ** 2, 0);
  const ssw = groups.reduce((s, g, j) => s + g.reduce((t, x) => t + (x - means[j]) ** 2, 0), 0);
  const msb = ssb / (k - 1);
  const msw = ssw / (n - k);
  // The rounds per launch, for unequal launches (the usual n0 of a one-way random-effects model).
  const n0 = (n - groups.reduce((s, g) => s + g.length ** 2, 0) / n) / (k - 1);
  return {
    F: msw > 0 ? msb / msw : Infinity,
    between: Math.sqrt(Math.max(0, (msb - msw) / n0)),
    within: Math.sqrt(msw),
    blocks: k,
    n,
  };
}

function groupBy(items, key) {
  const out = new Map();
  for (const x of items) {
    const k = key(x);
    if (!out.has(k)) out.set(k, []);
    out.get(k).push(x);
  }
  return out;
}

/**
 * What a ratio's interval says about a budget (an upper bound such as ×1.03): `within` when the whole interval is
 * at or below it, `over` when the whole interval is above it, `not resolved` when it spans it.
 */
export function verdict(ci, budget) {
  if (!Number.isFinite(ci.low) || !Number.isFinite(ci.high)) return 'not resolved';
  if (ci.high <= budget) return 'within';
  if (ci.low > budget) return 'over';
  return 'not resolved';
}

/** Per-round ratios `a[i] / b[i]` of two paired series (rounds where either is missing are skipped). */
export function pairedRatios(a, b) {
  return pairedRounds(a, b).map((i) => a[i] / b[i]);
}

/** The rounds `i` at which both paired series have a value (`b[i]` > 0). */
export function pairedRounds(a, b) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (Number.isFinite(a[i]) && Number.isFinite(b[i]) && b[i] > 0) out.push(i);
  }
  return out;
}

/** The i-th permutation (mod n!) of `items`: cycling i over rounds balances which variant runs first. */
export function permutation(items, i) {
  const pool = [...items];
  const out = [];
  let k = i;
  for (let f = pool.length; f > 0; f--) {
    const fact = factorial(f - 1);
    const idx = Math.floor(k / fact) % f;
    out.push(pool.splice(idx, 1)[0]);
    k %= fact;
  }
  return out;
}

function factorial(n) {
  let r = 1;
  for (let i = 2; i <= n; i++) r *= i;
  return r;
}

/** `×1.012 [1.004, 1.019]` */
export function formatCi(ci) {
  const f = (x) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
  return `×${f(ci.median)} [${f(ci.low)}, ${f(ci.high)}]`;
}
