/**
 * Folds validated page events into a tab's state. Pure: time, frame and options are parameters; the input
 * state is not modified.
 *
 * - Breadcrumbs become `BreadcrumbEntry`s (`seq` from `state.nextSeq`) in a ring buffer of `maxBreadcrumbs`
 *   entries and at most `LIMITS.breadcrumbChars` of JSON, that evicts oldest-first (insertion order) and counts
 *   `dropped.breadcrumbs`. The panel sorts by timestamp.
 * - A checkpoint replaces the tab's last one (a subframe's does not replace the top frame's), and its
 *   breadcrumbs join the timeline as `source: 'crashsense'`, once each: CrashSense rewrites its last 20 every
 *   few seconds, so entries already merged (same type, timestamp and message) are skipped.
 * - A checkpoint found at load right after a crash of the tab is the previous session's last state
 *   (`abnormalEnd`). It stays until the next load's checkpoint: neither the app's later writes nor its
 *   removal (CrashSense removes it once read) replace it. A removal clears only the same frame's record.
 * - App reports keep their upload id so the upload's status can follow.
 * - Per frame, `live` follows the document: its URL now (navigation breadcrumbs carry it: load, pushState,
 *   replaceState, popstate, hashchange), its visibility, and its crash context (`window.crashReport`), which a
 *   `load` starts afresh. Each crash-context call also joins the trail as a `state` breadcrumb.
 */
import type { AppCrashReport, BreadcrumbEntry, CheckpointRecord, LiveReport } from '@/utils/page/types';
import type { TabState } from './types';
import { LIMITS } from './types';
import type { PageEvent } from '@/utils/page/events';
import { recordJsonSize } from '@/utils/page/untrusted';
import { applyCrashContextCall, describeCrashContextCall, emptyCrashContext } from '@/utils/page/crash-context';
import type { FrameLive } from './types';

export interface ApplyOptions {
  /** The breadcrumb ring buffer size (settings `breadcrumbBuffer`). */
  maxBreadcrumbs: number;
  /** The tab crashed shortly before: a checkpoint found at load is the crashed session's last state. */
  crashedRecently: boolean;
}

/** How many of the oldest entries to drop so that the rest fit in `maxChars` of JSON (the newest one always stays). */
function overBudget(list: BreadcrumbEntry[], maxChars: number): number {
  let total = 2;
  for (let i = list.length - 1; i >= 0; i--) {
    total += recordJsonSize(list[i]!) + 1; // and its comma
    if (total > maxChars) return Math.min(i + 1, list.length - 1);
  }
  return 0;
}

const crumbKey = (c: { type: string; timestamp: number; message: string }): string =>
  `${c.type}\u0000${c.timestamp}\u0000${c.message}`;

