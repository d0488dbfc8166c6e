/**
 * A bounded memo: what was computed for the last `max` string keys, the oldest forgotten first. Serves the worker's
 * caches of pure results that the same few inputs ask for again on every event (parsed headers per origin, the
 * origins and hosts of URLs).
 */
export class BoundedMemo<R> {
  private readonly memo = new Map<string, R>();

  constructor(private readonly max: number) {}

  /** The remembered result for `key`, else `compute()`'s, remembered. */
  get(key: string, compute: () => R): R {
    if (this.memo.has(key)) return this.memo.get(key) as R;
    const r = compute();
    if (this.memo.size >= this.max) this.memo.delete(this.memo.keys().next().value as string);
    this.memo.set(key, r);
    return r;
  }
}
