/**
 * Crash detection without extra permissions: the top frame's page relay holds a port open. A port that closes
 * with no navigation, after which the tab's status is `unloaded` (and the tab was not discarded), means the
 * renderer died (chrome/browser/extensions/extension_tab_util.cc `GetLoadingStatus`: `unloaded` when the main
 * frame's process is not alive). The crash is recorded with the report Chromium is expected to send for it. The
 * relay arrives once the page has loaded (relay-injection.ts): until then the tab is looked at a few times after
 * its document commits, and when the relay cannot be put into the top frame.
 *
 * The worker may be stopped at any moment, the crash included: then nobody sees the port close, or the checks
 * that follow it die with the worker. So each time the worker starts (and when a panel connects, or a relay in the
 * first seconds after a start), `sweep()` looks for tabs that are `unloaded`, not discarded, and whose current
 * document has no crash recorded yet, and records their crash then (at that time: when it happened is not known).
 */
import type { Runtime, Tabs } from 'webextension-polyfill';
import type { CrashEntry, CrashReportShape, TabState } from '@/utils/tab/types';
import { hangStack, liveOfTop, predictCrashReport, reportUrl } from '@/utils/tab/crash-report';
import { scrub } from '@/utils/page/scrub';
import { emptyTabState, LIMITS, noCrashRoute } from '@/utils/tab/types';
import { crashRoute } from '@/utils/tab/routes';
import { applicableGroups } from '@/utils/tab/origin-cache';
import { isRelayLeaving } from '@/utils/messaging/protocol';
import type { Stores } from './tab-and-origin-stores';
import { ORIGIN_CACHE_KEY, tabKey } from './tab-and-origin-stores';

/** When to look at the tab after its top relay disconnected (ms). */
const CHECKS_MS = [150, 500, 1500, 3000];
/**
 * When to look at a tab whose top document committed and whose relay has not connected yet (ms): the relay is
 * injected once the page has loaded, so a crash while it loads closes no port.
 */
const LOAD_CHECKS_MS = [1000, 3000, 10_000];

export interface CrashDeps {
  stores: Stores;
  getTab(tabId: number): Promise<Pick<Tabs.Tab, 'status' | 'discarded' | 'active' | 'url'> | null>;
  now(): number;
  tabChanged(tabId: number): void;
  /** The browser's user agent, which crash reports carry (default: the worker's `navigator.userAgent`). */
  userAgent?: string;
  /** Tabs whose status is `unloaded` (`tabs.query({ status: 'unloaded' })`); absent: no sweeping. */
  queryUnloaded?(): Promise<Pick<Tabs.Tab, 'id' | 'discarded' | 'active' | 'url'>[]>;
}

/** True when the tab's current top document already has its crash recorded. */
export function crashRecordedForTop(state: TabState): boolean {
  const top = state.documents['0'];
  const crash = state.crashes[0];
  return !!top && !!crash && crash.at >= top.receivedAt;
}

/**
 * The last breadcrumbs before `at`, in time order (the page's own and those merged from a CrashSense checkpoint
 * arrive out of order; the sequence number keeps equal times stable), at most {@link LIMITS.crashBreadcrumbs}.
 */
function lastBreadcrumbs(state: TabState, at: number): TabState['breadcrumbs'] {
  return state.breadcrumbs
    .filter((b) => b.timestamp <= at + 1000)
    .sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq)
    .slice(-LIMITS.crashBreadcrumbs);
}

/** Builds the crash entry for a tab's current top document (pure apart from the inputs). */
export function crashEntryFor(
  state: TabState,
  origins: Parameters<typeof applicableGroups>[1],
  at: number,
  opts: { visible: boolean; detectedBy: CrashEntry['detectedBy']; reason?: CrashEntry['reason']; userAgent?: string },
): CrashEntry {
  const top = state.documents['0'];
  const url = top?.url ?? '';
  const route = top
    ? crashRoute(top, applicableGroups(url, origins, at), at)
    : noCrashRoute('no document was captured for this tab');
  const p = predictCrashReport(state, {
    at,
    userAgent: opts.userAgent ?? '',
    visible: opts.visible,
    ...(opts.reason ? { reason: opts.reason } : {}),
  });
  const { body, ...report } = p.report;
  const entry: CrashEntry = {
    id: `crash@${at}`,
    at,
    url: p.report.url,
    detectedBy: opts.detectedBy,
    breadcrumbs: lastBreadcrumbs(state, at),
    callStacks: p.callStacks,
    predicted: { body, report, route },
  };
  if (p.loadUrl && p.loadUrl !== p.report.url) entry.loadUrl = p.loadUrl;
  if (p.context) entry.context = p.context;
  if (opts.reason) entry.reason = opts.reason;
  return entry;
}

