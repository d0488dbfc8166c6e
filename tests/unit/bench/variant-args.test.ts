// The `--variant name=dir` options of bench/paired.mjs and bench/phases.mjs.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { variantArgs } from '@/bench/lib.mjs';

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
