/**
 * Values kept in extension storage under one key each, with the worker's memory as a cache only.
 *
 * - Read-modify-write is serialised per key (a promise chain), so bursts of header events never interleave.
 * - Writes are coalesced: the first change is written at once, later ones at most every `minIntervalMs`,
 *   so a busy tab costs at most a few writes a second and an isolated event is persisted immediately.
 * - When the worker wakes, the first access reads the value back from storage.
 */

export interface StorageAreaLike {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

export interface KeyedStoreOptions<T> {
  area: StorageAreaLike;
  /** Minimum time between two writes of the same key. */
  minIntervalMs?: number;
  /** Validates what was read back (old versions, corruption); return null to start fresh. */
  revive?: (raw: unknown, key: string) => T | null;
  /** Called with the keys of a write that failed (e.g. quota); may free space and return true to retry once. */
  onWriteError?: (error: unknown, keys: string[]) => Promise<boolean>;
  now?: () => number;
}

export class KeyedStore<T> {
  private readonly values = new Map<string, T>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly dirty = new Set<string>();
  private readonly lastWrite = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private writing: Promise<void> = Promise.resolve();
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  /** Number of storage writes made, for measurements. */
  writes = 0;

  constructor(private readonly opts: KeyedStoreOptions<T>) {
    this.minIntervalMs = opts.minIntervalMs ?? 100;
    this.now = opts.now ?? Date.now;
  }

  /** The value of a key (from memory, else from storage), or undefined. */
  get(key: string): Promise<T | undefined> {
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
    return this.serial(key, async () => {
      const current = (await this.load(key)) ?? init();
      const next = fn(current);
      if (next !== current || !this.values.has(key)) {
        this.values.set(key, next);
        this.markDirty(key);
      }
      return next;
    });
  }

  /** Forgets a key, in memory and in storage. */
  remove(key: string): Promise<void> {
    return this.serial(key, async () => {
      this.values.delete(key);
      this.dirty.delete(key);
      this.lastWrite.delete(key);
      await this.writing;
      await this.opts.area.remove([key]);
    });
  }

  /** Writes every pending change now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    await this.writeDirty();
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

  private async load(key: string): Promise<T | undefined> {
    if (this.values.has(key)) return this.values.get(key);
    const got = await this.opts.area.get([key]);
    const raw = got[key];
    if (raw === undefined) return undefined;
    const value = this.opts.revive ? this.opts.revive(raw, key) : (raw as T);
    if (value === null || value === undefined) return undefined;
    // A write may have landed while we were reading.
    if (!this.values.has(key)) this.values.set(key, value);
    return this.values.get(key);
  }

  private markDirty(key: string): void {
    this.dirty.add(key);
    if (this.timer) return;
    const since = this.now() - (this.lastWrite.get(key) ?? -Infinity);
    const wait = since >= this.minIntervalMs ? 0 : this.minIntervalMs - since;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.writeDirty();
    }, wait);
  }

  private writeDirty(): Promise<void> {
    this.writing = this.writing.then(async () => {
      if (this.dirty.size === 0) return;
      const keys = [...this.dirty];
      this.dirty.clear();
      const items: Record<string, unknown> = {};
      for (const k of keys) if (this.values.has(k)) items[k] = this.values.get(k);
      const now = this.now();
      for (const k of keys) this.lastWrite.set(k, now);
      try {
        this.writes++;
        await this.opts.area.set(items);
      } catch (e) {
        const retry = (await this.opts.onWriteError?.(e, keys).catch(() => false)) ?? false;
        if (retry) {
          const again: Record<string, unknown> = {};
          for (const k of keys) if (this.values.has(k)) again[k] = this.values.get(k);
          this.writes++;
          await this.opts.area.set(again).catch((err: unknown) => console.warn('Report Inspector: storage write failed', err));
        } else {
          console.warn('Report Inspector: storage write failed', e);
        }
      }
    });
    return this.writing;
  }

  /** Replaces a value in memory without a read (used after an eviction computed elsewhere). */
  replace(key: string, value: T): Promise<void> {
    return this.serial(key, async () => {
      this.values.set(key, value);
      this.markDirty(key);
    });
  }
}