/** A reason learned after the entry was made (the debugger's): the predicted body follows it. */
function withReason(entry: CrashEntry, reason: NonNullable<CrashEntry['reason']>): CrashEntry {
  if (!entry.predicted.report) return { ...entry, reason };
  const body = { ...(entry.predicted.body as CrashReportShape['body']), reason };
  if (reason === 'unresponsive') body.stack = hangStack(entry.callStacks === true);
  else delete body.stack;
  return { ...entry, reason, predicted: { ...entry.predicted, body } };
}

/** Adds a crash entry, newest first and bounded; a second report of the same crash (within 5 s) is ignored. */
export function addCrash(state: TabState, entry: CrashEntry): TabState {
  const last = state.crashes[0];
  if (last && Math.abs(last.at - entry.at) < 5000 && last.url === entry.url) {
    // The debugger confirmed what the port saw (or the other way round): keep one, with the better facts.
    if (entry.detectedBy === 'debugger' && last.detectedBy !== 'debugger') {
      const confirmed: CrashEntry = { ...last, detectedBy: 'debugger' };
      return {
        ...state,
        crashes: [entry.reason ? withReason(confirmed, entry.reason) : confirmed, ...state.crashes.slice(1)],
      };
    }
    return state;
  }
  const crashes = [entry, ...state.crashes];
  const over = Math.max(0, crashes.length - LIMITS.crashes);
  return {
    ...state,
    crashes: crashes.slice(0, LIMITS.crashes),
    dropped: { ...state.dropped, crashes: state.dropped.crashes + over },
  };
}

/** True when the tab's current top document is the first one loaded after its last crash. */
export function crashedRecently(state: TabState): boolean {
  const crash = state.crashes[0];
  const top = state.documents['0'];
  if (!crash || !top || top.receivedAt < crash.at) return false;
  const previous = state.history[0];
  return !previous || previous.receivedAt <= crash.at;
}

/** True when `url` is the URL the top document's hook reported last (scrubbed like it, without the fragment). */
function isLiveUrl(state: TabState, url: string): boolean {
  const live = liveOfTop(state)?.url;
  return !!live && reportUrl(scrub(url)) === reportUrl(live);
}

/** How long after the worker starts a relay's connection triggers a sweep (relays reconnect 1 s after a drop). */
const SWEEP_AFTER_START_MS = 5000;

export class CrashDetector {
  /** Tabs whose top relay disconnected, with the time; cleared when its checks end or a relay connects. A navigation
   * ends the checks: the tab committed another document since the port connected, or it is `loading`. */
  private readonly pending = new Map<number, number>();
  /** Tabs whose top document committed and has no relay yet, with the time; cleared when its relay connects. */
  private readonly awaiting = new Map<number, number>();
  /** Per tab: how many top-level documents committed since the worker started (see {@link CrashDetector.navigated}). */
  private readonly commits = new Map<number, number>();
  private readonly startedAt: number;

  constructor(private readonly deps: CrashDeps) {
    this.startedAt = deps.now();
  }

  relayConnected(port: Runtime.Port): void {
    const tabId = port.sender?.tab?.id;
    if (tabId === undefined || port.sender?.frameId !== 0) return;
    // Relays reconnect in the first seconds after the worker started again: a crash in that window has no port to
    // close, so look again then. Later connections are page loads: no need to ask for every tab each time.
    if (this.deps.now() - this.startedAt < SWEEP_AFTER_START_MS) void this.sweep();
    this.pending.delete(tabId);
    this.awaiting.delete(tabId);
    const commits = this.commits.get(tabId) ?? 0;
    // The relay says so as its document is left: the close that follows is a navigation, to any URL.
    let left = false;
    port.onMessage.addListener((message: unknown) => {
      if (isRelayLeaving(message)) left = true;
    });
    port.onDisconnect.addListener(() => {
      if (!left) this.relayDisconnected(tabId, commits);
    });
  }

  tabRemoved(tabId: number): void {
    this.pending.delete(tabId);
    this.awaiting.delete(tabId);
    this.commits.delete(tabId);
  }

  /**
   * The tab's top frame committed a document (any URL). A relay port of an earlier document that closes is then a
   * navigation, known without asking the browser for the tab (a `tabs.get` that would land in the new page's load).
   */
  navigated(tabId: number): void {
    this.commits.set(tabId, (this.commits.get(tabId) ?? 0) + 1);
  }

