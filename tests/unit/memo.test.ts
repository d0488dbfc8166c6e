import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '@/utils/memo';

describe('bounded memo', () => {
  it('computes each key once while it is remembered, keeps the last `max` keys, and remembers null', () => {
    const memo = new BoundedMemo<string | null>(3);
    const computed: string[] = [];
    const get = (k: string) =>
      memo.get(k, () => {
        computed.push(k);
        return k === 'none' ? null : k.toUpperCase();
      });
    expect(['a', 'b', 'a', 'none', 'none'].map(get)).toEqual(['A', 'B', 'A', null, null]);
    expect(computed).toEqual(['a', 'b', 'none']);
    // A fourth key: the oldest (a) is forgotten, the others are not.
    get('c');
    get('b');
    get('a');
    expect(computed).toEqual(['a', 'b', 'none', 'c', 'a']);
  });
});
