/**
 * How a tab's state is laid out in `storage.session`, so that a busy tab's write copies only what changed.
 *
 * - The head, under `tab:<id>`, holds the small, often-changing fields (counters, batch names, frames' live state).
 * - Append-only lists (breadcrumbs, reports, app reports) live in chunks of their own, `tab:<id>:<list>:<n>`:
 *   chunk `n` holds the entries whose `seq` is in `[n * CHUNK, (n + 1) * CHUNK)`. A new event changes the last
 *   chunk only. Entries that fell off the front of a list stay in their chunk until it is rewritten: the head's
 *   `from` (the first `seq` kept) hides them on reading, so trimming a few of the oldest entries rewrites nothing;
 *   past {@link MAX_HIDDEN} the chunk is rewritten, so the dead weight stays a few entries per list.
 * - The history (previous top-level documents, newest first) keeps one entry per item, `tab:<id>:h:<n>`, where `n`
 *   counts the tab's documents since its history was last cleared (the oldest kept is `dropped.history`): a
 *   navigation writes the document it moved into the history, not the whole history again (20 documents, up to
 *   21 kB with a demo page's headers, rewritten on every load before).
 * - Larger fields that change less often (documents, crashes) live under `tab:<id>:<field>` and are written when
 *   they change (compared by reference: state updates are immutable).
 * - A head without a `layout` (written before this layout, or by a bench) holds everything itself and is read as is.
 *
 * The head and the chunks it names are written in one `storage.session.set` call, so a worker stopped at any moment
 * leaves either the old or the new state; chunks no head names any more are removed right after the write.
 */
import type { TabState } from '@/utils/tab/types';
import type { StorageLayout } from './persisted-map';

/** Entries per chunk (by `seq`; the tab's sequence is shared by its lists, so a chunk may hold fewer). */
export const CHUNK = 32;
/** Entries a stored chunk may hide before the list's first kept `seq`: beyond this it is rewritten without them. */
const MAX_HIDDEN = 8;

const LISTS = { breadcrumbs: 'bc', reports: 'rp', appReports: 'ar' } as const;
const APART = { documents: 'doc', history: 'hist', crashes: 'crash' } as const;
type ListField = keyof typeof LISTS;
type ApartField = keyof typeof APART;
/** The history's entries, `tab:<id>:h:<n>` (heads written before them hold it apart as a whole, under `hist`). */
const HISTORY_TAG = 'h';

/** What the head says about the parts stored apart. */
interface HeadLayout {
  v: 1;
  /** Per list: the first `seq` kept and the chunk numbers holding the list, oldest first. */
  lists: Partial<Record<ListField, { from: number; chunks: number[] }>>;
  apart: ApartField[];
  /** The numbers of the history's entries, newest first (each under `tab:<id>:h:<n>`). */
  history?: number[];
}

type Seqd = { seq: number };

/** A list sorted by strictly increasing integer `seq` can be chunked; anything else stays in the head. */
function chunkable(list: unknown): list is Seqd[] {
  if (!Array.isArray(list) || list.length === 0) return false;
  let last = -Infinity;
  for (const e of list as unknown[]) {
    const seq = (e as Partial<Seqd> | null)?.seq;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0 || seq <= last) return false;
    last = seq;
  }
  return true;
}

/** Whether `part` is the stored chunk `prev` with entries before `from` hidden (so `prev` need not be rewritten). */
function sameChunk(part: Seqd[], prev: unknown, from: number): boolean {
  if (!Array.isArray(prev) || prev.length < part.length) return false;
  const skip = prev.length - part.length;
  for (let i = 0; i < part.length; i++) if (prev[skip + i] !== part[i]) return false;
  return skip === 0 || (skip <= MAX_HIDDEN && (prev[skip - 1] as Seqd).seq < from);
}