  /** A top-level document that the relay can run in committed: watch the tab until its relay connects. */
  documentCommitted(tabId: number): void {
    const at = this.deps.now();
    this.awaiting.set(tabId, at);
    void this.watchLoad(tabId, at);
  }

  /** The relay could not be put into the tab's top frame: perhaps its renderer just died. Same checks as a port. */
  relayMissing(tabId: number): void {
    this.relayDisconnected(tabId);
  }

  /** A top relay's port closed (`commits`: the tab's top commits when it connected; absent: no port at all). */
  private relayDisconnected(tabId: number, commits?: number): void {
    const at = this.deps.now();
    this.pending.set(tabId, at);
    // A crash happened when the port closed; a tab that committed a new document or is loading has navigated.
    const navigated = commits === undefined ? undefined : () => (this.commits.get(tabId) ?? 0) !== commits;
    void this.watch(this.pending, tabId, at, CHECKS_MS, { loadingEnds: true, crashAt: () => at, navigated });
  }

  private watchLoad(tabId: number, at: number): Promise<void> {
    // Loading is expected here; when the crash happened is not known, so it carries the time it was found.
    return this.watch(this.awaiting, tabId, at, LOAD_CHECKS_MS, { loadingEnds: false, crashAt: () => this.deps.now() });
  }

  /**
   * Looks at the tab `checks` ms after `at`, for as long as `marks` holds `at` for it: an `unloaded` tab that was
   * not discarded has crashed. The mark is removed when the checks end.
   */
  private async watch(
    marks: Map<number, number>,
    tabId: number,
    at: number,
    checks: readonly number[],
    o: { loadingEnds: boolean; crashAt: () => number; navigated?: () => boolean },
  ): Promise<void> {
    let waited = 0;
    for (const t of checks) {
      await new Promise((r) => setTimeout(r, t - waited));
      waited = t;
      if (marks.get(tabId) !== at) return;
      if (o.navigated?.()) break;
      const tab = await this.deps.getTab(tabId);
      if (!tab) break;
      if (tab.status === 'unloaded' && !tab.discarded) {
        marks.delete(tabId);
        await this.record(tabId, o.crashAt(), tab.active ?? true);
        return;
      }
      if (o.loadingEnds && tab.status === 'loading') break;
    }
    if (marks.get(tabId) === at) marks.delete(tabId);
  }

  /** Records a crash of a tab (also called when the debugger reports `Inspector.targetCrashed`). */
  async record(
    tabId: number,
    at: number,
    visible: boolean,
    detectedBy: CrashEntry['detectedBy'] = 'port-disconnect',
    reason?: CrashEntry['reason'],
  ): Promise<void> {
    const cache = (await this.deps.stores.origins.get(ORIGIN_CACHE_KEY)) ?? {};
    let changed = false;
    await this.deps.stores.tabs.update(
      tabKey(tabId),
      () => emptyTabState(tabId, at),
      (s) => {
        // The port and the sweep may both see one crash: the second finds it recorded (the debugger may still add
        // its facts to it, see addCrash).
        if (detectedBy === 'port-disconnect' && crashRecordedForTop(s)) return s;
        const userAgent = this.deps.userAgent ?? globalThis.navigator?.userAgent ?? '';
        const next = addCrash(
          s,
          crashEntryFor(s, cache, at, { visible, detectedBy, userAgent, ...(reason ? { reason } : {}) }),
        );
        changed = next !== s;
        return next;
      },
    );
    if (changed) this.deps.tabChanged(tabId);
  }

  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;

  /** Records the crashes nobody saw (see the top of this file). Calls made while one runs share its next run. */
  sweep(): Promise<void> {
    if (this.sweeping) {
      this.sweepAgain = true;
      return this.sweeping;
    }
    const run = async (): Promise<void> => {
      do {
        this.sweepAgain = false;
        const tabs = (await this.deps.queryUnloaded?.().catch(() => [])) ?? [];
        for (const tab of tabs) {
          const id = tab.id;
          if (id === undefined || tab.discarded || this.pending.has(id)) continue;
          const state = await this.deps.stores.tabs.get(tabKey(id));
          const top = state?.documents['0'];
          if (!state || !top || crashRecordedForTop(state)) continue;
          // The tab's URL follows pushState: the URL the document's hook saw last is this document's too.
          if (tab.url && tab.url !== top.url && !isLiveUrl(state, tab.url)) continue;
          await this.record(id, this.deps.now(), tab.active ?? true);
        }
      } while (this.sweepAgain);
    };
    this.sweeping = run().finally(() => (this.sweeping = null));
    return this.sweeping;
  }
}
