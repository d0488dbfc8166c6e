// The bench's command-line options (`--variant name=dir` of bench/paired.mjs and bench/phases.mjs, numbers such as
// `--loads 20`), and the ratios a run with copies yields.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { numberOption, variantArgs } from '@/bench/lib.mjs';
import { ownSharePairs } from '@/bench/paired.mjs';

describe('variantArgs', () => {
  it('reads every --variant, in order, with its directory resolved', () => {
    const args = ['--rounds', '40', '--variant', 'nohook=/tmp/a', '--workloads', 'loads', '--variant', 'b=rel/dir'];
    expect(variantArgs(args)).toEqual([
      { name: 'nohook', dir: '/tmp/a' },
      { name: 'b', dir: path.resolve('rel/dir') },
    ]);
  });

  it('is empty without the option', () => {
    expect(variantArgs(['--rounds', '40', '--before', '/tmp/old'])).toEqual([]);
  });

  it('keeps an = inside the directory', () => {
    expect(variantArgs(['--variant', 'x=/tmp/a=b'])).toEqual([{ name: 'x', dir: '/tmp/a=b' }]);
  });

  it.each([['--variant'], ['--variant', '/tmp/a'], ['--variant', '=/tmp/a'], ['--variant', 'x=']])(
    'says what it wants for %j',
    (...args) => {
      expect(() => variantArgs(args)).toThrow(/--variant wants name=dir/);
    },
  );

  it('refuses a name the bench uses itself, or one given twice', () => {
    expect(() => variantArgs(['--variant', 'floor=/tmp/a'])).toThrow(/floor: that name is taken/);
    expect(() => variantArgs(['--variant', 'a=/tmp/a', '--variant', 'a=/tmp/b'])).toThrow(/a: that name is taken/);
    expect(variantArgs(['--variant', 'before=/tmp/a'], ['floor', 'with'])).toEqual([{ name: 'before', dir: '/tmp/a' }]);
  });
});

describe('ownSharePairs', () => {
  it('gives the own share, the total and the floor, then each copy against the floor and the build', () => {
    expect(ownSharePairs(false, ['norelay'])).toEqual([
      ['with', 'floor', 'own'],
      ['with', 'none', 'total'],
      ['floor', 'none', 'floor'],
      ['norelay', 'floor', 'own norelay'],
      ['with', 'norelay', 'with ÷ norelay'],
    ]);
  });

  it('pairs each copy with each later one when there are two or more, and adds the build before', () => {
    const pairs = ownSharePairs(true, ['a', 'b', 'c']).map(([x, y, what]) => `${what}: ${x} ÷ ${y}`);
    expect(pairs).toEqual(
      expect.arrayContaining(['own before: before ÷ floor', 'change: with ÷ before', 'a ÷ b: a ÷ b', 'a ÷ c: a ÷ c']),
    );
    expect(pairs.filter((p) => /^[abc] ÷ /.test(p))).toEqual(['a ÷ b: a ÷ b', 'a ÷ c: a ÷ c', 'b ÷ c: b ÷ c']);
    expect(pairs).toHaveLength(3 + 2 + 3 * 2 + 3);
  });
});

describe('numberOption', () => {
  it('reads the number after its flag, and nothing when the flag is not there', () => {
    const args = ['--loads', '20', '.output/chrome-mv3', '--cost', '2000'];
    expect(numberOption(args, '--loads')).toBe(20);
    expect(numberOption(args, '--cost')).toBe(2000);
    expect(numberOption(args, '--top')).toBeUndefined();
    expect(numberOption(['--top'], '--top')).toBeNaN();
  });
});