export const tabLayout: StorageLayout<TabState> = {
  split(key, value, written) {
    const head: Record<string, unknown> = { ...value };
    const layout: HeadLayout = { v: 1, lists: {}, apart: [] };
    const items: Record<string, unknown> = { [key]: head };
    for (const [field, tag] of Object.entries(LISTS) as [ListField, string][]) {
      const list: unknown = value[field];
      if (!chunkable(list)) continue;
      const from = list[0]!.seq;
      const chunks: number[] = [];
      let start = 0;
      while (start < list.length) {
        const n = Math.floor(list[start]!.seq / CHUNK);
        let end = start + 1;
        while (end < list.length && Math.floor(list[end]!.seq / CHUNK) === n) end++;
        const part = list.slice(start, end);
        const partKey = `${key}:${tag}:${n}`;
        const prev = written(partKey);
        items[partKey] = sameChunk(part, prev, from) ? prev : part;
        chunks.push(n);
        start = end;
      }
      layout.lists[field] = { from, chunks };
      delete head[field];
    }
    const history: unknown = value.history;
    if (Array.isArray(history) && history.length > 0) {
      // Entry `i` (newest first) of `length` after `dropped` older ones: its number stays the same as entries are
      // added in front and trimmed off the end, so a stored entry is written once.
      const dropped: unknown = value.dropped?.history;
      const base =
        (typeof dropped === 'number' && Number.isSafeInteger(dropped) && dropped >= 0 ? dropped : 0) +
        history.length -
        1;
      const numbers: number[] = [];
      history.forEach((entry, i) => {
        const partKey = `${key}:${HISTORY_TAG}:${base - i}`;
        items[partKey] = entry;
        numbers.push(base - i);
      });
      layout.history = numbers;
      delete head.history;
    }
    for (const [field, tag] of Object.entries(APART) as [ApartField, string][]) {
      if (field === 'history') continue;
      const part: unknown = value[field];
      if (typeof part !== 'object' || part === null || Object.keys(part).length === 0) continue;
      items[`${key}:${tag}`] = part;
      layout.apart.push(field);
      delete head[field];
    }
    head.layout = layout;
    return items;
  },

  parts(key, head) {
    const layout = layoutOf(head);
    if (!layout) return [];
    const keys: string[] = [];
    for (const [field, tag] of Object.entries(LISTS) as [ListField, string][])
      for (const n of layout.lists[field]?.chunks ?? []) keys.push(`${key}:${tag}:${n}`);
    for (const field of layout.apart) keys.push(`${key}:${APART[field]}`);
    for (const n of layout.history ?? []) keys.push(`${key}:${HISTORY_TAG}:${n}`);
    return keys;
  },

  join(key, head, parts) {
    if (typeof head !== 'object' || head === null) return null;
    const layout = layoutOf(head);
    if (!layout) return head as TabState;
    const state: Record<string, unknown> = { ...head };
    delete state.layout;
    for (const [field, tag] of Object.entries(LISTS) as [ListField, string][]) {
      const at = layout.lists[field];
      if (!at) continue;
      const list: unknown[] = [];
      for (const n of at.chunks) {
        const chunk = parts[`${key}:${tag}:${n}`];
        // A missing or foreign chunk loses its entries, not the tab.
        if (!Array.isArray(chunk)) continue;
        for (const e of chunk as unknown[]) {
          const seq = (e as Partial<Seqd> | null)?.seq;
          if (typeof seq === 'number' && seq >= at.from && Math.floor(seq / CHUNK) === n) list.push(e);
        }
      }
      state[field] = list;
    }
    for (const field of layout.apart) {
      const part = parts[`${key}:${APART[field]}`];
      // The documents are a record by frame id, the others lists; a missing or damaged part reads as empty.
      const list = field !== 'documents';
      state[field] = typeof part === 'object' && part !== null && Array.isArray(part) === list ? part : list ? [] : {};
    }
    if (layout.history) {
      // A missing or damaged entry is left out, not the rest of the history.
      state.history = layout.history
        .map((n) => parts[`${key}:${HISTORY_TAG}:${n}`])
        .filter((d) => typeof d === 'object' && d !== null && !Array.isArray(d));
    }
    return state as unknown as TabState;
  },
};

function layoutOf(head: unknown): HeadLayout | null {
  const l = (head as { layout?: unknown } | null)?.layout as Partial<HeadLayout> | undefined;
  if (typeof l !== 'object' || l === null || l.v !== 1) return null;
  const lists: HeadLayout['lists'] = {};
  if (typeof l.lists === 'object' && l.lists !== null)
    for (const field of Object.keys(LISTS) as ListField[]) {
      const at = (l.lists as Record<string, unknown>)[field] as { from?: unknown; chunks?: unknown } | undefined;
      if (
        at &&
        typeof at.from === 'number' &&
        Array.isArray(at.chunks) &&
        at.chunks.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)
      )
        lists[field] = { from: at.from, chunks: (at.chunks as number[]).slice(0, 10_000) };
    }
  const apart = Array.isArray(l.apart)
    ? (l.apart as unknown[]).filter((f): f is ApartField => typeof f === 'string' && Object.hasOwn(APART, f))
    : [];
  const history = Array.isArray(l.history)
    ? (l.history as unknown[]).filter((n): n is number => Number.isSafeInteger(n) && (n as number) >= 0).slice(0, 1000)
    : undefined;
  return history ? { v: 1, lists, apart, history } : { v: 1, lists, apart };
}

/** Whether a storage key holds a part of some tab's state (a chunk or a field stored apart), not a head. */
export function isTabPart(key: string): boolean {
  return /^tab:\d+:/.test(key);
}
