import { useMemo, useState } from 'preact/hooks';
import type { Breadcrumb, BreadcrumbEntry, CheckpointRecord } from '@/utils/page/types';
import type { CrashEntry } from '@/utils/tab/types';
import { formatClock, formatClockMs, formatDateTime, formatOffset, formatRelative, plural } from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import { JsonBlock } from '@/components/common/JsonBlock';
import { CappedText, UrlText } from '@/components/common/text';
import { VirtualList } from '@/components/common/VirtualList';
import { BREADCRUMB_TYPES, BreadcrumbIcon } from './Breadcrumb';
import { matchesFilter } from './derive';

export interface CheckpointCardProps {
  record: CheckpointRecord;
}

/** The app's last CrashSense checkpoint; after an abnormal end, the previous session's last state. */
export function CheckpointCard({ record }: CheckpointCardProps) {
  const c = record.checkpoint;
  const system = Object.entries(c.systemState ?? {});
  return (
    <section class={`card checkpoint ${record.abnormalEnd ? 'abnormal' : ''}`} data-testid="checkpoint-card">
      {record.abnormalEnd && (
        <div class="abnormal-banner" data-testid="abnormal-end" role="alert">
          The previous session ended abnormally: here is its last state.
        </div>
      )}
      <div class="line">
        <b>CrashSense checkpoint</b>
        <span>
          app <code class="mono"><CappedText text={c.appId} max={120} /></code>
        </span>
        <span>
          session <code class="mono"><CappedText text={c.sessionId} max={120} /></code>
        </span>
        <span class="muted">
          checkpoint at {formatDateTime(c.timestamp)} (#{c.checkpointCount}) · seen {formatClock(record.seenAt)} in{' '}
          <UrlText url={record.url} />
        </span>
      </div>
      {system.length > 0 && (
        <div class="line sub">
          {system.map(([k, v]) => (
            <span class="sys" key={k}>
              <span class="muted">{k}</span>{' '}
              <code class="mono">
                <CappedText text={typeof v === 'object' ? JSON.stringify(v) ?? '' : String(v)} max={160} />
              </code>
            </span>
          ))}
        </div>
      )}
      {c.preCrashWarnings.length > 0 && (
        <div class="warnings">
          <span class="muted">Pre-crash warnings:</span>
          {c.preCrashWarnings.map((w, i) => (
            <div class="line" key={i} data-testid="precrash-warning">
              <span class={`badge lvl-${w.level}`}>{w.level}</span> <span class="mono muted">{formatClock(w.timestamp)}</span>{' '}
              <CappedText text={w.reason} max={300} />
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

type Item = { kind: 'crumb'; b: BreadcrumbEntry } | { kind: 'crash'; c: CrashEntry };

function sortedByTime(list: readonly BreadcrumbEntry[]): readonly BreadcrumbEntry[] {
  for (let i = 1; i < list.length; i++) {
    const a = list[i - 1]!;
    const b = list[i]!;
    if (a.timestamp > b.timestamp) {
      return list.slice().sort((x, y) => x.timestamp - y.timestamp || x.seq - y.seq);
    }
  }
  return list;
}

export interface BreadcrumbsTabProps {
  breadcrumbs: readonly BreadcrumbEntry[];
  crashes: readonly CrashEntry[];
  checkpoint: CheckpointRecord | null;
  /** Entries evicted by the bounds. */
  dropped: number;
  filter?: string;
  /** Clear the tab's breadcrumbs (the background does it). */
  onClear?: () => void;
  rowHeight?: number;
  /** Viewport height when the list cannot be measured. */
  fallbackHeight?: number;
}

/**
 * The breadcrumb timeline, virtualised: type chips, search, pause, clear, "Jump to last crash", crash markers,
 * and a detail pane for the selected entry.
 */
export function BreadcrumbsTab({
  breadcrumbs, crashes, checkpoint, dropped, filter = '', onClear, rowHeight = 22, fallbackHeight,
}: BreadcrumbsTabProps) {
  const [types, setTypes] = useState<ReadonlySet<Breadcrumb['type']>>(() => new Set(BREADCRUMB_TYPES));
  const [search, setSearch] = useState('');
  const [snapshot, setSnapshot] = useState<readonly BreadcrumbEntry[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState(false);
  const [scrollTo, setScrollTo] = useState<{ index: number; token: number } | null>(null);
  const sortedCrashes = useMemo(() => crashes.slice().sort((a, b) => a.at - b.at), [crashes]);
  const lastCrash = sortedCrashes[sortedCrashes.length - 1];
  const [anchorId, setAnchorId] = useState<string>('auto');

  const shown = snapshot ?? breadcrumbs;
  const newWhilePaused = useMemo(() => {
    if (!snapshot) return 0;
    const maxSeq = snapshot.reduce((m, b) => Math.max(m, b.seq), -Infinity);
    let n = 0;
    for (let i = breadcrumbs.length - 1; i >= 0; i--) if (breadcrumbs[i]!.seq > maxSeq) n++;
    return n;
  }, [snapshot, breadcrumbs]);

  const items = useMemo<Item[]>(() => {
    const q = search.trim().toLowerCase();
    const crumbs = sortedByTime(shown).filter(
      (b) =>
        types.has(b.type) &&
        (!q || b.message.toLowerCase().includes(q) || b.type.includes(q) || (b.level ?? '').includes(q)) &&
        matchesFilter(filter, b.message, b.type, b.level, b.source),
    );
    const out: Item[] = [];
    let ci = 0;
    for (const b of crumbs) {
      while (ci < sortedCrashes.length && sortedCrashes[ci]!.at < b.timestamp) out.push({ kind: 'crash', c: sortedCrashes[ci++]! });
      out.push({ kind: 'crumb', b });
    }
    if (crumbs.length) while (ci < sortedCrashes.length) out.push({ kind: 'crash', c: sortedCrashes[ci++]! });
    return out;
  }, [shown, types, search, filter, sortedCrashes]);

  const first = items.find((i) => i.kind === 'crumb');
  const firstAt = first?.kind === 'crumb' ? first.b.timestamp : 0;
  const anchor =
    anchorId === 'first'
      ? null
      : anchorId === 'auto'
        ? lastCrash ?? null
        : sortedCrashes.find((c) => c.id === anchorId) ?? lastCrash ?? null;

  const toggleType = (t: Breadcrumb['type']) => {
    const next = new Set(types);
    if (next.has(t)) next.delete(t);
    else next.add(t);
    setTypes(next);
    setSelected(null);
  };

  const jumpToLastCrash = () => {
    if (!lastCrash) return;
    let best = -1;
    let bestDist = Infinity;
    items.forEach((it, i) => {
      if (it.kind !== 'crumb') return;
      const d = Math.abs(it.b.timestamp - lastCrash.at);
      // Prefer the entry just before the crash when two are equally near.
      if (d < bestDist || (d === bestDist && it.b.timestamp <= lastCrash.at)) {
        best = i;
        bestDist = d;
      }
    });
    if (best < 0) return;
    setSelected(best);
    setDetail(true);
    setScrollTo({ index: best, token: (scrollTo?.token ?? 0) + 1 });
  };

  const sel = selected !== null ? items[selected] : undefined;

  const renderRow = (i: number) => {
    const it = items[i]!;
    if (it.kind === 'crash') {
      return (
        <div class="bc-row crash-marker" data-testid="breadcrumb-crash-marker">
          <span class="bc-icon bc-crash">crash</span>
          <span class="time mono">{formatClockMs(it.c.at)}</span>
          <span class="msg">
            Tab crashed{it.c.reason ? ` (${it.c.reason})` : ''}:{' '}
            {it.c.predicted.route.willDeliver ? `report goes to ${it.c.predicted.route.url ?? ''}` : `no report: ${it.c.predicted.route.reason ?? ''}`}
          </span>
        </div>
      );
    }
    const b = it.b;
    const rel = anchor ? formatRelative(b.timestamp, anchor.at, 'crash') : formatOffset(b.timestamp, firstAt);
    return (
      <div class={`bc-row ${b.level ? `lvl-${b.level}` : ''}`} data-testid="breadcrumb-row" data-type={b.type} data-source={b.source} data-seq={String(b.seq)}>
        <BreadcrumbIcon type={b.type} level={b.level} />
        <span class="rel mono">{rel}</span>
        <span class="time mono muted">{formatClockMs(b.timestamp)}</span>
        {b.source === 'crashsense' && <span class="badge src">crashsense</span>}
        <span class="msg">{b.message.length > 300 ? `${b.message.slice(0, 300)}…` : b.message}</span>
        {b.data && <span class="has-data muted">{'{…}'}</span>}
      </div>
    );
  };

  const hasAny = breadcrumbs.length > 0 || (snapshot?.length ?? 0) > 0;

  return (
    <div class="breadcrumbs">
      {checkpoint && <CheckpointCard record={checkpoint} />}
      <div class="toolbar bc-toolbar">
        {BREADCRUMB_TYPES.map((t) => (
          <button
            type="button"
            key={t}
            class={`chip ${types.has(t) ? 'on' : 'off'}`}
            aria-pressed={types.has(t)}
            data-testid={`breadcrumb-chip-${t}`}
            onClick={() => toggleType(t)}
          >
            {t}
          </button>
        ))}
        <input
          type="search"
          class="search"
          placeholder="Search messages"
          aria-label="Search breadcrumbs"
          data-testid="breadcrumb-search"
          value={search}
          onInput={(e) => {
            setSearch((e.currentTarget as HTMLInputElement).value);
            setSelected(null);
          }}
        />
        <button
          type="button"
          class="btn"
          data-testid="breadcrumb-pause"
          aria-pressed={snapshot !== null}
          onClick={() => setSnapshot(snapshot ? null : breadcrumbs)}
        >
          {snapshot ? 'Resume' : 'Pause'}
        </button>
        {snapshot && (
          <span class="paused" data-testid="breadcrumb-paused">
            paused — {newWhilePaused} new
          </span>
        )}
        <button
          type="button"
          class="btn"
          data-testid="breadcrumb-clear"
          disabled={!onClear}
          onClick={() => {
            setSnapshot(null);
            setSelected(null);
            onClear?.();
          }}
        >
          Clear
        </button>
        <button type="button" class="btn" data-testid="jump-to-crash" disabled={!lastCrash} onClick={jumpToLastCrash}>
          Jump to last crash
        </button>
        <label class="muted">
          Time{' '}
          <select
            data-testid="breadcrumb-anchor"
            value={anchorId}
            onChange={(e) => setAnchorId((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="auto">{lastCrash ? 'before last crash' : 'since first entry'}</option>
            {lastCrash && <option value="first">since first entry</option>}
            {sortedCrashes.map((c) => (
              <option value={c.id} key={c.id}>
                before crash at {formatClock(c.at)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {dropped > 0 && (
        <div class="muted dropped" data-testid="breadcrumbs-dropped">
          {plural(dropped, 'older entry', 'older entries')} dropped
        </div>
      )}
      {!hasAny ? (
        <EmptyState title="No breadcrumbs yet" testId="empty-breadcrumbs">
          Clicks, navigations, network requests, console messages and state changes of the page appear here as they
          happen; pages that run CrashSense add theirs (marked crashsense). Reload the page if it was open before
          Report Inspector was installed.
        </EmptyState>
      ) : (
        <>
          <div class="muted bc-count" data-testid="breadcrumb-count">
            {plural(items.filter((i) => i.kind === 'crumb').length, 'entry', 'entries')} shown of {shown.length.toLocaleString('en-US')}
          </div>
          <VirtualList
            count={items.length}
            rowHeight={rowHeight}
            renderRow={renderRow}
            selected={selected}
            onSelect={(i, via) => {
              setSelected(i);
              if (via === 'click') setDetail(true);
            }}
            onActivate={() => setDetail((d) => !d)}
            scrollTo={scrollTo}
            followTail={!snapshot}
            fallbackHeight={fallbackHeight}
            testId="breadcrumb-list"
            label="Breadcrumbs"
          />
          {sel && detail && (
            <div class="bc-detail card" data-testid="breadcrumb-detail">
              {sel.kind === 'crumb' ? (
                <>
                  <div class="line">
                    <BreadcrumbIcon type={sel.b.type} level={sel.b.level} /> {formatDateTime(sel.b.timestamp)}
                    <span class="muted">
                      {' '}
                      · {sel.b.source} · frame {sel.b.frameId} · #{sel.b.seq}
                    </span>
                  </div>
                  <div class="wrap">
                    <CappedText text={sel.b.message} />
                  </div>
                  {sel.b.data ? <JsonBlock value={sel.b.data} testId="breadcrumb-data" /> : <div class="muted">No data.</div>}
                </>
              ) : (
                <>
                  <div class="line">Tab crashed at {formatDateTime(sel.c.at)}</div>
                  <JsonBlock value={sel.c.predicted.body} />
                </>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
