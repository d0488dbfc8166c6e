/**
 * `PersistedMap<T>`: a map from string keys to values of one storage area (each value under its own key).
 *
 * Values kept in extension storage under one key each, with the worker's memory as a cache only.
 *
 * - Read-modify-write is serialised per key (a promise chain), so bursts of header events never interleave.
 * - Writes are coalesced: the first change is written at once, later ones at most every `minIntervalMs`; a key
 *   that keeps changing (`busyWrites` writes within `busyWindowMs`) is written at most every `busyIntervalMs`.
 *   An isolated event is persisted immediately and a busy tab costs about one write a second (without a layout,
 *   each write copied the tab's whole state across to the browser, ~0.1 MB with a full breadcrumb buffer: bench/
 *   showed it to be the extension's main cost on a page that fires requests in a loop).
 * - When the worker wakes, the first access reads the value back from storage.
 * - With a `layout`, a value is stored as a head under its key plus parts under keys of their own, and a write
 *   sends only the parts that changed since the last write (or read): a busy tab then writes its newest chunk of
 *   events and a small head, not its whole state (tab-layout.ts).
 */

export interface StorageAreaLike {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/**
 * How a value is spread over storage items. `split` returns every item that holds the value: the head under `key`
 * itself, plus parts under other keys; for a part that did not change it returns `written(partKey)` (what storage
 * holds under that key, as far as this worker knows), which is then not written again. `parts` names the part keys
 * a stored head refers to; `join` rebuilds the value from its head and the parts that were found.
 */
export interface StorageLayout<T> {
  split(key: string, value: T, written: (partKey: string) => unknown): Record<string, unknown>;
  parts(key: string, head: unknown): string[];
  join(key: string, head: unknown, parts: Record<string, unknown>): T | null;
}

export interface PersistedMapOptions<T> {
  area: StorageAreaLike;
  /** Stores each value as a head and parts (see {@link StorageLayout}); one item per key without it. */
  layout?: StorageLayout<T>;
  /** Minimum time between two writes of the same key. */
  minIntervalMs?: number;
  /** With a layout: how long parts no head names any more wait before they are removed (default 2000 ms). */
  removalDelayMs?: number;
  /** Minimum time between two writes of a busy key (default 1000 ms; never below `minIntervalMs`). */
  busyIntervalMs?: number;
  /** A key is busy when it was written `busyWrites` times (default 3) within `busyWindowMs` (default 3000 ms). */
  busyWrites?: number;
  busyWindowMs?: number;
  /** Validates what was read back (old versions, corruption); return null to start fresh. */
  revive?: (raw: unknown, key: string) => T | null;
  /** Called with the keys of a write that failed (e.g. quota); may free space and return true to retry (3 times at most). */
  onWriteError?: (error: unknown, keys: string[]) => Promise<boolean>;
  /**
   * Called first, synchronously, by every `get` and `update` of a key: it may issue updates of its own for the key
   * (they then go before the caller's, in order), or return a promise the caller waits for before it goes on.
   */
  beforeAccess?: (key: string) => Promise<void> | undefined;
  now?: () => number;
}

export class PersistedMap<T> {
  private readonly values = new Map<string, T>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly dirty = new Set<string>();
  /** Times of each key's recent writes (the last `busyWrites`). */
  private readonly recentWrites = new Map<string, number[]>();
  /** Keys removed for good (closed tabs): a late event must not bring them back. */
  private readonly tombstones = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerDue = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Callers waiting for the write that includes the changes made so far. */
  private waiters: ((ok: boolean) => void)[] = [];
  private readonly minIntervalMs: number;
  private readonly busyIntervalMs: number;
  private readonly busyWrites: number;
  private readonly busyWindowMs: number;
  private readonly now: () => number;
  /** Number of storage writes made, for measurements. */
  writes = 0;
  /** With a layout: what storage holds under each part key, as last written or read (by reference). */
  private readonly written = new Map<string, unknown>();
  /** With a layout: the part keys each key's stored head refers to. */
  private readonly partKeys = new Map<string, string[]>();
  /** With a layout: parts no stored head names any more, removed together a little later (one call, not one per write). */
  private readonly unnamed = new Set<string>();
  private removalTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: PersistedMapOptions<T>) {
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.busyIntervalMs = Math.max(this.minIntervalMs, opts.busyIntervalMs ?? 1000);
    this.busyWrites = Math.max(1, opts.busyWrites ?? 3);
    this.busyWindowMs = opts.busyWindowMs ?? 3000;
    this.now = opts.now ?? Date.now;
  }

  /** The value of a key (from memory, else from storage), or undefined. */
  get(key: string): Promise<T | undefined> {
    const wait = this.opts.beforeAccess?.(key);
    if (wait) return wait.then(() => this.get(key));
    return this.serial(key, () => this.load(key));
  }

  /** Keys held in memory right now (loaded or changed since the worker started). */
  cachedKeys(): string[] {
    return [...this.values.keys()];
  }

