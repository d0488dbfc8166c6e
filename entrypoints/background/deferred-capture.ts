/**
 * Documents kept for after their load. A tab without an open panel does not have its documents' headers parsed
 * and placed while the page commits and parses: that work in the worker competed with the page for the machine
 * (bench/paired.mjs measured it on every load, README "Performance"). Instead each document response is kept as
 * it came, its reporting headers only, under a key of its own in `storage.session` at once (so a worker stopped
 * before the load completes loses nothing: the next start places it), and it is parsed and placed:
 * - when the tab's top frame has loaded (`settle`, from `webNavigation.onCompleted`);
 * - {@link SETTLE_MS} after it arrived at the latest (a page that never completes loading);
 * - at once before anything reads or changes the tab's state or the origin cache (the stores' `beforeAccess`):
 *   a panel, the popup, a relay's batch and crash records see the tab as if nothing had waited;
 * - on the worker's next start, for what an earlier worker kept and did not place.
 *
 * Settling issues the kept responses' store updates synchronously, so they reach the stores' queues before the
 * access that asked for them, in the order the responses arrived.
 */
import type { CapturedHeader } from '@/utils/headers/types';
import type { DocumentInput } from '@/utils/tab/documents';
import { processResponse, type CaptureContext, type HeadersReceivedDetails } from './header-capture';
import type { StorageAreaLike } from './persisted-map';

/** The longest a kept document waits to be placed (ms). */
export const SETTLE_MS = 1000;
/** Key prefix of kept documents in `storage.session`: `pending:<tabId>:<sequence>`. */
export const PENDING_PREFIX = 'pending:';

/** One document response as kept: what its record is built from, its tab, and when it arrived. */
export type KeptDocument = Omit<DocumentInput, 'now'> & { tabId: number; at: number };

interface Kept {
  key: string;
  seq: number;
  doc: KeptDocument;
}

/** A storage area that can list its keys (`storage.session.getKeys`, Chromium 130+), else answers `get(null)`. */
export type KeyedArea = StorageAreaLike & { getKeys?: () => Promise<string[]> };

export function pendingKey(tabId: number, seq: number): string {
  return `${PENDING_PREFIX}${tabId}:${seq}`;
}

function parsePendingKey(key: string): { tabId: number; seq: number } | null {
  const m = /^pending:(\d+):(\d+)$/.exec(key);
  return m ? { tabId: Number(m[1]), seq: Number(m[2]) } : null;
}

/** A stored kept document, checked field by field (storage may hold what an older version wrote). */
export function reviveKept(raw: unknown): KeptDocument | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const d = raw as Partial<KeptDocument>;
  const int = (v: unknown) => typeof v === 'number' && Number.isInteger(v);
  if (!int(d.tabId) || !int(d.frameId) || !int(d.parentFrameId) || !int(d.statusCode) || typeof d.at !== 'number')
    return null;
  if (typeof d.url !== 'string' || (d.type !== 'main_frame' && d.type !== 'sub_frame')) return null;
  if (!Array.isArray(d.headers)) return null;
  const headers = d.headers.filter(
    (h): h is CapturedHeader =>
      typeof h === 'object' && h !== null && typeof h.name === 'string' && typeof h.value === 'string',
  );
  return {
    tabId: d.tabId as number,
    frameId: d.frameId as number,
    parentFrameId: d.parentFrameId as number,
    url: d.url,
    type: d.type,
    statusCode: d.statusCode as number,
    headers: headers.map((h) => ({ name: h.name, value: h.value })),
    at: d.at,
  };
}

export interface DeferredCaptureDeps {
  area: KeyedArea;
  ctx: CaptureContext;
  /** Whether a tab is still open (documents an earlier worker kept for a tab closed since are dropped). */
  isOpen?: (tabId: number) => Promise<boolean>;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (timer: unknown) => void;
}

export class DeferredCapture {
  private readonly queues = new Map<number, Kept[]>();
  private readonly timers = new Map<number, unknown>();
  private seq: number;
  private restored = false;
  private readonly restoring: Promise<void>;

  constructor(private readonly deps: DeferredCaptureDeps) {
    // Sequence numbers grow across worker lives (a later worker starts above an earlier one's, the clock being
    // later), so documents kept by two lives are placed in the order they arrived.
    this.seq = deps.ctx.now() * 1000;
    this.restoring = this.restore();
  }

  /** Keeps a document response of a tab, to be placed later. */
  keep(details: HeadersReceivedDetails, headers: CapturedHeader[]): void {
    const doc: KeptDocument = {
      tabId: details.tabId,
      frameId: details.frameId,
      parentFrameId: details.parentFrameId,
      url: details.url,
      type: details.type as KeptDocument['type'],
      statusCode: details.statusCode,
      headers,
      at: this.deps.ctx.now(),
    };
    const seq = ++this.seq;
    const key = pendingKey(doc.tabId, seq);
    this.add({ key, seq, doc });
    this.deps.area.set({ [key]: doc }).catch((e: unknown) => {
      // Not stored (quota): it is still placed by this worker, only not after a stop.
      console.warn('Report Inspector: could not keep the headers of', doc.url, e);
    });
  }