/** The state after `events` from frame `frameId`. */
export function applyPageEvents(
  state: TabState,
  frameId: number,
  events: PageEvent[],
  now: number,
  opts: ApplyOptions,
): TabState {
  if (events.length === 0) return state;
  const maxCrumbs = Math.max(1, Math.floor(opts.maxBreadcrumbs));
  let nextSeq = state.nextSeq;
  const breadcrumbs: BreadcrumbEntry[] = state.breadcrumbs.slice();
  const reports: LiveReport[] = state.reports.slice();
  let appReports: AppCrashReport[] = state.appReports;
  let appReportsCopied = false;
  let checkpoint: CheckpointRecord | null = state.checkpoint;
  let seenCrashSense: Set<string> | null = null;
  const frameUrl = state.documents[String(frameId)]?.url;
  const fk = String(frameId);
  let live: FrameLive | undefined = state.live?.[fk];
  const setLive = (next: FrameLive): void => {
    live = next;
  };

  for (const ev of events) {
    switch (ev.kind) {
      case 'breadcrumb': {
        const entry: BreadcrumbEntry = { ...ev.crumb, seq: nextSeq++, frameId, source: 'page' };
        if (ev.level) entry.level = ev.level;
        breadcrumbs.push(entry);
        if (ev.crumb.type === 'navigation' && typeof ev.crumb.data?.url === 'string') {
          // A load is a new document: its crash context and visibility start afresh.
          const url = ev.crumb.data.url;
          setLive(ev.crumb.message.startsWith('load ') ? { url, loadedAt: ev.crumb.timestamp } : { ...live, url });
        }
        break;
      }
      case 'visibility':
        setLive({ ...live, visibility: ev.state });
        break;
      case 'crash-context': {
        // The page's time of the call; the background's when the page sent none or one in the future.
        const at = ev.at !== undefined && ev.at <= now ? ev.at : now;
        const entry: BreadcrumbEntry = {
          type: 'state',
          timestamp: at,
          message: describeCrashContextCall(ev),
          seq: nextSeq++,
          frameId,
          source: 'page',
          data: { api: 'crashReport', op: ev.op, ...(ev.key !== undefined ? { key: ev.key } : {}) },
        };
        if (ev.error) entry.level = 'error';
        breadcrumbs.push(entry);
        setLive({ ...live, context: applyCrashContextCall(live?.context ?? emptyCrashContext(at), ev, at) });
        break;
      }
      case 'report':
        reports.push({
          seq: nextSeq++,
          frameId,
          type: ev.report.type,
          url: ev.report.url,
          body: ev.report.body,
          observedAt: now,
        });
        break;
      case 'checkpoint': {
        const cp = ev.checkpoint;
        if (!cp) {
          if (checkpoint && !checkpoint.abnormalEnd && checkpoint.frameId === frameId) checkpoint = null;
          break;
        }
        const abnormalEnd = ev.atLoad && opts.crashedRecently;
        // A subframe's checkpoint does not replace the top frame's. The crashed session's last state stays
        // for the rest of the load that found it: CrashSense writes a fresh checkpoint right after it starts,
        // which would otherwise hide it at once (its breadcrumbs still join the timeline).
        const priorityOk = !checkpoint || frameId === 0 || checkpoint.frameId !== 0;
        if (priorityOk && (ev.atLoad || !checkpoint?.abnormalEnd)) {
          checkpoint = { seenAt: now, frameId, url: frameUrl ?? cp.url, checkpoint: cp, abnormalEnd };
        }
        if (!seenCrashSense) {
          seenCrashSense = new Set();
          for (const b of breadcrumbs) if (b.source === 'crashsense') seenCrashSense.add(crumbKey(b));
        }
        for (const crumb of cp.breadcrumbs) {
          const key = crumbKey(crumb);
          if (seenCrashSense.has(key)) continue;
          seenCrashSense.add(key);
          breadcrumbs.push({ ...crumb, seq: nextSeq++, frameId, source: 'crashsense' });
        }
        break;
      }
      case 'app-report':
        if (!appReportsCopied) {
          appReports = appReports.slice();
          appReportsCopied = true;
        }
        appReports.push({ ...ev.report, seq: nextSeq++, frameId, uploadId: ev.id });
        break;
      case 'app-report-status':
        appReports = appReports.map((r) =>
          r.uploadId === ev.id && r.frameId === frameId ? { ...r, status: ev.status } : r,
        );
        appReportsCopied = true;
        break;
    }
  }

  const dropped = { ...state.dropped };
  const trim = <T>(list: T[], max: number, key: keyof typeof dropped): T[] => {
    if (list.length <= max) return list;
    dropped[key] += list.length - max;
    return list.slice(list.length - max);
  };

  const counted = trim(breadcrumbs, maxCrumbs, 'breadcrumbs');
  const tooMany = overBudget(counted, LIMITS.breadcrumbChars);
  if (tooMany) dropped.breadcrumbs += tooMany;

  let liveMap = state.live;
  if (live !== state.live?.[fk]) {
    liveMap = { ...state.live, [fk]: live! };
    // Bounded like the documents: the frames that spoke last stay.
    const keys = Object.keys(liveMap);
    if (keys.length > LIMITS.frames) {
      const keep = new Set(keys.filter((k) => k === '0' || k === fk || state.documents[k]).slice(-LIMITS.frames));
      liveMap = Object.fromEntries(Object.entries(liveMap).filter(([k]) => keep.has(k)));
    }
  }

  return {
    ...state,
    ...(liveMap ? { live: liveMap } : {}),
    updatedAt: now,
    breadcrumbs: tooMany ? counted.slice(tooMany) : counted,
    reports: trim(reports, LIMITS.reports, 'reports'),
    appReports: trim(appReports, LIMITS.appReports, 'appReports'),
    checkpoint,
    dropped,
    nextSeq,
  };
}