  /**
   * Applies `fn` to the current value (or `init()` when there is none) and schedules the write.
   * Returning the same object means "unchanged": nothing is written.
   */
  update(key: string, init: () => T, fn: (value: T) => T): Promise<T> {
    const wait = this.opts.beforeAccess?.(key);
    if (wait) return wait.then(() => this.update(key, init, fn));
    // A removed-for-good key: compute, keep nothing. Fast path: the value is in memory and nothing is queued for
    // the key, so applying `fn` now is what the chain would do next; bursts of header events then cost no promise
    // chain per event (measured in bench/).
    const now = this.tombstones.has(key)
      ? () => fn(init())
      : !this.chains.has(key) && this.values.has(key)
        ? () => this.apply(key, this.values.get(key) as T, fn)
        : null;
    // An async function: a throw of `fn` becomes a rejection, as on the chain.
    if (now) return (async () => now())();
    return this.serial(key, async () => {
      const current = (await this.load(key)) ?? init();
      return this.apply(key, current, fn);
    });
  }

  private apply(key: string, current: T, fn: (value: T) => T): T {
    const next = fn(current);
    if (next !== current || !this.values.has(key)) {
      this.values.set(key, next);
      this.markDirty(key);
    }
    return next;
  }

  /**
   * Forgets a key, in memory and in storage. With `forever` (a closed tab, whose id is never reused), later
   * updates of the key are computed but not kept: an event that arrives after the close leaves nothing behind.
   */
  remove(key: string, opts: { forever?: boolean } = {}): Promise<void> {
    if (opts.forever) {
      this.tombstones.add(key);
      // Bounded: the oldest closed keys are forgotten first (Set keeps insertion order).
      if (this.tombstones.size > 1000) this.tombstones.delete(this.tombstones.values().next().value as string);
    }
    return this.serial(key, async () => {
      this.values.delete(key);
      this.dirty.delete(key);
      this.recentWrites.delete(key);
      await this.writing;
      await this.opts.area.remove([key, ...(await this.storedParts(key))]);
      for (const k of this.partKeys.get(key) ?? []) this.written.delete(k);
      this.partKeys.delete(key);
    });
  }

  /**
   * Resolves once every change made so far is in storage (or its write failed), keeping the coalescing: a caller
   * that acknowledges data to someone else waits for this first, so a worker stopped inside the coalescing window
   * cannot lose what it already acknowledged.
   */
  whenPersisted(): Promise<boolean> {
    if (this.dirty.size === 0) return this.writing.then(() => this.lastWriteOk);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Whether the last write reached storage. */
  private lastWriteOk = true;

  /** Writes every pending change now, and removes the parts waiting for removal. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.writeDirty();
    if (this.removalTimer) {
      clearTimeout(this.removalTimer);
      this.removalTimer = null;
      await this.removeUnnamed();
    }
  }

  private serial<R>(key: string, work: () => Promise<R>): Promise<R> {
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return next;
  }

  /** With a layout: the part keys stored for `key` (known, else read from its stored head). */
  private async storedParts(key: string): Promise<string[]> {
    const layout = this.opts.layout;
    if (!layout) return [];
    const known = this.partKeys.get(key);
    if (known) return known;
    const head = (await this.opts.area.get([key]))[key];
    return head === undefined ? [] : layout.parts(key, head);
  }

  private async load(key: string): Promise<T | undefined> {
    if (this.values.has(key)) return this.values.get(key);
    const got = await this.opts.area.get([key]);
    let raw = got[key];
    if (raw === undefined) return undefined;
    const layout = this.opts.layout;
    if (layout) {
      const names = layout.parts(key, raw);
      const parts = names.length > 0 ? await this.opts.area.get(names) : {};
      // Only while nothing newer was written meanwhile: what was read is then what storage holds.
      if (!this.values.has(key)) {
        this.partKeys.set(key, names);
        for (const k of names) if (k in parts) this.written.set(k, parts[k]);
      }
      raw = layout.join(key, raw, parts) ?? undefined;
      if (raw === undefined) return undefined;
    }
    const value = this.opts.revive ? this.opts.revive(raw, key) : (raw as T);
    if (value === null || value === undefined) return undefined;
    // A write may have landed while we were reading.
    if (!this.values.has(key)) this.values.set(key, value);
    return this.values.get(key);
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    const now = this.now();
    const recent = this.recentWrites.get(key) ?? [];
    const since = now - (recent.at(-1) ?? -Infinity);
    const busy = recent.length >= this.busyWrites && now - recent[0]! <= this.busyWindowMs;
    const interval = busy ? this.busyIntervalMs : this.minIntervalMs;
    const due = now + (since >= interval ? 0 : interval - since);
    // A quiet key does not wait behind a busy one: the earlier due time wins (the write takes every dirty key).
    if (this.timer) {
      if (due >= this.timerDue) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.writeDirty();
    }, due - now);
  }