  /** Whether a tab has documents waiting. */
  has(tabId: number): boolean {
    return (this.queues.get(tabId)?.length ?? 0) > 0;
  }

  /**
   * The stores' `beforeAccess`: places what a tab (`tab:<id>`) or, for the origin cache, every tab has waiting.
   * Until the kept documents of an earlier worker are read back, the access waits for them.
   */
  beforeAccess(tabId: number | 'all'): Promise<void> | undefined {
    if (!this.restored) return this.restoring;
    if (this.queues.size === 0) return undefined;
    // Not waited for: the updates are on the stores' queues already, ahead of the access.
    void (tabId === 'all' ? this.settleAll() : this.settle(tabId));
    return undefined;
  }

  /**
   * Places a tab's waiting documents now, in the order they arrived; resolves once they are stored. `quiet`: the
   * caller updates the tab's view and badge itself right after (the load completed), so placing them does not.
   */
  settle(tabId: number, o: { quiet?: boolean } = {}): Promise<void> {
    const queue = this.queues.get(tabId);
    this.clearTimer(tabId);
    if (!queue || queue.length === 0) return Promise.resolve();
    this.queues.delete(tabId);
    const ctx = o.quiet ? { ...this.deps.ctx, tabChanged: () => {} } : this.deps.ctx;
    const placed = queue.map(({ doc }) => processResponse(doc, doc.headers, true, ctx, doc.at));
    const keys = queue.map((k) => k.key);
    return Promise.all(placed).then(() => this.forget(keys));
  }

  /** Places every tab's waiting documents. */
  settleAll(): Promise<void> {
    return Promise.all([...this.queues.keys()].map((id) => this.settle(id))).then(() => undefined);
  }

  /** A closed tab: its waiting documents go unplaced. */
  tabRemoved(tabId: number): void {
    const queue = this.queues.get(tabId);
    this.clearTimer(tabId);
    this.queues.delete(tabId);
    if (queue) void this.forget(queue.map((k) => k.key));
  }

  /** Resolves once what an earlier worker kept is read back and its placing issued (not yet stored). */
  ready(): Promise<void> {
    return this.restoring;
  }

  /** Puts a kept document at the end of its tab's queue. */
  private enqueue(kept: Kept): void {
    const queue = this.queues.get(kept.doc.tabId);
    if (queue) queue.push(kept);
    else this.queues.set(kept.doc.tabId, [kept]);
  }

  private add(kept: Kept): void {
    this.enqueue(kept);
    const tabId = kept.doc.tabId;
    if (!this.timers.has(tabId)) {
      const set = this.deps.setTimeout ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
      this.timers.set(
        tabId,
        set(() => {
          this.timers.delete(tabId);
          void this.settle(tabId);
        }, SETTLE_MS),
      );
    }
  }

  private clearTimer(tabId: number): void {
    const t = this.timers.get(tabId);
    if (t === undefined) return;
    (this.deps.clearTimeout ?? ((x: unknown) => clearTimeout(x as ReturnType<typeof setTimeout>)))(t);
    this.timers.delete(tabId);
  }

  private forget(keys: string[]): Promise<void> {
    return this.deps.area.remove(keys).catch(() => undefined);
  }

  /** Reads back what an earlier worker kept and places it ahead of anything this worker kept since it started. */
  private async restore(): Promise<void> {
    let stored: Kept[] = [];
    try {
      const area = this.deps.area;
      const all = area.getKeys
        ? await area.getKeys()
        : Object.keys(await (area.get as unknown as (k: null) => Promise<Record<string, unknown>>).call(area, null));
      const keys = all.filter((k) => k.startsWith(PENDING_PREFIX));
      const mine = new Set([...this.queues.values()].flat().map((k) => k.key));
      const wanted = keys.filter((k) => !mine.has(k));
      const items = wanted.length > 0 ? await area.get(wanted) : {};
      const broken: string[] = [];
      for (const key of wanted) {
        const at = parsePendingKey(key);
        const doc = reviveKept(items[key]);
        if (!at || !doc || doc.tabId !== at.tabId) broken.push(key);
        else stored.push({ key, seq: at.seq, doc });
      }
      const isOpen = this.deps.isOpen;
      if (isOpen) {
        const ids = [...new Set(stored.map((k) => k.doc.tabId))];
        const answers = await Promise.all(ids.map(isOpen));
        const open = new Set(ids.filter((_, i) => answers[i]));
        for (const k of stored) if (!open.has(k.doc.tabId)) broken.push(k.key);
        stored = stored.filter((k) => open.has(k.doc.tabId));
      }
      if (broken.length > 0) void this.forget(broken);
    } catch (e) {
      console.warn('Report Inspector: could not read back kept documents', e);
      stored = [];
    }
    this.restored = true;
    if (stored.length === 0) return;
    for (const kept of stored) this.enqueue(kept);
    for (const queue of this.queues.values()) queue.sort((a, b) => a.seq - b.seq);
    // Not awaited: the accesses that waited for this go on now, and their own settling places these first.
    void this.settleAll();
  }
}
