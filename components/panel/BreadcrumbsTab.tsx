import { useMemo, useState } from 'preact/hooks';
import type { Breadcrumb, BreadcrumbEntry, CheckpointRecord } from '@/utils/page/types';
import type { CrashEntry } from '@/utils/tab/types';
import { RouteVerdict } from '@/components/common/RouteVerdict';
import { CrashDelivery, PredictedReport, ReportComparison } from './CrashReport';
import {
  formatClock,
  formatClockMs,
  formatDateTime,
  formatOffset,
  formatRelative,
  plural,
} from '@/utils/display/format';
import { EmptyState } from '@/components/common/EmptyState';
import type { GridColumn } from '@/components/common/Grid';
import { Grid } from '@/components/common/Grid';
import { JsonBlock } from '@/components/common/JsonBlock';
import { CappedText, UrlText } from '@/components/common/text';
import { BreadcrumbIcon } from './Breadcrumb';
import { BREADCRUMB_TYPES } from '@/utils/page/types';
import { CheckpointCard } from './CheckpointCard';
import { matchesFilter } from './labels-and-filter';

export { CheckpointCard } from './CheckpointCard';

type Item = { kind: 'crumb'; b: BreadcrumbEntry } | { kind: 'crash'; c: CrashEntry };

const itemKey = (it: Item) => (it.kind === 'crumb' ? `b${it.b.seq}` : `c${it.c.id}`);
const itemAt = (it: Item) => (it.kind === 'crumb' ? it.b.timestamp : it.c.at);

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
  breadcrumbs,
  crashes,
  checkpoint,
  dropped,
  filter = '',
  onClear,
  rowHeight = 22,
  fallbackHeight,
}: BreadcrumbsTabProps) {
  const [types, setTypes] = useState<ReadonlySet<Breadcrumb['type']>>(() => new Set(BREADCRUMB_TYPES));
  const [search, setSearch] = useState('');
  const [snapshot, setSnapshot] = useState<readonly BreadcrumbEntry[] | null>(null);
  const [reveal, setReveal] = useState<{ key: string; token: number } | null>(null);
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
      while (ci < sortedCrashes.length && sortedCrashes[ci]!.at < b.timestamp)
        out.push({ kind: 'crash', c: sortedCrashes[ci++]! });
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
        ? (lastCrash ?? null)
        : (sortedCrashes.find((c) => c.id === anchorId) ?? lastCrash ?? null);

  const toggleType = (t: Breadcrumb['type']) => {
    const next = new Set(types);
    if (next.has(t)) next.delete(t);
    else next.add(t);
    setTypes(next);
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
    setReveal({ key: itemKey(items[best]!), token: (reveal?.token ?? 0) + 1 });
  };

  const relText = (b: BreadcrumbEntry) =>
    anchor ? formatRelative(b.timestamp, anchor.at, 'crash') : formatOffset(b.timestamp, firstAt);
  const columns: GridColumn<Item>[] = [
    {
      id: 'type',
      title: 'Type',
      width: '56px',
      render: (it) =>
        it.kind === 'crash' ? (
          <span class="bc-icon bc-crash">crash</span>
        ) : (
          <BreadcrumbIcon type={it.b.type} level={it.b.level} />
        ),
      sort: (it) => (it.kind === 'crash' ? 'crash' : it.b.type),
    },
    {
      id: 'rel',
      title: anchor ? 'Before crash' : 'Since first',
      width: '128px',
      class: 'num',
      render: (it) => (it.kind === 'crash' ? '' : <span class="rel mono">{relText(it.b)}</span>),
      sort: itemAt,
    },
    {
      id: 'time',
      title: 'Time',
      width: '92px',
      render: (it) => <span class="time mono muted">{formatClockMs(itemAt(it))}</span>,
      sort: itemAt,
    },
    {
      id: 'message',
      title: 'Message',
      width: 'minmax(120px, 1fr)',
      render: (it) => {
        if (it.kind === 'crash') {
          const c = it.c;
          return (
            <span class="msg" data-testid="breadcrumb-crash-marker">
              Tab crashed{c.reason ? ` (${c.reason})` : ''}:{' '}
              {c.predicted.route.willDeliver
                ? `report goes to ${c.predicted.route.url ?? ''}`
                : `no report: ${c.predicted.route.reason ?? ''}`}
            </span>
          );
        }
        const b = it.b;
        return (
          <span class="msg">
            {b.source === 'crashsense' && <span class="badge src">crashsense</span>}{' '}
            {b.message.length > 300 ? `${b.message.slice(0, 300)}…` : b.message}
          </span>
        );
      },
      sort: (it) => (it.kind === 'crash' ? '' : it.b.message),
    },
    {
      id: 'data',
      title: 'Data',
      width: '40px',
      help: 'Entries with data show it in the details',
      render: (it) => (it.kind === 'crumb' && it.b.data ? <span class="has-data muted">{'{…}'}</span> : ''),
    },
  ];

  const details = (it: Item) => (
    <div class="bc-detail" data-testid="breadcrumb-detail">
      {it.kind === 'crumb' ? (
        <>
          <div class="line">
            <BreadcrumbIcon type={it.b.type} level={it.b.level} /> {formatDateTime(it.b.timestamp)}
            <span class="muted">
              {' '}
              · {it.b.source} · frame {it.b.frameId} · #{it.b.seq}
            </span>
          </div>
          <div class="wrap">
            <CappedText text={it.b.message} />
          </div>
          {it.b.data ? <JsonBlock value={it.b.data} testId="breadcrumb-data" /> : <div class="muted">No data.</div>}
        </>
      ) : (
        <>
          <div class="line">
            Tab crashed at {formatDateTime(it.c.at)} on <UrlText url={it.c.url} />
          </div>
          <div class="line" data-testid="crash-route">
            <RouteVerdict route={it.c.predicted.route} future />
          </div>
          <div class="line">
            <span class="muted">Report:</span> <CrashDelivery crash={it.c} />
          </div>
          <PredictedReport crash={it.c} />
          <ReportComparison crash={it.c} />
        </>
      )}
    </div>
  );

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
            setSearch(e.currentTarget.value);
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
          <select data-testid="breadcrumb-anchor" value={anchorId} onChange={(e) => setAnchorId(e.currentTarget.value)}>
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
          happen; pages that run CrashSense add theirs (marked crashsense). Reload the page if it was open before Report
          Inspector was installed.
        </EmptyState>
      ) : (
        <>
          <div class="muted bc-count" data-testid="breadcrumb-count">
            {plural(items.filter((i) => i.kind === 'crumb').length, 'entry', 'entries')} shown of{' '}
            {shown.length.toLocaleString('en-US')}
          </div>
          <Grid
            rows={items}
            columns={columns}
            rowKey={itemKey}
            rowAttrs={(it) =>
              it.kind === 'crash'
                ? { 'data-kind': 'crash' }
                : {
                    'data-testid': 'breadcrumb-row',
                    'data-type': it.b.type,
                    'data-source': it.b.source,
                    'data-seq': String(it.b.seq),
                  }
            }
            rowClass={(it) =>
              it.kind === 'crash' ? 'bc-line crash-marker' : `bc-line ${it.b.level ? `lvl-${it.b.level}` : ''}`
            }
            rowHeight={rowHeight}
            fill
            followTail={!snapshot}
            reveal={reveal}
            fallbackHeight={fallbackHeight}
            details={details}
            detailsTitle={(it) => (it.kind === 'crash' ? 'Crash' : `${it.b.type} at ${formatClockMs(it.b.timestamp)}`)}
            testId="breadcrumb-list"
            label="Breadcrumbs"
          />
        </>
      )}
    </div>
  );
}