  private writeDirty(): Promise<void> {
    this.writing = this.writing.then(async () => {
      const waiting = this.waiters.splice(0);
      let ok = false;
      try {
        ok = await this.writeKeys();
      } finally {
        this.lastWriteOk = ok;
        for (const resolve of waiting) resolve(ok);
      }
    });
    return this.writing;
  }

  /** Writes the dirty keys; false when the write failed for good. */
  private async writeKeys(): Promise<boolean> {
    if (this.dirty.size === 0) return true;
    const keys = [...this.dirty];
    this.dirty.clear();
    const now = this.now();
    for (const k of keys) this.recentWrites.set(k, [...(this.recentWrites.get(k) ?? []), now].slice(-this.busyWrites));
    let toWrite = this.snapshot(keys);
    let overQuota = false;
    // A failed write (quota) may be retried after the error handler freed space, a few times at most.
    for (let attempt = 0; ; attempt++) {
      try {
        this.writes++;
        // Retrying for quota: the parts the new heads no longer name go first, or they would still count. They hold
        // only entries the new state dropped, so a worker stopped right after loses nothing it keeps.
        if (overQuota) await this.removeParts([...this.staleParts(toWrite.parts), ...this.takeUnnamed()]);
        await this.opts.area.set(toWrite.items);
        await this.wrote(toWrite);
        return true;
      } catch (e) {
        // Chromium: "Session storage quota bytes exceeded. Values were not stored." (extensions/browser/api/storage).
        overQuota = /quota/i.test(String(e));
        const retry = attempt < 3 && ((await this.opts.onWriteError?.(e, keys).catch(() => false)) ?? false);
        if (!retry) {
          console.warn('Report Inspector: storage write failed', e);
          return false;
        }
        // The retry also writes what the error handler changed (other keys it trimmed to free space).
        const all = new Set([...keys, ...this.dirty]);
        this.dirty.clear();
        toWrite = this.snapshot(all);
      }
    }
  }

  /**
   * The in-memory values of `keys` (removed keys left out), as one storage write; with a layout, only the parts
   * that changed, and per key the part keys its head names.
   */
  private snapshot(keys: Iterable<string>): { items: Record<string, unknown>; parts: Map<string, string[]> } {
    const items: Record<string, unknown> = {};
    const parts = new Map<string, string[]>();
    const layout = this.opts.layout;
    for (const k of keys) {
      if (!this.values.has(k)) continue;
      if (!layout) {
        items[k] = this.values.get(k);
        continue;
      }
      const all = layout.split(k, this.values.get(k) as T, (p) => this.written.get(p));
      const names: string[] = [];
      for (const [p, item] of Object.entries(all)) {
        if (p !== k) names.push(p);
        if (p === k || this.written.get(p) !== item) items[p] = item;
      }
      parts.set(k, names);
    }
    return { items, parts };
  }

  /** Part keys the last write of each key named and this one does not. */
  private staleParts(parts: Map<string, string[]>): string[] {
    const stale: string[] = [];
    for (const [key, names] of parts) {
      const keep = new Set(names);
      for (const p of this.partKeys.get(key) ?? []) if (!keep.has(p)) stale.push(p);
    }
    return stale;
  }

  private async removeParts(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const p of keys) this.written.delete(p);
    await this.opts.area.remove(keys).catch(() => undefined);
  }

  /**
   * After a successful write: remembers what storage holds, and schedules the removal of the parts no head names
   * any more (a navigation drops the oldest history entry: its removal waits for the next ones, one call for several).
   */
  private async wrote({ items, parts }: ReturnType<PersistedMap<T>['snapshot']>): Promise<void> {
    if (!this.opts.layout) return;
    const stale = this.staleParts(parts);
    for (const [key, names] of parts) this.partKeys.set(key, names);
    for (const [p, item] of Object.entries(items)) if (!parts.has(p)) this.written.set(p, item);
    for (const p of stale) {
      this.written.delete(p);
      this.unnamed.add(p);
    }
    // A worker stopped before the removal leaves unnamed parts behind: never read, removed on eviction (quota).
    if (this.unnamed.size > 0 && !this.removalTimer)
      this.removalTimer = setTimeout(() => {
        this.removalTimer = null;
        void this.removeUnnamed();
      }, this.opts.removalDelayMs ?? 2000);
  }

  /** Removes the parts waiting for removal, on the write chain so that no write is under way while they go. */
  private removeUnnamed(): Promise<void> {
    return (this.writing = this.writing.then(() => this.removeParts(this.takeUnnamed())));
  }

  /** The parts waiting for removal that no head names (a later write may have named one again). */
  private takeUnnamed(): string[] {
    const named = new Set([...this.partKeys.values()].flat());
    const keys = [...this.unnamed].filter((p) => !named.has(p));
    this.unnamed.clear();
    return keys;
  }
}
